package cluster

import (
	"math"
	"math/bits"
	"sync"

	"github.com/newsdedup/newsdedup/internal/signature"
)

// Rewrites: an article made by rewording another one sentence by sentence
// (GUIDE §8). A paraphrase keeps content, not wording: names, numbers and
// rare words survive, and so does the order of the sentences. Independent
// reports of one event share facts too, but spread over their sentences and
// in their own order. So the evidence is many sentences, each matching one
// sentence of the other article better than any other, in sequence.

// RewritePair is a verified rewrite: Rewrite retells Original.
type RewritePair struct {
	Original, Rewrite int
	// Dated: Original is the earlier by date. When false the dates are
	// equal or missing, and Original is the longer article (ties: the
	// smaller key).
	Dated bool
	// Aligned is how many of the rewrite's sentences align with one of the
	// original's, in order; Coverage is their share of the rewrite's
	// sentences (those with content units, signature.Content).
	Aligned  int
	Coverage float64
	// Sentences are the aligned pairs as (original, rewrite) positions
	// among each article's content sentences, in order.
	Sentences [][2]int
}

// rewritePairs verifies the candidates that copy detection verifies too,
// story edges of high text similarity (a rewrite keeps the content, so its
// term vector stays close to its original's), between articles of one story
// that are not copies of each other: copy evidence wins. A text that exists
// in several copies is retold once, so only the best aligned pair between
// two copy groups is kept. groups and stories are every article's copy
// group and story, singletons included. Candidates are split over the
// workers; the result does not depend on their number.
func rewritePairs(sigs []*signature.Signature, days []int32, edges []edge, groups, stories [][]int, p Params) []RewritePair {
	groupOf := membership(len(sigs), groups)
	storyOf := membership(len(sigs), stories)
	var cands []edge
	for _, e := range edges {
		i, j := int(e.i), int(e.j)
		// A translation is another relation than a rewrite (as it is no copy).
		if float64(e.cos) >= p.CopyCandidateCosine && storyOf[i] == storyOf[j] && groupOf[i] != groupOf[j] &&
			!differentLanguages(sigs[i], sigs[j]) {
			cands = append(cands, e)
		}
	}
	found := make([]*RewritePair, len(cands))
	workers := max(p.Workers, 1)
	var wg sync.WaitGroup
	for w := 0; w < workers; w++ {
		wg.Add(1)
		go func(w int) {
			defer wg.Done()
			al := newAligner()
			for k := w; k < len(cands); k += workers {
				if next := k + workers; next < len(cands) {
					al.touch(sigs[cands[next].j].Content)
				}
				if rp, ok := al.verify(sigs, days, int(cands[k].i), int(cands[k].j), p); ok {
					found[k] = &rp
				}
			}
		}(w)
	}
	wg.Wait()
	best := map[[2]int]RewritePair{} // by the two copy groups
	var order [][2]int
	for _, rp := range found {
		if rp == nil {
			continue
		}
		a, b := groupOf[rp.Original], groupOf[rp.Rewrite]
		g := [2]int{min(a, b), max(a, b)}
		old, seen := best[g]
		if !seen {
			order = append(order, g)
		}
		if !seen || rp.Aligned > old.Aligned || (rp.Aligned == old.Aligned && rp.Coverage > old.Coverage) {
			best[g] = *rp
		}
	}
	out := make([]RewritePair, 0, len(order))
	for _, g := range order {
		out = append(out, best[g])
	}
	return out
}

// membership returns, per article, the index of the set holding it.
func membership(n int, sets [][]int) []int {
	of := make([]int, n)
	for k, s := range sets {
		for _, i := range s {
			of[i] = k
		}
	}
	return of
}

// The sentences of an article fit the bit masks of aligner.sentsOf.
const _ = uint(64 - signature.MaxContentSentences)

// aligner holds one worker's scratch space for aligning sentences. Most
// candidate pairs (same story, similar terms) share many units, so the
// shared units of every sentence pair are counted through a table from
// unit to the sentences of one article holding it, not by merging every
// pair of sentences. Candidates come sorted by their first article, so the
// table of that article serves all its pairs in a row: it is split and
// indexed once, not once per pair.
type aligner struct {
	sentsOf [1 << 16]uint64 // unit → bit x set if sentence x of a has it
	cur     int             // the article a holds (verify), or -1
	a, b    [][]uint16      // a is indexed in sentsOf
	shared  []uint8         // len(a) × len(b)
	sim     []float32
	bestA   []float32
	bestB   []float32
	f       []int16
	sink    uint16 // keeps touch's loads
}

// touch reads one value per cache line of the next candidate's content:
// independent loads, whose misses overlap each other and the current
// candidate's work. Verification is bound by memory latency (a million
// articles' content is scattered over the heap), and parsing the content
// walks it one dependent load after another.
func (al *aligner) touch(c []uint16) {
	var x uint16
	for k := 0; k < len(c); k += 32 {
		x ^= c[k]
	}
	al.sink ^= x
}

func newAligner() *aligner { return &aligner{cur: -1} }

// load makes a the sentences sentsOf indexes; it must be empty (unload).
func (al *aligner) load(a [][]uint16) {
	al.a = a
	for x, s := range a[:min(len(a), signature.MaxContentSentences)] {
		for _, u := range s {
			al.sentsOf[u] |= 1 << x
		}
	}
}

// unload empties sentsOf; al.a may then be reused.
func (al *aligner) unload() {
	for _, s := range al.a[:min(len(al.a), signature.MaxContentSentences)] {
		for _, u := range s {
			al.sentsOf[u] = 0
		}
	}
	al.a, al.cur = al.a[:0], -1
}

