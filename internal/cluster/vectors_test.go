package cluster

import (
	"fmt"
	"math"
	"testing"

	"github.com/newsdedup/newsdedup/internal/signature"
)

func TestParseDay(t *testing.T) {
	tests := []struct {
		in   string
		want int32
	}{
		{"1970-01-01", 0},
		{"1970-01-02", 1},
		{"1969-12-31", -1},
		{"2023-12-07", 19698},
		{"2024-02-29", 19782},
		{"", noDate},
		{"2023-13-01", noDate},
		{"2023-02-30", noDate},
		{"07/12/2023", noDate},
		{"2023-12-07T10:00:00Z", noDate},
	}
	for _, tt := range tests {
		if got := parseDay(tt.in); got != tt.want {
			t.Errorf("parseDay(%q) = %d, want %d", tt.in, got, tt.want)
		}
	}
}

func TestTimeFactor(t *testing.T) {
	p := DefaultParams()
	day := parseDay("2023-12-07")
	decay := func(d int) float64 {
		x := float64(d-p.FullWeightDays) / p.DecayDays
		return max(math.Exp(-x*x/2), p.FarFactor)
	}
	tests := []struct {
		name string
		a, b int32
		want float64
	}{
		{"same day", day, day, 1},
		{"one day", day, day + 1, 1},
		{"two days", day, day + 2, decay(2)},
		{"three days, reversed", day + 3, day, decay(3)},
		{"MaxDays", day, day + int32(p.MaxDays), p.FarFactor},
		{"beyond MaxDays", day, day + int32(p.MaxDays) + 1, p.FarFactor},
		{"a month", day, day - 30, p.FarFactor},
		{"FarDays", day, day + int32(p.FarDays), p.FarFactor},
		{"beyond FarDays", day, day + int32(p.FarDays) + 1, 0},
		// A missing date is unknown, not evidence against.
		{"one undated", noDate, day, 1},
		{"other undated", day, noDate, 1},
		{"both undated", noDate, noDate, 1},
	}
	for _, tt := range tests {
		if got := timeFactor(tt.a, tt.b, p); math.Abs(got-tt.want) > 1e-12 {
			t.Errorf("%s: timeFactor = %v, want %v", tt.name, got, tt.want)
		}
	}
	// Monotone non-increasing in the gap, symmetric, within [0, 1].
	prev := 2.0
	for d := int32(0); d <= int32(p.FarDays)+2; d++ {
		f := timeFactor(day, day+d, p)
		if f > prev || f < 0 || f > 1 || f != timeFactor(day+d, day, p) {
			t.Errorf("gap %d: factor %v after %v (or not symmetric)", d, f, prev)
		}
		prev = f
	}
	// Two days apart is still nearly the same news cycle; from about four
	// days on, only text as similar as a typical same-story pair links.
	if decay(2) < 0.8 || decay(4) != p.FarFactor {
		t.Errorf("default decay: 2 days %.3f, 4 days %.3f", decay(2), decay(4))
	}
}

// weightOf returns the weight of term text in article i's vector.
func weightOf(t *testing.T, c *corpus, ids map[string]int32, i int, text string) float64 {
	t.Helper()
	for _, e := range c.vecs[i] {
		if e.term == ids[text] {
			return float64(e.w)
		}
	}
	t.Fatalf("article %d has no term %q", i, text)
	return 0
}

// termIDs recovers term ids in order of first appearance, as buildCorpus
// assigns them.
func termIDs(sigs []*signature.Signature) map[string]int32 {
	ids := map[string]int32{}
	for _, s := range sigs {
		for _, t := range s.Terms {
			if _, ok := ids[t.Text]; !ok {
				ids[t.Text] = int32(len(ids))
			}
		}
	}
	return ids
}

