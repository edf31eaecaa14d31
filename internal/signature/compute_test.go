package signature

import (
	"fmt"
	"math"
	"math/rand/v2"
	"reflect"
	"slices"
	"sort"
	"strings"
	"sync"
	"testing"
	"unicode/utf8"
)

func TestComputeDeterministic(t *testing.T) {
	texts := []*articleCase{
		{"seed 000", seed(t, "000").Text, seed(t, "000").Title},
		{"seed 001", seed(t, "001").Text, seed(t, "001").Title},
		{"short", "Only four words here", ""},
		{"quoted", `"All of this is quoted speech and nothing else at all," he said.`, "Quote"},
		{"empty", "", ""},
	}
	fresh := func(c *articleCase) *Signature { return NewComputer().Compute(art("k", c.title, c.text)) }
	reused := NewComputer()
	// Warm the reused computer with other texts so stale buffers would show.
	for _, c := range texts {
		reused.Compute(art("warm", "Warm title", c.text+" "+c.text))
	}
	for _, c := range texts {
		want := fresh(c)
		if got := reused.Compute(art("k", c.title, c.text)); !reflect.DeepEqual(got, want) {
			t.Errorf("%s: reused Computer differs from a fresh one:\n got %+v\nwant %+v", c.name, got, want)
		}
		if got := Compute(art("k", c.title, c.text)); !reflect.DeepEqual(got, want) {
			t.Errorf("%s: pooled Compute differs from a fresh Computer", c.name)
		}
		if got := fresh(c); !reflect.DeepEqual(got, want) {
			t.Errorf("%s: two computations differ", c.name)
		}
	}
	// Concurrent use of the pooled Compute (run with -race).
	var wg sync.WaitGroup
	errs := make(chan string, 64)
	for g := 0; g < 8; g++ {
		wg.Add(1)
		go func(g int) {
			defer wg.Done()
			for k := 0; k < 20; k++ {
				c := texts[(g+k)%len(texts)]
				if got := Compute(art("k", c.title, c.text)); !reflect.DeepEqual(got, fresh(c)) {
					errs <- c.name
					return
				}
			}
		}(g)
	}
	wg.Wait()
	close(errs)
	for name := range errs {
		t.Errorf("%s: concurrent Compute differs", name)
	}
}

type articleCase struct{ name, text, title string }

func TestComputeMetadata(t *testing.T) {
	a := art("path/to/key.json", "A Title", "Some body text that is long enough to count.")
	a.Source, a.URL, a.Date = "Reuters", "https://example.com/x", "2023-12-07"
	s := Compute(a)
	if s.Key != a.Key || s.Title != a.Title || s.Source != a.Source || s.URL != a.URL || s.Date != a.Date {
		t.Errorf("metadata not copied: %+v", s)
	}
	if len(s.MinHash) != K {
		t.Errorf("MinHash has %d values, want %d", len(s.MinHash), K)
	}
	if s.Flags&FlagDateFromText != 0 {
		t.Error("FlagDateFromText set for a metadata date")
	}
	a.DateFromText = true
	if s := Compute(a); s.Flags&FlagDateFromText == 0 || s.Date != a.Date {
		t.Errorf("date read from the text: Flags %b, Date %q", s.Flags, s.Date)
	}
}

