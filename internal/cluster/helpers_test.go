package cluster

import (
	"fmt"
	"math/rand/v2"
	"os"
	"path/filepath"
	"sort"
	"strings"
	"sync"
	"testing"

	"github.com/newsdedup/newsdedup/internal/article"
	"github.com/newsdedup/newsdedup/internal/eval"
	"github.com/newsdedup/newsdedup/internal/signature"
)

const (
	seedDir  = "../../testdata/seeds"
	basilDir = "../../testdata/basil"
)

// synth builds a signature with the given terms ("word" or "word:weight",
// a leading '+' marks a name) and a MinHash of its own random values, so
// that no two synthetic signatures look like copies unless a test says so.
func synth(key, date string, terms ...string) *signature.Signature {
	rng := rand.New(rand.NewPCG(hashKey(key), 7))
	s := &signature.Signature{Key: key, Date: date, Words: 500, Shingles: 400, MinHash: make([]uint32, signature.K)}
	for i := range s.MinHash {
		s.MinHash[i] = rng.Uint32()
	}
	for _, t := range terms {
		tm := signature.Term{Weight: 1}
		if strings.HasPrefix(t, "+") {
			tm.Name, t = true, t[1:]
		}
		if i := strings.IndexByte(t, ':'); i >= 0 {
			var w float32
			fmt.Sscan(t[i+1:], &w)
			tm.Weight, t = w, t[:i]
		}
		tm.Text = t
		s.Terms = append(s.Terms, tm)
	}
	sort.SliceStable(s.Terms, func(i, j int) bool { return s.Terms[i].Weight > s.Terms[j].Weight })
	return s
}

func hashKey(s string) uint64 {
	h := uint64(14695981039346656037)
	for i := 0; i < len(s); i++ {
		h = (h ^ uint64(s[i])) * 1099511628211
	}
	return h
}

// fingerprints returns n sentence fingerprints with four non-empty,
// pseudo-random lanes: fingerprints of different (base, i) share no two
// lanes except by a chance of about 1e-9.
func fingerprints(base uint64, n int) []uint64 {
	out := make([]uint64, n)
	for i := range out {
		h := splitmix(base<<32 | uint64(i))
		var fp uint64
		for l := 0; l < 4; l++ {
			fp |= max(h>>(16*l)&0xffff, 1) << (16 * l)
		}
		out[i] = fp
	}
	return out
}

func splitmix(x uint64) uint64 {
	x += 0x9e3779b97f4a7c15
	x = (x ^ x>>30) * 0xbf58476d1ce4e5b9
	x = (x ^ x>>27) * 0x94d049bb133111eb
	return x ^ x>>31
}

// loadDir parses every file matching pattern under root and computes its
// signature, keyed by its path relative to root.
func loadDir(t testing.TB, root, pattern string) []*signature.Signature {
	t.Helper()
	paths, err := filepath.Glob(filepath.Join(root, pattern))
	if err != nil || len(paths) == 0 {
		t.Fatalf("%s/%s: %d files (%v)", root, pattern, len(paths), err)
	}
	sort.Strings(paths)
	var out []*signature.Signature
	for _, p := range paths {
		data, err := os.ReadFile(p)
		if err != nil {
			t.Fatal(err)
		}
		rel, _ := filepath.Rel(root, p)
		a, err := article.Parse(rel, data, article.Limits{})
		if err != nil {
			t.Fatalf("parse %s: %v", p, err)
		}
		out = append(out, signature.Compute(&a))
	}
	return out
}

var (
	basilOnce sync.Once
	basilSigs []*signature.Signature
	seedOnce  sync.Once
	seedSigs  []*signature.Signature
)

func seeds(t testing.TB) []*signature.Signature {
	seedOnce.Do(func() { seedSigs = loadDir(t, seedDir, "*.txt") })
	if len(seedSigs) != 5 {
		t.Fatalf("%d seeds", len(seedSigs))
	}
	return seedSigs
}

