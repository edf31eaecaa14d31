package cluster

import (
	"fmt"
	"math"
	"reflect"
	"sort"
	"strings"
	"testing"

	"github.com/newsdedup/newsdedup/internal/eval"
	"github.com/newsdedup/newsdedup/internal/signature"
)

func TestRunEmptyAndSingle(t *testing.T) {
	r := Run(nil, DefaultParams())
	if len(r.Stories) != 0 || len(r.CopyGroups) != 0 || len(r.CopyPairs) != 0 {
		t.Errorf("Run(nil) = %+v", r)
	}
	one := []*signature.Signature{synth("a", "2023-12-07", "putin")}
	r = Run(one, DefaultParams())
	checkResult(t, 1, r)
	if len(r.Stories) != 1 || r.Stories[0].Central != 0 {
		t.Errorf("Run(one) = %+v", r)
	}
	// Signatures without terms or with an empty MinHash are singletons.
	empty := &signature.Signature{Key: "empty", Flags: signature.FlagEmpty, MinHash: make([]uint32, signature.K)}
	r = Run([]*signature.Signature{empty, synth("b", ""), empty}, DefaultParams())
	checkResult(t, 3, r)
	if len(r.Stories) != 3 || len(r.CopyGroups) != 0 {
		t.Errorf("empty signatures: %+v", r)
	}
	// Workers 0 (or negative) still works.
	p := DefaultParams()
	p.Workers = 0
	checkResult(t, 5, Run(seeds(t), p))
}

func TestRunSeeds(t *testing.T) {
	sigs := seeds(t)
	r := Run(sigs, DefaultParams())
	checkResult(t, len(sigs), r)
	if len(r.Stories) != 1 || len(r.Stories[0].Members) != 5 {
		t.Errorf("seeds: stories %q, want one story of all five", byKeys(sigs, storyGroups(r)))
	}
	groups := byKeys(sigs, r.CopyGroups)
	if len(groups) != 1 || !strings.HasPrefix(groups[0], "001_") || !strings.Contains(groups[0], " 003_") || len(splitKeys(groups[0])) != 2 {
		t.Errorf("seeds: copy groups %q, want exactly {001, 003}", groups)
	}
	if len(r.CopyPairs) != 1 || r.CopyPairs[0].SharedSentences < DefaultParams().CopyMinSentences ||
		r.CopyPairs[0].Containment < DefaultParams().CopyContainment {
		t.Errorf("seeds: copy pairs %+v", r.CopyPairs)
	}
	t.Logf("seeds: copy pair %+v, central %s", r.CopyPairs, sigs[r.Stories[0].Central].Key)
}

// TestRunRelationsNeedOneLanguage: two known languages are never copies nor
// rewrites (a translation is another relation), through Run and the
// Builder, which keep only part of each signature; an unknown language
// rules nothing out. In the seeds 003 copies 001 and 000 retells it.
func TestRunRelationsNeedOneLanguage(t *testing.T) {
	for _, langs := range [][2]string{{"en", "en"}, {"", ""}, {"de", "fr"}} { // of 000 and 003; the rest en
		var sigs []*signature.Signature
		for _, s := range seeds(t) {
			c := *s
			switch {
			case strings.HasPrefix(c.Key, "000_"):
				c.Lang = langs[0]
			case strings.HasPrefix(c.Key, "003_"):
				c.Lang = langs[1]
			default:
				c.Lang = "en"
			}
			sigs = append(sigs, &c)
		}
		r := Run(sigs, DefaultParams())
		want := 1
		if langs[0] == "de" {
			want = 0
		}
		if len(r.CopyGroups) != want || len(r.Rewrites) != want {
			t.Errorf("000 in %q, 003 in %q, the rest in en: copy groups %q, %d rewrites; want %d of each",
				langs[0], langs[1], byKeys(sigs, r.CopyGroups), len(r.Rewrites), want)
		}
	}
}

