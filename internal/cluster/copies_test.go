package cluster

import (
	"math"
	"reflect"
	"testing"

	"github.com/newsdedup/newsdedup/internal/signature"
)

// copyCase describes a synthetic pair for verifyCopy: how many MinHash
// positions agree, the own-shingle counts, how many sentences each has and
// how many of them they share.
type copyCase struct {
	name           string
	eq             int // equal MinHash positions of K
	aShingles      int
	bShingles      int
	aSents, bSents int
	shared         int
	flagA, flagB   uint8
	want           bool
}

func (c copyCase) build() (*signature.Signature, *signature.Signature) {
	a, b := synth("a", ""), synth("b", "")
	// Equal positions go one per LSH band first (rows 0 of every band, then
	// rows 1, ...), so up to 32 of them never make a whole band agree.
	const rows, bands = 4, signature.K / 4
	for k := 0; k < c.eq; k++ {
		pos := (k%bands)*rows + k/bands
		b.MinHash[pos] = a.MinHash[pos]
	}
	a.Shingles, b.Shingles = c.aShingles, c.bShingles
	a.Flags, b.Flags = c.flagA, c.flagB
	a.Sentences = fingerprints(1, c.aSents)
	b.Sentences = append(fingerprints(2, c.bSents-c.shared), a.Sentences[:c.shared]...)
	return a, b
}

func TestVerifyCopy(t *testing.T) {
	p := DefaultParams() // CopyContainment 0.25, CopyMinSentences 2
	const k = signature.K
	tests := []copyCase{
		{name: "identical", eq: k, aShingles: 400, bShingles: 400, aSents: 10, bSents: 10, shared: 10, want: true},
		{name: "full containment, one shared sentence", eq: k, aShingles: 400, bShingles: 400, aSents: 10, bSents: 10, shared: 1, want: false},
		{name: "full containment, no shared sentence", eq: k, aShingles: 400, bShingles: 400, aSents: 10, bSents: 10, shared: 0, want: false},
		{name: "all sentences shared, no containment", eq: 0, aShingles: 400, bShingles: 400, aSents: 10, bSents: 10, shared: 10, want: false},
		// Containment 2J/(1+J) for equal sizes: 23 equal of 128 give 0.305, 18 give 0.247.
		{name: "containment 0.30, 2 sentences", eq: 23, aShingles: 100, bShingles: 100, aSents: 20, bSents: 20, shared: 2, want: true},
		{name: "containment 0.247, 2 sentences", eq: 18, aShingles: 100, bShingles: 100, aSents: 20, bSents: 20, shared: 2, want: false},
		// Heavily edited copy: below the containment bar, but at least half of it,
		// with a quarter of the shorter's sentences (and at least 3) shared.
		// 11 equal give containment 0.158, 7 give 0.104 (under half the bar).
		{name: "containment 0.247, all sentences", eq: 18, aShingles: 100, bShingles: 100, aSents: 20, bSents: 20, shared: 20, want: true},
		{name: "edited: containment 0.158, 3 of 10 sentences", eq: 11, aShingles: 100, bShingles: 100, aSents: 10, bSents: 10, shared: 3, want: true},
		{name: "edited: containment 0.158, 2 of 5 sentences", eq: 11, aShingles: 100, bShingles: 100, aSents: 5, bSents: 5, shared: 2, want: false},
		{name: "edited: containment 0.158, 3 of 20 sentences", eq: 11, aShingles: 100, bShingles: 100, aSents: 20, bSents: 20, shared: 3, want: false},
		{name: "edited: containment 0.104, all sentences", eq: 7, aShingles: 100, bShingles: 100, aSents: 10, bSents: 10, shared: 10, want: false},
		// Short wire copy inside a long article: Jaccard 0.12, containment 0.94.
		{name: "short copy in a long article", eq: 15, aShingles: 100, bShingles: 800, aSents: 5, bSents: 40, shared: 4, want: true},
		{name: "short copy, sides swapped", eq: 15, aShingles: 800, bShingles: 100, aSents: 40, bSents: 5, shared: 4, want: true},
		{name: "a is empty", eq: k, aShingles: 0, bShingles: 400, aSents: 10, bSents: 10, shared: 10, flagA: signature.FlagEmpty, want: false},
		{name: "b is empty", eq: k, aShingles: 400, bShingles: 0, aSents: 10, bSents: 10, shared: 10, flagB: signature.FlagEmpty, want: false},
		{name: "no sentences at all", eq: k, aShingles: 400, bShingles: 400, want: false},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			a, b := tt.build()
			cp, ok := verifyCopy(a, b, p)
			if ok != tt.want {
				t.Errorf("verifyCopy = %v (containment %.3f, shared %d), want %v", ok, cp.Containment, cp.SharedSentences, tt.want)
			}
			if ok && (cp.SharedSentences != tt.shared || cp.Containment != signature.Containment(a, b)) {
				t.Errorf("evidence %+v, want %d shared sentences, containment %v", cp, tt.shared, signature.Containment(a, b))
			}
			cp2, ok2 := verifyCopy(b, a, p)
			if ok2 != ok || cp2 != cp {
				t.Errorf("not symmetric: %+v %v vs %+v %v", cp, ok, cp2, ok2)
			}
		})
	}
	// Languages: identical texts in two known languages are no copy (a
	// translation is a rewrite); an unknown language (a version-1
	// signature, a text too short to tell) rules nothing out.
	for _, langs := range [][2]string{{"fr", "de"}, {"zh", "ja"}, {"", "de"}, {"ru", "ru"}, {"", ""}} {
		a, b := copyCase{eq: k, aShingles: 400, bShingles: 400, aSents: 10, bSents: 10, shared: 10}.build()
		a.Lang, b.Lang = langs[0], langs[1]
		want := langs[0] == "" || langs[1] == "" || langs[0] == langs[1]
		if _, ok := verifyCopy(a, b, p); ok != want {
			t.Errorf("identical texts in languages %q and %q: copy %v, want %v", langs[0], langs[1], ok, want)
		}
	}
	// The thresholds are parameters.
	a, b := copyCase{eq: 18, aShingles: 100, bShingles: 100, aSents: 20, bSents: 20, shared: 2}.build()
	q := p
	q.CopyContainment = 0.2
	if _, ok := verifyCopy(a, b, q); !ok {
		t.Error("CopyContainment 0.2: containment 0.247 with 2 sentences not accepted")
	}
	q.CopyMinSentences = 3
	if _, ok := verifyCopy(a, b, q); ok {
		t.Error("CopyMinSentences 3: 2 shared sentences accepted")
	}
}

