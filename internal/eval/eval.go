// Package eval scores a predicted clustering against hand-made labels, so
// that changes to the dedup thresholds can be measured rather than guessed.
//
// A clustering is a Partition: item → cluster id. Score compares two
// partitions with three families of measures that disagree in useful ways:
//
//   - pairwise precision, recall and F1: over all pairs of items, is "same
//     cluster" predicted where the labels say so? Large clusters dominate,
//     because a cluster of n items holds n(n-1)/2 pairs.
//   - the adjusted Rand index (Hubert & Arabie 1985): agreement on pairs,
//     corrected for the agreement a random partition with the same cluster
//     sizes would reach by chance: 1 for a perfect match, about 0 for chance,
//     negative for worse than chance.
//   - BCubed precision, recall and F1 (Bagga & Baldwin 1998): per item, the
//     share of its predicted cluster that truly belongs with it (precision)
//     and the share of its true cluster that was found (recall), averaged
//     over items. Every item weighs the same, so singletons count.
package eval

import (
	"errors"
	"fmt"
	"slices"
)

// Partition assigns each item (an article key) to a cluster id (a story).
//
// The empty cluster id "" means "in no cluster": the item is a singleton,
// not a member of one big cluster named "". This is what an empty
// copy_group cell in clusters.csv means, so such columns can be scored
// directly.
type Partition map[string]string

// Scores holds the measures of one comparison. Every value lies in [0, 1]
// except ARI, which lies in [-1, 1] (in practice it is rarely below -0.5).
type Scores struct {
	Items int // items scored: the items of the truth partition

	// Pairwise: a pair of distinct items is "positive" when both are in the
	// same cluster. Precision = TP / predicted positive pairs, Recall = TP /
	// true positive pairs. When a side has no positive pairs at all the
	// ratio is vacuous and is taken as 1: a prediction of all singletons
	// makes no wrong claim (precision 1) but finds nothing (recall 0 unless
	// the truth is all singletons as well).
	Precision, Recall, F1 float64

	// ARI is the adjusted Rand index. See Score for its degenerate cases.
	ARI float64

	// BCubed precision, recall and their harmonic mean.
	BCubedPrecision, BCubedRecall, BCubedF1 float64
}

func (s Scores) String() string {
	return fmt.Sprintf("items=%d pairwise P=%.4f R=%.4f F1=%.4f ARI=%.4f BCubed P=%.4f R=%.4f F1=%.4f",
		s.Items, s.Precision, s.Recall, s.F1, s.ARI, s.BCubedPrecision, s.BCubedRecall, s.BCubedF1)
}

// ErrNoItems is returned by Score when the truth partition is empty.
var ErrNoItems = errors.New("eval: truth partition has no items")

