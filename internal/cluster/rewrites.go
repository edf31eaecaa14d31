package cluster

import (
	"slices"

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
// group and story, singletons included.
func rewritePairs(sigs []*signature.Signature, days []int32, edges []edge, groups, stories [][]int, p Params) []RewritePair {
	groupOf := membership(len(sigs), groups)
	storyOf := membership(len(sigs), stories)
	best := map[[2]int]RewritePair{} // by the two copy groups
	var order [][2]int
	for _, e := range edges {
		i, j := int(e.i), int(e.j)
		if float64(e.cos) < p.CopyCandidateCosine || storyOf[i] != storyOf[j] || groupOf[i] == groupOf[j] {
			continue
		}
		rp, ok := verifyRewrite(sigs, days, i, j, p)
		if !ok {
			continue
		}
		g := [2]int{min(groupOf[i], groupOf[j]), max(groupOf[i], groupOf[j])}
		old, seen := best[g]
		if !seen {
			order = append(order, g)
		}
		if !seen || rp.Aligned > old.Aligned || (rp.Aligned == old.Aligned && rp.Coverage > old.Coverage) {
			best[g] = rp
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

// verifyRewrite aligns the sentences of articles i and j and accepts the
// pair when at least RewriteMinSentences, and RewriteCoverage of the
// shorter article's sentences, align in order. It decides the direction:
// the earlier article is the original; undated or same day, the longer.
func verifyRewrite(sigs []*signature.Signature, days []int32, i, j int, p Params) (RewritePair, bool) {
	a, b := sigs[i].ContentSentences(), sigs[j].ContentSentences()
	short := min(len(a), len(b))
	if short < p.RewriteMinSentences {
		return RewritePair{}, false
	}
	al := alignSentences(a, b, p)
	if len(al) < p.RewriteMinSentences || float64(len(al)) < p.RewriteCoverage*float64(short) {
		return RewritePair{}, false
	}
	rp := RewritePair{Original: i, Rewrite: j, Aligned: len(al), Sentences: al}
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
		for k := range al {
			al[k] = [2]int{al[k][1], al[k][0]}
		}
	}
	rp.Coverage = float64(len(al)) / float64(len(sigs[rp.Rewrite].ContentSentences()))
	return rp, true
}

// unitsShared counts the units two ascending sets have in common.
func unitsShared(a, b []uint16) int {
	n, i, j := 0, 0, 0
	for i < len(a) && j < len(b) {
		switch {
		case a[i] < b[j]:
			i++
		case a[i] > b[j]:
			j++
		default:
			n++
			i++
			j++
		}
	}
	return n
}

// alignSentences returns the longest in-order alignment of a's sentences
// with b's, as (a, b) positions, over anchors: pairs of sentences that
// share at least RewriteMinUnits content units, RewriteUnitShare of the
// smaller sentence's (a sentence merged with another keeps most of its
// units), and match each other better (by Jaccard of their units) than
// any other sentence of the other article. Between independent reports the
// event's names make many sentences weakly alike; a retold sentence is
// alike its source most. Dynamic programming over the len(a) × len(b) grid
// (each at most signature.MaxContentSentences).
func alignSentences(a, b [][]uint16, p Params) [][2]int {
	n, m := len(a), len(b)
	if n == 0 || m == 0 {
		return nil
	}
	sim := make([]float32, n*m) // Jaccard of pairs that pass, else 0
	bestA := make([]float32, n)
	bestB := make([]float32, m)
	for x := range a {
		for y := range b {
			s := unitsShared(a[x], b[y])
			small := min(len(a[x]), len(b[y]))
			if s < p.RewriteMinUnits || float64(s) < p.RewriteUnitShare*float64(small) {
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
	f := make([]int16, (n+1)*w)
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
	return slices.Clip(out)
}