// verify aligns the sentences of articles i and j and accepts the pair
// when at least RewriteMinSentences, and RewriteCoverage of the shorter
// article's sentences, align in order. It decides the direction: the
// earlier article is the original; undated or same day, the longer.
func (al *aligner) verify(sigs []*signature.Signature, days []int32, i, j int, p Params) (RewritePair, bool) {
	if al.cur != i {
		al.unload()
		al.load(sigs[i].AppendContentSentences(al.a))
		al.cur = i
	}
	a := al.a
	if len(a) < p.RewriteMinSentences {
		return RewritePair{}, false
	}
	b := sigs[j].AppendContentSentences(al.b[:0])
	al.b = b
	short := min(len(a), len(b))
	if short < p.RewriteMinSentences {
		return RewritePair{}, false
	}
	need := max(p.RewriteMinSentences, int(math.Ceil(p.RewriteCoverage*float64(short))))
	pairs := al.alignLoaded(b, need, p)
	if len(pairs) < need {
		return RewritePair{}, false
	}
	rp := RewritePair{Original: i, Rewrite: j, Aligned: len(pairs), Sentences: pairs}
	rwSents := len(b)
	switch di, dj := days[i], days[j]; {
	case di != noDate && dj != noDate && di != dj:
		rp.Dated = true
		if dj < di {
			rp.Original, rp.Rewrite = j, i
		}
	case sigs[j].Words > sigs[i].Words: // i < j: the smaller key wins ties
		rp.Original, rp.Rewrite = j, i
	}
	if rp.Original != i {
		rwSents = len(a)
		for k := range pairs {
			pairs[k] = [2]int{pairs[k][1], pairs[k][0]}
		}
	}
	rp.Coverage = float64(len(pairs)) / float64(rwSents)
	return rp, true
}

// alignSentences is aligner.alignLoaded with scratch space of its own.
func alignSentences(a, b [][]uint16, p Params) [][2]int {
	al := newAligner()
	al.load(a)
	return al.alignLoaded(b, 0, p)
}

// alignLoaded returns the longest in-order alignment of the loaded
// sentences a with b's, as (a, b) positions, over anchors: pairs of sentences that share at least
// RewriteMinUnits content units, RewriteUnitShare of the smaller sentence's
// (a sentence merged with another keeps most of its units), and match each
// other better (by Jaccard of their units) than any other sentence of the
// other article. Between independent reports the event's names make many
// sentences weakly alike; a retold sentence is alike its source most.
// Dynamic programming over the len(a) × len(b) grid (each at most
// signature.MaxContentSentences). When fewer than need sentences of either
// article share enough units with any of the other's, it returns nil
// early: most candidates stop there.
func (al *aligner) alignLoaded(b [][]uint16, need int, p Params) [][2]int {
	a := al.a[:min(len(al.a), signature.MaxContentSentences)]
	b = b[:min(len(b), signature.MaxContentSentences)]
	n, m := len(a), len(b)
	if n == 0 || m == 0 {
		return nil
	}
	shared := resize(&al.shared, n*m)
	minUnits := uint8(min(p.RewriteMinUnits, math.MaxUint8))
	var rows, cols uint64 // sentences sharing minUnits with some sentence of the other
	for y, s := range b {
		for _, u := range s {
			for mask := al.sentsOf[u]; mask != 0; mask &= mask - 1 {
				x := bits.TrailingZeros64(mask)
				shared[x*m+y]++
				if shared[x*m+y] == minUnits {
					rows |= 1 << x
					cols |= 1 << y
				}
			}
		}
	}
	if min(bits.OnesCount64(rows), bits.OnesCount64(cols)) < need {
		return nil
	}
	sim := resize(&al.sim, n*m) // Jaccard of the pairs that pass, else 0
	bestA := resize(&al.bestA, n)
	bestB := resize(&al.bestB, m)
	for x := range a {
		for y := range b {
			s := int(shared[x*m+y])
			if s < p.RewriteMinUnits || float64(s) < p.RewriteUnitShare*float64(min(len(a[x]), len(b[y]))) {
				continue
			}
			v := float32(s) / float32(len(a[x])+len(b[y])-s)
			sim[x*m+y] = v
			bestA[x] = max(bestA[x], v)
			bestB[y] = max(bestB[y], v)
		}
	}
	anchor := func(x, y int) bool {
		v := sim[x*m+y]
		return v > 0 && v == bestA[x] && v == bestB[y]
	}
	// f[x][y]: longest alignment among the first x sentences of a and the
	// first y of b.
	w := m + 1
	f := resize(&al.f, (n+1)*w)
	for x := 1; x <= n; x++ {
		for y := 1; y <= m; y++ {
			v := max(f[(x-1)*w+y], f[x*w+y-1])
			if anchor(x-1, y-1) {
				v = max(v, f[(x-1)*w+y-1]+1)
			}
			f[x*w+y] = v
		}
	}
	k := int(f[n*w+m])
	if k == 0 {
		return nil
	}
	out := make([][2]int, k)
	for x, y := n, m; k > 0; {
		switch v := f[x*w+y]; {
		case v == f[(x-1)*w+y]:
			x--
		case v == f[x*w+y-1]:
			y--
		default: // an anchor ends the alignment here
			k--
			out[k] = [2]int{x - 1, y - 1}
			x--
			y--
		}
	}
	return out
}

// resize returns (*buf)[:n] zeroed, growing *buf when needed.
func resize[T any](buf *[]T, n int) []T {
	if cap(*buf) < n {
		*buf = make([]T, n)
	}
	s := (*buf)[:n]
	clear(s)
	return s
}
