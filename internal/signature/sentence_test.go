package signature

import (
	"os"
	"path/filepath"
	"strings"
	"sync"
	"testing"

	"github.com/newsdedup/newsdedup/internal/article"
)

func TestSentenceLanesMatching(t *testing.T) {
	tests := []struct {
		a, b uint64
		want int
	}{
		{0x0001_0002_0003_0004, 0x0001_0002_0003_0004, 4},
		{0x0001_0002_0003_0004, 0x0001_0002_0003_0005, 3},
		{0x0001_0002_0003_0004, 0x0001_0009_0003_0005, 2},
		{0x0001_0002_0003_0004, 0x0009_0009_0009_0004, 1},
		{0x0001_0002_0003_0004, 0x0004_0003_0002_0001, 0}, // lanes are positional
		{0x0000_0002_0000_0004, 0x0000_0002_0000_0004, 2}, // empty lanes never match
		{0, 0, 0},
		{0xffff_ffff_ffff_ffff, 0xffff_ffff_ffff_ffff, 4},
	}
	for _, tt := range tests {
		if got := SentenceLanesMatching(tt.a, tt.b); got != tt.want || got != SentenceLanesMatching(tt.b, tt.a) {
			t.Errorf("SentenceLanesMatching(%016x, %016x) = %d, want %d (symmetric)", tt.a, tt.b, got, tt.want)
		}
	}
}

func TestSharedSentences(t *testing.T) {
	x, y, z := uint64(0x0001_0002_0003_0004), uint64(0x0011_0012_0013_0014), uint64(0x0021_0022_0023_0024)
	near := func(fp uint64) uint64 { return fp ^ 0xff } // one lane differs: still a match
	far := func(fp uint64) uint64 { return fp ^ 0x00ff_00ff_00ff }
	tests := []struct {
		name string
		a, b []uint64
		want int
	}{
		{"none", nil, nil, 0},
		{"a empty", nil, []uint64{x}, 0},
		{"identical", []uint64{x, y, z}, []uint64{x, y, z}, 3},
		{"any order", []uint64{x, y, z}, []uint64{z, x}, 2},
		{"lightly edited", []uint64{x, y}, []uint64{near(x), near(y)}, 2},
		{"one lane only", []uint64{x, y}, []uint64{far(x), far(y)}, 0},
		{"b's sentence used once", []uint64{x, x, x}, []uint64{x}, 1},
		{"repeated in both", []uint64{x, x}, []uint64{x, x, y}, 2},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			if got := SharedSentences(&Signature{Sentences: tt.a}, &Signature{Sentences: tt.b}); got != tt.want {
				t.Errorf("SharedSentences = %d, want %d", got, tt.want)
			}
		})
	}
}

// fingerprint returns the fingerprint of a text holding one sentence.
func fingerprint(t *testing.T, c *Computer, text string) uint64 {
	t.Helper()
	s := c.Compute(art("k", "", text))
	if len(s.Sentences) != 1 {
		t.Fatalf("%q: %d sentence fingerprints, want 1", text, len(s.Sentences))
	}
	return s.Sentences[0]
}

func nonEmptyLanes(fp uint64) int { return SentenceLanesMatching(fp, fp) }

func TestSentenceFingerprintIdentical(t *testing.T) {
	c := NewComputer()
	// Case, closing punctuation, spacing and the surrounding sentences do
	// not change a sentence's fingerprint.
	base := "The ministry said the convoy reached the northern border crossing late on Sunday after a long delay at the checkpoint near the river."
	fp := fingerprint(t, c, base)
	if n := nonEmptyLanes(fp); n != 4 {
		t.Fatalf("a 24-word sentence has %d non-empty lanes, want 4", n)
	}
	variants := []string{
		strings.ToUpper(base),
		strings.TrimSuffix(base, ".") + "!",
		strings.ReplaceAll(base, " ", "   "),
		"Short one. " + base + " Tiny.",
	}
	for _, v := range variants {
		s := c.Compute(art("k", "", v))
		found := false
		for _, f := range s.Sentences {
			if f == fp {
				found = true
			}
		}
		if !found {
			t.Errorf("%q: fingerprint %x not among %x", v, fp, s.Sentences)
		}
	}

	vb := newVocab(20, 20000)
	const n = 2000
	four := 0
	for k := 0; k < n; k++ {
		sent := vb.sentence(25)
		a := fingerprint(t, c, sent)
		b := fingerprint(t, c, "Unrelated opening words here. "+sent)
		if a != b {
			t.Fatalf("%q: fingerprint depends on context", sent)
		}
		lanes := SentenceLanesMatching(a, b)
		if lanes < 3 {
			t.Errorf("%q matches itself on %d lanes", sent, lanes)
		}
		if lanes == 4 {
			four++
		}
	}
	t.Logf("identical 25-word sentences: 4 lanes in %d of %d (%.4f; theory 1-4·(3/4)^23 ≈ 0.995)", four, n, float64(four)/n)
	if float64(four)/n < 0.98 {
		t.Errorf("only %d of %d identical sentences match on 4 lanes", four, n)
	}
}

