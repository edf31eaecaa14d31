package cluster

import (
	"testing"

	"github.com/newsdedup/newsdedup/internal/article"
	"github.com/newsdedup/newsdedup/internal/signature"
	gen "github.com/newsdedup/newsdedup/internal/synth"
)

// BenchmarkLSHCandidates: MinHash banding (32 × 4) over 20,000 synthetic
// articles with planted copies.
func BenchmarkLSHCandidates(b *testing.B) {
	var sigs []*signature.Signature
	c := signature.NewComputer()
	err := gen.Each(gen.Config{Articles: 20000, Seed: 1}, func(a article.Article, _, _ string) error {
		sigs = append(sigs, c.Compute(&a))
		return nil
	})
	if err != nil {
		b.Fatal(err)
	}
	p := DefaultParams()
	b.ReportAllocs()
	b.ResetTimer()
	pairs := 0
	for i := 0; i < b.N; i++ {
		pairs = len(lshCandidates(sigs, p))
	}
	b.ReportMetric(float64(pairs), "pairs")
	b.ReportMetric(float64(len(sigs))*float64(b.N)/b.Elapsed().Seconds(), "articles/s")
}
