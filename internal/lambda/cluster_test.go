package lambda

import (
	"bytes"
	"context"
	"encoding/json"
	"os"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"github.com/newsdedup/newsdedup/internal/dedup"
	"github.com/newsdedup/newsdedup/internal/e2e"
	"github.com/newsdedup/newsdedup/internal/local"
	"github.com/newsdedup/newsdedup/internal/report"
	"github.com/newsdedup/newsdedup/internal/reportschema"
)

func TestRunTime(t *testing.T) {
	now := time.Date(2025, 6, 1, 12, 0, 0, 0, time.FixedZone("x", 3600))
	tests := []struct {
		name, event string
		want        time.Time
		wantOK      bool
	}{
		{"scheduler event", `{"detail-type":"Scheduled Event","time":"2024-01-03T03:00:00Z"}`, time.Date(2024, 1, 3, 3, 0, 0, 0, time.UTC), true},
		{"offset time is made UTC", `{"time":"2024-01-03T01:00:00-02:00"}`, time.Date(2024, 1, 3, 3, 0, 0, 0, time.UTC), true},
		{"empty object", `{}`, now.UTC(), false},
		{"no payload", ``, now.UTC(), false},
		{"null", `null`, now.UTC(), false},
		{"unresolved placeholder", `{"time":"<aws.scheduler.scheduled-time>"}`, now.UTC(), false},
		{"not an object", `[1,2]`, now.UTC(), false},
		{"time not a string", `{"time":17}`, now.UTC(), false},
	}
	for _, tc := range tests {
		got, ok := RunTime(json.RawMessage(tc.event), now)
		if !got.Equal(tc.want) || ok != tc.wantOK || got.Location() != time.UTC {
			t.Errorf("%s: RunTime = %v, %v; want %v, %v", tc.name, got, ok, tc.want, tc.wantOK)
		}
	}
}

// clusterFixture ingests the five seeds (one under a key with a space and a
// plus), a PDF, a deleted copy and an article dated long before the window,
// all through IngestHandler.
func clusterFixture(t *testing.T) (*fixture, *local.Folder) {
	f := newFixture(t)
	names := []string{"000_d3a8f2096fb2671b.txt", "001_185a73e93ce09b0f.txt", "002_8195b0460efe062c.txt", "003_8f73fbdca9dbbaca.txt", "004_06b9509edbdc682e.txt"}
	var recs []e2e.S3Record
	for i, n := range names {
		key := "incoming/2024-01-02/" + n
		if i == 3 {
			key = keyPlus
		}
		f.upload(key, seed(t, n))
		recs = append(recs, created(key, f.seqs.Next()))
	}
	f.upload("incoming/scan.pdf", []byte(pdfMagic))
	f.upload("incoming/old.txt", []byte(" date 2023-01-05 "+undated))
	f.upload("incoming/retracted copy.txt", seed(t, names[1]))
	recs = append(recs, created("incoming/scan.pdf", f.seqs.Next()), created("incoming/old.txt", f.seqs.Next()),
		created("incoming/retracted copy.txt", f.seqs.Next()))
	if _, err := f.handle(recs...); err != nil {
		t.Fatal(err)
	}
	f.remove("incoming/retracted copy.txt")
	if _, err := f.handle(removed("incoming/retracted copy.txt", f.seqs.Next())); err != nil {
		t.Fatal(err)
	}
	return f, f.bucket("reports-bucket")
}

func schedule(t *testing.T) json.RawMessage {
	return readFile(t, filepath.Join("..", "..", "events", "schedule.json"))
}