func TestSentenceFingerprintOneWordChanged(t *testing.T) {
	c := NewComputer()
	v := newVocab(21, 20000)
	const n = 3000
	var hist [5]int
	for k := 0; k < n; k++ {
		ws := v.seq(25)
		a := fingerprint(t, c, sentenceOf(ws))
		pos := v.rng.IntN(len(ws))
		old := ws[pos]
		for ws[pos] == old {
			ws[pos] = v.words[v.rng.IntN(len(v.words))]
		}
		b := fingerprint(t, c, sentenceOf(ws))
		hist[SentenceLanesMatching(a, b)]++
	}
	rate := float64(hist[2]+hist[3]+hist[4]) / n
	t.Logf("one word changed in 25: lanes matching 0:%d 1:%d 2:%d 3:%d 4:%d; ≥%d lanes in %.4f", hist[0], hist[1], hist[2], hist[3], hist[4], SentenceMatchLanes, rate)
	if rate < 0.9 {
		t.Errorf("one word changed in a 25-word sentence matches on ≥2 lanes in only %.4f of cases", rate)
	}
	if hist[4] == n {
		t.Error("a changed word never changes any lane: the fingerprint ignores content")
	}
}

func TestSentenceFingerprintUnrelated(t *testing.T) {
	c := NewComputer()
	v := newVocab(22, 20000)
	const n = 3000
	fps := make([]uint64, n)
	for k := range fps {
		fps[k] = fingerprint(t, c, v.sentence(8+v.rng.IntN(30)))
	}
	var hist [5]int
	pairs := 0
	for i := range fps {
		for j := i + 1; j < n; j++ {
			hist[SentenceLanesMatching(fps[i], fps[j])]++
			pairs++
		}
	}
	rate := float64(hist[2]+hist[3]+hist[4]) / float64(pairs)
	t.Logf("unrelated random sentences, %d pairs: lanes matching 0:%d 1:%d 2:%d 3:%d 4:%d; ≥2 lanes rate %.2g", pairs, hist[0], hist[1], hist[2], hist[3], hist[4], rate)
	if rate >= 1e-4 {
		t.Errorf("unrelated sentences match on ≥2 lanes at rate %.2g", rate)
	}
	if hist[1] > pairs/1000 {
		t.Errorf("one lane agrees in %d of %d pairs: lanes are not 16-bit hashes", hist[1], pairs)
	}
}

// TestSentenceFingerprintNewsUnrelated measures chance matches on real news
// text: sentences of BASIL articles about different events share stock
// phrases ("said in a statement", "Senator Mitch McConnell of Kentucky, the
// majority leader,"), and a short sentence made mostly of one matches on two
// lanes. Measured 6e-6 of cross-event pairs: far above the 1e-8 that
// random text gives, far below what would make two shared sentences (the
// copy verdict's minimum) likely by chance.
func TestSentenceFingerprintNewsUnrelated(t *testing.T) {
	root := "../../testdata/basil"
	paths, err := filepath.Glob(filepath.Join(root, "articles", "*.json"))
	if err != nil || len(paths) < 300 {
		t.Fatalf("BASIL articles: %d (%v)", len(paths), err)
	}
	type sent struct {
		fp    uint64
		event string
	}
	var all []sent
	for _, p := range paths {
		data, err := os.ReadFile(p)
		if err != nil {
			t.Fatal(err)
		}
		a, err := article.Parse(filepath.Base(p), data, article.Limits{})
		if err != nil {
			t.Fatal(err)
		}
		event := eventOf(t, filepath.Base(p))
		for _, fp := range Compute(&a).Sentences {
			all = append(all, sent{fp, event})
		}
	}
	var hist [5]int
	pairs := 0
	for i := range all {
		for j := i + 1; j < len(all); j++ {
			if all[i].event == all[j].event {
				continue
			}
			hist[SentenceLanesMatching(all[i].fp, all[j].fp)]++
			pairs++
		}
	}
	rate := float64(hist[2]+hist[3]+hist[4]) / float64(pairs)
	t.Logf("BASIL, %d sentences, %d cross-event pairs: lanes matching 0:%d 1:%d 2:%d 3:%d 4:%d; ≥2 lanes rate %.2g",
		len(all), pairs, hist[0], hist[1], hist[2], hist[3], hist[4], rate)
	if rate >= 2e-5 {
		t.Errorf("cross-event sentences match on ≥2 lanes at rate %.2g", rate)
	}
}

// eventOf maps basil-NNN.json to its event per labels.csv.
func eventOf(t *testing.T, name string) string {
	t.Helper()
	basilOnce.Do(func() {
		data, err := os.ReadFile("../../testdata/basil/labels.csv")
		if err != nil {
			t.Fatal(err)
		}
		basilEvents = map[string]string{}
		for _, line := range strings.Split(strings.TrimSpace(string(data)), "\n")[1:] {
			f := strings.Split(strings.TrimSpace(line), ",")
			basilEvents[filepath.Base(f[0])] = f[1]
		}
	})
	e, ok := basilEvents[name]
	if !ok {
		t.Fatalf("%s not in labels.csv", name)
	}
	return e
}

var (
	basilOnce   sync.Once
	basilEvents map[string]string
)

// randomSentences is a helper for other tests: n sentences of 10-30 random
// words.
func randomSentences(v *vocab, n int) []string {
	out := make([]string, n)
	for i := range out {
		out[i] = v.sentence(10 + v.rng.IntN(21))
	}
	return out
}