func TestRunBASIL(t *testing.T) {
	sigs := basil(t)
	r := Run(sigs, DefaultParams())
	checkResult(t, len(sigs), r)
	if len(r.CopyGroups) != 0 || len(r.CopyPairs) != 0 {
		t.Errorf("BASIL: independent reports, yet copy groups %q", byKeys(sigs, r.CopyGroups))
	}
	pred := eval.Partition{}
	for k, s := range r.Stories {
		for _, m := range s.Members {
			pred[sigs[m].Key] = fmt.Sprint(k)
		}
	}
	sc, err := eval.Score(pred, basilTruth(t))
	if err != nil {
		t.Fatal(err)
	}
	t.Logf("BASIL: %d stories; %s", len(r.Stories), sc)
	if sc.Items != 300 || sc.ARI < 0.97 {
		t.Errorf("BASIL: ARI %.4f over %d items, want >= 0.97", sc.ARI, sc.Items)
	}
	// Our own ARI agrees with eval's.
	if ari := adjustedRand(pred, basilTruth(t)); abs(ari-sc.ARI) > 1e-9 {
		t.Errorf("ARI: eval %v, recomputed %v", sc.ARI, ari)
	}
}

// adjustedRand is an independent ARI from the contingency table.
func adjustedRand(pred, truth eval.Partition) float64 {
	table := map[[2]string]int{}
	rows, cols := map[string]int{}, map[string]int{}
	n := 0
	for item, tc := range truth {
		pc := pred[item]
		if pc == "" {
			pc = "singleton:" + item
		}
		if tc == "" {
			tc = "singleton:" + item
		}
		table[[2]string{pc, tc}]++
		rows[pc]++
		cols[tc]++
		n++
	}
	c2 := func(x int) float64 { return float64(x) * float64(x-1) / 2 }
	var sumIJ, sumA, sumB float64
	for _, v := range table {
		sumIJ += c2(v)
	}
	for _, v := range rows {
		sumA += c2(v)
	}
	for _, v := range cols {
		sumB += c2(v)
	}
	expected := sumA * sumB / c2(n)
	return (sumIJ - expected) / ((sumA+sumB)/2 - expected)
}

func abs(x float64) float64 {
	if x < 0 {
		return -x
	}
	return x
}

func TestRunDeterministic(t *testing.T) {
	sigs := append(append([]*signature.Signature{}, basil(t)...), seeds(t)...)
	p := DefaultParams()
	p.Workers = 1
	first := Run(sigs, p)
	checkResult(t, len(sigs), first)
	for _, w := range []int{1, 2, 4, 9} {
		p.Workers = w
		if got := Run(sigs, p); !reflect.DeepEqual(got, first) {
			t.Errorf("%d workers: result differs from 1 worker", w)
		}
	}
}

// TestRunOrderIndependent: shuffling the input gives the same partition,
// compared by keys, and the same copy groups.
func TestRunOrderIndependent(t *testing.T) {
	sigs := append(append([]*signature.Signature{}, basil(t)...), seeds(t)...)
	p := DefaultParams()
	base := Run(sigs, p)
	wantStories, wantCopies := byKeys(sigs, storyGroups(base)), byKeys(sigs, base.CopyGroups)
	for trial := uint64(0); trial < 5; trial++ {
		rng := newRand(100 + trial)
		shuffled := append([]*signature.Signature{}, sigs...)
		rng.Shuffle(len(shuffled), func(i, j int) { shuffled[i], shuffled[j] = shuffled[j], shuffled[i] })
		if trial == 0 { // reversed
			for i, j := 0, len(shuffled)-1; i < j; i, j = i+1, j-1 {
				shuffled[i], shuffled[j] = shuffled[j], shuffled[i]
			}
		}
		r := Run(shuffled, p)
		checkResult(t, len(shuffled), r)
		if got := byKeys(shuffled, storyGroups(r)); !reflect.DeepEqual(got, wantStories) {
			t.Errorf("shuffle %d: stories differ in %s", trial, diffGroups(got, wantStories))
		}
		if got := byKeys(shuffled, r.CopyGroups); !reflect.DeepEqual(got, wantCopies) {
			t.Errorf("shuffle %d: copy groups %q, want %q", trial, got, wantCopies)
		}
	}
}

