package eventbridge

import (
	"context"
	"encoding/json"
	"strings"
	"testing"

	"github.com/aws/aws-sdk-go-v2/aws"
	"github.com/aws/aws-sdk-go-v2/credentials"

	"github.com/newsdedup/newsdedup/internal/dedup"
	"github.com/newsdedup/newsdedup/internal/e2e"
)

// The real SDK client against a recording PutEvents endpoint on loopback:
// the wire format, the detail, and the two ways PutEvents fails.
func TestReportPublished(t *testing.T) {
	bus, err := e2e.StartEventBus()
	if err != nil {
		t.Fatal(err)
	}
	defer bus.Close()
	cfg := aws.Config{
		Region:       "us-east-1",
		Credentials:  credentials.NewStaticCredentialsProvider("test", "test", ""),
		BaseEndpoint: aws.String(bus.URL),
	}
	n := New(NewClient(cfg), "default", "news-uploads")
	ctx := context.Background()
	p := dedup.Published{
		ReportKey: "reports/2024-01-03/report.json", LatestKey: "reports/latest.json", GeneratedAt: "2024-01-03T03:00:00Z",
		From: "2023-12-05", To: "2024-01-03", Articles: 5, Stories: 4, NewStories: 3, CopyGroups: 1, Rewrites: 1, Rejected: 2,
	}
	if err := n.ReportPublished(ctx, p); err != nil {
		t.Fatal(err)
	}
	evs := bus.Events()
	if len(evs) != 1 {
		t.Fatalf("%d events recorded, want 1", len(evs))
	}
	e := evs[0]
	if e.EventBusName != "default" || e.Source != "newsdedup" || e.DetailType != "Report Published" {
		t.Errorf("event %+v", e)
	}
	var d map[string]any
	if err := json.Unmarshal([]byte(e.Detail), &d); err != nil {
		t.Fatal(err)
	}
	want := map[string]any{"bucket": "news-uploads", "report_key": "reports/2024-01-03/report.json", "latest_key": "reports/latest.json",
		"generated_at": "2024-01-03T03:00:00Z", "window_from": "2023-12-05", "window_to": "2024-01-03",
		"articles": 5.0, "stories": 4.0, "new_stories": 3.0, "copy_groups": 1.0, "rewrites": 1.0, "rejected": 2.0}
	if len(d) != len(want) {
		t.Errorf("detail %v, want %v", d, want)
	}
	for k, v := range want {
		if d[k] != v {
			t.Errorf("detail %s = %v, want %v", k, d[k], v)
		}
	}

	// A 500 is retried by the SDK; the event arrives once.
	bus.Down(1)
	if err := n.ReportPublished(ctx, p); err != nil {
		t.Errorf("after one 500: %v", err)
	}
	if got := len(bus.Events()); got != 2 {
		t.Errorf("%d events after the retried request, want 2", got)
	}
	// An entry refused inside a 200 answer is an error, naming the code.
	bus.Refuse(1)
	if err := n.ReportPublished(ctx, p); err == nil || !strings.Contains(err.Error(), "InternalFailure") {
		t.Errorf("refused entry: err = %v", err)
	}
	// A bus that never answers successfully: the error names the bus.
	bus.Down(10)
	if err := n.ReportPublished(ctx, p); err == nil || !strings.Contains(err.Error(), "bus default") {
		t.Errorf("bus down: err = %v", err)
	}
}
