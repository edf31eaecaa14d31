package eval

import (
	"errors"
	"fmt"
	"math"
	"math/rand/v2"
	"strconv"
	"testing"
)

// part builds a Partition from groups: part("abc", "de") puts a, b, c in
// cluster "0" and d, e in cluster "1". Items are single letters.
func part(groups ...string) Partition {
	p := make(Partition)
	for i, g := range groups {
		for _, r := range g {
			p[string(r)] = strconv.Itoa(i)
		}
	}
	return p
}

// labels builds a Partition from a label vector, item i named "i".
func labels(v ...int) Partition {
	p := make(Partition, len(v))
	for i, l := range v {
		p[strconv.Itoa(i)] = strconv.Itoa(l)
	}
	return p
}

func perfect(n int) Scores {
	return Scores{Items: n, Precision: 1, Recall: 1, F1: 1, ARI: 1, BCubedPrecision: 1, BCubedRecall: 1, BCubedF1: 1}
}

func TestScoreHandComputed(t *testing.T) {
	tests := []struct {
		name        string
		pred, truth Partition
		want        Scores
	}{
		{
			// truth {a,b,c}{d,e}, pred {a,b}{c,d,e}; N = 5, all pairs T = C(5,2) = 10.
			// Contingency (rows pred, columns truth):
			//            T{abc} T{de} | a_i
			//   P{ab}       2     0   |  2
			//   P{cde}      1     2   |  3
			//   b_j         3     2
			// TP = Σ C(n_ij,2) = C(2,2)+C(1,2)+C(2,2) = 1+0+1 = 2  (ab, de)
			// predicted pairs a = C(2,2)+C(3,2) = 1+3 = 4; true pairs b = C(3,2)+C(2,2) = 4
			// P = 2/4 = 0.5, R = 2/4 = 0.5, F1 = 0.5
			// E = a·b/T = 16/10 = 1.6; M = (a+b)/2 = 4
			// ARI = (2 - 1.6)/(4 - 1.6) = 0.4/2.4 = 1/6
			//   (sklearn adjusted_rand_score([0,0,0,1,1],[0,0,1,1,1]) = 0.16666666666666666)
			// BCubed precision per item (n_ij / a_i): a 2/2, b 2/2, c 1/3, d 2/3, e 2/3
			//   = (1+1+1/3+2/3+2/3)/5 = (11/3)/5 = 11/15
			// BCubed recall per item (n_ij / b_j): a 2/3, b 2/3, c 1/3, d 2/2, e 2/2
			//   = (2/3+2/3+1/3+1+1)/5 = 11/15;  F1 = 11/15
			name:  "split and merge",
			truth: part("abc", "de"),
			pred:  part("ab", "cde"),
			want: Scores{Items: 5, Precision: 0.5, Recall: 0.5, F1: 0.5, ARI: 1.0 / 6,
				BCubedPrecision: 11.0 / 15, BCubedRecall: 11.0 / 15, BCubedF1: 11.0 / 15},
		},
		{
			// truth {a,b,c}{d,e}, pred all singletons.
			// a = 0 predicted pairs, TP = 0, b = 4, T = 10.
			// P = vacuous 1 (no pair claimed), R = 0/4 = 0, F1 = 0.
			// ARI: not degenerate (a = 0 but b ≠ 0 and a ≠ T): E = 0·4/10 = 0, M = 2,
			//   ARI = (0-0)/(2-0) = 0   (sklearn: adjusted_rand_score([0,0,0,1,1],[0,1,2,3,4]) = 0.0)
			// BCubed P: every item alone, 1/1 → 1.
			// BCubed R: a,b,c 1/3 each, d,e 1/2 each → (1 + 1)/5 = 0.4
			// BCubed F1 = 2·1·0.4/1.4 = 4/7
			name:  "all singletons predicted",
			truth: part("abc", "de"),
			pred:  part("a", "b", "c", "d", "e"),
			want: Scores{Items: 5, Precision: 1, Recall: 0, F1: 0, ARI: 0,
				BCubedPrecision: 1, BCubedRecall: 0.4, BCubedF1: 4.0 / 7},
		},
		{
			// Same, but pred is empty: missing items are singletons, so the
			// scores are those of the all-singletons prediction above.
			name:  "empty prediction",
			truth: part("abc", "de"),
			pred:  Partition{},
			want: Scores{Items: 5, Precision: 1, Recall: 0, F1: 0, ARI: 0,
				BCubedPrecision: 1, BCubedRecall: 0.4, BCubedF1: 4.0 / 7},
		},
		{
			// truth {a,b,c}{d,e}, pred one cluster {a,b,c,d,e}.
			// a = C(5,2) = 10 = T, TP = 4 (every true pair), b = 4.
			// P = 4/10 = 0.4, R = 4/4 = 1, F1 = 2·0.4/1.4 = 4/7.
			// ARI: E = 10·4/10 = 4, M = 7, ARI = (4-4)/(7-4) = 0
			//   (sklearn: adjusted_rand_score([0,0,0,1,1],[0,0,0,0,0]) = 0.0)
			// BCubed P: a,b,c 3/5 each, d,e 2/5 each → (9/5 + 4/5)/5 = 13/25 = 0.52
			// BCubed R: 1.  F1 = 2·(13/25)/(38/25) = 26/38 = 13/19
			name:  "everything in one cluster",
			truth: part("abc", "de"),
			pred:  part("abcde"),
			want: Scores{Items: 5, Precision: 0.4, Recall: 1, F1: 4.0 / 7, ARI: 0,
				BCubedPrecision: 0.52, BCubedRecall: 1, BCubedF1: 13.0 / 19},
		},
		{
			// truth {a,b}{c,d}, pred {a,c}{b,d}: every pair wrong.
			// a = b = 2, TP = 0, T = 6. E = 4/6 = 2/3, M = 2.
			// ARI = (0 - 2/3)/(2 - 2/3) = -0.5
			//   (sklearn: adjusted_rand_score([0,0,1,1],[0,1,0,1]) = -0.5)
			// P = 0/2 = 0, R = 0, F1 = 0.
			// BCubed P: each item's predicted cluster has 1 of 2 right → 1/2; R likewise.
			name:  "worse than chance",
			truth: part("ab", "cd"),
			pred:  part("ac", "bd"),
			want: Scores{Items: 4, Precision: 0, Recall: 0, F1: 0, ARI: -0.5,
				BCubedPrecision: 0.5, BCubedRecall: 0.5, BCubedF1: 0.5},
		},
		{
			// The example from scikit-learn's adjusted_rand_score docstring:
			// adjusted_rand_score([0, 0, 1, 1], [0, 0, 1, 2]) = 0.57...
			// truth {0,1}{2,3}: b = 2; pred {0,1}{2}{3}: a = 1; TP = 1; T = 6.
			// E = 2/6 = 1/3, M = 1.5; ARI = (1 - 1/3)/(1.5 - 1/3) = (2/3)/(7/6) = 4/7.
			// P = 1/1, R = 1/2, F1 = 2/3.
			// BCubed P = 1 (pred clusters are pure).
			// BCubed R: 0,1 → 2/2; 2,3 → 1/2 → (1+1+0.5+0.5)/4 = 0.75; F1 = 1.5/1.75 = 6/7.
			name:  "sklearn docstring",
			truth: labels(0, 0, 1, 1),
			pred:  labels(0, 0, 1, 2),
			want: Scores{Items: 4, Precision: 1, Recall: 0.5, F1: 2.0 / 3, ARI: 4.0 / 7,
				BCubedPrecision: 1, BCubedRecall: 0.75, BCubedF1: 6.0 / 7},
		},
		{
			// A less tidy case; the arithmetic is in handCount15's comment and
			// cross-checked with scikit-learn 1.9.1.
			name:  "hand count 15 items",
			truth: labels(0, 0, 0, 1, 1, 1, 1, 2, 2, 3, 4, 4, 4, 4, 5),
			pred:  labels(0, 0, 1, 1, 1, 2, 2, 2, 3, 3, 4, 4, 4, 5, 6),
			want:  handCount15(),
		},
		{
			// Perfect prediction with different cluster names.
			name:  "perfect, renamed",
			truth: Partition{"a": "x", "b": "x", "c": "y", "d": "z", "e": "z"},
			pred:  Partition{"a": "1", "b": "1", "c": "2", "d": "3", "e": "3"},
			want:  perfect(5),
		},
		{
			// Degenerate ARI: both all singletons → a = b = 0, M - E = 0; identical → 1.
			// Pairwise P and R are both vacuous 1.
			name:  "both all singletons",
			truth: part("a", "b", "c"),
			pred:  Partition{"a": "", "b": "q", "c": "r"},
			want:  perfect(3),
		},
		{
			// Degenerate ARI: both one cluster → a = b = T = 3; identical → 1.
			name:  "both one cluster",
			truth: part("abc"),
			pred:  part("abc"),
			want:  perfect(3),
		},
		{
			// One item: T = 0, everything vacuous → 1.
			name:  "single item",
			truth: part("a"),
			pred:  Partition{},
			want:  perfect(1),
		},
		{
			// truth one cluster {a,b,c}, pred all singletons.
			// a = 0, b = T = 3: not degenerate since b ≠ 0 and a ≠ T.
			// E = 0, M = 1.5, ARI = 0. P vacuous 1, R = 0, F1 = 0.
			// BCubed P = 1, R = 1/3 each → 1/3, F1 = 2·(1/3)/(4/3) = 0.5.
			name:  "truth one cluster, pred singletons",
			truth: part("abc"),
			pred:  part("a", "b", "c"),
			want: Scores{Items: 3, Precision: 1, Recall: 0, F1: 0, ARI: 0,
				BCubedPrecision: 1, BCubedRecall: 1.0 / 3, BCubedF1: 0.5},
		},
		{
			// Items of pred not in truth are ignored: x, y join pred's clusters
			// but the scores are those of "split and merge".
			name:  "extra predicted items ignored",
			truth: part("abc", "de"),
			pred:  Partition{"a": "0", "b": "0", "x": "0", "c": "1", "d": "1", "e": "1", "y": "1", "z": "9"},
			want: Scores{Items: 5, Precision: 0.5, Recall: 0.5, F1: 0.5, ARI: 1.0 / 6,
				BCubedPrecision: 11.0 / 15, BCubedRecall: 11.0 / 15, BCubedF1: 11.0 / 15},
		},
		{
			// An empty cluster id is "no cluster": truth {a,b} with c, d, e
			// unlabelled (singletons) vs pred {a,b} and c, d, e each alone is perfect,
			// whereas "" as a cluster name would have put c, d, e together.
			name:  "empty id is a singleton",
			truth: Partition{"a": "s", "b": "s", "c": "", "d": "", "e": ""},
			pred:  Partition{"a": "1", "b": "1", "c": "", "d": "2", "e": "3"},
			want:  perfect(5),
		},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			got, err := Score(tc.pred, tc.truth)
			if err != nil {
				t.Fatal(err)
			}
			assertScores(t, got, tc.want)
		})
	}
}

