package cluster

import (
	"fmt"
	"math"
	"reflect"
	"slices"
	"sort"
	"testing"

	"github.com/newsdedup/newsdedup/internal/signature"
)

type we struct {
	i, j int
	sim  float32
}

func edgesOf(ws ...we) []edge {
	out := make([]edge, len(ws))
	for k, w := range ws {
		out[k] = edge{i: int32(w.i), j: int32(w.j), sim: w.sim, cos: w.sim}
	}
	sort.Slice(out, func(a, b int) bool {
		if out[a].i != out[b].i {
			return out[a].i < out[b].i
		}
		return out[a].j < out[b].j
	})
	return out
}

func singletons(n int) [][]int {
	out := make([][]int, n)
	for i := range out {
		out[i] = []int{i}
	}
	return out
}

func TestAverageLinkage(t *testing.T) {
	tests := []struct {
		name      string
		n         int
		atoms     [][]int // nil: singletons
		edges     []we
		threshold float64
		want      [][]int
		noGate    bool // CoherenceRatio 0: plain average linkage
	}{
		{"no edges", 3, nil, nil, 0.2, [][]int{{0}, {1}, {2}}, false},
		{"one pair", 3, nil, []we{{0, 2, 0.5}}, 0.2, [][]int{{0, 2}, {1}}, false},
		{"below threshold", 2, nil, []we{{0, 1, 0.19}}, 0.2, [][]int{{0}, {1}}, false},
		{"at threshold", 2, nil, []we{{0, 1, 0.5}}, 0.5, [][]int{{0, 1}}, false},
		{"clique", 4, nil, []we{{0, 1, 0.6}, {0, 2, 0.6}, {0, 3, 0.6}, {1, 2, 0.6}, {1, 3, 0.6}, {2, 3, 0.6}}, 0.5, [][]int{{0, 1, 2, 3}}, false},
		// A chain: {0,1} and {2,3} form; {0,1}-{2,3} averages 0.9/4.
		{"chain, strict", 4, nil, []we{{0, 1, 0.9}, {1, 2, 0.9}, {2, 3, 0.9}}, 0.5, [][]int{{0, 1}, {2, 3}}, false},
		{"chain, loose, no gate", 4, nil, []we{{0, 1, 0.9}, {1, 2, 0.9}, {2, 3, 0.9}}, 0.2, [][]int{{0, 1, 2, 3}}, true},
		// ... but 0.225 is a quarter of how alike each pair is inside:
		// two tight groups, loosely alike, are two events of one kind.
		{"chain, loose", 4, nil, []we{{0, 1, 0.9}, {1, 2, 0.9}, {2, 3, 0.9}}, 0.2, [][]int{{0, 1}, {2, 3}}, false},
		// Two halves of one story: cross pairs as alike as inner ones (0.4
		// vs 0.5, ratio 0.8 ≥ 0.7) join; at 0.3 (ratio 0.6) they do not.
		{"halves of one story", 4, nil, []we{{0, 1, 0.5}, {2, 3, 0.5}, {0, 2, 0.4}, {0, 3, 0.4}, {1, 2, 0.4}, {1, 3, 0.4}}, 0.2, [][]int{{0, 1, 2, 3}}, false},
		{"two events of one kind", 4, nil, []we{{0, 1, 0.5}, {2, 3, 0.5}, {0, 2, 0.3}, {0, 3, 0.3}, {1, 2, 0.3}, {1, 3, 0.3}}, 0.2, [][]int{{0, 1}, {2, 3}}, false},
		// A single article joins on the mean alone: it has no inner pairs.
		{"single joins a tight pair", 3, nil, []we{{0, 1, 0.9}, {0, 2, 0.2}, {1, 2, 0.2}}, 0.2, [][]int{{0, 1, 2}}, false},
		// Copies inside an atom say nothing of coherence: an atom of two
		// copies joins a pair of reports as a single article would.
		{"atom is not a tight group", 4, [][]int{{0, 1}, {2}, {3}}, []we{{0, 1, 0.95}, {2, 3, 0.5}, {0, 2, 0.3}, {0, 3, 0.3}, {1, 2, 0.3}, {1, 3, 0.3}}, 0.2, [][]int{{0, 1, 2, 3}}, false},
		// The strongest pair merges first: 1-2 (0.8), then 0 joins at
		// (0.7+0)/2 = 0.35 and 3 at (0+0.6)/2 = 0.3 < 0.35 ...
		{"strongest first", 4, nil, []we{{0, 1, 0.7}, {1, 2, 0.8}, {2, 3, 0.6}}, 0.3, [][]int{{0, 1, 2}, {3}}, false},
		// Atoms (copy groups) are never split, even without any edge.
		{"atoms kept", 4, [][]int{{0, 3}, {1}, {2}}, nil, 0.2, [][]int{{0, 3}, {1}, {2}}, false},
		// An atom of two joins a singleton on the mean over both pairs.
		{"atom mean, joins", 3, [][]int{{0, 1}, {2}}, []we{{0, 2, 0.6}}, 0.3, [][]int{{0, 1, 2}}, false},
		{"atom mean, stays", 3, [][]int{{0, 1}, {2}}, []we{{0, 2, 0.6}}, 0.31, [][]int{{0, 1}, {2}}, false},
		{"edge inside an atom ignored", 3, [][]int{{0, 1}, {2}}, []we{{0, 1, 0.9}}, 0.2, [][]int{{0, 1}, {2}}, false},
		{"non-positive similarity ignored", 2, nil, []we{{0, 1, 0}}, 0, [][]int{{0}, {1}}, false},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			atoms := tt.atoms
			if atoms == nil {
				atoms = singletons(tt.n)
			}
			p := DefaultParams()
			p.StoryThreshold = tt.threshold
			if tt.noGate {
				p.CoherenceRatio = 0
			}
			got := averageLinkage(tt.n, atoms, edgesOf(tt.edges...), nil, p)
			if !reflect.DeepEqual(got, tt.want) {
				t.Errorf("averageLinkage = %v, want %v", got, tt.want)
			}
		})
	}
}

