// Package lambda maps AWS Lambda events onto dedup.Service: S3 object
// events onto Ingest and Remove, scheduled events onto Report and Publish.
// It is the only package that knows Lambda's event types; the functions'
// main packages only wire it up (see functions/ingest and functions/cluster).
package lambda

import (
	"context"
	"errors"
	"fmt"
	"log/slog"
	"net/url"
	"strings"
	"time"

	"github.com/aws/aws-lambda-go/events"

	"github.com/newsdedup/newsdedup/internal/dedup"
)

// IncomingPrefix is where articles are uploaded. The bucket notification
// only fires for it; the handler checks again.
const IncomingPrefix = "incoming/"

// IngestHandler handles the S3 events of the uploads bucket.
//
// S3 delivers each event at least once and in no particular order. Every
// record carries the object's sequencer, and dedup.Service stores a record
// only if its sequencer is newer than the stored one (a conditional write),
// so duplicates and late events change nothing. A file that cannot be used
// (a PDF, an empty file) is stored as rejected and is not an error: a retry
// could not help. Errors from storage are returned, so that Lambda retries
// the asynchronous invocation (twice) and then sends the event to the
// failure destination.
type IngestHandler struct {
	Svc *dedup.Service
	// Bucket returns the store for the bucket a record names (ingest takes
	// the bucket from the event, not from configuration). Nil means
	// Svc.Articles serves every record.
	Bucket func(name string) dedup.BlobStore
	// Prefix: keys outside it are logged and ignored; "" means IncomingPrefix.
	Prefix  string
	Log     *slog.Logger // nil means Svc.Log, then slog.Default()
	Metrics *Metrics     // one EMF line per invocation; nil means none
}

// IngestResult is what the function returns for one event: what happened
// to each record. Lambda discards it for asynchronous invocations; it is
// for people and tests invoking the function directly.
type IngestResult struct {
	Records []RecordResult `json:"records"`
}

// Actions taken on a record.
const (
	ActionIngest = "ingest" // ObjectCreated: the article was read and its record stored
	ActionRemove = "remove" // ObjectRemoved: a tombstone was stored
	ActionSkip   = "skip"   // not for this function: outside the prefix, or another event type
)

// RecordResult is the outcome for one S3 event record.
type RecordResult struct {
	Event   string `json:"event"`
	Bucket  string `json:"bucket"`
	Key     string `json:"key"` // decoded object key
	Seq     string `json:"seq"`
	Action  string `json:"action"`
	Status  string `json:"status,omitempty"` // stored record's status: ok, rejected or deleted
	Reason  string `json:"reason,omitempty"` // why the file was rejected, or why the record was skipped
	Written bool   `json:"written"`          // false for a duplicate or out-of-date event
	Error   string `json:"error,omitempty"`
}

func (h *IngestHandler) log() *slog.Logger { return loggerOf(h.Log, h.Svc) }

// Handle processes the records of one event in order. It returns an error
// naming every record that failed (the others are done, and a retry of
// them is harmless).
func (h *IngestHandler) Handle(ctx context.Context, ev events.S3Event) (IngestResult, error) {
	start := time.Now()
	res := IngestResult{Records: make([]RecordResult, 0, len(ev.Records))}
	var errs []error
	for i := range ev.Records {
		r, err := h.record(ctx, &ev.Records[i])
		if err != nil {
			r.Error = err.Error()
			errs = append(errs, fmt.Errorf("record %d (%s s3://%s/%s seq %s): %w", i, r.Event, r.Bucket, r.Key, r.Seq, err))
		}
		res.Records = append(res.Records, r)
	}
	if err := h.Metrics.Emit(res.metrics(time.Since(start))...); err != nil {
		h.log().Warn("cannot write metrics", "err", err)
	}
	if len(errs) > 0 {
		return res, fmt.Errorf("ingest: %d of %d records failed: %w", len(errs), len(ev.Records), errors.Join(errs...))
	}
	return res, nil
}

