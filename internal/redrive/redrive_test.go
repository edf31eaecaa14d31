package redrive

import (
	"bytes"
	"context"
	"errors"
	"fmt"
	"strings"
	"testing"
)

// memQueue is an in-memory queue: received messages are hidden until the
// test ends (as with the long visibility timeout of the real adapter).
type memQueue struct {
	msgs    []Message
	next    int
	deleted []string
}

func (q *memQueue) Receive(_ context.Context, max int) ([]Message, error) {
	n := min(max, len(q.msgs)-q.next)
	out := q.msgs[q.next : q.next+n]
	q.next += n
	return out, nil
}

func (q *memQueue) Delete(_ context.Context, m Message) error {
	q.deleted = append(q.deleted, m.ID)
	return nil
}

type fakeInvoker struct {
	calls []string
	fail  map[string]bool // by payload
}

func (f *fakeInvoker) Invoke(_ context.Context, fn string, payload []byte) error {
	f.calls = append(f.calls, fn+" "+string(payload))
	if f.fail[string(payload)] {
		return errors.New("function error Unhandled")
	}
	return nil
}

func record(fn, payload string) string {
	return fmt.Sprintf(`{"version":"1.0","timestamp":"2024-01-02T08:15:31.000Z","requestContext":{"requestId":"r",`+
		`"functionArn":%q,"condition":"RetriesExhausted","approximateInvokeCount":3},`+
		`"requestPayload":%s,"responseContext":{"statusCode":200,"executedVersion":"$LATEST","functionError":"Unhandled"},`+
		`"responsePayload":{"errorMessage":"dynamodb: put ... i/o timeout","errorType":"wrapError"}}`, fn, payload)
}

const ingestArn = "arn:aws:lambda:us-east-1:123456789012:function:news-ingest:$LATEST"

func queue() *memQueue {
	q := &memQueue{}
	bodies := []string{
		record(ingestArn, `{"Records":[{"s3":{"object":{"key":"incoming/a.txt"}}}]}`),
		`{"id":"x","detail-type":"Scheduled Event","source":"aws.scheduler"}`, // a schedule Scheduler could not deliver
		record(ingestArn, `{"Records":[{"s3":{"object":{"key":"incoming/still-broken.txt"}}}]}`),
		"not json",
	}
	for i := range 12 { // more than one batch of 10
		bodies = append(bodies, record(ingestArn, fmt.Sprintf(`{"n":%d}`, i)))
	}
	for i, b := range bodies {
		q.msgs = append(q.msgs, Message{ID: fmt.Sprint("m", i), Receipt: fmt.Sprint("r", i), Body: b})
	}
	// A Scheduler dead letter: the schedule's payload, the target in an attribute.
	q.msgs = append(q.msgs, Message{ID: "sched", Receipt: "rs", Body: `{"detail-type":"Scheduled Event","time":"2024-01-03T03:00:00Z"}`,
		Attributes: map[string]string{"TARGET_ARN": clusterArn, "ERROR_CODE": "Lambda.TooManyRequestsException", "EXHAUSTED_RETRY_CONDITION": "MaximumRetryAttempts"}})
	return q
}

const clusterArn = "arn:aws:lambda:us-east-1:123456789012:function:news-cluster"

func TestRun(t *testing.T) {
	q := queue()
	inv := &fakeInvoker{fail: map[string]bool{`{"Records":[{"s3":{"object":{"key":"incoming/still-broken.txt"}}}]}`: true}}
	var log bytes.Buffer
	res, err := Run(context.Background(), q, inv, Options{Log: &log})
	if err != nil {
		t.Fatal(err)
	}
	if res != (Result{Replayed: 14, Failed: 1, Skipped: 2}) {
		t.Errorf("result %+v", res)
	}
	if len(inv.calls) != 15 || !strings.HasPrefix(inv.calls[0], ingestArn+` {"Records"`) ||
		inv.calls[14] != clusterArn+` {"detail-type":"Scheduled Event","time":"2024-01-03T03:00:00Z"}` {
		t.Errorf("%d invocations, first %q, last %q", len(inv.calls), inv.calls[0], inv.calls[len(inv.calls)-1])
	}
	// Deleted: every replayed message, and nothing else.
	del := strings.Join(q.deleted, ",")
	if len(q.deleted) != 14 || strings.Contains(","+del+",", ",m1,") || strings.Contains(","+del+",", ",m2,") || strings.Contains(","+del+",", ",m3,") {
		t.Errorf("deleted %s; want all but m1 (not a record), m2 (failed again), m3 (not JSON)", del)
	}
	for _, want := range []string{"failed m2", "skip   m1", "skip   m3", "ok     m0"} {
		if !strings.Contains(log.String(), want) {
			t.Errorf("log lacks %q:\n%s", want, log.String())
		}
	}
}

func TestRunDryRunAndMax(t *testing.T) {
	q := queue()
	inv := &fakeInvoker{}
	res, err := Run(context.Background(), q, inv, Options{DryRun: true, Max: 3})
	if err != nil {
		t.Fatal(err)
	}
	if len(inv.calls) != 0 || len(q.deleted) != 0 || res != (Result{Skipped: 3}) || q.next != 3 {
		t.Errorf("dry run: %d calls, %d deleted, %+v, %d received", len(inv.calls), len(q.deleted), res, q.next)
	}
}

func TestParse(t *testing.T) {
	r, err := Parse(record(ingestArn, `{"k":1}`))
	if err != nil || r.RequestContext.FunctionArn != ingestArn || string(r.RequestPayload) != `{"k":1}` {
		t.Errorf("Parse = %+v, %v", r, err)
	}
	for _, body := range []string{`{}`, `{"requestContext":{"functionArn":"f"}}`, `{"requestContext":{"functionArn":"f"},"requestPayload":null}`, `[`} {
		if _, err := Parse(body); err == nil {
			t.Errorf("Parse(%s) accepted", body)
		}
	}
}