func basil(t testing.TB) []*signature.Signature {
	basilOnce.Do(func() { basilSigs = loadDir(t, basilDir, "articles/*.json") })
	if len(basilSigs) != 300 {
		t.Fatalf("%d BASIL articles", len(basilSigs))
	}
	return basilSigs
}

func basilTruth(t testing.TB) eval.Partition {
	t.Helper()
	f, err := os.Open(filepath.Join(basilDir, "labels.csv"))
	if err != nil {
		t.Fatal(err)
	}
	defer f.Close()
	p, err := eval.ReadLabels(f)
	if err != nil {
		t.Fatal(err)
	}
	return p
}

// byKeys renders groups of indices as sorted groups of keys, sorted: a
// representation of a partition that does not depend on input order.
func byKeys(sigs []*signature.Signature, groups [][]int) []string {
	out := make([]string, 0, len(groups))
	for _, g := range groups {
		keys := make([]string, len(g))
		for i, m := range g {
			keys[i] = sigs[m].Key
		}
		sort.Strings(keys)
		out = append(out, strings.Join(keys, " "))
	}
	sort.Strings(out)
	return out
}

func storyGroups(r Result) [][]int {
	out := make([][]int, len(r.Stories))
	for i, s := range r.Stories {
		out[i] = s.Members
	}
	return out
}

// checkResult asserts the structural promises of a Result.
func checkResult(t *testing.T, n int, r Result) {
	t.Helper()
	storyOf := make([]int, n)
	for i := range storyOf {
		storyOf[i] = -1
	}
	prevFirst := -1
	for k, s := range r.Stories {
		if len(s.Members) == 0 {
			t.Fatalf("story %d is empty", k)
		}
		if !sort.IntsAreSorted(s.Members) {
			t.Errorf("story %d members not sorted: %v", k, s.Members)
		}
		if s.Members[0] <= prevFirst {
			t.Errorf("stories not ordered by first member: %d after %d", s.Members[0], prevFirst)
		}
		prevFirst = s.Members[0]
		central := false
		for _, m := range s.Members {
			if m < 0 || m >= n {
				t.Fatalf("story %d: index %d out of range", k, m)
			}
			if storyOf[m] >= 0 {
				t.Errorf("article %d in stories %d and %d", m, storyOf[m], k)
			}
			storyOf[m] = k
			central = central || m == s.Central
		}
		if !central {
			t.Errorf("story %d: central %d is not a member of %v", k, s.Central, s.Members)
		}
	}
	for i, k := range storyOf {
		if k < 0 {
			t.Errorf("article %d in no story", i)
		}
	}
	inGroup := map[int]int{}
	for g, members := range r.CopyGroups {
		if len(members) < 2 || !sort.IntsAreSorted(members) {
			t.Errorf("copy group %d: %v (want 2+ sorted members)", g, members)
		}
		for _, m := range members {
			if storyOf[m] != storyOf[members[0]] {
				t.Errorf("copy group %v spans stories %d and %d", members, storyOf[members[0]], storyOf[m])
			}
			if h, ok := inGroup[m]; ok {
				t.Errorf("article %d in copy groups %d and %d", m, h, g)
			}
			inGroup[m] = g
		}
	}
	for _, cp := range r.CopyPairs {
		ga, oka := inGroup[cp.A]
		gb, okb := inGroup[cp.B]
		if cp.A >= cp.B || !oka || !okb || ga != gb {
			t.Errorf("copy pair %+v is not inside one copy group", cp)
		}
	}
}

// singleLinkage joins every pair with similarity at least threshold: the
// baseline that chains.
func singleLinkage(n int, edges []edge, threshold float64) [][]int {
	var pairs []CopyPair
	for _, e := range edges {
		if float64(e.sim) >= threshold {
			pairs = append(pairs, CopyPair{A: int(e.i), B: int(e.j)})
		}
	}
	return copyGroups(n, pairs)
}

func newRand(seed uint64) *rand.Rand { return rand.New(rand.NewPCG(seed, 0x5eed)) }

func splitKeys(group string) []string { return strings.Fields(group) }