// handCount15 is the arithmetic for "hand count 15 items":
//
//	truth  t0{0,1,2} t1{3,4,5,6} t2{7,8} t3{9} t4{10,11,12,13} t5{14}
//	pred   p0{0,1} p1{2,3,4} p2{5,6,7} p3{8,9} p4{10,11,12} p5{13} p6{14}
//
// Contingency cells n_ij (pred row: cells):
//
//	p0: t0=2        p1: t0=1, t1=2   p2: t1=2, t2=1   p3: t2=1, t3=1
//	p4: t4=3        p5: t4=1         p6: t5=1
//
// TP = C(2,2)+C(2,2)+C(2,2)+C(3,2) = 1+1+1+3 = 6
// a  = C(2)+C(3)+C(3)+C(2)+C(3) = 1+3+3+1+3 = 11
// b  = C(3)+C(4)+C(2)+C(4) = 3+6+1+6 = 16
// T  = C(15,2) = 105
// P = 6/11, R = 6/16 = 3/8, F1 = 2·6/(11+16) = 12/27 = 4/9
// E = 11·16/105 = 176/105; M = 27/2
// ARI = (6 - 176/105)/(27/2 - 176/105) = (454/105)/(2483/210) = 908/2483
//
//	scikit-learn 1.9.1, t and p the label vectors of the test case:
//	adjusted_rand_score(t, p)   = 0.36568666935159083 (= 908/2483 in float64)
//	pair_confusion_matrix(t, p) = [[168, 10], [20, 12]] (ordered pairs), so
//	TP = 12/2 = 6, FP = 10/2 = 5 (a = 11), FN = 20/2 = 10 (b = 16), as above.
//
// BCubed P = Σ_i (Σ_j n_ij²)/a_i / 15
//
//	= (4/2 + 5/3 + 5/3 + 2/2 + 9/3 + 1/1 + 1/1)/15 = (34/3)/15 = 34/45
//
// BCubed R = Σ_j (Σ_i n_ij²)/b_j / 15
//
//	t0: (4+1)/3, t1: (4+4)/4, t2: (1+1)/2, t3: 1/1, t4: (9+1)/4, t5: 1/1
//	= (5/3 + 2 + 1 + 1 + 5/2 + 1)/15 = (55/6)/15 = 11/18
//
// BCubed F1 = 2·(34/45)(11/18)/((34/45)+(11/18)) = 2·374/810 / (123/90) = 748/1107
func handCount15() Scores {
	return Scores{Items: 15,
		Precision: 6.0 / 11, Recall: 3.0 / 8, F1: 4.0 / 9,
		ARI:             908.0 / 2483,
		BCubedPrecision: 34.0 / 45, BCubedRecall: 11.0 / 18, BCubedF1: 748.0 / 1107,
	}
}