// TestCoherenceNewsCycle: two tight pairs only loosely alike (cross 0.3,
// inner 0.5: ratio 0.6) stay apart when text must decide alone, and join
// when the dates known on both sides fall within one news cycle.
func TestCoherenceNewsCycle(t *testing.T) {
	edges := edgesOf(we{0, 1, 0.5}, we{2, 3, 0.5}, we{0, 2, 0.3}, we{0, 3, 0.3}, we{1, 2, 0.3}, we{1, 3, 0.3})
	d := parseDay("2023-12-07")
	apart, joined := [][]int{{0, 1}, {2, 3}}, [][]int{{0, 1, 2, 3}}
	tests := []struct {
		name string
		days []int32
		want [][]int
	}{
		{"no dates known", nil, apart},
		{"all undated", []int32{noDate, noDate, noDate, noDate}, apart},
		{"same day", []int32{d, d, d, d}, joined},
		{"within FullWeightDays", []int32{d, d, d + 1, d + 1}, joined},
		{"one date per side, the rest unknown", []int32{d, noDate, noDate, d}, joined},
		{"one side undated", []int32{d, d, noDate, noDate}, apart},
		{"three days apart", []int32{d, d, d + 3, d + 3}, apart},
	}
	for _, tt := range tests {
		p := DefaultParams()
		p.StoryThreshold = 0.2
		if got := averageLinkage(4, singletons(4), edges, tt.days, p); !reflect.DeepEqual(got, tt.want) {
			t.Errorf("%s: %v, want %v", tt.name, got, tt.want)
		}
	}
}