func diffGroups(got, want []string) string {
	in := func(list []string, s string) bool {
		for _, x := range list {
			if x == s {
				return true
			}
		}
		return false
	}
	var b strings.Builder
	for _, g := range got {
		if !in(want, g) {
			fmt.Fprintf(&b, "\n  extra   %q", g)
		}
	}
	for _, g := range want {
		if !in(got, g) {
			fmt.Fprintf(&b, "\n  missing %q", g)
		}
	}
	return b.String()
}

// TestRunCopiesStayTogether: a copy keeps its group's story even when its
// terms say nothing (a wire text with a new, unrelated vocabulary around
// it is still the same text).
func TestRunCopiesStayTogether(t *testing.T) {
	a := synth("wire", "2023-12-07", "+putin:3", "+raisi:3", "moscow:2")
	b := synth("copy", "2023-12-07", "election:3", "ballot:3", "turnout:2")
	c := synth("other", "2023-12-07", "election:3", "ballot:3", "turnout:2")
	copy(b.MinHash, a.MinHash)
	a.Sentences = fingerprints(9, 12)
	b.Sentences = append([]uint64{}, a.Sentences...)
	sigs := []*signature.Signature{a, b, c}
	r := Run(sigs, DefaultParams())
	checkResult(t, 3, r)
	if got := byKeys(sigs, r.CopyGroups); !reflect.DeepEqual(got, []string{"copy wire"}) {
		t.Fatalf("copy groups %q", got)
	}
	if so := storyIndex(r); so[0] != so[1] {
		t.Errorf("copy group split across stories: %q", byKeys(sigs, storyGroups(r)))
	}
}

func storyIndex(r Result) map[int]int {
	out := map[int]int{}
	for k, s := range r.Stories {
		for _, m := range s.Members {
			out[m] = k
		}
	}
	return out
}

// TestRunDates: the same text on far-apart days is two stories.
// TestRunTime: how publication dates weigh on the story relation. A
// local shooting (a1, a2) is followed weeks later by the arrest; other
// shootings (other names, same kind of words) fill the corpus, so that
// "shooting" and "police" are common and the names are what is rare.
func TestRunTime(t *testing.T) {
	story := []string{"+okafor:3", "+elm street:2", "+dunmore:2", "shooting:2", "police", "wounded"}
	// A council story of the same town that mentions the shooting: as alike
	// as reports of two stories of one place are, under the same-story
	// level (StoryThreshold / FarFactor) that a link weeks apart needs.
	weak := []string{"+dunmore", "shooting", "police", "council:2", "budget:2", "vote:2"}
	background := []*signature.Signature{
		synth("a1", "2023-03-01", story...),
		synth("a2", "2023-03-01", "+okafor:2", "+elm street:2", "+dunmore", "shooting:2", "gunfire", "police"),
		synth("o1", "2023-01-10", "+baptiste:3", "+ridge road:2", "shooting:2", "police", "killed"),
		synth("o2", "2023-05-20", "+lindqvist:3", "+harbor lane:2", "shooting:2", "police", "teen"),
		synth("o3", "2023-06-02", "+moreau:3", "+canal street:2", "shooting:2", "police", "bar"),
	}
	tests := []struct {
		name    string
		article *signature.Signature
		joins   bool // joins a1 and a2
	}{
		{"same day", synth("x", "2023-03-01", story...), true},
		{"follow-up 40 days later, same rare names", synth("x", "2023-04-10", "+okafor:3", "+elm street", "+dunmore:2", "arrested:2", "charged", "shooting"), true},
		{"trial 8 months later, same rare names", synth("x", "2023-11-01", "+okafor:3", "+elm street", "+dunmore:2", "trial:2", "jury", "shooting"), true},
		{"look-alike a week later, other names", synth("x", "2023-03-08", "+nakamura:3", "+mill road:2", "+dunmore", "shooting:2", "police", "wounded"), false},
		{"weak likeness, same day: the place and the topic", synth("x", "2023-03-01", weak...), true},
		{"weak likeness 40 days later: the place and the topic", synth("x", "2023-04-10", weak...), false},
		{"same names, more than FarDays later", synth("x", "2024-05-01", "+okafor:3", "+elm street", "+dunmore:2", "trial:2", "jury", "shooting"), false},
		{"undated, same story", synth("x", "", "+okafor:2", "+elm street", "+dunmore", "shooting:2", "wounded"), true},
		{"undated look-alike", synth("x", "", "+nakamura:3", "+mill road:2", "+dunmore", "shooting:2", "police", "wounded"), false},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			sigs := append(append([]*signature.Signature{}, background...), tt.article)
			r := Run(sigs, DefaultParams())
			checkResult(t, len(sigs), r)
			want := []string{"a1 a2", "o1", "o2", "o3", "x"}
			if tt.joins {
				want = []string{"a1 a2 x", "o1", "o2", "o3"}
			}
			got := byKeys(sigs, storyGroups(r))
			sort.Strings(got)
			if !reflect.DeepEqual(got, want) {
				c := buildCorpus(sigs, DefaultParams())
				t.Errorf("stories %q, want %q (cos to a1 %.3f, to a2 %.3f)", got, want,
					cosine(c.vecs[5], c.vecs[0]), cosine(c.vecs[5], c.vecs[1]))
			}
		})
	}
}

