package main

import (
	"cmp"
	"os"
	"path/filepath"
	"slices"
	"strings"
	"testing"
	"time"

	"github.com/newsdedup/newsdedup/internal/report"
)

// copyInto copies files (paths relative to the repository) into dir.
func copyInto(t *testing.T, dir string, files ...string) {
	t.Helper()
	for _, f := range files {
		data, err := os.ReadFile(filepath.Join("..", "..", f))
		if err != nil {
			t.Fatal(err)
		}
		if err := os.WriteFile(filepath.Join(dir, filepath.Base(f)), data, 0o644); err != nil {
			t.Fatal(err)
		}
	}
}

func atDay(t *testing.T, day string) {
	t.Helper()
	d, err := time.Parse("2006-01-02", day)
	if err != nil {
		t.Fatal(err)
	}
	old := now
	now = func() time.Time { return d.Add(3 * time.Hour) }
	t.Cleanup(func() { now = old })
}

// storyWith returns the story holding key.
func storyWith(t *testing.T, rep *report.Report, key string) report.Story {
	t.Helper()
	for _, s := range rep.Stories {
		for _, a := range s.Articles {
			if a.Key == key {
				return s
			}
		}
	}
	t.Fatalf("no story holds %s", key)
	return report.Story{}
}

// Two runs a day apart over one state: the second sees more articles,
// some earlier than the first run's (which would rename a story built from
// scratch), and a story of its own.
func TestRunTellsWhatIsNew(t *testing.T) {
	in, out := t.TempDir(), t.TempDir()
	state := filepath.Join(t.TempDir(), "state.db")
	basil := func(n ...string) (fs []string) {
		for _, x := range n {
			fs = append(fs, "testdata/basil/articles/basil-"+x+".json")
		}
		return fs
	}
	seeds := func(n ...string) (fs []string) {
		for _, x := range n {
			m, _ := filepath.Glob(filepath.Join("..", "..", "testdata", "seeds", x+"_*.txt"))
			if len(m) != 1 {
				t.Fatalf("seed %s", x)
			}
			fs = append(fs, strings.TrimPrefix(filepath.ToSlash(m[0]), "../../"))
		}
		return fs
	}

	atDay(t, "2024-01-02")
	copyInto(t, in, seeds("002", "003", "004")...)
	copyInto(t, in, basil("194", "237", "253", "261")...)
	if code, _, stderr := runCLI(t, "run", "--quiet", "--state", state, "--out", out, in); code != 0 {
		t.Fatalf("day 1: %s", stderr)
	}
	day1 := readReport(t, out)
	if day1.Previous != "" {
		t.Errorf("day 1 compared with %q; there was no report", day1.Previous)
	}
	for _, s := range day1.Stories {
		if s.Status != report.StatusNew || len(s.NewArticles) != len(s.Articles) {
			t.Errorf("day 1 story %s: %s with %d new of %d", s.ID, s.Status, len(s.NewArticles), len(s.Articles))
		}
	}

	atDay(t, "2024-01-03")
	copyInto(t, in, seeds("000", "001")...)
	copyInto(t, in, basil("134", "137", "058", "167", "236")...)
	if code, _, stderr := runCLI(t, "run", "--quiet", "--state", state, "--out", out, in); code != 0 {
		t.Fatalf("day 2: %s", stderr)
	}
	day2 := readReport(t, out)
	if day2.Previous != day1.GeneratedAt {
		t.Errorf("day 2 compared with %q, want day 1's %q", day2.Previous, day1.GeneratedAt)
	}
	for _, tc := range []struct {
		old string   // an article of day 1
		new []string // the articles its story gained
	}{
		{"003_8f73fbdca9dbbaca.txt", []string{"000_d3a8f2096fb2671b.txt", "001_185a73e93ce09b0f.txt"}}, // 000 is dated, and earliest by key
		{"basil-194.json", []string{"basil-134.json"}},                                                 // 134 is a day earlier than 194
		{"basil-253.json", []string{"basil-137.json"}},                                                 // same day, earlier key
	} {
		was, is := storyWith(t, day1, tc.old), storyWith(t, day2, tc.old)
		got := slices.Clone(is.NewArticles)
		slices.Sort(got)
		if is.ID != was.ID || is.Status != report.StatusContinuing || !slices.Equal(got, tc.new) {
			t.Errorf("story of %s: id %s → %s, %s, new %v; want the same id, continuing, new %v", tc.old, was.ID, is.ID, is.Status, got, tc.new)
		}
		if natural := report.StoryID(earliest(is.Articles)); natural == is.ID {
			t.Errorf("story of %s: an earlier article joined, yet the id is still its natural one: the test proves nothing", tc.old)
		}
	}
	fresh := storyWith(t, day2, "basil-058.json")
	if fresh.Status != report.StatusNew || len(fresh.NewArticles) != 3 || len(fresh.Articles) != 3 {
		t.Errorf("the new story: %s, new %v", fresh.Status, fresh.NewArticles)
	}

	// A damaged previous report is no previous report: every story new.
	for name, body := range map[string]string{
		"corrupt": `{"schema":"newsdedup/report/v2","stories":[`,
		"v1":      `{"schema":"newsdedup/report/v1","stories":[]}`,
	} {
		if err := os.WriteFile(filepath.Join(out, "report.json"), []byte(body), 0o644); err != nil {
			t.Fatal(err)
		}
		code, _, stderr := runCLI(t, "run", "--state", state, "--out", out, in)
		if code != 0 || !strings.Contains(stderr, "previous report unusable") {
			t.Errorf("%s previous report: exit %d, stderr %s", name, code, stderr)
		}
		rep := readReport(t, out)
		for _, s := range rep.Stories {
			if s.Status != report.StatusNew {
				t.Errorf("%s previous report: story %s is %s", name, s.ID, s.Status)
			}
		}
		// The ids renamed since the last run leave no page behind.
		pages, _ := filepath.Glob(filepath.Join(out, "stories", "s-*.html"))
		if len(pages) != len(rep.Stories) {
			t.Errorf("%s previous report: %d story pages for %d stories", name, len(pages), len(rep.Stories))
		}
	}
}

// earliest is the key a story is named after when built from scratch: its
// earliest article by date (undated last), then key.
func earliest(arts []report.Article) string {
	best := arts[0]
	for _, a := range arts[1:] {
		ad, bd := cmp.Or(a.Date, "9999"), cmp.Or(best.Date, "9999")
		if ad < bd || (ad == bd && a.Key < best.Key) {
			best = a
		}
	}
	return best.Key
}