func assertScores(t *testing.T, got, want Scores) {
	t.Helper()
	if got.Items != want.Items {
		t.Errorf("Items = %d, want %d", got.Items, want.Items)
	}
	for _, f := range []struct {
		name      string
		got, want float64
	}{
		{"Precision", got.Precision, want.Precision},
		{"Recall", got.Recall, want.Recall},
		{"F1", got.F1, want.F1},
		{"ARI", got.ARI, want.ARI},
		{"BCubedPrecision", got.BCubedPrecision, want.BCubedPrecision},
		{"BCubedRecall", got.BCubedRecall, want.BCubedRecall},
		{"BCubedF1", got.BCubedF1, want.BCubedF1},
	} {
		if math.Abs(f.got-f.want) > 1e-12 || math.IsNaN(f.got) {
			t.Errorf("%s = %.15g, want %.15g", f.name, f.got, f.want)
		}
	}
}

func TestScoreEmptyTruth(t *testing.T) {
	for _, pred := range []Partition{nil, {}, {"a": "1"}} {
		if _, err := Score(pred, Partition{}); !errors.Is(err, ErrNoItems) {
			t.Errorf("Score(%v, {}) error = %v, want ErrNoItems", pred, err)
		}
	}
}

// Renaming clusters or swapping the roles of the two partitions must not
// change the symmetric measures, and must swap precision with recall.
func TestScoreSymmetry(t *testing.T) {
	rng := rand.New(rand.NewPCG(1, 2))
	for trial := range 50 {
		n := 1 + rng.IntN(60)
		a, b := make(Partition, n), make(Partition, n)
		renamed := make(Partition, n)
		k := 1 + rng.IntN(n)
		for i := range n {
			it := fmt.Sprintf("item%03d", i)
			a[it] = strconv.Itoa(rng.IntN(k))
			b[it] = strconv.Itoa(rng.IntN(k))
			renamed[it] = "c-" + a[it] + "-renamed"
		}
		ab, err := Score(a, b)
		if err != nil {
			t.Fatal(err)
		}
		ba, err := Score(b, a)
		if err != nil {
			t.Fatal(err)
		}
		rb, err := Score(renamed, b)
		if err != nil {
			t.Fatal(err)
		}
		assertScores(t, rb, ab)
		swapped := Scores{Items: ab.Items, Precision: ab.Recall, Recall: ab.Precision, F1: ab.F1, ARI: ab.ARI,
			BCubedPrecision: ab.BCubedRecall, BCubedRecall: ab.BCubedPrecision, BCubedF1: ab.BCubedF1}
		if t.Failed() {
			t.Fatalf("trial %d: renaming changed scores", trial)
		}
		assertScores(t, ba, swapped)
		self, err := Score(a, a)
		if err != nil {
			t.Fatal(err)
		}
		assertScores(t, self, perfect(n))
		if t.Failed() {
			t.Fatalf("trial %d (n=%d)", trial, n)
		}
		for _, v := range []float64{ab.Precision, ab.Recall, ab.F1, ab.BCubedPrecision, ab.BCubedRecall, ab.BCubedF1} {
			if v < 0 || v > 1 {
				t.Fatalf("trial %d: score %v outside [0,1]: %v", trial, v, ab)
			}
		}
		if ab.ARI < -1 || ab.ARI > 1 {
			t.Fatalf("trial %d: ARI %v outside [-1,1]", trial, ab.ARI)
		}
	}
}