// TestAverageLinkageMatchesNaive compares the heap-based merge with a
// direct O(n³) average linkage on random sparse graphs.
func TestAverageLinkageMatchesNaive(t *testing.T) {
	for trial := 0; trial < 200; trial++ {
		rng := newRand(uint64(trial))
		n := 2 + rng.IntN(25)
		var ws []we
		for i := 0; i < n; i++ {
			for j := i + 1; j < n; j++ {
				if rng.IntN(3) == 0 {
					// Distinct quarter-steps: ties between merges are rare
					// and exact in float32.
					ws = append(ws, we{i, j, float32(1+rng.IntN(400)) / 400})
				}
			}
		}
		p := DefaultParams()
		p.StoryThreshold = []float64{0.1, 0.2, 0.35, 0.5}[trial%4]
		got := averageLinkage(n, singletons(n), edgesOf(ws...), nil, p)
		want := naiveAverageLinkage(n, ws, p.StoryThreshold, p.CoherenceRatio)
		if !reflect.DeepEqual(got, want) {
			t.Fatalf("trial %d (n %d, threshold %v, edges %v):\n got %v\nwant %v", trial, n, p.StoryThreshold, ws, got, want)
		}
	}
}

func naiveAverageLinkage(n int, ws []we, threshold, ratio float64) [][]int {
	sim := make([][]float64, n)
	for i := range sim {
		sim[i] = make([]float64, n)
	}
	for _, w := range ws {
		sim[w.i][w.j] += float64(w.sim)
		sim[w.j][w.i] += float64(w.sim)
	}
	clusters := singletons(n)
	inner := func(c []int) float64 { // mean similarity of its pairs
		var s float64
		for x := range c {
			for y := x + 1; y < len(c); y++ {
				s += sim[c[x]][c[y]]
			}
		}
		return s / float64(len(c)*(len(c)-1)/2)
	}
	for {
		best, bi, bj := -1.0, -1, -1
		for a := range clusters {
			for b := a + 1; b < len(clusters); b++ {
				var s float64
				for _, x := range clusters[a] {
					for _, y := range clusters[b] {
						s += sim[x][y]
					}
				}
				if s == 0 {
					continue
				}
				avg := s / float64(len(clusters[a])*len(clusters[b]))
				if len(clusters[a]) > 1 && len(clusters[b]) > 1 && avg < ratio*math.Sqrt(inner(clusters[a])*inner(clusters[b])) {
					continue
				}
				if avg > best+1e-12 {
					best, bi, bj = avg, a, b
				}
			}
		}
		if bi < 0 || best < threshold {
			break
		}
		clusters[bi] = append(clusters[bi], clusters[bj]...)
		clusters = append(clusters[:bj], clusters[bj+1:]...)
	}
	for _, c := range clusters {
		sort.Ints(c)
	}
	sort.Slice(clusters, func(a, b int) bool { return clusters[a][0] < clusters[b][0] })
	return clusters
}