// metrics counts what the records came to: Accepted (a signature written),
// Rejected (an unusable file recorded), Deleted (a tombstone written),
// Unchanged (a duplicate or late event: nothing written), Skipped (not for
// this function) and Failed (to be retried).
func (res IngestResult) metrics(d time.Duration) []Metric {
	var accepted, rejected, deleted, unchanged, skipped, failed int
	for _, r := range res.Records {
		switch {
		case r.Error != "":
			failed++
		case r.Action == ActionSkip:
			skipped++
		case !r.Written:
			unchanged++
		case r.Status == string(dedup.StatusOK):
			accepted++
		case r.Status == string(dedup.StatusRejected):
			rejected++
		case r.Status == string(dedup.StatusDeleted):
			deleted++
		}
	}
	return []Metric{count("Records", len(res.Records)), count("Accepted", accepted), count("Rejected", rejected),
		count("Deleted", deleted), count("Unchanged", unchanged), count("Skipped", skipped), count("Failed", failed), duration(d)}
}

// ObjectKey returns the object key of an S3 event record, decoded: S3
// sends keys form-encoded ("wire copy+1.txt" arrives as "wire+copy%2B1.txt").
// aws-lambda-go decodes it into URLDecodedKey while unmarshalling the
// event; records built in code have only Key, which is decoded here.
func ObjectKey(o events.S3Object) (string, error) {
	if o.URLDecodedKey != "" || o.Key == "" {
		return o.URLDecodedKey, nil
	}
	key, err := url.QueryUnescape(o.Key)
	if err != nil {
		return "", fmt.Errorf("object key %q is not URL-encoded: %w", o.Key, err)
	}
	return key, nil
}

func (h *IngestHandler) record(ctx context.Context, rec *events.S3EventRecord) (RecordResult, error) {
	r := RecordResult{Event: rec.EventName, Bucket: rec.S3.Bucket.Name, Key: rec.S3.Object.Key, Seq: rec.S3.Object.Sequencer}
	log := h.log().With("event", rec.EventName, "bucket", r.Bucket, "seq", r.Seq)
	key, err := ObjectKey(rec.S3.Object)
	if err != nil {
		return r, err
	}
	r.Key = key
	log = log.With("key", key)

	var remove bool
	switch {
	case strings.HasPrefix(rec.EventName, "ObjectCreated:"):
	case strings.HasPrefix(rec.EventName, "ObjectRemoved:"):
		remove = true
	default:
		r.Action, r.Reason = ActionSkip, "not an ObjectCreated or ObjectRemoved event"
		log.Info("event ignored", "reason", r.Reason)
		return r, nil
	}
	prefix := h.Prefix
	if prefix == "" {
		prefix = IncomingPrefix
	}
	if !strings.HasPrefix(key, prefix) {
		r.Action, r.Reason = ActionSkip, "key outside "+prefix
		log.Warn("event ignored", "reason", r.Reason)
		return r, nil
	}
	if r.Seq == "" {
		return r, errors.New("record without a sequencer")
	}

	svc := *h.Svc
	if h.Bucket != nil {
		if r.Bucket == "" {
			return r, errors.New("record without bucket name")
		}
		svc.Articles = h.Bucket(r.Bucket)
	}
	// An undated article counts for the day S3 received it, not the day
	// (or the retry) that processed it; a tombstone likewise.
	if t := rec.EventTime; !t.IsZero() {
		svc.Now = func() time.Time { return t }
	}

	start := time.Now()
	if remove {
		r.Action, r.Status = ActionRemove, string(dedup.StatusDeleted)
		r.Written, err = svc.Remove(ctx, key, r.Seq)
		if err != nil {
			return r, err
		}
		log.Info("tombstone stored", "written", r.Written, "ms", time.Since(start).Milliseconds())
		return r, nil
	}
	r.Action = ActionIngest
	stored, written, err := svc.Ingest(ctx, key, r.Seq)
	if err != nil {
		return r, err
	}
	r.Written = written
	if stored.Key == "" {
		r.Reason = "object no longer exists; its removal event follows"
	} else {
		r.Status, r.Reason = string(stored.Status), stored.Reason
	}
	log.Info("article ingested", "status", r.Status, "reason", r.Reason, "written", written, "ms", time.Since(start).Milliseconds())
	return r, nil
}
