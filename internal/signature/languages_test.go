package signature

import (
	"encoding/json"
	"os"
	"path/filepath"
	"strings"
	"testing"
	"unicode"

	"github.com/newsdedup/newsdedup/internal/article"
)

const multilingualDir = "../../testdata/multilingual"

// corpusText reads the title and text of a file of the multilingual corpus.
func corpusText(t testing.TB, name string) (title, text string) {
	t.Helper()
	data, err := os.ReadFile(filepath.Join(multilingualDir, name))
	if err != nil {
		t.Fatal(err)
	}
	var a struct{ Title, Text string }
	if err := json.Unmarshal(data, &a); err != nil {
		t.Fatal(err)
	}
	return a.Title, a.Text
}

// unitEvidence is the copy evidence between two texts on the Unicode path:
// the exact share of a's own shingles found in b (ShingleWords tokens,
// widened as minhash widens them), and how many of a's fingerprinted
// sentences reappear in b.
func unitEvidence(lang, a, b string) (containment float64, shared, sentences int) {
	own := func(text string) (map[[ShingleWords]uint64]bool, []uint64) {
		c := NewComputer()
		c.body.runUnicode(text, rulesFor(lang))
		set := map[[ShingleWords]uint64]bool{}
		run := 0
		toks := c.widen(c.body.toks)
		for i, tk := range toks {
			if tk.flags&tQuoted != 0 {
				run = 0
				continue
			}
			if run++; run >= ShingleWords {
				var sh [ShingleWords]uint64
				for k := range sh {
					sh[k] = toks[i-ShingleWords+1+k].h
				}
				set[sh] = true
			}
		}
		var fps []uint64
		eachSentence(c.body.toks, c.unitBuf(), func(_, _, _ int, fp uint64, _ []uint16) { fps = append(fps, fp) })
		return set, fps
	}
	sa, fa := own(a)
	sb, fb := own(b)
	in := 0
	for s := range sa {
		if sb[s] {
			in++
		}
	}
	if len(sa) > 0 && len(sb) > 0 {
		containment = float64(in) / float64(min(len(sa), len(sb)))
	}
	return containment, SharedSentences(&Signature{Sentences: fa}, &Signature{Sentences: fb}), len(fa)
}

// editOneChar replaces the middle letter of every sentence of text (split
// at 。 or, for Thai, at spaces) with another letter of the script: the
// smallest edit a copy desk makes.
func editOneChar(text string, with rune) string {
	var b strings.Builder
	for _, line := range strings.SplitAfter(text, "。") {
		for _, s := range strings.SplitAfter(line, " ") {
			rs := []rune(s)
			if len(rs) > 8 {
				rs[len(rs)/2] = with
			}
			b.WriteString(string(rs))
		}
	}
	return b.String()
}

// TestSpacelessUnits measures the unit of scripts without spaces on the
// corpus: single characters, bigrams and trigrams, for a copy pair (01,
// 03), an independent pair (01, 02) and the copy with one letter changed
// in every sentence. Bigrams are what the Unicode path uses: the test holds
// them to the evidence clustering needs, and logs the table quoted in
// docs/QUALITY.md ("Languages").
func TestSpacelessUnits(t *testing.T) {
	defer func(n, m int) { spacelessGram, spacelessShingle = n, m }(spacelessGram, spacelessShingle)
	want := [2]int{spacelessGram, spacelessShingle}
	langs := []struct {
		lang string
		with rune
	}{{"zh", '某'}, {"ja", '某'}, {"th", 'ก'}}
	for _, l := range langs {
		_, a := corpusText(t, l.lang+"-01.json")
		_, b := corpusText(t, l.lang+"-02.json")
		_, c := corpusText(t, l.lang+"-03.json")
		edited := editOneChar(a, l.with)
		for _, n := range []int{1, 2, 3} {
			for _, shingle := range []int{ShingleWords, 8} {
				spacelessGram, spacelessShingle = n, shingle
				cc, cs, _ := unitEvidence(l.lang, a, c)
				ic, is, _ := unitEvidence(l.lang, a, b)
				ec, es, en := unitEvidence(l.lang, a, edited)
				t.Logf("%s %d-gram, shingle %d: copy %.2f/%d sentences, independent %.2f/%d, one letter edited %.2f/%d of %d",
					l.lang, n, shingle, cc, cs, ic, is, ec, es, en)
				if [2]int{n, shingle} != want {
					continue
				}
				if cc < 0.6 || cs < 4 {
					t.Errorf("%s: copy containment %.2f, %d shared sentences", l.lang, cc, cs)
				}
				if ic >= 0.1 || is >= en/4 {
					t.Errorf("%s: independent reports containment %.2f, %d shared sentences of %d", l.lang, ic, is, en)
				}
				if 2*es < en || ec < 0.5 {
					t.Errorf("%s: one-letter edits leave containment %.2f and %d of %d sentences", l.lang, ec, es, en)
				}
			}
		}
	}
}

// BenchmarkSignLanguages signs one article of the multilingual corpus per
// language, the whole Compute (identification included), for the figures
// in docs/PERFORMANCE.md.
func BenchmarkSignLanguages(b *testing.B) {
	for _, lang := range []string{"zh", "ja", "ru", "hi", "ar", "th", "fr", "de"} {
		title, text := corpusText(b, lang+"-01.json")
		a := &article.Article{Key: lang, Title: title, Text: text}
		b.Run(lang, func(b *testing.B) {
			c := NewComputer()
			b.SetBytes(int64(len(text)))
			for b.Loop() {
				c.Compute(a)
			}
		})
	}
}

// BenchmarkIdentify is the identifier alone on the same articles.
func BenchmarkIdentify(b *testing.B) {
	for _, lang := range []string{"zh", "ru", "hi", "fr"} {
		title, text := corpusText(b, lang+"-01.json")
		b.Run(lang, func(b *testing.B) {
			for b.Loop() {
				identify(title, text)
			}
		})
	}
}

// TestASCIIDigit: every decimal digit maps to its value, which asciiDigit
// reads from the shape of unicode.Nd (runs of ten, zero first, stride 1).
func TestASCIIDigit(t *testing.T) {
	check := func(lo, hi, stride uint32) {
		if stride != 1 || (hi-lo+1)%10 != 0 {
			t.Fatalf("unicode.Nd range %#x–%#x stride %d: not whole runs of ten digits", lo, hi, stride)
		}
	}
	for _, rg := range unicode.Nd.R16 {
		check(uint32(rg.Lo), uint32(rg.Hi), uint32(rg.Stride))
	}
	for _, rg := range unicode.Nd.R32 {
		check(rg.Lo, rg.Hi, rg.Stride)
	}
	for r := rune(0); r <= unicode.MaxRune; r++ {
		if unicode.IsDigit(r) && !mayBeDigit(r) {
			t.Fatalf("%U is a digit that mayBeDigit rules out", r)
		}
	}
	for _, c := range []struct {
		in   string
		want string
	}{
		{"٢٠٢٤", "2024"}, {"۱۴۰۲", "1402"}, {"२०२४", "2024"}, {"２０２４", "2024"}, {"๑๔๐", "140"},
		{"১২৩", "123"}, {"𝟘𝟙𝟚", "012"}, {"140", "140"}, {"Ⅻ", "ⅻ"}, {"½", "½"}, {"京都", "京都"}, {"Ａ", "ａ"},
	} {
		if got := string(foldWord(nil, c.in)); got != c.want {
			t.Errorf("foldWord(%q) = %q, want %q", c.in, got, c.want)
		}
	}
}
