package signature

import (
	"os"
	"strings"
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

// BenchmarkTokenizeMixed: tokenising alone, cycling through the 64 varied
// articles of 600–800 words that BenchmarkTokenizeAndSignMixed signs.
func BenchmarkTokenizeMixed(b *testing.B) {
	all, err := synth.Generate(synth.Config{Articles: 400, Seed: 1, CopyRate: -1})
	if err != nil {
		b.Fatal(err)
	}
	var texts []string
	for _, a := range all {
		if n := len(strings.Fields(a.Text)); n >= 600 && n <= 800 && len(texts) < 64 {
			texts = append(texts, a.Text)
		}
	}
	var z tokenizer
	b.ReportAllocs()
	b.ResetTimer()
	for i := 0; i < b.N; i++ {
		z.reset()
		z.run(texts[i%len(texts)])
	}
}