func TestBuildCorpusIDF(t *testing.T) {
	sigs := []*signature.Signature{
		synth("a", "", "common:3", "rare:3", "name:3", "plain:3"),
		synth("b", "", "common", "+name", "plain", "other"),
		synth("c", "", "common", "other"),
		synth("d", "", "common", "other"),
	}
	p := DefaultParams()
	c := buildCorpus(sigs, p)
	ids := termIDs(sigs)
	if len(c.df) != len(ids) {
		t.Fatalf("%d document frequencies, %d terms", len(c.df), len(ids))
	}
	for text, want := range map[string]int32{"common": 4, "rare": 1, "name": 2, "plain": 2, "other": 3} {
		if got := c.df[ids[text]]; got != want {
			t.Errorf("df(%s) = %d, want %d", text, got, want)
		}
	}
	common, rare := weightOf(t, c, ids, 0, "common"), weightOf(t, c, ids, 0, "rare")
	if !(rare > common) {
		t.Errorf("equal counts: rare term weight %v not above the term in every article %v", rare, common)
	}
	// idf is ln((1+N)/(1+df)) + 1: the ratio of the two weights.
	if want := (math.Log(5.0/2) + 1) / (math.Log(5.0/5) + 1); math.Abs(rare/common-want) > 1e-5 {
		t.Errorf("rare/common = %v, want idf ratio %v", rare/common, want)
	}
	// A name weighs NameBoost times a plain word of equal df and count, in
	// every article: only b writes "name" as a name, a's weight is boosted
	// too (docs/QUALITY.md: a flag per article measured worse).
	if got := weightOf(t, c, ids, 0, "name") / weightOf(t, c, ids, 0, "plain"); math.Abs(got-p.NameBoost) > 1e-5 {
		t.Errorf("name/plain = %v, want NameBoost %v", got, p.NameBoost)
	}
	// Term frequency is dampened: 1 + ln tf (e² occurrences weigh 3).
	tfSigs := []*signature.Signature{synth("t", "", "x:1", "y:7.389056")}
	tc := buildCorpus(tfSigs, p)
	tids := termIDs(tfSigs)
	if got := weightOf(t, tc, tids, 0, "y") / weightOf(t, tc, tids, 0, "x"); math.Abs(got-3) > 1e-5 {
		t.Errorf("tf e² vs 1: weight ratio %v, want 3", got)
	}
	for i, v := range c.vecs {
		var n float64
		for k, e := range v {
			n += float64(e.w) * float64(e.w)
			if k > 0 && v[k-1].term >= e.term {
				t.Errorf("vector %d not sorted by term id", i)
			}
		}
		if math.Abs(n-1) > 1e-5 {
			t.Errorf("vector %d has squared norm %v", i, n)
		}
		if cos := cosine(v, v); math.Abs(cos-1) > 1e-5 {
			t.Errorf("cosine(v%d, v%d) = %v", i, i, cos)
		}
	}
	// The idf comes from the corpus: the same two articles are less
	// similar through a term that is common in the corpus around them.
	a, b := synth("a", "", "s", "u1"), synth("b", "", "s", "u2")
	rareCorpus := buildCorpus([]*signature.Signature{a, b, synth("f1", "", "f1"), synth("f2", "", "f2"), synth("f3", "", "f3")}, p)
	commonCorpus := buildCorpus([]*signature.Signature{a, b, synth("g1", "", "s", "f1"), synth("g2", "", "s", "f2"), synth("g3", "", "s", "f3")}, p)
	cr, cc := cosine(rareCorpus.vecs[0], rareCorpus.vecs[1]), cosine(commonCorpus.vecs[0], commonCorpus.vecs[1])
	// ln(6/3)+1 against ln(6/2)+1, then ln(6/6)+1 against ln(6/2)+1.
	idf := func(df float64) float64 { return math.Log(6/(1+df)) + 1 }
	wantR := idf(2) * idf(2) / (idf(2)*idf(2) + idf(1)*idf(1))
	wantC := idf(5) * idf(5) / (idf(5)*idf(5) + idf(1)*idf(1))
	if math.Abs(cr-wantR) > 1e-5 || math.Abs(cc-wantC) > 1e-5 || !(cc < cr) {
		t.Errorf("cosine through s: rare %v (want %v), common %v (want %v)", cr, wantR, cc, wantC)
	}
}

func TestBuildCorpusDates(t *testing.T) {
	// Dates read from the text are shown, not used to link articles.
	dated := synth("d", "2023-12-07")
	fromText := synth("e", "2023-12-07")
	fromText.Flags |= signature.FlagDateFromText
	c := buildCorpus([]*signature.Signature{dated, fromText, synth("f", ""), synth("g", "not a date")}, DefaultParams())
	if c.days[0] != parseDay("2023-12-07") || c.days[1] != noDate || c.days[2] != noDate || c.days[3] != noDate {
		t.Errorf("days %v", c.days)
	}
}