func TestComputeWordsShinglesFlags(t *testing.T) {
	v := newVocab(1, 2000)
	own30 := strings.Join(v.seq(30), " ")
	own30b := strings.Join(v.seq(30), " ")
	quote10 := strings.Join(v.seq(10), " ")
	quote40 := strings.Join(v.seq(40), " ")
	tests := []struct {
		name      string
		text      string
		words     int
		shingles  int
		flags     uint8
		distinctH bool // MinHash must not be all one value
	}{
		{"empty", "", 0, 0, FlagQuotesIncluded | FlagEmpty, false},
		{"four words", "one two three four", 4, 0, FlagQuotesIncluded | FlagEmpty, false},
		{"five words", "one two three four five", 5, 1, FlagQuotesIncluded, false},
		{"own text only", own30 + " " + own30b, 60, 56, 0, true},
		// Shingles touching a quoted word are left out: 26 before, 26 after.
		{"quote in the middle", own30 + ` "` + quote10 + `" ` + own30b, 70, 52, 0, true},
		// 10 own words give 6 own shingles < 16: fall back to all 46.
		{"mostly quoted", strings.Join(v.seq(10), " ") + ` "` + quote40 + `"`, 50, 46, FlagQuotesIncluded, true},
		{"all quoted", `"` + quote40 + `"`, 40, 36, FlagQuotesIncluded, true},
		// A quotation open at a line break that the next line does not
		// continue had a stray mark: all 40 words are the article's own.
		{"stray quote ends at the newline", `"` + quote10 + "\n" + own30, 40, 36, 0, true},
		// Continued by the next paragraph, it stays quoted until closed.
		{"quote continued", `"` + quote10 + "\n\"" + quote40 + `" ` + own30, 80, 26, 0, true},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			s := Compute(art("k", "", tt.text))
			if s.Words != tt.words || s.Shingles != tt.shingles || s.Flags != tt.flags {
				t.Errorf("Words=%d Shingles=%d Flags=%b, want %d %d %b", s.Words, s.Shingles, s.Flags, tt.words, tt.shingles, tt.flags)
			}
			if len(s.MinHash) != K {
				t.Fatalf("MinHash has %d values", len(s.MinHash))
			}
			own := shingleSet(tt.text, s.Flags&FlagQuotesIncluded == 0)
			if tt.shingles > 0 && len(own) != tt.shingles {
				t.Errorf("reference shingling finds %d shingles, Compute %d", len(own), tt.shingles)
			}
			distinct := map[uint32]bool{}
			for _, x := range s.MinHash {
				distinct[x] = true
			}
			if tt.distinctH && len(distinct) < 2 {
				t.Errorf("MinHash holds %d distinct values", len(distinct))
			}
		})
	}
}

// TestComputeShinglesIsSetSize: Shingles is documented as the set size the
// containment estimate needs; a paragraph repeated verbatim (boilerplate,
// an editing slip) must not double it.
func TestComputeShinglesIsSetSize(t *testing.T) {
	v := newVocab(2, 2000)
	para := sentenceOf(v.seq(40))
	// Seed 003 repeats its lead sentences further down, as wire copy often does.
	for _, text := range []string{para, para + "\n\n" + para, para + "\n\n" + para + "\n\n" + para, seed(t, "003").Text} {
		s := Compute(art("k", "", text))
		if want := len(shingleSet(text, true)); s.Shingles != want {
			t.Errorf("%d words: Shingles = %d, distinct shingles %d", s.Words, s.Shingles, want)
		}
	}
}

func TestComputeSameTextSameSignature(t *testing.T) {
	a := seed(t, "001")
	s1 := Compute(&a)
	b := a
	b.Key, b.Source, b.URL = "other", "Other", "https://other"
	s2 := Compute(&b)
	if !reflect.DeepEqual(s1.MinHash, s2.MinHash) || !reflect.DeepEqual(s1.Sentences, s2.Sentences) || !reflect.DeepEqual(s1.Terms, s2.Terms) {
		t.Error("same text and title, different signature content")
	}
	if j := Jaccard(s1, s2); j != 1 {
		t.Errorf("Jaccard of identical texts = %v", j)
	}
	if c := Containment(s1, s2); c != 1 {
		t.Errorf("Containment of identical texts = %v", c)
	}
	if n := SharedSentences(s1, s2); n != len(s1.Sentences) {
		t.Errorf("SharedSentences of identical texts = %d, want %d", n, len(s1.Sentences))
	}
	// Whitespace and case outside words do not change the signature.
	c := a
	c.Text = strings.ToUpper(a.Text[:1]) + strings.ReplaceAll(a.Text[1:], " ", "  ")
	if s3 := Compute(&c); !reflect.DeepEqual(s1.MinHash, s3.MinHash) || !reflect.DeepEqual(s1.Sentences, s3.Sentences) {
		t.Error("extra spaces changed MinHash or sentences")
	}
}

func termMap(s *Signature) map[string]Term {
	m := map[string]Term{}
	for _, tm := range s.Terms {
		m[tm.Text] = tm
	}
	return m
}

