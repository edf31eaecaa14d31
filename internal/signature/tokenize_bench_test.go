package signature

import (
	"os"
	"strings"
	"sync"
	"testing"

	"github.com/newsdedup/newsdedup/internal/article"
	"github.com/newsdedup/newsdedup/internal/synth"
)

// BenchmarkTokenize: tokenising alone (words, sentences, quotes), a seed
// article repeated to about 700 words, one core.
func BenchmarkTokenize(b *testing.B) {
	data, err := os.ReadFile("../../testdata/seeds/001_185a73e93ce09b0f.txt")
	if err != nil {
		b.Fatal(err)
	}
	a, err := article.Parse("k", data, article.Limits{})
	if err != nil {
		b.Fatal(err)
	}
	words := strings.Fields(a.Text)
	for len(words) < 700 {
		words = append(words, words...)
	}
	text := strings.Join(words[:700], " ")
	var z tokenizer
	b.SetBytes(int64(len(text)))
	b.ReportAllocs()
	b.ResetTimer()
	for i := 0; i < b.N; i++ {
		z.reset()
		z.run(text)
	}
}

var (
	variedOnce sync.Once
	varied     []synth.Article
	variedErr  error
)

// VariedArticles are the 64 synthetic originals of 600–800 words (703 on
// average; see internal/synth) that the Mixed benchmarks cycle through, so
// that caches and branch predictors see varied text. Made once per test
// binary; exported for the package's external tests.
func VariedArticles(tb testing.TB) []synth.Article {
	tb.Helper()
	variedOnce.Do(func() {
		var all []synth.Article
		all, variedErr = synth.Generate(synth.Config{Articles: 400, Seed: 1, CopyRate: -1})
		for _, a := range all {
			if n := len(strings.Fields(a.Text)); n >= 600 && n <= 800 && len(varied) < 64 {
				varied = append(varied, a)
			}
		}
	})
	if variedErr != nil {
		tb.Fatal(variedErr)
	}
	return varied
}

// BenchmarkTokenizeMixed: tokenising alone, cycling through the articles
// that BenchmarkTokenizeAndSignMixed signs.
func BenchmarkTokenizeMixed(b *testing.B) {
	arts := VariedArticles(b)
	var z tokenizer
	b.ReportAllocs()
	b.ResetTimer()
	for i := 0; i < b.N; i++ {
		z.reset()
		z.run(arts[i%len(arts)].Text)
	}
}
