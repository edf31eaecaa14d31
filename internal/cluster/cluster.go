package cluster

import (
	"cmp"
	"slices"
	"sort"
	"sync"

	"github.com/newsdedup/newsdedup/internal/signature"
)

// Result is a partition of the input signatures, by index.
type Result struct {
	Stories    []Story
	CopyGroups [][]int    // each sorted; every group lies inside one story
	CopyPairs  []CopyPair // the verified pairs behind the groups
	Rewrites   []RewritePair
}

// Story is one cluster of articles.
type Story struct {
	Members []int // sorted indices into the input
	Central int   // the member most similar to the others: its title names the story
}

// CopyPair is a verified copy relation with its evidence.
type CopyPair struct {
	A, B            int
	Containment     float64
	SharedSentences int
}

// edge is a scored candidate pair, i < j.
type edge struct {
	i, j int32
	sim  float32
	cos  float32 // text similarity before the time factor
}

// Run clusters the signatures; indices in the result are positions in sigs.
// The result depends only on the set of signatures (by key) and p.
func Run(sigs []*signature.Signature, p Params) Result {
	b := NewBuilder(p)
	for _, s := range sigs {
		b.Add(s)
	}
	return b.Run()
}

// run clusters a corpus whose copy evidence is sigs, index for index. It
// consumes both: what a step alone reads is dropped after it (the vectors
// after the edges, MinHash and sentence fingerprints after the copies), so
// a large corpus's later steps run in less memory and the collector has
// less to scan.
func run(c *corpus, sigs []*signature.Signature, p Params) Result {
	edges := storyEdges(c, p)
	c.vecs = nil
	pairs := copyPairs(sigs, edges, p)
	for _, s := range sigs {
		s.MinHash, s.Sentences = nil, nil
	}
	groups := copyGroups(len(sigs), pairs)
	stories := averageLinkage(len(sigs), groups, edges, c.days, p)
	out := Result{CopyPairs: pairs, Rewrites: rewritePairs(sigs, c.days, edges, groups, stories, p)}
	for _, g := range groups {
		if len(g) > 1 {
			out.CopyGroups = append(out.CopyGroups, g)
		}
	}
	out.Stories = make([]Story, len(stories))
	cent := centrals(len(sigs), stories, edges)
	for k, m := range stories {
		out.Stories[k] = Story{Members: m, Central: cent[k]}
	}
	return out
}

