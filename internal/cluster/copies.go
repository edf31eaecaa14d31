package cluster

import (
	"cmp"
	"slices"
	"sync"

	"github.com/newsdedup/newsdedup/internal/signature"
)

// copyPairs proposes candidate pairs from MinHash LSH banding (near-verbatim
// copies) and from story edges with a high text similarity (partial copies,
// whose Jaccard is too low for banding), then verifies every candidate.
func copyPairs(sigs []*signature.Signature, edges []edge, p Params) []CopyPair {
	cands := lshCandidates(sigs, p)
	for _, e := range edges {
		if float64(e.cos) >= p.CopyCandidateCosine {
			cands = append(cands, [2]int32{e.i, e.j})
		}
	}
	slices.SortFunc(cands, func(x, y [2]int32) int {
		if x[0] != y[0] {
			return cmp.Compare(x[0], y[0])
		}
		return cmp.Compare(x[1], y[1])
	})
	var out []CopyPair
	for k, c := range cands {
		if k > 0 && c == cands[k-1] {
			continue
		}
		if cp, ok := verifyCopy(sigs[c[0]], sigs[c[1]], p); ok {
			cp.A, cp.B = int(c[0]), int(c[1])
			out = append(out, cp)
		}
	}
	return out
}

// verifyCopy accepts a pair when a substantial share of the shorter
// article's own text (outside quotes) reappears in the other, and that
// share shows as whole sentences too: shingle containment says how much is
// reused, shared sentences that it is passages, not stock phrases such as
// an attribution line two independent reports both write. Quoted speech
// never counts: independent reports of one event quote the same statements.
// Articles in two different known languages are never copies: a
// translation is another relation, and shared shingles across languages are names
// and numbers.
func verifyCopy(a, b *signature.Signature, p Params) (CopyPair, bool) {
	if a.Flags&signature.FlagEmpty != 0 || b.Flags&signature.FlagEmpty != 0 {
		return CopyPair{}, false
	}
	if differentLanguages(a, b) {
		return CopyPair{}, false
	}
	cont := signature.Containment(a, b)
	if cont < p.CopyContainment/2 {
		return CopyPair{Containment: cont}, false // cheap test first: most candidates stop here
	}
	shorter, longer := a, b
	if len(b.Sentences) < len(a.Sentences) {
		shorter, longer = b, a
	}
	shared := signature.SharedSentences(shorter, longer)
	cp := CopyPair{Containment: cont, SharedSentences: shared}
	if cont >= p.CopyContainment {
		return cp, shared >= p.CopyMinSentences
	}
	// Heavily edited copy: a few words changed in every sentence break most
	// shingles but not the sentences. The same share of the shorter text,
	// counted in sentences (one more than a plain copy needs), with at least
	// half the shingle evidence.
	enough := shared >= p.CopyMinSentences+1 && float64(shared) >= p.CopyContainment*float64(len(shorter.Sentences))
	return cp, enough
}

// lshCandidates bands the MinHash values: articles agreeing on all rows of
// any band become a candidate pair. With 32 bands of 4 rows a pair of
// Jaccard 0.5 is proposed with probability 0.87 and of 0.3 with 0.23;
// the story-edge candidates cover lower similarities.
//
// Each band is bucketed by sorting one word per article, the band's hash in
// the high bits and the article's index in the low ones: no map and no
// allocation per bucket. Bands are split over the workers.
func lshCandidates(sigs []*signature.Signature, p Params) [][2]int32 {
	const idxBits = 24 // articles per run: up to 16.7 million
	workers := max(p.Workers, 1)
	parts := make([][][2]int32, workers)
	var wg sync.WaitGroup
	for w := 0; w < workers; w++ {
		wg.Add(1)
		go func(w int) {
			defer wg.Done()
			words := make([]uint64, 0, len(sigs))
			var out [][2]int32
			for band := w; band < p.LSHBands; band += workers {
				words = words[:0]
				for i, s := range sigs {
					if s.Flags&signature.FlagEmpty != 0 || len(s.MinHash) != signature.K {
						continue
					}
					h := uint64(band) * 0x9e3779b97f4a7c15
					for _, v := range s.MinHash[band*p.LSHRows : (band+1)*p.LSHRows] {
						h = mix(h ^ uint64(v))
					}
					words = append(words, h&^(1<<idxBits-1)|uint64(i))
				}
				slices.Sort(words)
				for lo := 0; lo < len(words); {
					hi := lo + 1
					for hi < len(words) && words[hi]>>idxBits == words[lo]>>idxBits {
						hi++
					}
					if n := hi - lo; n >= 2 && n <= p.MaxBucket {
						for x := lo; x < hi; x++ {
							for y := x + 1; y < hi; y++ {
								out = append(out, [2]int32{int32(words[x] & (1<<idxBits - 1)), int32(words[y] & (1<<idxBits - 1))})
							}
						}
					}
					lo = hi
				}
			}
			parts[w] = out
		}(w)
	}
	wg.Wait()
	var out [][2]int32
	for _, part := range parts {
		out = append(out, part...)
	}
	return out
}

// mix is a multiply-xorshift step for combining 32-bit MinHash values.
func mix(x uint64) uint64 {
	x *= 0xff51afd7ed558ccd
	return x ^ x>>33
}

// copyGroups joins verified pairs transitively (union-find) and returns
// every article's group, singletons included, each sorted, ordered by first
// member.
func copyGroups(n int, pairs []CopyPair) [][]int {
	parent := make([]int, n)
	for i := range parent {
		parent[i] = i
	}
	find := func(x int) int {
		for parent[x] != x {
			parent[x] = parent[parent[x]]
			x = parent[x]
		}
		return x
	}
	for _, cp := range pairs {
		a, b := find(cp.A), find(cp.B)
		if a != b {
			if a > b {
				a, b = b, a
			}
			parent[b] = a
		}
	}
	idx := make(map[int]int)
	var groups [][]int
	for i := 0; i < n; i++ {
		r := find(i)
		k, ok := idx[r]
		if !ok {
			k = len(groups)
			idx[r] = k
			groups = append(groups, nil)
		}
		groups[k] = append(groups[k], i)
	}
	return groups
}

// differentLanguages: both languages are known and differ. An unknown one (a
// version-1 signature, a text too short to tell) rules nothing out.
func differentLanguages(a, b *signature.Signature) bool {
	return a.Lang != "" && b.Lang != "" && a.Lang != b.Lang
}