// TestNoChaining: articles in a line, each sharing its key terms with its
// neighbours only (A–B–C–D–…). Every neighbour pair is similar enough that
// single linkage joins the whole line into one story; average linkage must
// not, because the two ends have nothing in common.
func TestNoChaining(t *testing.T) {
	const n = 8
	var sigs []*signature.Signature
	for i := 0; i < n; i++ {
		// Article i: terms t_i and t_{i+1} (shared with i-1 and i+1) and
		// a term of its own.
		sigs = append(sigs, synth(fmt.Sprintf("line-%d", i), "2023-12-07",
			fmt.Sprintf("t%d:2", i), fmt.Sprintf("t%d:2", i+1), fmt.Sprintf("own%d", i)))
	}
	p := DefaultParams()
	c := buildCorpus(sigs, p)
	edges := storyEdges(c, p)
	for i := 0; i+1 < n; i++ {
		if cos := cosine(c.vecs[i], c.vecs[i+1]); cos < p.StoryThreshold {
			t.Fatalf("test construction: neighbours %d,%d have cosine %v < threshold %v", i, i+1, cos, p.StoryThreshold)
		}
		for j := i + 2; j < n; j++ {
			if cos := cosine(c.vecs[i], c.vecs[j]); cos != 0 {
				t.Fatalf("test construction: %d,%d have cosine %v", i, j, cos)
			}
		}
	}
	if single := singleLinkage(n, edges, p.StoryThreshold); len(single) != 1 {
		t.Fatalf("test construction: single linkage gives %v, want one chained story", single)
	}

	r := Run(sigs, p)
	checkResult(t, n, r)
	if len(r.Stories) == 1 {
		t.Fatalf("average linkage chained the whole line into one story")
	}
	for _, s := range r.Stories {
		// A story is a run of neighbours, and no longer than three: a
		// fourth would average below the threshold.
		if len(s.Members) > 3 || s.Members[len(s.Members)-1]-s.Members[0] != len(s.Members)-1 {
			t.Errorf("story %v is not a short run of neighbours", s.Members)
		}
	}
	t.Logf("line of %d: stories %v", n, storyGroups(r))
}

// TestNoChainingBetweenStories: two dense stories joined by one bridging
// article similar to both stay two stories.
func TestNoChainingBetweenStories(t *testing.T) {
	var sigs []*signature.Signature
	for i := 0; i < 4; i++ {
		sigs = append(sigs, synth(fmt.Sprintf("a%d", i), "2023-12-07", "+putin:3", "+raisi:3", "moscow:2", fmt.Sprintf("a-own%d", i)))
	}
	for i := 0; i < 4; i++ {
		sigs = append(sigs, synth(fmt.Sprintf("b%d", i), "2023-12-07", "election:3", "ballot:3", "turnout:2", fmt.Sprintf("b-own%d", i)))
	}
	sigs = append(sigs, synth("bridge", "2023-12-07", "+putin:2", "+raisi", "election:2", "ballot"))
	p := DefaultParams()
	c := buildCorpus(sigs, p)
	if single := singleLinkage(len(sigs), storyEdges(c, p), p.StoryThreshold); len(single) != 1 {
		t.Fatalf("test construction: single linkage gives %v, want everything chained", single)
	}
	r := Run(sigs, p)
	checkResult(t, len(sigs), r)
	got := byKeys(sigs, storyGroups(r))
	for _, g := range got {
		if (contains(g, "a0") || contains(g, "a1")) && (contains(g, "b0") || contains(g, "b1")) {
			t.Errorf("the two stories merged through the bridge: %q", got)
		}
	}
	if len(got) < 2 {
		t.Errorf("stories %q", got)
	}
}

func contains(group, key string) bool {
	for _, k := range splitKeys(group) {
		if k == key {
			return true
		}
	}
	return false
}

func TestCentral(t *testing.T) {
	edges := edgesOf(we{0, 1, 0.5}, we{1, 2, 0.5}, we{0, 2, 0.1}, we{2, 3, 0.9})
	tests := []struct {
		members []int
		want    int
	}{
		{[]int{5}, 5},
		{[]int{0, 1, 2}, 1},    // 1 has 1.0, 0 has 0.6, 2 has 0.6
		{[]int{0, 1, 2, 3}, 2}, // 2: 0.5+0.1+0.9
		{[]int{0, 3}, 0},       // no edge inside: the smallest index
		{[]int{0, 1}, 0},       // tie: the smallest index
	}
	for _, tt := range tests {
		// Each case alone: the story is the members, everything else is elsewhere.
		n := 6
		stories := [][]int{tt.members}
		for i := 0; i < n; i++ {
			if !slices.Contains(tt.members, i) {
				stories = append(stories, []int{i})
			}
		}
		if got := centrals(n, stories, edges)[0]; got != tt.want {
			t.Errorf("centrals(%v) = %d, want %d", tt.members, got, tt.want)
		}
	}
}