func TestContainmentFormulaUsedByVerify(t *testing.T) {
	// 23 equal positions: J = 23/128, containment 2J/(1+J) for equal sizes.
	a, b := copyCase{eq: 23, aShingles: 100, bShingles: 100}.build()
	j := 23.0 / 128
	if got, want := signature.Containment(a, b), 2*j/(1+j); math.Abs(got-want) > 1e-12 {
		t.Errorf("containment %v, want %v", got, want)
	}
}

func TestLSHCandidates(t *testing.T) {
	p := DefaultParams()
	a, b, c, d := synth("a", ""), synth("b", ""), synth("c", ""), synth("d", "")
	// b agrees with a on exactly one band (the third), c on everything,
	// d on all but one value of every band.
	copy(b.MinHash[2*p.LSHRows:3*p.LSHRows], a.MinHash[2*p.LSHRows:3*p.LSHRows])
	copy(c.MinHash, a.MinHash)
	copy(d.MinHash, a.MinHash)
	for band := 0; band < p.LSHBands; band++ {
		d.MinHash[band*p.LSHRows]++
	}
	got := map[[2]int32]int{}
	for _, pr := range lshCandidates([]*signature.Signature{a, b, c, d}, p) {
		if pr[0] >= pr[1] {
			t.Errorf("candidate %v not ordered", pr)
		}
		got[pr]++
	}
	if got[[2]int32{0, 1}] != 1 || got[[2]int32{0, 2}] != p.LSHBands || got[[2]int32{1, 2}] != 1 {
		t.Errorf("candidates %v", got)
	}
	for pr := range got {
		if pr[0] == 3 || pr[1] == 3 {
			t.Errorf("d differs in every band but is a candidate: %v", pr)
		}
	}
	// Empty signatures and oversized buckets propose nothing.
	e := synth("e", "")
	copy(e.MinHash, a.MinHash)
	e.Flags = signature.FlagEmpty
	if c := lshCandidates([]*signature.Signature{a, e}, p); len(c) != 0 {
		t.Errorf("empty signature proposed: %v", c)
	}
	p.MaxBucket = 2
	if c := lshCandidates([]*signature.Signature{a, c, synth("f", "")}, p); len(c) != p.LSHBands {
		t.Errorf("bucket of 2 within MaxBucket 2: %d candidates", len(c))
	}
	f := synth("f", "")
	copy(f.MinHash, a.MinHash)
	if c := lshCandidates([]*signature.Signature{a, c, f}, p); len(c) != 0 {
		t.Errorf("bucket of 3 over MaxBucket 2 proposed %d pairs", len(c))
	}
}

