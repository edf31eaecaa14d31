package signature_test

import (
	"crypto/sha256"
	"encoding/hex"
	"flag"
	"io/fs"
	"math/rand/v2"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/newsdedup/newsdedup/internal/article"
	"github.com/newsdedup/newsdedup/internal/signature"
	"github.com/newsdedup/newsdedup/internal/synth"
)

var printGolden = flag.Bool("golden", false, "print the signature digest instead of checking it")

// goldenDigest pins every bit of every signature of the corpus below. Stored
// signatures are compared with new ones, so a change here is a change of
// format: bump signature.Version, and only then update the digest (run the
// test with -golden to print it). Speed work must leave it alone. Which
// terms are counted may change without a new version (the terms are content
// the format carries, not its layout): issue 13 made specific figures terms
// (terms.go, specificNumber), which changed only the terms, and updated the
// digests below (was 24982b58…, English d23077d3…); with every signature's
// terms cleared, the digests before and after that change are equal
// (f64411b2… and, English, 8f0fd2fb…). Then English month names alone
// stopped counting as names (terms.go, dateWords), which changed only the
// terms' name flags: with every flag cleared, the digests before and after
// are equal (16d038e6… and, English, 7c577de6…); the digests were
// 83f2003d… and, English, 328c3f65….
const goldenDigest = "630dfe877e9c0a5327a055464d612deda52de7b9c285620563f8c8497c9a02e0"

// goldenEnglishV1 is the digest, in the version-1 layout, of the English
// articles of the same corpus (the test data and the synthetic corpus) and
// of the random texts without a byte outside ASCII, all signed on the
// English path, leaving out those with a stray quotation mark (see
// hasStrayQuote): the value version 1's signature code (be9d0a4) computes
// for these 622 articles as today's parser reads them. Languages must
// leave English signatures exactly as they were; only a quotation left
// open at a paragraph end and not continued, which version 1 ran to the
// paragraph's end, now ends at its stray mark, figures are terms, and
// month names alone are not names (see goldenDigest). (Version 1 pinned the whole
// corpus, as its parser read it, as 2851198feda60dba8012333f361b4fea9c52b31489a9ad34da25f545c6eff989.)
const goldenEnglishV1 = "1a3a7a51c90d9be337cfdefa2f53614b046ad806b52a9896a1a4e20ef4f37e15"

// TestSignaturesGolden signs the test data (seeds, BASIL sample, hostile and
// parser cases; the multilingual corpus has tests of its own), a synthetic
// corpus with copies, and random texts made of the pieces tokenising is
// hardest on, and compares a digest of them all, and one of the English
// ones in the version-1 layout.
func TestSignaturesGolden(t *testing.T) {
	var arts []article.Article
	err := filepath.WalkDir("../../testdata", func(path string, d fs.DirEntry, err error) error {
		if err != nil {
			return err
		}
		if d.IsDir() {
			if d.Name() == "multilingual" {
				return filepath.SkipDir
			}
			return nil
		}
		data, err := os.ReadFile(path)
		if err != nil {
			return err
		}
		if a, err := article.Parse(path, data, article.Limits{}); err == nil {
			arts = append(arts, a)
		}
		return nil
	})
	if err != nil {
		t.Fatal(err)
	}
	if len(arts) < 300 {
		t.Fatalf("only %d test data articles", len(arts))
	}
	corpus, err := synth.Generate(synth.Config{Articles: 300, Seed: 7})
	if err != nil {
		t.Fatal(err)
	}
	for _, a := range corpus {
		arts = append(arts, a.Article)
	}
	arts = append(arts, randomArticles(3000)...)

	sum, english := sha256.New(), sha256.New()
	c := signature.NewComputer()
	nEnglish := 0
	for i := range arts {
		s := c.Compute(&arts[i])
		b, err := s.MarshalBinary()
		if err != nil {
			t.Fatal(err)
		}
		sum.Write(b)
		englishPath := arts[i].Key != "r" || isASCII(arts[i].Title+arts[i].Text)
		if englishPath && !hasStrayQuote(arts[i].Text) && !hasStrayQuote(arts[i].Title) {
			english.Write(versionOne(s))
			nEnglish++
		}
	}
	got, gotEnglish := hex.EncodeToString(sum.Sum(nil)), hex.EncodeToString(english.Sum(nil))
	if *printGolden {
		t.Logf("digest of %d signatures: %s; of the %d English ones in version 1: %s", len(arts), got, nEnglish, gotEnglish)
		return
	}
	if gotEnglish != goldenEnglishV1 {
		t.Errorf("signatures of %d English articles changed: digest %s, want %s", nEnglish, gotEnglish, goldenEnglishV1)
	}
	if got != goldenDigest {
		t.Errorf("signatures of %d articles changed: digest %s, want %s", len(arts), got, goldenDigest)
	}
}

// versionOne is the encoding of s in the version-1 layout: without the
// language and the content units that version 2 appends.
func versionOne(s *signature.Signature) []byte {
	v1 := *s
	v1.Lang, v1.Content = "", nil
	b, err := v1.MarshalBinary()
	if err != nil {
		panic(err)
	}
	b = b[:len(b)-2] // an empty language and no content sentences: two zero bytes
	b[2] = 1
	return b
}

func isASCII(s string) bool {
	for i := 0; i < len(s); i++ {
		if s[i] >= 0x80 {
			return false
		}
	}
	return true
}

// randomArticles strings together words, punctuation, quotes, apostrophes,
// digits and non-ASCII letters at random.
func randomArticles(n int) []article.Article {
	pieces := strings.Fields(`a I the The U.S. Obama's don't missiles parties Hamas boss gas 2023 9/11 A1 x9
		café naïve Müller 日本 e-mail rock'n'roll "quoted words" end. Why? ok! -- (paren) ies sies abcdefg
		abcdefgh abcdefghi ZZZZZZZ x's it's activities categories presidents Internationals abcdefghijklmno
		abcdefghijklmnop abcdefghijklmnopq addresses bodies 12345678 123456789s Mr. Dr. Gen. St. J. No. 3.5
		" ' ). .) ?" !" , ; : … € Vladimir Putin Saudi Arabia New York Ελλάδα Москва ÉCOLE ǅ ﬁ`)
	seps := []string{" ", " ", " ", " ", "\n", "\n\n", "  ", "\t", ", ", ". ", "\u00a0", ""}
	rng := rand.New(rand.NewPCG(3, 5))
	out := make([]article.Article, n)
	for i := range out {
		var b strings.Builder
		for w := rng.IntN(400); w >= 0; w-- {
			b.WriteString(pieces[rng.IntN(len(pieces))])
			b.WriteString(seps[rng.IntN(len(seps))])
		}
		title := pieces[rng.IntN(len(pieces))] + " " + pieces[rng.IntN(len(pieces))] + " " + pieces[rng.IntN(len(pieces))]
		out[i] = article.Article{Key: "r", Title: title, Text: b.String()}
	}
	return out
}

// hasStrayQuote tells whether a line of text ends with a quotation open
// (an odd number of '"') that the next non-empty line does not continue by
// opening with one: the text version 2 reads differently from version 1.
func hasStrayQuote(text string) bool {
	lines := strings.Split(text, "\n")
	for i, l := range lines {
		if strings.Count(l, `"`)%2 == 0 {
			continue
		}
		next := ""
		for _, n := range lines[i+1:] {
			if n = strings.TrimLeft(n, " "); n != "" {
				next = n
				break
			}
		}
		if !strings.HasPrefix(next, `"`) {
			return true
		}
	}
	return false
}