// At 100k items the pair counts reach 5·10^9 and products of them 10^19,
// past int64: everything in one cluster against two halves must still give
// exact, finite values.
func TestScoreLarge(t *testing.T) {
	const n = 100_000
	truth, one := make(Partition, n), make(Partition, n)
	for i := range n {
		it := strconv.Itoa(i)
		truth[it] = strconv.Itoa(i % 2)
		one[it] = "all"
	}
	got, err := Score(one, truth)
	if err != nil {
		t.Fatal(err)
	}
	// a = C(100000,2) = 4_999_950_000 = T; b = 2·C(50000,2) = 2_499_950_000 = TP.
	// P = b/T; R = 1; ARI: E = a·b/T = b, so ARI = (b - b)/(M - b) = 0.
	// BCubed P = 1/2, R = 1.
	const a, b = 4_999_950_000.0, 2_499_950_000.0
	p := b / a
	want := Scores{Items: n, Precision: p, Recall: 1, F1: 2 * p / (p + 1), ARI: 0,
		BCubedPrecision: 0.5, BCubedRecall: 1, BCubedF1: 2.0 / 3}
	assertScores(t, got, want)

	self, err := Score(truth, truth)
	if err != nil {
		t.Fatal(err)
	}
	assertScores(t, self, perfect(n))
}

func BenchmarkScore100k(b *testing.B) {
	const n = 100_000
	rng := rand.New(rand.NewPCG(3, 4))
	truth, pred := make(Partition, n), make(Partition, n)
	for i := range n {
		it := fmt.Sprintf("2024/03/%02d/article-%06d.json", i%28+1, i)
		story := rng.IntN(n / 4) // stories of about 4 articles
		truth[it] = "s" + strconv.Itoa(story)
		if rng.IntN(10) == 0 { // 10% of articles misplaced
			story = rng.IntN(n / 4)
		}
		pred[it] = "p" + strconv.Itoa(story)
	}
	b.ReportAllocs()
	for b.Loop() {
		if _, err := Score(pred, truth); err != nil {
			b.Fatal(err)
		}
	}
}
