package signature

import (
	"testing"

	"github.com/newsdedup/newsdedup/internal/article"
)

// BenchmarkComputeStages times growing prefixes of Compute on the varied
// articles of BenchmarkTokenizeAndSignMixed, so that the difference between
// two neighbours is the cost of one stage. Compare minima over many short
// runs: on a shared machine, interference only ever adds time.
func BenchmarkComputeStages(b *testing.B) {
	var arts []article.Article
	for _, a := range VariedArticles(b) {
		arts = append(arts, a.Article)
	}
	var events []uint32
	var top []int32
	stages := []struct {
		name string
		run  func(c *Computer, s *Signature)
	}{
		{"1-tokenize", func(c *Computer, s *Signature) {}},
		{"2-minhash", func(c *Computer, s *Signature) { c.minhash(s) }},
		{"3-sentences", func(c *Computer, s *Signature) { c.sentenceFingerprints(s) }},
		{"4-term-events", func(c *Computer, s *Signature) { events = c.termEvents() }},
		{"5-term-table", func(c *Computer, s *Signature) { c.countTerms(events) }},
		{"6-top-terms", func(c *Computer, s *Signature) { top = c.topTerms() }},
		{"7-term-text", func(c *Computer, s *Signature) { s.Terms = c.termList(top) }},
	}
	for k, stage := range stages {
		b.Run(stage.name, func(b *testing.B) {
			c := NewComputer()
			var s Signature
			for i := 0; i < b.N; i++ {
				a := &arts[i%len(arts)]
				c.tokenize(a.Title, a.Text)
				for _, st := range stages[:k+1] {
					st.run(c, &s)
				}
			}
		})
	}
}
