package cluster_test

import (
	"fmt"
	"runtime"
	"strconv"
	"sync"
	"testing"

	"github.com/newsdedup/newsdedup/internal/article"
	"github.com/newsdedup/newsdedup/internal/cluster"
	"github.com/newsdedup/newsdedup/internal/eval"
	"github.com/newsdedup/newsdedup/internal/signature"
	"github.com/newsdedup/newsdedup/internal/synth"
)

type corpus struct {
	sigs  []*signature.Signature
	truth *synth.Truth
}

var (
	corpusMu sync.Mutex
	corpora  = map[int]*corpus{}
)

// benchCorpus generates n synthetic articles (seed 1, 30 days, mean story
// size 5, 15% copies) and signs them on all cores, once per test binary.
// Only signatures and labels are kept.
func benchCorpus(b *testing.B, n int) *corpus {
	b.Helper()
	corpusMu.Lock()
	defer corpusMu.Unlock()
	if c, ok := corpora[n]; ok {
		return c
	}
	c := &corpus{sigs: make([]*signature.Signature, n), truth: synth.NewTruth()}
	type job struct {
		i int
		a article.Article
	}
	jobs := make(chan job, 256)
	var wg sync.WaitGroup
	for w := 0; w < runtime.GOMAXPROCS(0); w++ {
		wg.Add(1)
		go func() {
			defer wg.Done()
			comp := signature.NewComputer()
			for j := range jobs {
				c.sigs[j.i] = comp.Compute(&j.a)
			}
		}()
	}
	i := 0
	err := synth.Each(synth.Config{Articles: n, Seed: 1}, func(a article.Article, story, copyOf string) error {
		c.truth.Add(a.Key, story, copyOf)
		jobs <- job{i, a}
		i++
		return nil
	})
	close(jobs)
	wg.Wait()
	if err != nil {
		b.Fatal(err)
	}
	corpora[n] = c
	return c
}

func runCluster(b *testing.B, n int) {
	c := benchCorpus(b, n)
	p := cluster.DefaultParams()
	b.ReportAllocs()
	b.ResetTimer()
	var res cluster.Result
	for i := 0; i < b.N; i++ {
		res = cluster.Run(c.sigs, p)
	}
	b.StopTimer()
	b.ReportMetric(b.Elapsed().Seconds()/float64(b.N), "s/run")
	reportQuality(b, c, res)
}

// reportQuality scores stories and copy groups against the planted truth.
func reportQuality(b *testing.B, c *corpus, res cluster.Result) {
	story := eval.Partition{}
	for k, s := range res.Stories {
		for _, m := range s.Members {
			story[c.sigs[m].Key] = strconv.Itoa(k)
		}
	}
	copies := eval.Partition{}
	for k, g := range res.CopyGroups {
		for _, m := range g {
			copies[c.sigs[m].Key] = strconv.Itoa(k)
		}
	}
	ss, err := eval.Score(story, c.truth.Story)
	if err != nil {
		b.Fatal(err)
	}
	cs, err := eval.Score(copies, c.truth.CopyGroups())
	if err != nil {
		b.Fatal(err)
	}
	b.ReportMetric(ss.ARI, "story-ARI")
	b.ReportMetric(ss.F1, "story-F1")
	b.ReportMetric(cs.Precision, "copy-P")
	b.ReportMetric(cs.Recall, "copy-R")
	b.ReportMetric(float64(len(res.Stories)), "stories")
}

// BenchmarkClusterN clusters 1,000 and 10,000 synthetic articles.
func BenchmarkClusterN(b *testing.B) {
	for _, n := range []int{1000, 10000} {
		b.Run(fmt.Sprintf("n=%d", n), func(b *testing.B) { runCluster(b, n) })
	}
}

// BenchmarkCluster100k clusters 100,000 synthetic articles; generating and
// signing them takes about a minute before the timer starts. Run with
// -benchtime=1x.
func BenchmarkCluster100k(b *testing.B) { runCluster(b, 100000) }
