package cluster

import (
	"sort"

	"github.com/newsdedup/newsdedup/internal/signature"
	"github.com/zeebo/xxh3"
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
	sort.Slice(cands, func(x, y int) bool {
		if cands[x][0] != cands[y][0] {
			return cands[x][0] < cands[y][0]
		}
		return cands[x][1] < cands[y][1]
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
func verifyCopy(a, b *signature.Signature, p Params) (CopyPair, bool) {
	if a.Flags&signature.FlagEmpty != 0 || b.Flags&signature.FlagEmpty != 0 {
		return CopyPair{}, false
	}
	cont := signature.Containment(a, b)
	if cont < p.CopyContainment {
		return CopyPair{Containment: cont}, false // cheap test first: most candidates stop here
	}
	shorter, longer := a, b
	if len(b.Sentences) < len(a.Sentences) {
		shorter, longer = b, a
	}
	shared := signature.SharedSentences(shorter, longer)
	return CopyPair{Containment: cont, SharedSentences: shared}, shared >= p.CopyMinSentences
}

// lshCandidates bands the MinHash values: articles agreeing on all rows of
// any band become a candidate pair. With 32 bands of 4 rows a pair of
// Jaccard 0.5 is proposed with probability 0.87 and of 0.3 with 0.23;
// the story-edge candidates cover lower similarities.
func lshCandidates(sigs []*signature.Signature, p Params) [][2]int32 {
	var out [][2]int32
	buckets := make(map[uint64][]int32, len(sigs))
	for band := 0; band < p.LSHBands; band++ {
		clear(buckets)
		for i, s := range sigs {
			if s.Flags&signature.FlagEmpty != 0 || len(s.MinHash) != signature.K {
				continue
			}
			rows := s.MinHash[band*p.LSHRows : (band+1)*p.LSHRows]
			var key [64]byte
			for r, v := range rows {
				key[4*r], key[4*r+1], key[4*r+2], key[4*r+3] = byte(v), byte(v>>8), byte(v>>16), byte(v>>24)
			}
			h := xxh3.Hash(key[:4*len(rows)]) ^ uint64(band)
			buckets[h] = append(buckets[h], int32(i))
		}
		for _, b := range buckets {
			if len(b) < 2 || len(b) > p.MaxBucket {
				continue
			}
			for x := 0; x < len(b); x++ {
				for y := x + 1; y < len(b); y++ {
					out = append(out, [2]int32{b[x], b[y]})
				}
			}
		}
	}
	return out
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
