package main

import (
	"os"
	"path/filepath"
	"sort"
	"strings"
	"testing"

	"github.com/newsdedup/newsdedup/internal/article"
	"github.com/newsdedup/newsdedup/internal/eval"
)

// The multilingual corpus (testdata/multilingual, issue 12): 12 languages,
// 9 scripts. In each language the article and its edited copies form one
// copy group, independent reports of the event do not, every article is
// labelled with its language, and copy-level ARI is at least 0.95. Nothing
// is lost after parsing: a file may be rejected only if article.Parse
// itself rejects it (the length floor and legacy encodings are the
// parser's).
func TestMultilingualCorpus(t *testing.T) {
	const dir = "../../testdata/multilingual"
	f, err := os.Open(filepath.Join(dir, "labels-copy.csv"))
	if err != nil {
		t.Fatal(err)
	}
	truth, err := eval.ReadLabels(f)
	f.Close()
	if err != nil {
		t.Fatal(err)
	}
	out := t.TempDir()
	if code, _, stderr := runCLI(t, "run", "--quiet", "--out", out, dir); code != 0 {
		t.Fatal(stderr)
	}
	rep := readReport(t, out)

	accepted := map[string]bool{}
	for key := range truth {
		accepted[key] = true
	}
	for _, r := range rep.Rejected {
		if !accepted[r.Key] {
			continue // the README and label files
		}
		delete(accepted, r.Key)
		data, err := os.ReadFile(filepath.Join(dir, r.Key))
		if err != nil {
			t.Fatal(err)
		}
		if _, err := article.Parse(r.Key, data, article.Limits{}); err == nil {
			t.Errorf("%s rejected (%s) though it parses", r.Key, r.Reason)
		}
	}
	if len(accepted) < len(truth)/2 {
		t.Fatalf("only %d of %d articles accepted", len(accepted), len(truth))
	}
	if n := len(truth) - len(accepted); n > 0 {
		t.Logf("%d articles rejected by the parser", n)
	}

	// Predicted copy partition of the accepted articles; every article is
	// labelled with the language of its file name.
	pred := eval.Partition{}
	for _, s := range rep.Stories {
		for _, a := range s.Articles {
			if !accepted[a.Key] {
				continue
			}
			pred[a.Key] = "single " + a.Key
			if lang, _, _ := strings.Cut(filepath.Base(a.Key), "-"); a.Language != lang {
				t.Errorf("%s: language %q, want %q", a.Key, a.Language, lang)
			}
		}
		for _, g := range s.Copies {
			for _, k := range g {
				if accepted[k] {
					pred[k] = "group " + g[0]
				}
			}
		}
	}
	sub := eval.Partition{}
	for k := range accepted {
		sub[k] = truth[k]
		if _, ok := pred[k]; !ok {
			t.Errorf("%s accepted but not in the report", k)
		}
	}
	// Planted copy groups whose members were all accepted are found exactly.
	want, got := groups(sub), groups(pred)
	if strings.Join(got, "\n") != strings.Join(want, "\n") {
		t.Errorf("copy groups\n got %q\nwant %q", got, want)
	}
	s, err := eval.Score(pred, sub)
	if err != nil {
		t.Fatal(err)
	}
	t.Logf("copy level over %d accepted articles: ARI %.4f, precision %.4f, recall %.4f", s.Items, s.ARI, s.Precision, s.Recall)
	if s.ARI < 0.95 {
		t.Errorf("copy-level ARI %.4f, want >= 0.95", s.ARI)
	}
}

// groups lists the clusters of p with two or more members, each as its
// sorted keys joined by spaces, sorted.
func groups(p eval.Partition) []string {
	by := map[string][]string{}
	for k, c := range p {
		by[c] = append(by[c], k)
	}
	var out []string
	for _, ks := range by {
		if len(ks) > 1 {
			sort.Strings(ks)
			out = append(out, strings.Join(ks, " "))
		}
	}
	sort.Strings(out)
	return out
}