// Score compares pred with truth over the items of truth:
//
//   - an item of truth missing from pred is a singleton in pred (the
//     predictor said nothing about it, so it grouped it with nothing);
//   - an item of pred missing from truth is ignored, and so is its share of
//     its predicted cluster: the scores are those of pred restricted to the
//     labelled items. This lets a run over a whole corpus be scored against
//     labels for a sample of it.
//
// Degenerate ARI: the index is (TP - E) / (M - E), with E the expected TP
// under chance and M the mean of the two partitions' positive-pair counts.
// M - E is zero exactly when both partitions are all singletons, both are a
// single cluster, or there is only one item. In each case the two partitions
// are identical, and ARI is then 1 (as scikit-learn's adjusted_rand_score
// does). The code still checks identity and would return 0 for two different
// partitions, but no such case exists. With a single item, every measure is 1.
//
// Counts are int64 and the chance term is computed in float64, so a million
// items (5·10^11 pairs) are safe; time and memory are O(N log N) and O(N).
func Score(pred, truth Partition) (Scores, error) {
	n := len(truth)
	if n == 0 {
		return Scores{}, ErrNoItems
	}
	// Walk the items in sorted order so cluster numbers, and therefore the
	// order of floating-point sums, do not depend on map iteration.
	items := make([]string, 0, n)
	for it := range truth {
		items = append(items, it)
	}
	slices.Sort(items)

	predIdx := make([]int32, n)
	truthIdx := make([]int32, n)
	predSize := number(items, pred, predIdx)
	truthSize := number(items, truth, truthIdx)

	// Contingency table, sparse: one cell per (pred, truth) cluster pair
	// that shares at least one item.
	cells := make(map[uint64]int64, n)
	for i := range items {
		cells[uint64(predIdx[i])<<32|uint64(truthIdx[i])]++
	}

	var tp int64                             // Σ C(n_ij, 2): pairs together in both
	sqPred := make([]int64, len(predSize))   // Σ_j n_ij² for each predicted cluster i
	sqTruth := make([]int64, len(truthSize)) // Σ_i n_ij² for each true cluster j
	for k, c := range cells {
		tp += choose2(c)
		sqPred[k>>32] += c * c
		sqTruth[uint32(k)] += c * c
	}
	var predPairs, truthPairs int64 // Σ C(a_i, 2) and Σ C(b_j, 2)
	for _, a := range predSize {
		predPairs += choose2(a)
	}
	for _, b := range truthSize {
		truthPairs += choose2(b)
	}
	allPairs := choose2(int64(n))

	s := Scores{Items: n}
	s.Precision = ratio(tp, predPairs)
	s.Recall = ratio(tp, truthPairs)
	s.F1 = harmonic(s.Precision, s.Recall)
	s.ARI = ari(tp, predPairs, truthPairs, allPairs)

	// BCubed: an item x in predicted cluster i and true cluster j scores
	// precision n_ij/a_i and recall n_ij/b_j. The n_ij items of cell (i,j)
	// all score the same, so the sum over items is Σ n_ij²/a_i, grouped per
	// predicted cluster as (Σ_j n_ij²)/a_i: exact integers, then one
	// division and one addition per cluster.
	var bp, br float64
	for i, a := range predSize {
		bp += float64(sqPred[i]) / float64(a)
	}
	for j, b := range truthSize {
		br += float64(sqTruth[j]) / float64(b)
	}
	s.BCubedPrecision = bp / float64(n)
	s.BCubedRecall = br / float64(n)
	s.BCubedF1 = harmonic(s.BCubedPrecision, s.BCubedRecall)
	return s, nil
}

// number gives each item of items the index of its cluster in p (in order
// of first appearance; "" and missing items get a cluster of their own)
// and returns the cluster sizes.
func number(items []string, p Partition, idx []int32) []int64 {
	ids := make(map[string]int32)
	var sizes []int64
	for i, it := range items {
		c, ok := p[it]
		k, seen := ids[c]
		if !ok || c == "" || !seen {
			k = int32(len(sizes))
			sizes = append(sizes, 0)
			if ok && c != "" {
				ids[c] = k
			}
		}
		idx[i] = k
		sizes[k]++
	}
	return sizes
}

func choose2(n int64) int64 { return n * (n - 1) / 2 }

// ratio is num/den, or 1 when den is 0 (no positives claimed, none wrong).
func ratio(num, den int64) float64 {
	if den == 0 {
		return 1
	}
	return float64(num) / float64(den)
}

func harmonic(p, r float64) float64 {
	if p+r == 0 {
		return 0
	}
	return 2 * p * r / (p + r)
}

// ari is Hubert & Arabie's adjusted Rand index from pair counts:
//
//	ARI = (tp - E) / (M - E),  E = predPairs·truthPairs / allPairs,
//	                           M = (predPairs + truthPairs) / 2.
func ari(tp, predPairs, truthPairs, allPairs int64) float64 {
	// M - E = [a(T-b) + b(T-a)] / 2T with a, b ≤ T, so it is zero exactly
	// when (a = 0 or b = T) and (b = 0 or a = T). Decide that in integers
	// rather than by comparing floats with zero.
	a, b, t := predPairs, truthPairs, allPairs
	if (a == 0 || b == t) && (b == 0 || a == t) {
		if tp == a && a == b {
			return 1 // identical partitions (the only reachable case)
		}
		return 0
	}
	expected := float64(a) * float64(b) / float64(t)
	mean := (float64(a) + float64(b)) / 2
	return (float64(tp) - expected) / (mean - expected)
}
