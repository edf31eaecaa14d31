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
// test with -golden to print it). Speed work must leave it alone.
const goldenDigest = "50c970f9c987d22e6b8d70f0a920210e318fa6e8cebfb2ed3faf944816ee023d"

// TestSignaturesGolden signs the test data (seeds, BASIL sample, hostile and
// parser cases), a synthetic corpus with copies, and random texts made of
// the pieces tokenising is hardest on, and compares a digest of them all.
func TestSignaturesGolden(t *testing.T) {
	var arts []article.Article
	err := filepath.WalkDir("../../testdata", func(path string, d fs.DirEntry, err error) error {
		if err != nil || d.IsDir() {
			return err
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

	sum := sha256.New()
	c := signature.NewComputer()
	for i := range arts {
		b, err := c.Compute(&arts[i]).MarshalBinary()
		if err != nil {
			t.Fatal(err)
		}
		sum.Write(b)
	}
	got := hex.EncodeToString(sum.Sum(nil))
	if *printGolden {
		t.Logf("digest of %d signatures: %s", len(arts), got)
		return
	}
	if got != goldenDigest {
		t.Fatalf("signatures of %d articles changed: digest %s, want %s", len(arts), got, goldenDigest)
	}
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