func TestCopyGroups(t *testing.T) {
	tests := []struct {
		name  string
		n     int
		pairs [][2]int
		want  [][]int
	}{
		{"nothing", 0, nil, nil},
		{"singletons", 3, nil, [][]int{{0}, {1}, {2}}},
		{"one pair", 3, [][2]int{{0, 2}}, [][]int{{0, 2}, {1}}},
		{"transitive chain", 4, [][2]int{{0, 1}, {1, 2}, {2, 3}}, [][]int{{0, 1, 2, 3}}},
		{"pairs in any order", 6, [][2]int{{4, 0}, {3, 1}, {1, 4}}, [][]int{{0, 1, 3, 4}, {2}, {5}}},
		{"two groups", 7, [][2]int{{5, 6}, {0, 3}, {3, 5}, {1, 2}}, [][]int{{0, 3, 5, 6}, {1, 2}, {4}}},
		{"repeated pair", 3, [][2]int{{0, 1}, {1, 0}, {0, 1}}, [][]int{{0, 1}, {2}}},
		{"star", 5, [][2]int{{2, 0}, {2, 1}, {2, 3}, {2, 4}}, [][]int{{0, 1, 2, 3, 4}}},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			var pairs []CopyPair
			for _, p := range tt.pairs {
				pairs = append(pairs, CopyPair{A: p[0], B: p[1]})
			}
			got := copyGroups(tt.n, pairs)
			if len(got) == 0 && len(tt.want) == 0 {
				return
			}
			if !reflect.DeepEqual(got, tt.want) {
				t.Errorf("copyGroups = %v, want %v", got, tt.want)
			}
		})
	}
	// A long chain given in scrambled order stays one group.
	const n = 1000
	var pairs []CopyPair
	for i := n - 1; i > 0; i -= 2 {
		pairs = append(pairs, CopyPair{A: i, B: i - 1})
	}
	for i := 1; i < n-1; i += 2 {
		pairs = append(pairs, CopyPair{A: i + 1, B: i})
	}
	if g := copyGroups(n, pairs); len(g) != 1 || len(g[0]) != n {
		t.Errorf("chain of %d: %d groups", n, len(g))
	}
}

// TestCopyPairsFromEdges: a partial copy with a low Jaccard (short wire
// text inside a long article) is found through a high-cosine story edge
// even though LSH does not propose it.
func TestCopyPairsFromEdges(t *testing.T) {
	p := DefaultParams()
	a, b := copyCase{eq: 15, aShingles: 100, bShingles: 900, aSents: 5, bSents: 40, shared: 4}.build()
	if c := lshCandidates([]*signature.Signature{a, b}, p); len(c) != 0 {
		t.Fatalf("test construction: LSH proposes %v", c)
	}
	sigs := []*signature.Signature{a, b}
	if got := copyPairs(sigs, nil, p); len(got) != 0 {
		t.Errorf("no edges, no LSH: pairs %+v", got)
	}
	edges := []edge{{i: 0, j: 1, sim: 0.5, cos: float32(p.CopyCandidateCosine)}}
	got := copyPairs(sigs, edges, p)
	if len(got) != 1 || got[0].A != 0 || got[0].B != 1 || got[0].SharedSentences != 4 {
		t.Errorf("pairs %+v, want (0, 1) with 4 shared sentences", got)
	}
	edges[0].cos = float32(p.CopyCandidateCosine) - 0.01
	if got := copyPairs(sigs, edges, p); len(got) != 0 {
		t.Errorf("edge below CopyCandidateCosine proposed %+v", got)
	}
}