func TestCosine(t *testing.T) {
	a := []entry{{0, 0.6}, {2, 0.8}}
	b := []entry{{1, 1}}
	c := []entry{{0, 0.8}, {1, 0.6}}
	tests := []struct {
		x, y []entry
		want float64
	}{
		{a, a, 1},
		{a, b, 0},
		{a, c, 0.48},
		{c, b, 0.6},
		{nil, a, 0},
	}
	for _, tt := range tests {
		if got := cosine(tt.x, tt.y); math.Abs(got-tt.want) > 1e-6 || got != cosine(tt.y, tt.x) {
			t.Errorf("cosine(%v, %v) = %v, want %v (symmetric)", tt.x, tt.y, got, tt.want)
		}
	}
}

func TestStoryEdges(t *testing.T) {
	p := DefaultParams()
	p.Workers = 3
	sigs := []*signature.Signature{
		synth("a", "2023-12-07", "+putin:3", "moscow:2", "raisi:2"),
		synth("b", "2023-12-07", "+putin:2", "moscow:2", "gaza"),
		synth("c", "2023-12-10", "+putin", "moscow", "raisi"),
		synth("d", "2023-12-30", "+putin:3", "moscow:2", "raisi:2"), // beyond MaxDays, found by its rare terms
		synth("e", "2023-12-07", "election", "ballot"),              // shares nothing
		synth("f", "", "+putin", "gaza", "drone"),                   // undated
	}
	c := buildCorpus(sigs, p)
	edges := storyEdges(c, p)
	got := map[[2]int32]edge{}
	for k, e := range edges {
		if e.i >= e.j {
			t.Errorf("edge %d: i %d >= j %d", k, e.i, e.j)
		}
		if k > 0 && (edges[k-1].i > e.i || edges[k-1].i == e.i && edges[k-1].j >= e.j) {
			t.Errorf("edges not sorted and unique at %d", k)
		}
		got[[2]int32{e.i, e.j}] = e
	}
	for _, pair := range [][2]int32{{0, 1}, {0, 2}, {1, 2}, {0, 5}, {1, 5}} {
		e, ok := got[pair]
		if !ok {
			t.Errorf("pair %v missing; edges %+v", pair, edges)
			continue
		}
		cos := cosine(c.vecs[pair[0]], c.vecs[pair[1]])
		want := cos * timeFactor(c.days[pair[0]], c.days[pair[1]], p)
		if math.Abs(float64(e.cos)-cos) > 1e-6 || math.Abs(float64(e.sim)-want) > 1e-6 {
			t.Errorf("pair %v: cos %v sim %v, want %v %v", pair, e.cos, e.sim, cos, want)
		}
	}
	for pair := range got {
		if pair[0] == 4 || pair[1] == 4 {
			t.Errorf("unexpected edge %v", pair)
		}
	}
	// d, 23 days after a, shares its rare names: a candidate at FarFactor.
	if e, ok := got[[2]int32{0, 3}]; !ok || math.Abs(float64(e.sim)-float64(e.cos)*p.FarFactor) > 1e-6 {
		t.Errorf("follow-up 23 days later: edge %+v (found %v), want sim = cos × FarFactor", e, ok)
	}
	// Past MaxDays only rare terms propose pairs: with none, d is alone.
	p.RarePosting = 0
	for _, e := range storyEdges(buildCorpus(sigs, p), p) {
		if (e.i == 3 || e.j == 3) && e.j != 5 {
			t.Errorf("RarePosting 0: edge %+v past MaxDays", e)
		}
	}
	p.RarePosting = DefaultParams().RarePosting
	if _, ok := got[[2]int32{3, 5}]; !ok {
		t.Error("an undated article links at any distance: pair (3, 5) missing")
	}
	if e := got[[2]int32{0, 2}]; !(e.sim < e.cos) {
		t.Errorf("three days apart: sim %v not below cos %v", e.sim, e.cos)
	}

	// A term in more than MaxPosting articles proposes no pair.
	p.MaxPosting = 1
	pairOnly := []*signature.Signature{synth("x", "", "shared", "u1"), synth("y", "", "shared", "u2")}
	if e := storyEdges(buildCorpus(pairOnly, p), p); len(e) != 0 {
		t.Errorf("MaxPosting 1: edges %+v", e)
	}
	p.MaxPosting = 2
	if e := storyEdges(buildCorpus(pairOnly, p), p); len(e) != 1 {
		t.Errorf("MaxPosting 2: edges %+v", e)
	}
	// A pair below EdgeFloor and CopyCandidateCosine is dropped.
	p = DefaultParams()
	weak := []*signature.Signature{
		synth("x", "", "shared", "a1:9", "a2:9", "a3:9", "a4:9", "a5:9"),
		synth("y", "", "shared", "b1:9", "b2:9", "b3:9", "b4:9", "b5:9"),
	}
	wc := buildCorpus(weak, p)
	if cos := cosine(wc.vecs[0], wc.vecs[1]); cos >= p.EdgeFloor {
		t.Fatalf("test construction: cos %v", cos)
	}
	if e := storyEdges(wc, p); len(e) != 0 {
		t.Errorf("similarity below EdgeFloor kept: %+v", e)
	}
}