func TestClusterPublishes(t *testing.T) {
	f, reports := clusterFixture(t)
	h := &ClusterHandler{Svc: f.svc, Reports: reports, Prefix: "reports/", WindowDays: 30}
	sum, err := h.Handle(context.Background(), schedule(t))
	if err != nil {
		t.Fatal(err)
	}
	if sum.RunTime != "2024-01-03T03:00:00Z" || sum.From != "2023-12-05" || sum.To != "2024-01-03" {
		t.Errorf("summary run %s window %s..%s, want the schedule's time and 30 days up to 2024-01-03", sum.RunTime, sum.From, sum.To)
	}
	if sum.ReportKey != "reports/2024-01-03/report.json" || sum.LatestKey != "reports/latest.json" {
		t.Errorf("summary keys %q, %q", sum.ReportKey, sum.LatestKey)
	}
	root := reports.Root()
	dated := readFile(t, filepath.Join(root, filepath.FromSlash(sum.ReportKey)))
	if latest := readFile(t, filepath.Join(root, "reports", "latest.json")); !bytes.Equal(dated, latest) {
		t.Error("latest.json differs from the dated report")
	}
	for _, name := range []string{"report.html", "report.csv"} {
		if b := readFile(t, filepath.Join(root, "reports", "2024-01-03", name)); len(b) == 0 {
			t.Errorf("%s is empty", name)
		}
	}
	if err := reportschema.Validate(dated); err != nil {
		t.Error(err)
	}
	var rep report.Report
	if err := json.Unmarshal(dated, &rep); err != nil {
		t.Fatal(err)
	}
	if rep.GeneratedAt != "2024-01-03T03:00:00Z" {
		t.Errorf("generated_at %s, want the scheduled time", rep.GeneratedAt)
	}
	keys := map[string]bool{}
	copies := 0
	var rewrites []report.Rewrite
	for _, s := range rep.Stories {
		for _, a := range s.Articles {
			keys[a.Key] = true
		}
		copies += len(s.Copies)
		rewrites = append(rewrites, s.Rewrites...)
	}
	// Seed 000 retells 001: the function's report carries it with the
	// aligned sentences, read back from the uploads bucket.
	if len(rewrites) != 1 || sum.Rewrites != 1 || len(rewrites[0].Pairs) != report.MaxRewritePairs {
		t.Errorf("rewrites %+v (summary %d), want one with %d sentence pairs", rewrites, sum.Rewrites, report.MaxRewritePairs)
	}
	if sum.Articles != rep.Articles || sum.Stories != len(rep.Stories) || sum.CopyGroups != copies || sum.Rejected != len(rep.Rejected) {
		t.Errorf("summary %+v does not match the report (articles %d stories %d copies %d rejected %d)",
			sum, rep.Articles, len(rep.Stories), copies, len(rep.Rejected))
	}
	if rep.Articles != 5 || len(keys) != 5 || !keys[keyPlus] {
		t.Errorf("report has %d articles %v; want the five seeds, one as %q", rep.Articles, keys, keyPlus)
	}
	if keys["incoming/retracted copy.txt"] || keys["incoming/old.txt"] {
		t.Error("a deleted or out-of-window article is in the report")
	}
	if len(rep.Rejected) != 1 || rep.Rejected[0].Key != "incoming/scan.pdf" || rep.Rejected[0].Reason == "" {
		t.Errorf("rejected = %+v, want the PDF with a reason", rep.Rejected)
	}

	// The same records through the service directly give the same stories.
	svc := *f.svc
	svc.Now = func() time.Time { return time.Date(2024, 1, 3, 3, 0, 0, 0, time.UTC) }
	direct, err := svc.Report(context.Background(), dedup.LastDays(30, svc.Now()))
	if err != nil {
		t.Fatal(err)
	}
	if got, want := rep.Grouping(), direct.Grouping(); got != want {
		t.Errorf("stories through the handler:\n%s\nthrough the service:\n%s", got, want)
	}
}

func TestClusterWindow(t *testing.T) {
	f, reports := clusterFixture(t)
	tests := []struct {
		days         int
		wantArticles int
	}{
		{0, 6},  // every record, old.txt (2023-01-05) included
		{30, 5}, // 2023-12-05..2024-01-03: the five seeds
		{1, 0},  // 2024-01-03 only: nothing (undated seeds count for their upload day, 2024-01-02)
		{2, -1}, // 2024-01-02..03: only the undated seeds, counted below
	}
	undatedSeeds := 0
	if err := f.store.Scan(context.Background(), func(r dedup.Record) error {
		if r.Status == dedup.StatusOK && r.Date == "2024-01-02" {
			undatedSeeds++
		}
		return nil
	}); err != nil {
		t.Fatal(err)
	}
	tests[3].wantArticles = undatedSeeds
	for _, tc := range tests {
		h := &ClusterHandler{Svc: f.svc, Reports: reports, Prefix: "r", WindowDays: tc.days}
		sum, err := h.Handle(context.Background(), schedule(t))
		if err != nil {
			t.Fatal(err)
		}
		if sum.Articles != tc.wantArticles {
			t.Errorf("window %d days: %d articles, want %d", tc.days, sum.Articles, tc.wantArticles)
		}
		if sum.ReportKey != "r/2024-01-03/report.json" {
			t.Errorf("report key %q with prefix \"r\"", sum.ReportKey)
		}
	}
}

