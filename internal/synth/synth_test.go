package synth_test

import (
	"math"
	"path/filepath"
	"reflect"
	"strings"
	"sync"
	"testing"

	"github.com/newsdedup/newsdedup/internal/article"
	"github.com/newsdedup/newsdedup/internal/signature"
	"github.com/newsdedup/newsdedup/internal/synth"
)

var (
	poolOnce sync.Once
	pool     *synth.Pool
	poolErr  error
)

// testPool is the pool of testdata only (no shared folder), so tests see
// the same sentences on every machine.
func testPool(t *testing.T) *synth.Pool {
	t.Helper()
	poolOnce.Do(func() {
		root, err := synth.FindRoot(".")
		if err != nil {
			poolErr = err
			return
		}
		dirs := []string{filepath.Join(root, "testdata", "seeds")}
		if d := filepath.Join(root, "testdata", "basil", "articles"); exists(d) {
			dirs = append(dirs, d)
		}
		pool, poolErr = synth.LoadPool(dirs...)
	})
	if poolErr != nil {
		t.Fatal(poolErr)
	}
	return pool
}

func exists(p string) bool {
	m, _ := filepath.Glob(filepath.Join(p, "*"))
	return len(m) > 0
}

func generate(t *testing.T, cfg synth.Config) []synth.Article {
	t.Helper()
	cfg.Pool = testPool(t)
	arts, err := synth.Generate(cfg)
	if err != nil {
		t.Fatal(err)
	}
	return arts
}

func TestDeterministicForSeed(t *testing.T) {
	a := generate(t, synth.Config{Articles: 300, Seed: 7})
	b := generate(t, synth.Config{Articles: 300, Seed: 7})
	if !reflect.DeepEqual(a, b) {
		t.Fatal("two runs with seed 7 differ")
	}
	c := generate(t, synth.Config{Articles: 300, Seed: 8})
	same := 0
	for i := range a {
		if a[i].Text == c[i].Text {
			same++
		}
	}
	if same > 0 {
		t.Fatalf("seeds 7 and 8 share %d identical texts", same)
	}
}

func TestSizesAndKeys(t *testing.T) {
	const n = 2000
	arts := generate(t, synth.Config{Articles: n, Seed: 1})
	if len(arts) != n {
		t.Fatalf("got %d articles, want %d", len(arts), n)
	}
	keys := map[string]bool{}
	for i := 0; i < n; i++ {
		keys[synth.KeyOf(i)] = true
	}
	stories := map[string]int{}
	copies, origWords, origs := 0, 0, 0
	for _, a := range arts {
		if !keys[a.Key] {
			t.Fatalf("key %q is not KeyOf(0..%d) or is repeated", a.Key, n-1)
		}
		delete(keys, a.Key)
		stories[a.Story]++
		if a.CopyOf != "" {
			copies++
		} else {
			origWords += len(strings.Fields(a.Text))
			origs++
		}
		if a.Title == "" || a.Source == "" || !strings.HasPrefix(a.URL, "https://") {
			t.Fatalf("article %s lacks title, source or URL: %+v", a.Key, a.Article)
		}
		if strings.Count(a.Text, "\"")%2 != 0 {
			t.Errorf("article %s has unbalanced quotation marks", a.Key)
		}
	}
	mean := float64(origWords) / float64(origs)
	if mean < 600 || mean > 800 {
		t.Errorf("originals average %.0f words, want about 700", mean)
	}
	rate := float64(copies) / n
	if rate < 0.10 || rate > 0.20 {
		t.Errorf("copy rate %.3f, want about 0.15", rate)
	}
	meanStory := float64(n) / float64(len(stories))
	if meanStory < 3.5 || meanStory > 7 {
		t.Errorf("mean story size %.2f, want about 5", meanStory)
	}
	t.Logf("%d stories (mean %.2f), copy rate %.3f, originals %.0f words", len(stories), meanStory, rate, mean)
}

func TestStoryLabelsAndDates(t *testing.T) {
	arts := generate(t, synth.Config{Articles: 1500, Seed: 3, DaysSpan: 60})
	storyOf := map[string]string{}
	first := map[string]int{}
	last := map[string]int{}
	seenStory := map[string]bool{}
	prev := ""
	for _, a := range arts {
		if a.Story != prev && seenStory[a.Story] {
			t.Fatalf("story %s is not contiguous in generation order", a.Story)
		}
		seenStory[a.Story], prev = true, a.Story
		if a.CopyOf != "" {
			s, ok := storyOf[a.CopyOf]
			if !ok {
				t.Fatalf("copy %s comes before its original %s", a.Key, a.CopyOf)
			}
			if s != a.Story {
				t.Fatalf("copy %s is in story %s, its original in %s", a.Key, a.Story, s)
			}
		}
		storyOf[a.Key] = a.Story
		if a.Date == "" {
			continue
		}
		if a.Date < "2024-01-01" || a.Date > "2024-02-29" {
			t.Fatalf("date %s outside the 60 days from 2024-01-01", a.Date)
		}
		d := day(a.Date)
		if f, ok := first[a.Story]; !ok || d < f {
			first[a.Story] = d
		}
		last[a.Story] = max(last[a.Story], d)
	}
	for s, f := range first {
		if last[s]-f > 12 {
			t.Errorf("story %s spans %d days", s, last[s]-f)
		}
	}
}