func TestStoryEdgesWorkersAgree(t *testing.T) {
	sigs := basil(t)
	p := DefaultParams()
	c := buildCorpus(sigs, p)
	p.Workers = 1
	one := storyEdges(c, p)
	for _, w := range []int{2, 3, 7} {
		p.Workers = w
		if got := storyEdges(c, p); len(got) != len(one) {
			t.Errorf("%d workers: %d edges, 1 worker %d", w, len(got), len(one))
		} else {
			for k := range got {
				if got[k] != one[k] {
					t.Errorf("%d workers: edge %d %+v, 1 worker %+v", w, k, got[k], one[k])
					break
				}
			}
		}
	}
}

// TestStoryEdgesMatchBruteForce: with every shared term indexed (no term
// in more than MaxPosting articles) and rare enough to look FarDays ahead,
// the candidate search finds exactly the pairs an all-pairs scan keeps.
// With the default RarePosting it finds a subset that holds every pair
// within MaxDays or undated.
func TestStoryEdgesMatchBruteForce(t *testing.T) {
	for _, rare := range []int{1 << 20, DefaultParams().RarePosting} {
		t.Run(fmt.Sprintf("RarePosting %d", rare), func(t *testing.T) { testStoryEdgesBruteForce(t, rare) })
	}
}

func testStoryEdgesBruteForce(t *testing.T, rare int) {
	sigs := append(append([]*signature.Signature{}, basil(t)...), seeds(t)...)
	// Some undated articles too: they meet every article.
	for i := 0; i < len(sigs); i += 7 {
		s := *sigs[i]
		s.Date = ""
		sigs[i] = &s
	}
	p := DefaultParams()
	p.RarePosting = rare
	c := buildCorpus(sigs, p)
	got := map[[2]int32]edge{}
	for _, e := range storyEdges(c, p) {
		got[[2]int32{e.i, e.j}] = e
	}
	near := func(x, threshold float64) bool { return math.Abs(x-threshold) < 1e-5 }
	all := rare >= len(sigs)
	want := 0
	for i := range sigs {
		for j := i + 1; j < len(sigs); j++ {
			tf := timeFactor(c.days[i], c.days[j], p)
			cos := cosine(c.vecs[i], c.vecs[j])
			keep := tf > 0 && (cos*tf >= p.EdgeFloor || cos >= p.CopyCandidateCosine)
			e, ok := got[[2]int32{int32(i), int32(j)}]
			if keep {
				want++
			}
			gap := c.days[i] - c.days[j]
			inWindow := c.days[i] == noDate || c.days[j] == noDate || max(gap, -gap) <= int32(p.MaxDays)
			if ok != keep && (ok || all || inWindow) && !near(cos*tf, p.EdgeFloor) && !near(cos, p.CopyCandidateCosine) {
				t.Errorf("pair %d,%d (cos %.4f, tf %.3f): edge %v, brute force %v", i, j, cos, tf, ok, keep)
			}
			if ok && (math.Abs(float64(e.cos)-cos) > 1e-6 || math.Abs(float64(e.sim)-cos*tf) > 1e-6) {
				t.Errorf("pair %d,%d: edge %+v, want cos %v sim %v", i, j, e, cos, cos*tf)
			}
		}
	}
	t.Logf("%d articles: %d edges, brute force %d", len(sigs), len(got), want)
}