// storyEdges scores candidate pairs by accumulating dot products over
// posting lists (a sparse matrix product), so a pair costs one multiply-add
// per shared term instead of a merge of two vectors. Terms in more than
// MaxPosting articles are not indexed: they cannot tell stories apart and
// would make the work quadratic. Postings are sorted by day, so only
// articles inside each other's MaxDays window (or undated) are visited, and,
// through rare terms (in at most RarePosting articles), up to FarDays apart.
// Pairs whose partial score can reach the floor get an exact cosine.
// Work is split by first article over p.Workers goroutines; the result is
// sorted.
func storyEdges(c *corpus, p Params) []edge {
	n := len(c.vecs)
	// All lists share one allocation, each given its document frequency as
	// capacity: no list grows, and the collector sees one object without
	// pointers instead of a million.
	indexed := func(t int32) bool { return c.df[t] > 1 && c.df[t] <= int32(p.MaxPosting) }
	size := 0
	for t := range c.df {
		if indexed(int32(t)) {
			size += int(c.df[t])
		}
	}
	flat := make([]posting, size)
	postings := make([][]posting, len(c.df))
	for t, off := range c.df {
		if indexed(int32(t)) {
			postings[t], flat = flat[:0:off], flat[off:]
		}
	}
	for i, v := range c.vecs {
		for _, e := range v {
			if indexed(e.term) {
				postings[e.term] = append(postings[e.term], posting{int32(i), c.days[i], e.w})
			}
		}
	}
	const shortPosting = 32
	undated := make([]int32, len(postings)) // length of each list's undated prefix
	days := make([]dayIndex, len(postings)) // for long lists: where each day starts
	for t, ps := range postings {
		// noDate sorts first: undated articles meet every article.
		slices.SortFunc(ps, func(a, b posting) int {
			if a.day != b.day {
				return cmp.Compare(a.day, b.day)
			}
			return cmp.Compare(a.doc, b.doc)
		})
		u := sort.Search(len(ps), func(k int) bool { return ps[k].day != noDate })
		undated[t] = int32(u)
		if len(ps) > shortPosting {
			dated := ps[u:]
			days[t] = newDayIndex(len(dated), func(k int) int32 { return dated[k].day })
		}
	}
	// A pair is scored exactly when its partial dot product over indexed
	// terms reaches the lower of the two thresholds (the time factor is at
	// most 1, and unindexed common terms add little).
	floor := float32(min(p.EdgeFloor, p.CopyCandidateCosine))
	maxDays := int32(p.MaxDays)
	farDays := int32(max(p.FarDays, p.MaxDays))
	parts := make([][]edge, p.Workers)
	var wg sync.WaitGroup
	for w := 0; w < p.Workers; w++ {
		wg.Add(1)
		go func(w int) {
			defer wg.Done()
			acc := make([]float32, n)
			var touched []int32
			var out []edge
			for i := w; i < n; i += p.Workers {
				day := c.days[i]
				for _, e := range c.vecs[i] {
					ps := postings[e.term]
					if len(ps) == 0 {
						continue
					}
					// Each pair is scored once, by its owner: the earlier
					// article, the lower index on the same day, or the
					// undated one (of two undated, the lower index). So an
					// article looks forward in time only.
					visit := func(q posting) {
						if acc[q.doc] == 0 {
							touched = append(touched, q.doc)
						}
						acc[q.doc] += e.w * q.w
					}
					if day == noDate {
						for _, q := range ps {
							if q.day != noDate || int(q.doc) > i {
								visit(q)
							}
						}
						continue
					}
					if len(ps) <= p.RarePosting {
						// A rare term: its articles may be the same story
						// up to FarDays apart.
						for _, q := range ps {
							if q.day >= day && q.day <= day+farDays && (q.day > day || int(q.doc) > i) {
								visit(q)
							}
						}
						continue
					}
					if len(ps) <= shortPosting {
						// Short lists: a day check per posting beats binary searches.
						for _, q := range ps {
							if q.day >= day && q.day <= day+maxDays && (q.day > day || int(q.doc) > i) {
								visit(q)
							}
						}
						continue
					}
					// The dated part, window [day, day+MaxDays].
					u := int(undated[e.term])
					dated := ps[u:]
					di := &days[e.term]
					lo := u + di.first(day, len(dated), func(k int) bool { return dated[k].day >= day })
					hi := u + di.first(day+maxDays+1, len(dated), func(k int) bool { return dated[k].day > day+maxDays })
					for _, q := range ps[lo:hi] {
						if q.day > day || int(q.doc) > i {
							visit(q)
						}
					}
				}
				for _, j := range touched {
					partial := acc[j]
					acc[j] = 0
					if partial < floor {
						continue
					}
					tf := timeFactor(day, c.days[j], p)
					if tf == 0 {
						continue
					}
					cos := cosine(c.vecs[i], c.vecs[j])
					if sim := cos * tf; sim >= p.EdgeFloor || cos >= p.CopyCandidateCosine {
						a, b := int32(i), j
						if a > b {
							a, b = b, a
						}
						out = append(out, edge{i: a, j: b, sim: float32(sim), cos: float32(cos)})
					}
				}
				touched = touched[:0]
			}
			parts[w] = out
		}(w)
	}
	wg.Wait()
	total := 0
	for _, part := range parts {
		total += len(part)
	}
	all := make([]edge, 0, total) // at its size: growing it would copy millions of edges several times
	for w := range parts {
		all = append(all, parts[w]...)
		parts[w] = nil
	}
	slices.SortFunc(all, func(x, y edge) int {
		if x.i != y.i {
			return cmp.Compare(x.i, y.i)
		}
		return cmp.Compare(x.j, y.j)
	})
	return all
}

// posting is one article holding a term, with the term's weight there.
type posting struct {
	doc int32
	day int32
	w   float32
}

// dayIndex finds, in a day-sorted posting list, where a day starts in O(1):
// start[d-from] is the first position dated d or later. Lists spread thinly
// over a long span keep no table and are searched.
type dayIndex struct {
	from  int32
	start []int32
}

func newDayIndex(n int, day func(int) int32) dayIndex {
	if n == 0 {
		return dayIndex{}
	}
	from, to := day(0), day(n-1)
	if span := int(to-from) + 1; span > 4*n {
		return dayIndex{}
	}
	di := dayIndex{from: from, start: make([]int32, to-from+2)}
	k := 0
	for d := from; d <= to+1; d++ {
		for k < n && day(k) < d {
			k++
		}
		di.start[d-from] = int32(k)
	}
	return di
}

// first returns the first of the n positions dated d or later; dated is
// the same question for a binary search, used by lists without a table.
func (di *dayIndex) first(d int32, n int, dated func(int) bool) int {
	if di.start == nil {
		return sort.Search(n, dated)
	}
	switch {
	case d <= di.from:
		return 0
	case int(d-di.from) >= len(di.start):
		return int(di.start[len(di.start)-1])
	}
	return int(di.start[d-di.from])
}

// centrals returns, per story, the member with the largest total
// similarity to the other members (the smallest index on ties), in one pass
// over the edges.
func centrals(n int, stories [][]int, edges []edge) []int {
	storyOf := make([]int32, n)
	for k, m := range stories {
		for _, i := range m {
			storyOf[i] = int32(k)
		}
	}
	sum := make([]float64, n)
	for _, e := range edges {
		if storyOf[e.i] == storyOf[e.j] {
			sum[e.i] += float64(e.sim)
			sum[e.j] += float64(e.sim)
		}
	}
	out := make([]int, len(stories))
	for k, m := range stories {
		best := m[0]
		for _, i := range m[1:] {
			if sum[i] > sum[best] {
				best = i
			}
		}
		out[k] = best
	}
	return out
}
