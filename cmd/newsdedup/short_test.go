package main

import (
	"os"
	"path/filepath"
	"strings"
	"testing"
)

// TestBriefAndFlashJoinTheStory: a one-sentence brief (17 words, below the
// old 20-word floor) that repeats the lead of seed 000, a one-sentence copy
// of that lead word for word, and a title-only flash all land in the seeds'
// story, and none is called a copy: one sentence can never show the
// CopyMinSentences (2) shared sentences a copy needs.
func TestBriefAndFlashJoinTheStory(t *testing.T) {
	in := t.TempDir()
	copyTree(t, seedsDir, in)
	files := map[string]string{
		"brief.txt": "date 2023-12-07\nIranian President Ebrahim Raisi condemned Israel’s military attack on Gaza while " +
			"meeting Russian President Vladimir Putin in Moscow.\n",
		"lead.txt": "date 2023-12-07\nIranian President Ebrahim Raisi has expressed strong condemnation for Israel’s " +
			"ongoing military attack on Gaza while meeting with Russian President Vladimir Putin in Moscow.\n",
		"flash.json": `{"title": "Putin hosts Iran’s Raisi in Moscow for talks on Gaza war", "date": "2023-12-07", "source": "Wire"}`,
	}
	for name, body := range files {
		if err := os.WriteFile(filepath.Join(in, name), []byte(body), 0o644); err != nil {
			t.Fatal(err)
		}
	}
	out := t.TempDir()
	if code, _, stderr := runCLI(t, "run", "--quiet", "--out", out, in); code != 0 {
		t.Fatalf("exit %d: %s", code, stderr)
	}
	rep := readReport(t, out)
	if len(rep.Rejected) != 0 {
		t.Fatalf("rejected: %+v", rep.Rejected)
	}
	stories, copies := shape(rep)
	story := stories[seedKeys(t)[0]]
	for name := range files {
		if !strings.Contains(" "+story+" ", " "+name+" ") {
			t.Errorf("%s is not in the seeds' story [%s] (its story: [%s])", name, story, stories[name])
		}
		for _, g := range copies {
			if strings.Contains(" "+g+" ", " "+name+" ") {
				t.Errorf("%s is in copy group [%s]", name, g)
			}
		}
	}
	for _, s := range rep.Stories {
		for _, a := range s.Articles {
			if a.Key == "flash.json" && a.Title != "Putin hosts Iran's Raisi in Moscow for talks on Gaza war" {
				t.Errorf("flash title %q", a.Title)
			}
		}
	}
}
