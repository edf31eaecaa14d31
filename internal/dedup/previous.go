package dedup

import (
	"bytes"
	"context"
	"errors"
	"fmt"
	"io"
	"log/slog"
	"time"

	"github.com/newsdedup/newsdedup/internal/report"
)

// LoadPrevious reads the report at key for report.Track. A missing report,
// one that is not valid JSON or is of another schema (v1 had no ids to
// continue) means no previous report: it is logged and (nil, nil) returned,
// so one damaged report cannot stop the next. Only a failure of the store
// itself is returned, for the caller to retry: treating it as "no previous
// report" would give every story a new id.
func LoadPrevious(ctx context.Context, store BlobStore, key string, log *slog.Logger) (*report.Previous, error) {
	r, err := store.Get(ctx, key)
	if errors.Is(err, ErrNotFound) {
		log.Info("no previous report: every story is new", "key", key)
		return nil, nil
	}
	if err != nil {
		return nil, fmt.Errorf("read previous report %s: %w", key, err)
	}
	defer r.Close()
	data, err := io.ReadAll(r)
	if err != nil {
		return nil, fmt.Errorf("read previous report %s: %w", key, err)
	}
	p, err := report.ReadPrevious(bytes.NewReader(data))
	if err != nil {
		log.Warn("previous report unusable: every story is new", "key", key, "err", err)
		return nil, nil
	}
	return p, nil
}

// maxPreviousHops bounds the walk back through published reports.
const maxPreviousHops = 8

// PreviousPublished finds, among the reports Publish wrote under prefix,
// the one a run for time at follows: latest.json, unless that is this run's
// own report (a retried run) or a later one (an earlier day run again);
// then the report it was compared with, and so on back.
func PreviousPublished(ctx context.Context, store BlobStore, prefix string, at time.Time, log *slog.Logger) (*report.Previous, error) {
	key := withPrefix(prefix) + "latest.json"
	for range maxPreviousHops {
		p, err := LoadPrevious(ctx, store, key, log)
		if p == nil || err != nil {
			return nil, err
		}
		made, err := time.Parse(time.RFC3339, p.GeneratedAt)
		if err != nil {
			log.Warn("previous report has no valid generated_at: every story is new", "key", key, "generated_at", p.GeneratedAt)
			return nil, nil
		}
		if made.Before(at) {
			return p, nil
		}
		before, err := time.Parse(time.RFC3339, p.Compared)
		if err != nil { // the first report, or a damaged field
			log.Info("no report before this run's time: every story is new", "key", key, "run", at.Format(time.RFC3339))
			return nil, nil
		}
		key = withPrefix(prefix) + before.UTC().Format("2006-01-02") + "/report.json"
	}
	log.Warn("no report before this run's time within reach: every story is new", "hops", maxPreviousHops)
	return nil, nil
}
