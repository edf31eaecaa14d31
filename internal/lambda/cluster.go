package lambda

import (
	"context"
	"encoding/json"
	"fmt"
	"log/slog"
	"strings"
	"time"

	"github.com/newsdedup/newsdedup/internal/dedup"
	"github.com/newsdedup/newsdedup/internal/report"
)

// ClusterHandler handles the daily scheduled event: it clusters the stored
// records of the window and publishes the report.
type ClusterHandler struct {
	Svc     *dedup.Service
	Reports dedup.BlobStore // where reports are written
	Prefix  string          // key prefix of reports, e.g. "reports/"
	// WindowDays: the report covers records dated in the WindowDays days
	// up to the run's day; 0 means every record.
	WindowDays int
	Log        *slog.Logger // nil means Svc.Log, then slog.Default()
	// Notify announces each published report (nil: nobody). Its failure is
	// logged and counted, and does not fail the run: see Handle.
	Notify  dedup.Notifier
	Metrics *Metrics // one EMF line per run; nil means none
}

// Summary is what one run produced; the function returns it and logs it.
type Summary struct {
	RunTime string `json:"run_time"` // the time the run is for (RFC 3339)
	dedup.Published
	DurationMS int64 `json:"duration_ms"`
	Notified   bool  `json:"notified"` // the report-published event was sent
}

func (h *ClusterHandler) log() *slog.Logger { return loggerOf(h.Log, h.Svc) }

// RunTime returns the time a scheduled event is for: its "time" field
// (EventBridge and EventBridge Scheduler put the scheduled time there, the
// same on every retry of one run). An event without a usable time (a manual
// invocation with {}) runs for now.
func RunTime(event json.RawMessage, now time.Time) (time.Time, bool) {
	var ev struct {
		Time string `json:"time"`
	}
	if len(event) == 0 || json.Unmarshal(event, &ev) != nil || ev.Time == "" {
		return now.UTC(), false
	}
	t, err := time.Parse(time.RFC3339, ev.Time)
	if err != nil {
		return now.UTC(), false
	}
	return t.UTC(), true
}

// Handle runs one report for the event's time: the window and the report's
// date and generated_at are derived from it, so a retried run rewrites the
// same report instead of writing a second one. The dated files are written
// before latest.json (see dedup.Publish).
func (h *ClusterHandler) Handle(ctx context.Context, event json.RawMessage) (Summary, error) {
	start := time.Now()
	svc := *h.Svc
	now := time.Now
	if svc.Now != nil {
		now = svc.Now
	}
	at, ok := RunTime(event, now())
	if !ok {
		h.log().Info("event has no scheduled time; running for now", "time", at.Format(time.RFC3339))
	}
	svc.Now = func() time.Time { return at }
	w := dedup.LastDays(h.WindowDays, at)

	// The previous report is read first: decoding it needs its whole text
	// in memory, which is better freed before the clustering than beside it.
	prev, err := dedup.PreviousPublished(ctx, h.Reports, h.Prefix, at, h.log())
	if err != nil {
		return Summary{}, fmt.Errorf("cluster run for %s: %w", at.Format(time.RFC3339), err)
	}
	rep, err := svc.Report(ctx, w)
	if err != nil {
		return Summary{}, fmt.Errorf("cluster run for %s: %w", at.Format(time.RFC3339), err)
	}
	report.Track(rep, prev)
	if err := dedup.Publish(ctx, h.Reports, h.Prefix, rep); err != nil {
		return Summary{}, fmt.Errorf("cluster run for %s: %w", at.Format(time.RFC3339), err)
	}
	prefix := strings.TrimSuffix(h.Prefix, "/")
	if prefix != "" {
		prefix += "/"
	}
	s := Summary{
		RunTime: at.Format(time.RFC3339),
		Published: dedup.Published{
			From:        w.From,
			To:          w.To,
			Articles:    rep.Articles,
			Stories:     len(rep.Stories),
			Rejected:    len(rep.Rejected),
			ReportKey:   prefix + rep.GeneratedAt[:min(10, len(rep.GeneratedAt))] + "/report.json",
			LatestKey:   prefix + "latest.json",
			GeneratedAt: rep.GeneratedAt,
		},
		DurationMS: time.Since(start).Milliseconds(),
	}
	for _, st := range rep.Stories {
		s.CopyGroups += len(st.Copies)
		s.Rewrites += len(st.Rewrites)
		if st.Status == report.StatusNew {
			s.NewStories++
		}
	}
	h.log().Info("report published", "run_time", s.RunTime, "window_from", s.From, "window_to", s.To,
		"articles", s.Articles, "stories", s.Stories, "new_stories", s.NewStories, "copy_groups", s.CopyGroups, "rewrites", s.Rewrites, "rejected", s.Rejected,
		"report", s.ReportKey, "ms", s.DurationMS)
	// The report is out (latest.json points at it) before anyone is told.
	// A failed notice is logged, counted (NotifyFailed) and not returned:
	// returning it would make Lambda rerun the whole clustering (up to 15
	// minutes, twice) and then file the run in the failure queue as if the
	// report had not been published, which would be false.
	notifyFailed := 0
	if h.Notify != nil {
		if err := h.Notify.ReportPublished(ctx, s.Published); err != nil {
			notifyFailed = 1
			h.log().Error("report published, but the notification failed", "report", s.ReportKey, "err", err)
		} else {
			s.Notified = true
		}
	}
	if err := h.Metrics.Emit(count("Articles", s.Articles), count("Stories", s.Stories), count("NewStories", s.NewStories), count("CopyGroups", s.CopyGroups), count("Rewrites", s.Rewrites),
		count("Rejected", s.Rejected), count("NotifyFailed", notifyFailed), duration(time.Since(start))); err != nil {
		h.log().Warn("cannot write metrics", "err", err)
	}
	return s, nil
}
