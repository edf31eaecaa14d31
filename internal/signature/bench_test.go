package signature_test

import (
	"math"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/newsdedup/newsdedup/internal/article"
	"github.com/newsdedup/newsdedup/internal/signature"
	"github.com/newsdedup/newsdedup/internal/synth"
)

// nearest700 returns the article whose length is closest to 700 words.
func nearest700(arts []synth.Article) article.Article {
	best, bestD := 0, math.MaxInt
	for i, a := range arts {
		if d := abs(len(strings.Fields(a.Text)) - 700); d < bestD {
			best, bestD = i, d
		}
	}
	return arts[best].Article
}

func abs(x int) int {
	if x < 0 {
		return -x
	}
	return x
}

// BenchmarkTokenizeAndSign: one 700-word article, one Computer, one core.
func BenchmarkTokenizeAndSign(b *testing.B) {
	a := nearest700(signature.VariedArticles(b))
	c := signature.NewComputer()
	b.SetBytes(int64(len(a.Text)))
	b.ReportAllocs()
	b.ResetTimer()
	for i := 0; i < b.N; i++ {
		c.Compute(&a)
	}
	b.ReportMetric(float64(b.N)/b.Elapsed().Seconds(), "articles/s")
}

// BenchmarkTokenizeAndSignMixed cycles through 64 different articles of
// 600–800 words, so caches and branch predictors see varied text.
func BenchmarkTokenizeAndSignMixed(b *testing.B) {
	arts := signature.VariedArticles(b)
	c := signature.NewComputer()
	var bytes int64
	for _, a := range arts {
		bytes += int64(len(a.Text))
	}
	b.SetBytes(bytes / int64(len(arts)))
	b.ReportAllocs()
	b.ResetTimer()
	for i := 0; i < b.N; i++ {
		c.Compute(&arts[i%len(arts)].Article)
	}
	b.ReportMetric(float64(b.N)/b.Elapsed().Seconds(), "articles/s")
}

// BenchmarkTokenizeAndSignReal signs the real news articles of
// testdata/basil (three outlets' own reports of 100 events) that have 400 to
// 1,200 words, and reports the time per 700 words alongside, so that the
// synthetic articles of the Mixed benchmark can be checked against real text.
func BenchmarkTokenizeAndSignReal(b *testing.B) {
	files, err := filepath.Glob("../../testdata/basil/articles/*.json")
	if err != nil || len(files) == 0 {
		b.Fatalf("no BASIL articles in testdata: %v", err)
	}
	var arts []article.Article
	words := 0
	for _, f := range files {
		data, err := os.ReadFile(f)
		if err != nil {
			b.Fatal(err)
		}
		a, err := article.Parse(f, data, article.Limits{})
		if err != nil {
			b.Fatal(err)
		}
		if n := len(strings.Fields(a.Text)); n >= 400 && n <= 1200 {
			words += n
			arts = append(arts, a)
		}
	}
	c := signature.NewComputer()
	b.ReportAllocs()
	b.ResetTimer()
	for i := 0; i < b.N; i++ {
		c.Compute(&arts[i%len(arts)])
	}
	perWord := float64(b.Elapsed().Nanoseconds()) / float64(b.N) * float64(len(arts)) / float64(words)
	b.ReportMetric(700*perWord, "ns/700words")
	b.ReportMetric(float64(words)/float64(len(arts)), "words/article")
}

// BenchmarkComputePooled is the concurrent entry point (sync.Pool of
// Computers), run on all cores with b.RunParallel.
func BenchmarkComputePooled(b *testing.B) {
	arts := signature.VariedArticles(b)
	b.ReportAllocs()
	b.ResetTimer()
	b.RunParallel(func(pb *testing.PB) {
		i := 0
		for pb.Next() {
			signature.Compute(&arts[i%len(arts)].Article)
			i++
		}
	})
	b.ReportMetric(float64(b.N)/b.Elapsed().Seconds(), "articles/s")
}

func BenchmarkJaccard(b *testing.B) {
	arts := signature.VariedArticles(b)
	x, y := signature.Compute(&arts[0].Article), signature.Compute(&arts[1].Article)
	b.ResetTimer()
	s := 0.0
	for i := 0; i < b.N; i++ {
		s += signature.Jaccard(x, y)
	}
	_ = s
}

func BenchmarkSharedSentences(b *testing.B) {
	arts := signature.VariedArticles(b)
	x, y := signature.Compute(&arts[0].Article), signature.Compute(&arts[1].Article)
	b.ResetTimer()
	s := 0
	for i := 0; i < b.N; i++ {
		s += signature.SharedSentences(x, y)
	}
	_ = s
}
