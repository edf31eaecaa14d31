// Package redrive replays the events that failed all their retries and
// wait in the failure queue (template.yaml: FailureQueue, the OnFailure
// destination of both functions' asynchronous invocations), once their cause
// is fixed. Each message is a Lambda invocation record:
//
//	{"requestContext": {"functionArn": "...:function:NAME:$LATEST", "condition": "RetriesExhausted", ...},
//	 "requestPayload": <the original event>, "responsePayload": <the last error>, ...}
//
// Run invokes the named function again with requestPayload, synchronously,
// and deletes the message only once that invocation succeeded; a message
// that fails again stays in the queue. The queue also receives EventBridge
// Scheduler's dead letters (a daily run it could not deliver at all): their
// body is the schedule's payload and the TARGET_ARN message attribute names
// the function; they are replayed the same way. Anything else is left. Both
// handlers are idempotent (conditional writes by sequencer; a report for a
// fixed scheduled time), so a replay that overlaps a late retry is harmless.
package redrive

import (
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"strconv"
	"strings"
)

// Message is one queue message.
type Message struct {
	ID         string
	Receipt    string // what Delete needs
	Body       string
	Attributes map[string]string // string message attributes, e.g. Scheduler's TARGET_ARN
}

// Queue is the failure queue.
type Queue interface {
	// Receive returns up to max messages and hides them from other
	// receivers for longer than one invocation can take; none means empty.
	Receive(ctx context.Context, max int) ([]Message, error)
	Delete(ctx context.Context, m Message) error
}

// Invoker runs a function synchronously; it returns an error if the
// invocation or the function failed.
type Invoker interface {
	Invoke(ctx context.Context, function string, payload []byte) error
}

// Record is the part of an asynchronous-invocation record Run needs.
type Record struct {
	RequestContext struct {
		FunctionArn string `json:"functionArn"`
		Condition   string `json:"condition"`
	} `json:"requestContext"`
	RequestPayload  json.RawMessage `json:"requestPayload"`
	ResponsePayload json.RawMessage `json:"responsePayload"`
}

// Parse reads an invocation record; a body without a function and a
// payload is not one.
func Parse(body string) (Record, error) {
	var r Record
	if err := json.Unmarshal([]byte(body), &r); err != nil {
		return r, fmt.Errorf("not JSON: %w", err)
	}
	if r.RequestContext.FunctionArn == "" || len(r.RequestPayload) == 0 || string(r.RequestPayload) == "null" {
		return r, errors.New("not a Lambda invocation record (no requestContext.functionArn or requestPayload)")
	}
	return r, nil
}

// replay returns the function and payload a message asks to replay: an
// invocation record's, or a Scheduler dead letter's (a Lambda TARGET_ARN
// attribute and a JSON body).
func replay(m Message) (Record, error) {
	rec, err := Parse(m.Body)
	if err == nil {
		return rec, nil
	}
	if arn := m.Attributes["TARGET_ARN"]; strings.Contains(arn, ":lambda:") && json.Valid([]byte(m.Body)) {
		rec = Record{RequestPayload: json.RawMessage(m.Body), ResponsePayload: json.RawMessage(strconv.Quote(m.Attributes["ERROR_MESSAGE"]))}
		rec.RequestContext.FunctionArn = arn
		rec.RequestContext.Condition = "Scheduler: " + m.Attributes["EXHAUSTED_RETRY_CONDITION"]
		return rec, nil
	}
	return rec, err
}

// Options of a run.
type Options struct {
	Max    int       // stop after this many messages; 0 means until the queue is empty
	DryRun bool      // list what would be replayed; invoke and delete nothing
	Log    io.Writer // one line per message
}

// Result counts what a run did.
type Result struct {
	Replayed, Failed, Skipped int
}

// Run replays messages until the queue returns none (or Max are seen).
// Messages it could not replay stay hidden until their visibility timeout
// ends, so one run sees each message at most once.
func Run(ctx context.Context, q Queue, inv Invoker, o Options) (Result, error) {
	var res Result
	logf := func(format string, a ...any) {
		if o.Log != nil {
			fmt.Fprintf(o.Log, format+"\n", a...)
		}
	}
	seen := 0
	for o.Max == 0 || seen < o.Max {
		batch := 10
		if o.Max > 0 {
			batch = min(batch, o.Max-seen)
		}
		msgs, err := q.Receive(ctx, batch)
		if err != nil {
			return res, fmt.Errorf("redrive: receive: %w", err)
		}
		if len(msgs) == 0 {
			break
		}
		for _, m := range msgs {
			if err := ctx.Err(); err != nil {
				return res, fmt.Errorf("redrive: %w", err)
			}
			seen++
			rec, err := replay(m)
			if err != nil {
				res.Skipped++
				logf("skip   %s: %v; left in the queue", m.ID, err)
				continue
			}
			fn := rec.RequestContext.FunctionArn
			if o.DryRun {
				res.Skipped++
				logf("would  %s: invoke %s (%s; last error %s)", m.ID, fn, rec.RequestContext.Condition, short(rec.ResponsePayload))
				continue
			}
			if err := inv.Invoke(ctx, fn, rec.RequestPayload); err != nil {
				res.Failed++
				logf("failed %s: %v; left in the queue", m.ID, err)
				continue
			}
			if err := q.Delete(ctx, m); err != nil {
				// Replayed but still queued: a later run replays it once more,
				// which the idempotent handlers absorb.
				return res, fmt.Errorf("redrive: delete %s after replaying it: %w", m.ID, err)
			}
			res.Replayed++
			logf("ok     %s: %s", m.ID, fn)
		}
	}
	return res, nil
}

func short(b json.RawMessage) string {
	s := strings.Join(strings.Fields(string(b)), " ")
	if len(s) > 200 {
		s = s[:200] + "…"
	}
	if s == "" {
		s = "(none)"
	}
	return s
}