func TestComputeTerms(t *testing.T) {
	text := "Officials in the capital said President Vladimir Putin would meet envoys. " +
		"The envoys arrived by train and met Vladimir Putin on Thursday. " +
		"Later the missile talks stalled, and envoys said missiles were the issue. " +
		"A 2023 report in 12 pages said so, and it is a I x y."
	s := Compute(art("k", "Putin hosts envoys in Moscow", text))
	m := termMap(s)

	for _, stop := range []string{"the", "said", "in", "and", "would", "on", "thursday", "it", "is", "so", "report"} {
		if _, ok := m[stop]; ok {
			t.Errorf("stop word %q kept as a term", stop)
		}
	}
	for _, no := range []string{"2023", "12", "x", "y", "a", "i"} {
		if _, ok := m[no]; ok {
			t.Errorf("%q (digits or one letter) kept as a term", no)
		}
	}
	checks := []struct {
		text   string
		weight float32
		name   bool
	}{
		{"envoy", 3 + TitleWeight, false}, // 3× in the body + title
		{"vladimir putin", 2, true},       // name pair, twice mid-sentence
		{"putin", 2 + TitleWeight, true},  // twice mid-sentence, capitalised, plus the title
		{"vladimir", 2, true},
		{"missile", 2, false}, // missile + missiles
		{"moscow", TitleWeight, false},
		{"host", TitleWeight, false},
		{"capital", 1, false},
		{"official", 1, false}, // capitalised only where it opens a sentence: no name
	}
	for _, c := range checks {
		got, ok := m[c.text]
		if !ok {
			t.Errorf("term %q missing; terms %v", c.text, s.Terms)
			continue
		}
		if got.Weight != c.weight || got.Name != c.name {
			t.Errorf("term %q = %+v, want weight %v name %v", c.text, got, c.weight, c.name)
		}
	}
	checkTermsSorted(t, s)
}

// TestComputeFigures: a figure that tells one event from another of its
// kind is a term and counts as a name; years and values up to 31 (counts,
// days, hours, the "000" of a thousands separator) are shared by unrelated
// stories and are not terms.
func TestComputeFigures(t *testing.T) {
	text := "The quake killed 140 people on Dec. 17, 2008, and left 25,000 homeless. " +
		"Aid worth $180 million arrived, and 140 more were missing near the 1200 block, 3 officials said. " +
		"Bulletin MS08-078 lists 12 districts, 07 of them new."
	s := Compute(art("k", "Quake toll reaches 140", text))
	m := termMap(s)
	for _, no := range []string{"2008", "17", "25", "000", "3", "12", "07"} {
		if tm, ok := m[no]; ok {
			t.Errorf("%q (a year or a value up to 31) kept as a term: %+v", no, tm)
		}
	}
	for _, c := range []struct {
		text   string
		weight float32
	}{
		{"140", 2 + TitleWeight}, {"180", 1}, {"1200", 1}, {"078", 1},
	} {
		got, ok := m[c.text]
		if !ok {
			t.Errorf("figure %q missing; terms %v", c.text, s.Terms)
			continue
		}
		if got.Weight != c.weight || !got.Name {
			t.Errorf("figure %q = %+v, want weight %v, a name", c.text, got, c.weight)
		}
	}
	checkTermsSorted(t, s)

	// The Unicode path keeps "25.000" whole, a figure; its stop words carry
	// tDigit too and stay out.
	fr := Compute(art("fr", "Le séisme a fait 140 morts", "Le séisme a fait 140 morts et 25.000 sinistrés "+
		"le 12 mai 2023, selon les autorités régionales qui évaluent encore les dégâts dans les villages isolés."))
	if fr.Lang != "fr" {
		t.Fatalf("language %q, want fr", fr.Lang)
	}
	m = termMap(fr)
	for _, want := range []string{"140", "25.000"} {
		if tm, ok := m[want]; !ok || !tm.Name {
			t.Errorf("figure %q: %+v, %v; terms %v", want, tm, ok, fr.Terms)
		}
	}
	for _, no := range []string{"12", "2023", "le", "les", "et", "a"} {
		if tm, ok := m[no]; ok {
			t.Errorf("%q kept as a term: %+v", no, tm)
		}
	}

	// Digits of other scripts are the same figures: a year in full-width or
	// Arabic-Indic digits is still a year, a toll still a toll.
	for _, c := range []struct{ title, text string }{
		{"東京で地震", "２０２４年１月１日、東京で地震があり、１４０人が死亡した。政府は避難指示を出し、気象庁は余震に注意するよう呼びかけた。"},
		{"زلزال في طوكيو", "في عام ٢٠٢٤ ضرب زلزال طوكيو وقتل ١٤٠ شخصا وأجلت الحكومة اليابانية السكان من منازلهم القريبة من الساحل."},
	} {
		m := termMap(Compute(art("k", c.title, c.text)))
		if tm, ok := m["140"]; !ok || !tm.Name {
			t.Errorf("%s: figure 140: %+v, %v; terms %v", c.title, tm, ok, m)
		}
		for _, no := range []string{"2024", "２０２４", "٢٠٢٤", "1", "１"} {
			if tm, ok := m[no]; ok {
				t.Errorf("%s: %q kept as a term: %+v", c.title, no, tm)
			}
		}
	}
}

