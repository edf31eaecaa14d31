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
	stages := []func(c *Computer, a *article.Article, s *Signature){
		func(c *Computer, a *article.Article, s *Signature) {},
		func(c *Computer, a *article.Article, s *Signature) { c.minhash(s) },
		func(c *Computer, a *article.Article, s *Signature) { c.sentenceFingerprints(s) },
		func(c *Computer, a *article.Article, s *Signature) { events = c.termEvents() },
		func(c *Computer, a *article.Article, s *Signature) { c.countTerms(events) },
		func(c *Computer, a *article.Article, s *Signature) { top = c.topTerms() },
		func(c *Computer, a *article.Article, s *Signature) { s.Terms = c.termList(top) },
	}
	names := []string{"1-tokenize", "2-minhash", "3-sentences", "4-term-events", "5-term-table", "6-top-terms", "7-term-text"}
	for k, name := range names {
		b.Run(name, func(b *testing.B) {
			c := NewComputer()
			var s Signature
			for i := 0; i < b.N; i++ {
				a := &arts[i%len(arts)]
				c.body.reset()
				c.body.run(a.Text)
				c.title.reset()
				c.title.run(a.Title)
				for _, st := range stages[:k+1] {
					st(c, a, &s)
				}
			}
		})
	}
}
