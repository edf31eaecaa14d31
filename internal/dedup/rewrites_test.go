package dedup

import (
	"fmt"
	"testing"
	"time"

	"github.com/newsdedup/newsdedup/internal/cluster"
	"github.com/newsdedup/newsdedup/internal/report"
)

func TestAlignedPairs(t *testing.T) {
	orig := []string{"o0", "o1", "o2", "o3", "o4", "o5", "o6"}
	rw := []string{"r0", "r1", "r2", "r3", "r4", "r5", "r6"}
	tests := []struct {
		name string
		at   [][2]int
		want string
	}{
		{"none", nil, "[]"},
		{"in order", [][2]int{{0, 1}, {2, 3}}, "[[o0 r1] [o2 r3]]"},
		{"at most five", [][2]int{{0, 0}, {1, 1}, {2, 2}, {3, 3}, {4, 4}, {5, 5}, {6, 6}}, "[[o0 r0] [o1 r1] [o2 r2] [o3 r3] [o4 r4]]"},
		// The article was edited after it was signed: positions past its
		// sentences are skipped, not a crash.
		{"positions past the text", [][2]int{{1, 1}, {9, 2}, {3, 40}, {4, 4}}, "[[o1 r1] [o4 r4]]"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			if got := fmt.Sprint(alignedPairs(orig, rw, tt.at)); got != tt.want {
				t.Errorf("pairs %s, want %s", got, tt.want)
			}
		})
	}
}

// Build puts each rewrite in its story, direction from the pair, pairs
// empty until the articles are read back.
func TestBuildRewrites(t *testing.T) {
	arts := []report.Article{{Key: "a", Date: "2024-01-02"}, {Key: "b", Date: "2024-01-01"}, {Key: "c"}}
	res := cluster.Result{
		Stories:  []cluster.Story{{Members: []int{0, 1}, Central: 0}, {Members: []int{2}, Central: 2}},
		Rewrites: []cluster.RewritePair{{Original: 1, Rewrite: 0, Dated: true, Aligned: 6, Coverage: 0.75, Sentences: [][2]int{{0, 0}}}},
	}
	rep := Build(arts, res, time.Date(2024, 1, 3, 0, 0, 0, 0, time.UTC))
	var got []report.Rewrite
	for _, s := range rep.Stories {
		got = append(got, s.Rewrites...)
		if len(s.Articles) == 1 && len(s.Rewrites) != 0 {
			t.Errorf("single-article story with rewrites %+v", s.Rewrites)
		}
	}
	want := report.Rewrite{Original: "b", Rewrite: "a", Direction: report.DirectionByDate, AlignedSentences: 6, Coverage: 0.75, Pairs: [][2]string{}}
	if len(got) != 1 || fmt.Sprint(got[0]) != fmt.Sprint(want) {
		t.Errorf("rewrites %+v, want [%+v]", got, want)
	}
	if al := rewriteAlignments(arts, res); fmt.Sprint(al[[2]string{"b", "a"}]) != "[[0 0]]" {
		t.Errorf("alignments %v", al)
	}
}