func day(s string) int {
	y, m, d := 0, 0, 0
	for i, part := range strings.Split(s, "-") {
		v := 0
		for _, c := range part {
			v = v*10 + int(c-'0')
		}
		switch i {
		case 0:
			y = v
		case 1:
			m = v
		default:
			d = v
		}
	}
	return y*372 + m*31 + d
}

// Planted copies share text that signatures see; independent reports of a
// story share names but hardly any running text; different stories share
// neither.
func TestCopiesShareText(t *testing.T) {
	arts := generate(t, synth.Config{Articles: 1200, Seed: 5})
	sigs := map[string]*signature.Signature{}
	for i := range arts {
		a := arts[i].Article
		sigs[a.Key] = signature.Compute(&a)
	}
	var copyCont, copyShared []float64
	for _, a := range arts {
		if a.CopyOf == "" {
			continue
		}
		c, o := sigs[a.Key], sigs[a.CopyOf]
		copyCont = append(copyCont, signature.Containment(c, o))
		copyShared = append(copyShared, float64(signature.SharedSentences(c, o)))
	}
	if len(copyCont) < 50 {
		t.Fatalf("only %d copies", len(copyCont))
	}
	// Independent reports of the same story and of different stories.
	var sameCont, otherCont, sameNames, otherNames []float64
	for i := 1; i < len(arts); i++ {
		a, b := arts[i-1], arts[i]
		if a.CopyOf != "" || b.CopyOf != "" {
			continue
		}
		sa, sb := sigs[a.Key], sigs[b.Key]
		if a.Story == b.Story {
			sameCont = append(sameCont, signature.Containment(sa, sb))
			sameNames = append(sameNames, sharedNames(sa, sb))
		} else {
			otherCont = append(otherCont, signature.Containment(sa, sb))
			otherNames = append(otherNames, sharedNames(sa, sb))
		}
	}
	low := 0
	for _, c := range copyCont {
		if c < 0.2 {
			low++
		}
	}
	t.Logf("copies: containment mean %.2f (%d of %d below 0.2), shared sentences mean %.1f", mean(copyCont), low, len(copyCont), mean(copyShared))
	t.Logf("same story: containment mean %.3f max %.3f, shared names %.1f", mean(sameCont), maxOf(sameCont), mean(sameNames))
	t.Logf("other stories: containment mean %.3f max %.3f, shared names %.2f", mean(otherCont), maxOf(otherCont), mean(otherNames))
	// Light copies keep most of the text; heavy ones (30%) are rewritten
	// like real wire copy and keep about a third (GUIDE §1: 0.36–0.40).
	if mean(copyCont) < 0.5 || float64(low) > 0.1*float64(len(copyCont)) {
		t.Errorf("copies share too little text with their originals")
	}
	if mean(copyShared) < 5 {
		t.Errorf("copies share %.1f sentences on average, want many", mean(copyShared))
	}
	if mean(sameCont) > 0.1 || mean(otherCont) > 0.05 {
		t.Errorf("independent reports share too much text")
	}
	// Different stories do share institutional names ("White House",
	// "Senate"), as real coverage does, but far fewer.
	if mean(sameNames) < 2*mean(otherNames)+3 {
		t.Errorf("stories are not told apart by their names")
	}
}

func sharedNames(a, b *signature.Signature) float64 {
	names := map[string]bool{}
	for _, t := range a.Terms {
		if t.Name {
			names[t.Text] = true
		}
	}
	n := 0
	for _, t := range b.Terms {
		if t.Name && names[t.Text] {
			n++
		}
	}
	return float64(n)
}

func mean(x []float64) float64 {
	s := 0.0
	for _, v := range x {
		s += v
	}
	return s / math.Max(1, float64(len(x)))
}

func maxOf(x []float64) float64 {
	m := 0.0
	for _, v := range x {
		m = math.Max(m, v)
	}
	return m
}

func TestEachStopsOnError(t *testing.T) {
	n := 0
	err := synth.Each(synth.Config{Articles: 100, Seed: 1, Pool: testPool(t)}, func(article.Article, string, string) error {
		n++
		if n == 10 {
			return errStop
		}
		return nil
	})
	if err != errStop || n != 10 {
		t.Fatalf("Each returned %v after %d articles, want errStop after 10", err, n)
	}
}

var errStop = stopErr{}

type stopErr struct{}

func (stopErr) Error() string { return "stop" }

func TestSeedsOnlyPool(t *testing.T) {
	root, err := synth.FindRoot(".")
	if err != nil {
		t.Fatal(err)
	}
	p, err := synth.LoadPool(filepath.Join(root, "testdata", "seeds"))
	if err != nil {
		t.Fatal(err)
	}
	arts, err := synth.Generate(synth.Config{Articles: 20, Seed: 2, Pool: p})
	if err != nil || len(arts) != 20 {
		t.Fatalf("Generate from seeds only: %d articles, %v", len(arts), err)
	}
	for _, a := range arts {
		for _, real := range []string{"Putin", "Raisi", "Moscow"} {
			if strings.Contains(a.Text, real) {
				t.Errorf("article %s still names %s", a.Key, real)
			}
		}
	}
}

func TestLoadPoolErrors(t *testing.T) {
	if _, err := synth.LoadPool(t.TempDir()); err == nil {
		t.Fatal("LoadPool of an empty folder succeeded")
	}
}