func TestClusterErrors(t *testing.T) {
	f, _ := clusterFixture(t)
	// Reports into a "bucket" that cannot be written: a Folder whose root is a file.
	blocked := filepath.Join(t.TempDir(), "not-a-dir")
	if err := os.WriteFile(blocked, nil, 0o644); err != nil {
		t.Fatal(err)
	}
	h := &ClusterHandler{Svc: f.svc, Reports: local.NewFolder(blocked), Prefix: "reports/", WindowDays: 30}
	if _, err := h.Handle(context.Background(), schedule(t)); err == nil || !strings.Contains(err.Error(), "publish reports/2024-01-03/") {
		t.Errorf("publish into an unwritable store: err = %v", err)
	}
	if err := f.store.Close(); err != nil {
		t.Fatal(err)
	}
	h.Reports = f.bucket("reports-bucket")
	if _, err := h.Handle(context.Background(), schedule(t)); err == nil || !strings.Contains(err.Error(), "read signatures") {
		t.Errorf("report from a failing store: err = %v", err)
	}
}

// Two scheduled runs a day apart, and the second retried: each compares
// with the report before its own time, so stories keep their ids.
func TestClusterTellsWhatIsNew(t *testing.T) {
	f, reports := clusterFixture(t)
	h := &ClusterHandler{Svc: f.svc, Reports: reports, Prefix: "reports/", WindowDays: 30}
	event := func(at string) json.RawMessage { return json.RawMessage(`{"time":"` + at + `"}`) }
	read := func(key string) *report.Report {
		t.Helper()
		rep, err := report.ReadJSON(bytes.NewReader(readFile(t, filepath.Join(reports.Root(), filepath.FromSlash(key)))))
		if err != nil {
			t.Fatal(err)
		}
		return rep
	}
	first, err := h.Handle(context.Background(), event("2024-01-03T03:00:00Z"))
	if err != nil {
		t.Fatal(err)
	}
	if first.NewStories != first.Stories {
		t.Errorf("first run: %d of %d stories new, want all", first.NewStories, first.Stories)
	}
	day1 := read(first.ReportKey)
	for _, retry := range []bool{false, true} {
		second, err := h.Handle(context.Background(), event("2024-01-04T03:00:00Z"))
		if err != nil {
			t.Fatal(err)
		}
		day2 := read(second.ReportKey)
		if second.NewStories != 0 || day2.Previous != day1.GeneratedAt || day2.Grouping() != day1.Grouping() {
			t.Errorf("second run (retry %v): %d new stories, compared with %q", retry, second.NewStories, day2.Previous)
		}
		for i, s := range day2.Stories {
			if s.ID != day1.Stories[i].ID || s.Status != report.StatusContinuing || len(s.NewArticles) != 0 {
				t.Errorf("retry %v: story %s was %s: %s, new %v", retry, s.ID, day1.Stories[i].ID, s.Status, s.NewArticles)
			}
		}
	}

	// A damaged latest.json is no previous report, not a failed run.
	if err := reports.Put(context.Background(), "reports/latest.json", []byte("{"), "application/json"); err != nil {
		t.Fatal(err)
	}
	third, err := h.Handle(context.Background(), event("2024-01-05T03:00:00Z"))
	if err != nil || third.NewStories != third.Stories {
		t.Errorf("after a corrupt latest.json: err %v, %d of %d new", err, third.NewStories, third.Stories)
	}
}
