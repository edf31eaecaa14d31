package main

import (
	"testing"

	"github.com/newsdedup/newsdedup/internal/report"
)

// At rewrite level the articles derived from one text are one group: copy
// groups joined by rewrites, across copy groups too; everything else alone.
func TestPartitionRewrite(t *testing.T) {
	rep := &report.Report{Stories: []report.Story{
		{
			ID: "s1",
			Articles: []report.Article{
				{Key: "wire", CopyGroup: "c1"}, {Key: "copy", CopyGroup: "c1"},
				{Key: "spun"}, {Key: "spun-copy", CopyGroup: "c2"}, {Key: "spun-copy2", CopyGroup: "c2"},
				{Key: "own"},
			},
			Rewrites: []report.Rewrite{{Original: "copy", Rewrite: "spun"}, {Original: "wire", Rewrite: "spun-copy"}},
		},
		{ID: "s2", Articles: []report.Article{{Key: "other"}, {Key: "other2"}}},
	}}
	p := Partition(rep, "rewrite")
	one := p["wire"]
	for _, k := range []string{"copy", "spun", "spun-copy", "spun-copy2"} {
		if p[k] != one {
			t.Errorf("%s in %q, want %q with wire", k, p[k], one)
		}
	}
	seen := map[string]bool{one: true}
	for _, k := range []string{"own", "other", "other2"} {
		if seen[p[k]] {
			t.Errorf("%s shares group %q", k, p[k])
		}
		seen[p[k]] = true
	}
	if len(p) != 8 {
		t.Errorf("%d articles in the partition, want 8", len(p))
	}
}