// TestComputeMonthsAreNoNames: an English month name, capitalised
// mid-sentence as a name is, names no entity: it stays a term, of ordinary
// weight, not a name; a two-word name keeps it. On the Unicode path German
// capitalises every noun, the months among them, and nothing changes.
func TestComputeMonthsAreNoNames(t *testing.T) {
	text := "The governor, Jan Brewer, signed the budget in December, as she did last December. " +
		"Officials expect the first payments in Sept. and the audit by Dec. 15, and Brewer will sign again in March."
	m := termMap(Compute(art("k", "Budget signed", text)))
	for _, month := range []string{"december", "sept", "dec", "march"} {
		if tm, ok := m[month]; !ok || tm.Name {
			t.Errorf("month %q: %+v, %v, want a term and no name; terms %v", month, tm, ok, m)
		}
	}
	for _, name := range []string{"jan brewer", "brewer"} {
		if tm, ok := m[name]; !ok || !tm.Name {
			t.Errorf("name %q: %+v, %v, want a name", name, tm, ok)
		}
	}

	de := Compute(art("de", "Gipfel in München", "Die Regierung plant für den Dezember einen Gipfel, "+
		"den die Minister schon im Dezember vorbereiten; über die Ergebnisse berichtet die Presse im Januar."))
	if de.Lang != "de" {
		t.Fatalf("language %q, want de", de.Lang)
	}
	m = termMap(de)
	for _, noun := range []string{"dezember", "gipfel", "minister"} {
		if tm, ok := m[noun]; !ok || !tm.Name {
			t.Errorf("German noun %q: %+v, %v, want a name like every capitalised noun; terms %v", noun, tm, ok, m)
		}
	}
}

func checkTermsSorted(t *testing.T, s *Signature) {
	t.Helper()
	if !sort.SliceIsSorted(s.Terms, func(i, j int) bool { return s.Terms[i].Weight > s.Terms[j].Weight }) {
		t.Errorf("terms not sorted by weight: %v", s.Terms)
	}
	seen := map[string]bool{}
	for _, tm := range s.Terms {
		if seen[tm.Text] {
			t.Errorf("term %q twice", tm.Text)
		}
		seen[tm.Text] = true
		if tm.Weight < 1 || !utf8.ValidString(tm.Text) || tm.Text == "" {
			t.Errorf("bad term %+v", tm)
		}
	}
}

func TestComputeNamePairs(t *testing.T) {
	tests := []struct {
		name, text string
		pair       string
		weight     float32 // 0: the pair must not be a term
	}{
		{"mid-sentence", "Talks with Vladimir Putin began late.", "vladimir putin", 1},
		{"two names", "Leaders of Saudi Arabia and United Arab Emirates met.", "saudi arabia", 1},
		{"lower case is no name", "talks with vladimir putin began late.", "vladimir putin", 0},
		{"across a sentence end", "They met Vladimir. Putin left early.", "vladimir putin", 0},
		{"stop word first", "Talks with The Kremlin began.", "the kremlin", 0},
		{"digits", "Flight MH 17 Crashed.", "mh 17", 0},
		// "Two capitalised words in a row, the first not opening a sentence".
		{"first word opens a sentence", "Vladimir Putin began talks late.", "vladimir putin", 0},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			s := Compute(art("k", "", tt.text))
			got, ok := termMap(s)[tt.pair]
			switch {
			case tt.weight == 0 && ok:
				t.Errorf("%q is a term: %+v", tt.pair, got)
			case tt.weight > 0 && !ok:
				t.Errorf("%q missing; terms %v", tt.pair, s.Terms)
			case tt.weight > 0 && (got.Weight != tt.weight || !got.Name):
				t.Errorf("%q = %+v, want weight %v, a name", tt.pair, got, tt.weight)
			}
		})
	}
}

