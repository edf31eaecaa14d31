package cluster

import (
	"sort"
	"sync"

	"github.com/newsdedup/newsdedup/internal/signature"
)

// Result is a partition of the input signatures, by index.
type Result struct {
	Stories    []Story
	CopyGroups [][]int    // each sorted; every group lies inside one story
	CopyPairs  []CopyPair // the verified pairs behind the groups
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

// Run clusters the signatures. The result depends only on the input and p.
func Run(sigs []*signature.Signature, p Params) Result {
	if p.Workers <= 0 {
		p.Workers = 1
	}
	c := buildCorpus(sigs, p)
	edges := storyEdges(c, p)
	pairs := copyPairs(sigs, edges, p)
	groups := copyGroups(len(sigs), pairs)
	stories := averageLinkage(len(sigs), groups, edges, p)
	out := Result{CopyPairs: pairs}
	for _, g := range groups {
		if len(g) > 1 {
			out.CopyGroups = append(out.CopyGroups, g)
		}
	}
	out.Stories = make([]Story, len(stories))
	for k, m := range stories {
		out.Stories[k] = Story{Members: m, Central: central(m, edges)}
	}
	return out
}

// storyEdges scores every candidate pair: two articles are candidates when
// one's key term appears in the other and is not too common. Work is split
// by first article over p.Workers goroutines; the result is sorted.
func storyEdges(c *corpus, p Params) []edge {
	n := len(c.vecs)
	postings := make([][]int32, len(c.df))
	for i, v := range c.vecs {
		for _, e := range v {
			if c.df[e.term] <= int32(p.MaxPosting) {
				postings[e.term] = append(postings[e.term], int32(i))
			}
		}
	}
	parts := make([][]edge, p.Workers)
	var wg sync.WaitGroup
	for w := 0; w < p.Workers; w++ {
		wg.Add(1)
		go func(w int) {
			defer wg.Done()
			seen := make([]int32, n)
			for k := range seen {
				seen[k] = -1
			}
			var out []edge
			for i := w; i < n; i += p.Workers {
				for _, t := range c.keys[i] {
					for _, j := range postings[t] {
						if int(j) == i || seen[j] == int32(i) {
							continue
						}
						seen[j] = int32(i)
						tf := timeFactor(c.days[i], c.days[j], p)
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
				}
			}
			parts[w] = out
		}(w)
	}
	wg.Wait()
	var all []edge
	for _, part := range parts {
		all = append(all, part...)
	}
	sort.Slice(all, func(x, y int) bool {
		if all[x].i != all[y].i {
			return all[x].i < all[y].i
		}
		return all[x].j < all[y].j
	})
	// Both ends may have found the pair: keep one.
	uniq := all[:0]
	for k, e := range all {
		if k > 0 && e.i == all[k-1].i && e.j == all[k-1].j {
			continue
		}
		uniq = append(uniq, e)
	}
	return uniq
}

// central returns the member with the largest total similarity to the
// others (the smallest index on ties).
func central(members []int, edges []edge) int {
	if len(members) == 1 {
		return members[0]
	}
	in := make(map[int32]float64, len(members))
	for _, m := range members {
		in[int32(m)] = 0
	}
	// edges are sorted by i: find each member's range by binary search.
	for _, m := range members {
		k := sort.Search(len(edges), func(x int) bool { return edges[x].i >= int32(m) })
		for ; k < len(edges) && edges[k].i == int32(m); k++ {
			if _, ok := in[edges[k].j]; ok {
				in[int32(m)] += float64(edges[k].sim)
				in[edges[k].j] += float64(edges[k].sim)
			}
		}
	}
	best := members[0]
	for _, m := range members[1:] {
		if in[int32(m)] > in[int32(best)] {
			best = m
		}
	}
	return best
}