// TestRunRandomInvariants: structural promises on random corpora with
// planted copies and overlapping vocabularies.
func TestRunRandomInvariants(t *testing.T) {
	for trial := uint64(0); trial < 20; trial++ {
		rng := newRand(trial)
		n := 5 + rng.IntN(60)
		var sigs []*signature.Signature
		var planted [][2]int
		for i := 0; i < n; i++ {
			var terms []string
			topic := rng.IntN(6)
			for k := 0; k < 3+rng.IntN(8); k++ {
				terms = append(terms, fmt.Sprintf("topic%d-%d:%d", topic, rng.IntN(6), 1+rng.IntN(4)))
			}
			terms = append(terms, fmt.Sprintf("noise%d", rng.IntN(40)))
			date := ""
			if rng.IntN(4) > 0 {
				date = fmt.Sprintf("2023-12-%02d", 1+rng.IntN(20))
			}
			s := synth(fmt.Sprintf("r%d-%d", trial, i), date, terms...)
			s.Sentences = fingerprints(trial<<16|uint64(i), 5+rng.IntN(10))
			if i > 0 && rng.IntN(5) == 0 { // plant a copy of an earlier article
				j := rng.IntN(i)
				copy(s.MinHash, sigs[j].MinHash)
				s.Sentences = append(s.Sentences, sigs[j].Sentences...)
				planted = append(planted, [2]int{j, i})
			}
			sigs = append(sigs, s)
		}
		p := DefaultParams()
		p.Workers = 1 + int(trial%3)
		r := Run(sigs, p)
		checkResult(t, n, r)
		if again := Run(sigs, p); !reflect.DeepEqual(again, r) {
			t.Errorf("trial %d: two runs differ", trial)
		}
		group := map[int]int{}
		for g, members := range r.CopyGroups {
			for _, m := range members {
				group[m] = g + 1
			}
		}
		for _, pl := range planted {
			if group[pl[0]] == 0 || group[pl[0]] != group[pl[1]] {
				t.Errorf("trial %d: planted copy %v not in one copy group (groups %v)", trial, pl, r.CopyGroups)
			}
		}
	}
}

// TestRunOddSignatures: records decoded from storage are not checked for
// sense; clustering must still partition them without panicking.
func TestRunOddSignatures(t *testing.T) {
	nan := float32(math.NaN())
	odd := []*signature.Signature{
		{Key: "nil minhash"},
		{Key: "short minhash", MinHash: make([]uint32, 3)},
		synth("zero weight", "", "putin:0", "moscow"),
		synth("nan weight", "", "putin", "moscow"),
		synth("duplicate terms", "2023-12-07", "putin", "putin", "moscow"),
		synth("bad date", "2023-99-99", "putin", "moscow"),
		synth("normal", "2023-12-07", "putin", "moscow"),
		synth("normal 2", "2023-12-08", "putin", "moscow"),
	}
	odd[3].Terms[0].Weight = nan
	r := Run(odd, DefaultParams())
	checkResult(t, len(odd), r)
	if so := storyIndex(r); so[6] != so[7] {
		t.Errorf("the normal pair was split by odd neighbours: %q", byKeys(odd, storyGroups(r)))
	}
}