func TestComputeMaxTermsHeaviestFirst(t *testing.T) {
	v := newVocab(3, 500)
	// Word k occurs k+1 times: 100 distinct content words.
	var ws []string
	for k := 0; k < 100; k++ {
		for r := 0; r <= k; r++ {
			ws = append(ws, v.words[k])
		}
	}
	s := Compute(art("k", "", strings.Join(ws, " ")))
	if len(s.Terms) != MaxTerms {
		t.Fatalf("%d terms, want MaxTerms=%d", len(s.Terms), MaxTerms)
	}
	checkTermsSorted(t, s)
	// The kept terms are the 64 heaviest: words 36..99 with weights 100..37.
	for i, tm := range s.Terms {
		if want := v.words[99-i]; tm.Text != want || tm.Weight != float32(100-i) {
			t.Errorf("term %d = %+v, want %q weight %d", i, tm, want, 100-i)
		}
	}
	// Ties go to the word that occurs first.
	s = Compute(art("k", "", "zulu yankee xray whiskey victor zulu yankee xray whiskey victor"))
	got := []string{}
	for _, tm := range s.Terms {
		got = append(got, tm.Text)
	}
	if want := []string{"zulu", "yankee", "xray", "whiskey", "victor"}; !reflect.DeepEqual(got, want) {
		t.Errorf("tied terms %q, want first occurrence order %q", got, want)
	}
}

// TestComputeMaxTermsHeavyWeights: the heaviest MaxTerms are kept when
// more than MaxTerms terms occur 63 times or more (a long transcript):
// 100 words occurring 60..159 times, the lightest first.
func TestComputeMaxTermsHeavyWeights(t *testing.T) {
	v := newVocab(3, 500)
	var ws []string
	for k := 0; k < 100; k++ {
		for r := 0; r < 60+k; r++ {
			ws = append(ws, v.words[k])
		}
	}
	s := Compute(art("k", "", strings.Join(ws, " ")))
	checkTermsSorted(t, s)
	for i, tm := range s.Terms {
		if want := v.words[99-i]; tm.Text != want || tm.Weight != float32(159-i) {
			t.Errorf("heavy terms: term %d = %+v, want %q weight %d", i, tm, want, 159-i)
			break
		}
	}
}

func TestComputeTitleOnlyTermsRankAfterBodyTerms(t *testing.T) {
	// "alpha" is in the body twice, "beta" only in the title (weight 2):
	// equal weights, body word first.
	s := Compute(art("k", "Beta", "alpha gamma alpha"))
	if len(s.Terms) < 2 || s.Terms[0].Text != "alpha" || s.Terms[1].Text != "beta" || s.Terms[1].Weight != TitleWeight {
		t.Errorf("terms %v, want alpha(2) before beta(2)", s.Terms)
	}
	if s.Terms[1].Name {
		t.Error("a word seen only in the title cannot be called a name")
	}
}

func TestComputeSentences(t *testing.T) {
	v := newVocab(4, 3000)
	sent := func(n int) string { return v.sentence(n) }
	quoted := func(own, q int) string {
		return strings.Join(v.seq(own), " ") + ` "` + strings.Join(v.seq(q), " ") + `."`
	}
	tests := []struct {
		name string
		text string
		want int
	}{
		{"six words kept", sent(6), 1},
		{"five words dropped", sent(5), 0},
		{"mixed", sent(5) + " " + sent(6) + " " + sent(20) + " " + sent(3), 2},
		{"half quoted kept", quoted(8, 8), 1},
		{"quoted majority dropped", quoted(6, 10), 0},
		{"own words too few", quoted(5, 1), 0},
		{"all quoted dropped", `"` + sent(20) + `"`, 0},
		{"paragraphs", sent(10) + "\n\n" + sent(10) + "\n\n" + sent(10), 3},
		{"capped", strings.Repeat(sent(8)+" ", MaxSentences+50), MaxSentences},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			s := Compute(art("k", "", tt.text))
			if len(s.Sentences) != tt.want {
				t.Errorf("%d sentence fingerprints, want %d", len(s.Sentences), tt.want)
			}
			for _, fp := range s.Sentences {
				if SentenceLanesMatching(fp, fp) < 1 {
					t.Errorf("fingerprint %016x has no lane", fp)
				}
			}
		})
	}
	// Order: the fingerprints follow the text.
	a, b := sent(12), sent(12)
	sa, sb := Compute(art("k", "", a)), Compute(art("k", "", b))
	sab := Compute(art("k", "", a+" "+b))
	if len(sab.Sentences) != 2 || sab.Sentences[0] != sa.Sentences[0] || sab.Sentences[1] != sb.Sentences[0] {
		t.Errorf("fingerprints of a+b = %x, want [%x %x]", sab.Sentences, sa.Sentences, sb.Sentences)
	}
	// Quoted words inside a kept sentence do not enter its fingerprint.
	own := v.seq(10)
	withQuote := strings.Join(own[:5], " ") + ` "` + strings.Join(v.seq(3), " ") + `" ` + strings.Join(own[5:], " ") + "."
	plain := strings.Join(own, " ") + "."
	if x, y := Compute(art("k", "", withQuote)), Compute(art("k", "", plain)); len(x.Sentences) != 1 || len(y.Sentences) != 1 || x.Sentences[0] != y.Sentences[0] {
		t.Errorf("quoted words changed the fingerprint: %x vs %x", x.Sentences, y.Sentences)
	}
}

