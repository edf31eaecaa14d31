package lambda

import (
	"bytes"
	"context"
	"encoding/json"
	"errors"
	"strings"
	"testing"
	"time"

	"github.com/newsdedup/newsdedup/internal/dedup"
)

// emfLine checks one line against the EMF specification's shape (a JSON
// object; _aws.Timestamp in epoch milliseconds; one CloudWatchMetrics
// directive whose dimension and metric names are all top-level members,
// metric values numbers) and returns its values.
func emfLine(t *testing.T, line string, function string, at time.Time) map[string]float64 {
	t.Helper()
	var raw map[string]json.RawMessage
	if err := json.Unmarshal([]byte(line), &raw); err != nil {
		t.Fatalf("not a JSON object: %q: %v", line, err)
	}
	var aws struct {
		Timestamp         int64
		CloudWatchMetrics []struct {
			Namespace  string
			Dimensions [][]string
			Metrics    []struct{ Name, Unit string }
		}
	}
	if err := json.Unmarshal(raw["_aws"], &aws); err != nil {
		t.Fatalf("_aws: %v", err)
	}
	if aws.Timestamp != at.UnixMilli() || len(aws.CloudWatchMetrics) != 1 {
		t.Fatalf("_aws = %+v", aws)
	}
	d := aws.CloudWatchMetrics[0]
	if d.Namespace != "newsdedup" || len(d.Dimensions) != 1 || len(d.Dimensions[0]) != 1 || d.Dimensions[0][0] != "Function" {
		t.Errorf("directive %+v", d)
	}
	var fn string
	if err := json.Unmarshal(raw["Function"], &fn); err != nil || fn != function {
		t.Errorf("Function = %s, want %q", raw["Function"], function)
	}
	vals := map[string]float64{}
	for _, m := range d.Metrics {
		var v float64
		if err := json.Unmarshal(raw[m.Name], &v); err != nil {
			t.Errorf("metric %s: value %s is not a number", m.Name, raw[m.Name])
		}
		if m.Unit != "Count" && m.Unit != "Milliseconds" {
			t.Errorf("metric %s: unit %q", m.Name, m.Unit)
		}
		vals[m.Name] = v
	}
	if len(raw) != len(d.Metrics)+2 {
		t.Errorf("%d members, want _aws, Function and %d metrics", len(raw), len(d.Metrics))
	}
	return vals
}

func TestMetricsLine(t *testing.T) {
	var buf bytes.Buffer
	at := time.Date(2024, 1, 3, 3, 0, 0, 0, time.UTC)
	m := &Metrics{W: &buf, Function: "news-ingest", Now: func() time.Time { return at }}
	if err := m.Emit(count("Accepted", 3), duration(1500*time.Microsecond)); err != nil {
		t.Fatal(err)
	}
	if strings.Count(buf.String(), "\n") != 1 || !strings.HasSuffix(buf.String(), "\n") {
		t.Fatalf("want exactly one line: %q", buf.String())
	}
	vals := emfLine(t, strings.TrimSpace(buf.String()), "news-ingest", at)
	if vals["Accepted"] != 3 || vals["Duration"] != 1.5 || len(vals) != 2 {
		t.Errorf("values %v", vals)
	}
	var none *Metrics
	if err := none.Emit(count("x", 1)); err != nil {
		t.Errorf("nil Metrics: %v", err)
	}
}

func TestIngestMetrics(t *testing.T) {
	f := newFixture(t)
	var buf bytes.Buffer
	at := time.Date(2024, 1, 3, 3, 0, 0, 0, time.UTC)
	f.ingest.Metrics = &Metrics{W: &buf, Function: "ingest", Now: func() time.Time { return at }}
	f.upload("incoming/a.txt", seed(t, "000_d3a8f2096fb2671b.txt"))
	f.upload("incoming/scan.pdf", []byte(pdfMagic))
	a := created("incoming/a.txt", f.seqs.Next())
	if _, err := f.handle(a, created("incoming/scan.pdf", f.seqs.Next()), a,
		created("elsewhere/x.txt", f.seqs.Next()), removed("incoming/gone.txt", f.seqs.Next())); err != nil {
		t.Fatal(err)
	}
	vals := emfLine(t, strings.TrimSpace(buf.String()), "ingest", at)
	want := map[string]float64{"Records": 5, "Accepted": 1, "Rejected": 1, "Unchanged": 1, "Skipped": 1, "Deleted": 1, "Failed": 0}
	for k, v := range want {
		if vals[k] != v {
			t.Errorf("%s = %v, want %v (all: %v)", k, vals[k], v, vals)
		}
	}
	if vals["Duration"] <= 0 {
		t.Errorf("Duration = %v", vals["Duration"])
	}
}

type notifier struct {
	got []dedup.Published
	err error
}

func (n *notifier) ReportPublished(_ context.Context, p dedup.Published) error {
	n.got = append(n.got, p)
	return n.err
}

// TestClusterNotifies: the report-published notice goes out after the
// report, with the summary's keys and counts; a failed notice is logged and
// counted but the run succeeds (the report is published either way).
func TestClusterNotifies(t *testing.T) {
	f, reports := clusterFixture(t)
	for _, fail := range []bool{false, true} {
		n := &notifier{}
		if fail {
			n.err = errors.New("bus unreachable")
		}
		var buf bytes.Buffer
		at := time.Date(2024, 1, 3, 3, 0, 0, 0, time.UTC)
		h := &ClusterHandler{Svc: f.svc, Reports: reports, Prefix: "reports/", WindowDays: 30, Notify: n,
			Metrics: &Metrics{W: &buf, Function: "cluster", Now: func() time.Time { return at }}}
		f.logs.Reset()
		sum, err := h.Handle(context.Background(), schedule(t))
		if err != nil {
			t.Fatalf("fail=%v: %v", fail, err)
		}
		want := dedup.Published{ReportKey: "reports/2024-01-03/report.json", LatestKey: "reports/latest.json",
			GeneratedAt: "2024-01-03T03:00:00Z", From: "2023-12-05", To: "2024-01-03",
			Articles: sum.Articles, Stories: sum.Stories, NewStories: sum.NewStories, CopyGroups: sum.CopyGroups, Rewrites: sum.Rewrites, Rejected: sum.Rejected}
		if len(n.got) != 1 || n.got[0] != want || sum.Articles != 5 || sum.Rewrites != 1 || sum.NewStories != 1 {
			t.Errorf("fail=%v: notified %+v, want %+v", fail, n.got, want)
		}
		if sum.Notified == fail {
			t.Errorf("fail=%v: summary says notified=%v", fail, sum.Notified)
		}
		vals := emfLine(t, strings.TrimSpace(buf.String()), "cluster", at)
		if vals["Articles"] != 5 || vals["Stories"] != float64(sum.Stories) || vals["CopyGroups"] != float64(sum.CopyGroups) ||
			vals["Rejected"] != 1 || (vals["NotifyFailed"] == 1) != fail {
			t.Errorf("fail=%v: metrics %v, summary %+v", fail, vals, sum)
		}
		if logged := strings.Contains(f.logs.String(), "the notification failed"); logged != fail {
			t.Errorf("fail=%v: failure logged %v:\n%s", fail, logged, f.logs.String())
		}
	}
}