func TestComputeSeeds(t *testing.T) {
	for _, p := range []string{"000", "001", "002", "003", "004"} {
		a := seed(t, p)
		s := Compute(&a)
		t.Logf("%s: words %d shingles %d sentences %d terms %d flags %b", p, s.Words, s.Shingles, len(s.Sentences), len(s.Terms), s.Flags)
		if s.Words < 300 || s.Shingles < 250 || s.Flags != 0 || len(s.Sentences) < 8 || len(s.Terms) != MaxTerms {
			t.Errorf("seed %s: implausible signature Words=%d Shingles=%d Flags=%b sentences=%d terms=%d",
				p, s.Words, s.Shingles, s.Flags, len(s.Sentences), len(s.Terms))
		}
		checkTermsSorted(t, s)
		m := termMap(s)
		if tm, ok := m["putin"]; !ok || !tm.Name {
			t.Errorf("seed %s: putin missing or no name: %+v", p, tm)
		}
		if own := shingleSet(a.Text, true); s.Shingles < len(own) {
			t.Errorf("seed %s: Shingles %d, reference own shingle set %d", p, s.Shingles, len(own))
		}
	}
}

func ExampleCompute() {
	s := Compute(art("k", "Putin meets Raisi", "Russian President Vladimir Putin met Iranian President Ebrahim Raisi in Moscow on Thursday."))
	fmt.Println(s.Words, len(s.MinHash), len(s.Sentences), s.Terms[0].Text)
	// Output: 13 128 1 putin
}

// TestComputeTopTermsAgainstSort: the linear-time selection keeps exactly
// what a stable sort by weight keeps, also when most entries tie at the
// cut and the dropped ones come between the kept ones.
func TestComputeTopTermsAgainstSort(t *testing.T) {
	rng := rand.New(rand.NewPCG(21, 22))
	v := newVocab(5, 400)
	for trial := 0; trial < 300; trial++ {
		var ws []string
		for k := 0; k < 40+rng.IntN(300); k++ {
			ws = append(ws, v.words[rng.IntN(60+rng.IntN(300))])
		}
		c := NewComputer()
		c.body.run(strings.Join(ws, " "))
		c.title.run("")
		c.countTerms(c.termEvents())
		got := slices.Clone(c.topTerms())
		ents := c.terms.used()
		want := make([]int32, len(ents))
		for i := range want {
			want[i] = int32(i)
		}
		slices.SortStableFunc(want, func(a, b int32) int { return int(ents[b].weight() - ents[a].weight()) })
		want = want[:min(len(want), MaxTerms)]
		if !slices.Equal(got, want) {
			t.Fatalf("trial %d: top terms %v, want %v", trial, got, want)
		}
	}
}

// TestTablesGenerationWrap: the term and shingle tables tell an earlier
// article's slots by a generation number; when it wraps, a slot written
// 2^32 articles ago must not pass for the current article's, and the
// generation must skip 0, which fresh slots have.
func TestTablesGenerationWrap(t *testing.T) {
	var ds distinctShingles
	ds.reset(10)
	if isNew, ok := ds.addHome(12345); !ok || isNew != 1 {
		t.Fatalf("first shingle: new %d, ok %v", isNew, ok)
	}
	ds.gen = math.MaxUint32 // the next reset wraps
	ds.reset(10)
	if ds.gen == 0 {
		t.Errorf("generation 0, which fresh slots have")
		ds.reset(10)
	}
	if isNew, ok := ds.addHome(12345); !ok || isNew != 1 {
		t.Errorf("after the wrap, a shingle of the first article counts as seen: new %d, ok %v", isNew, ok)
	}

	var tt termTable
	tt.reset(10)
	tt.add(12345, 0, 0).counts++
	tt.gen = math.MaxUint32
	tt.reset(10)
	if tt.gen == 0 {
		t.Errorf("generation 0, which fresh slots have")
		tt.reset(10)
	}
	if e := tt.add(12345, 0, 0); e.counts != 0 || tt.n != 1 {
		t.Errorf("after the wrap, a term of the first article is found: counts %d, entries %d", e.counts, tt.n)
	}
}
