//go:build faults

package faults

// Fault-injection tests: `make faults`, or
//
//	infra/local/up.sh && source ~/.cache/newsdedup/state/env.sh
//	go test -tags faults -count=1 -v ./internal/faults/
//
// They fail (never skip) when the emulators are not configured or not
// reachable. Every test makes its own table and bucket and removes them.

import (
	"bytes"
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"os"
	"path/filepath"
	"regexp"
	"strings"
	"sync"
	"sync/atomic"
	"testing"
	"time"

	"github.com/aws/aws-lambda-go/events"
	awsddb "github.com/aws/aws-sdk-go-v2/service/dynamodb"
	"github.com/aws/smithy-go/middleware"

	"github.com/newsdedup/newsdedup/internal/dedup"
	"github.com/newsdedup/newsdedup/internal/dynamodb"
	"github.com/newsdedup/newsdedup/internal/e2e"
	"github.com/newsdedup/newsdedup/internal/lambda"
	"github.com/newsdedup/newsdedup/internal/report"
	"github.com/newsdedup/newsdedup/internal/s3"
	"github.com/newsdedup/newsdedup/internal/stress"
)

// corpus is a test's articles, uploaded, and its plan of S3 events.
type corpus struct {
	w    *stress.World
	objs map[string]stress.Object
	keys []string
	plan *stress.Plan
	evs  []events.S3Event
}

// newCorpus uploads n synthetic articles to w's bucket (directly, not
// through any proxy) and plans deliveries S3 events over them (with
// duplicates and out-of-order deliveries when there are at least two per
// article).
func newCorpus(t *testing.T, ctx context.Context, w *stress.World, n, deliveries int, seed int64) *corpus {
	t.Helper()
	list, err := stress.Articles(n, seed, "incoming/faults/")
	if err != nil {
		t.Fatal(err)
	}
	if err := stress.Upload(ctx, w.Objects, list, 8); err != nil {
		t.Fatalf("upload: %v", err)
	}
	c := &corpus{w: w, objs: map[string]stress.Object{}}
	for _, o := range list {
		c.objs[o.Key] = o
		c.keys = append(c.keys, o.Key)
	}
	if c.plan, err = stress.NewPlan(c.keys, deliveries, uint64(seed), e2e.NewSequencers()); err != nil {
		t.Fatal(err)
	}
	if c.evs, err = c.plan.Events(w.Root, w.Bucket, c.objs); err != nil {
		t.Fatal(err)
	}
	if deliveries >= 2*n && (c.plan.Duplicates == 0 || c.plan.OutOfOrder == 0) {
		t.Fatalf("plan has %d duplicates and %d out-of-order deliveries; want some of each", c.plan.Duplicates, c.plan.OutOfOrder)
	}
	return c
}

// handlers makes one ingest handler (one Lambda instance, its own clients)
// per worker, reaching the servers through ddbURL and s3URL.
func (c *corpus) handlers(t *testing.T, ctx context.Context, workers int, ddbURL, s3URL string) []stress.Handler {
	t.Helper()
	hs := make([]stress.Handler, workers)
	for i := range hs {
		h, err := stress.NewIngest(ctx, c.w.Table, ddbURL, s3URL)
		if err != nil {
			t.Fatal(err)
		}
		hs[i] = h.Handle
	}
	return hs
}

// check verifies the table after a run: every event succeeded within its
// deliveries, every key is stored exactly once at its newest version with
// a signature of its content, and no version was written twice. It
// returns how many newest versions no invocation reported as written
// (their write succeeded but its response was lost).
func (c *corpus) check(t *testing.T, ctx context.Context, out *stress.Outcome) (lostResponses int) {
	t.Helper()
	if len(out.Failed) > 0 {
		t.Errorf("%d events still failed after their last delivery (first: event %d)", len(out.Failed), out.Failed[0])
		for _, inv := range out.Errors()[max(0, len(out.Errors())-3):] {
			t.Logf("  last errors: event %d attempt %d: %v", inv.Event, inv.Attempt, inv.Err)
		}
	}
	chk, err := stress.Verify(ctx, c.w.Store, c.plan.Newest, c.objs)
	if err != nil {
		t.Fatalf("scan: %v", err)
	}
	if !chk.OK() {
		t.Errorf("table: %s", chk)
		for _, p := range chk.Problems {
			t.Errorf("  %s", p)
		}
	}
	writes := stress.Writes(out, c.plan.Deliveries)
	for d, n := range writes {
		if n > 1 {
			t.Errorf("%s seq %s reported written %d times", d.Key, d.Seq, n)
		}
	}
	for k, seq := range c.plan.Newest {
		found := false
		for d, n := range writes {
			if d.Key == k && d.Seq == seq && n > 0 {
				found = true
				break
			}
		}
		if !found {
			lostResponses++
		}
	}
	t.Logf("table: %s", chk)
	return lostResponses
}

// summary logs an outcome and prints it as one JSON line.
func summary(t *testing.T, name string, c *corpus, out *stress.Outcome, extra map[string]any) map[string]any {
	t.Helper()
	retried, beyond, maxD := out.Retried()
	errs := out.Errors()
	var ddbErrs, s3Errs, deadline int
	kinds := map[string]int{}
	for _, inv := range errs {
		msg := inv.Err.Error()
		// The adapters prefix their errors: "dynamodb: put ...", "s3: get
		// s3://...", and dedup.Service reads the body: "read \"key\": ...".
		if strings.Contains(msg, "dynamodb: ") {
			ddbErrs++
		}
		if strings.Contains(msg, "s3: get ") || strings.Contains(msg, ": read \"") {
			s3Errs++
		}
		if errors.Is(inv.Err, context.DeadlineExceeded) {
			deadline++
		}
		kinds[errorKind(msg)]++
	}
	for k, n := range kinds {
		t.Logf("  %4d× %s", n, k)
	}
	first := stress.SDKLogFirst()
	for k, n := range stress.SDKLog() {
		t.Logf("  SDK logged %d× (all tests so far) %q, first: %s", n, k, first[k])
	}
	lat := out.Latencies()
	m := map[string]any{
		"test": name, "events": len(c.evs), "keys": len(c.keys), "versions": c.plan.Versions,
		"duplicates": c.plan.Duplicates, "out_of_order": c.plan.OutOfOrder,
		"invocations": len(out.Invocations), "failed_invocations": len(errs),
		"dynamodb_errors": ddbErrs, "s3_errors": s3Errs, "deadline_errors": deadline,
		"events_retried": retried, "events_beyond_lambda_retries": beyond, "max_deliveries": maxD,
		"events_failed": len(out.Failed), "seconds": out.Wall.Seconds(),
		"events_per_s": float64(len(c.evs)) / out.Wall.Seconds(),
		"p50_ms":       stress.Ms(lat.P50), "p95_ms": stress.Ms(lat.P95), "p99_ms": stress.Ms(lat.P99), "max_ms": stress.Ms(lat.Max),
	}
	for k, v := range extra {
		m[k] = v
	}
	line, _ := json.Marshal(m)
	t.Logf("%s: %d events over %d keys (%d versions, %d duplicates, %d out of order) in %.1fs; %d invocations, %d failed (DynamoDB %d, S3 %d, deadline %d); %d events retried, %d needed more than Lambda's %d deliveries, at most %d; %s",
		name, len(c.evs), len(c.keys), c.plan.Versions, c.plan.Duplicates, c.plan.OutOfOrder, out.Wall.Seconds(),
		len(out.Invocations), len(errs), ddbErrs, s3Errs, deadline, retried, beyond, stress.LambdaDeliveries, maxD, lat)
	fmt.Printf("FAULTS %s\n", line)
	if path := os.Getenv("FAULTS_METRICS"); path != "" {
		f, err := os.OpenFile(path, os.O_APPEND|os.O_CREATE|os.O_WRONLY, 0o644)
		if err != nil {
			t.Error(err)
		} else {
			fmt.Fprintf(f, "%s\n", line)
			f.Close()
		}
	}
	return m
}

// toxics is a Toxiproxy with a proxy in front of each emulator.
func toxics(t *testing.T) (ddb, s3 *stress.Proxy) {
	t.Helper()
	tp := stress.NewToxiproxy()
	t.Cleanup(func() {
		if err := tp.Close(); err != nil {
			t.Error(err)
		}
	})
	ddb, err := tp.Proxy("dynamodb", os.Getenv(e2e.EnvDynamoDB))
	if err != nil {
		t.Fatal(err)
	}
	s3, err = tp.Proxy("s3", os.Getenv(e2e.EnvS3))
	if err != nil {
		t.Fatal(err)
	}
	return ddb, s3
}

// TestIngestConnectionsCut delivers 300 S3 events to the real ingest
// handler (8 simulated instances, events arriving over about 12 s) while a
// schedule of toxics cuts the DynamoDB and S3 links: connections reset as
// responses arrive (the write is done, its answer lost) or as requests
// leave, stalled and then closed, cut after a few hundred bytes mid-request
// and mid-response, every DynamoDB request reset for 4 s, and both links
// refused.
// Events whose invocation returned an error are delivered again (up to 10
// times; Lambda makes 3). Afterwards every article is stored exactly once,
// at its newest version, with a signature of its whole content, and the
// cluster run reports each article once.
func TestIngestConnectionsCut(t *testing.T) {
	ctx, cancel := context.WithTimeout(context.Background(), 3*time.Minute)
	defer cancel()
	w := stress.NewWorld(t, "faults-cut", "")
	c := newCorpus(t, ctx, w, 100, 300, 11)
	ddb, s3 := toxics(t)
	const workers = 8
	hs := c.handlers(t, ctx, workers, ddb.URL(), s3.URL())

	type phase struct {
		name string
		dur  time.Duration // 0: on
		on   func() error
		off  func()
	}
	toxic := func(p *stress.Proxy, name, typ, stream string, toxicity float32, attrs map[string]any) phase {
		return phase{
			name: name,
			on:   func() error { return p.Toxic(name, typ, stream, toxicity, attrs) },
			off: func() {
				if err := p.Remove(name); err != nil {
					t.Errorf("remove %s: %v", name, err)
				}
			},
		}
	}
	const on, gap = 800 * time.Millisecond, 250 * time.Millisecond
	// Long enough for the SDK's own retries to give up within the function
	// timeout (below), so DynamoDB failures reach the handler too.
	long := toxic(ddb, "ddb-reset-every-request-4s", "reset_peer", "upstream", 1, map[string]any{"timeout": 0})
	long.dur = 4 * time.Second
	phases := []phase{
		toxic(ddb, "ddb-reset-response", "reset_peer", "downstream", 1, map[string]any{"timeout": 0}),
		toxic(s3, "s3-reset-request", "reset_peer", "upstream", 1, map[string]any{"timeout": 0}),
		toxic(ddb, "ddb-stall-1500ms", "timeout", "upstream", 1, map[string]any{"timeout": 1500}),
		toxic(s3, "s3-cut-response-2000B", "limit_data", "downstream", 1, map[string]any{"bytes": 2000}),
		toxic(ddb, "ddb-cut-request-600B", "limit_data", "upstream", 1, map[string]any{"bytes": 600}),
		toxic(ddb, "ddb-reset-half", "reset_peer", "upstream", 0.5, map[string]any{"timeout": 20}),
		toxic(s3, "s3-stall-1000ms", "timeout", "downstream", 1, map[string]any{"timeout": 1000}),
		long,
		{name: "both-links-refused", on: func() error { ddb.Disable(); s3.Disable(); return nil }, off: func() {
			if err := ddb.Enable(); err != nil {
				t.Error(err)
			}
			if err := s3.Enable(); err != nil {
				t.Error(err)
			}
		}},
	}
	var chaosTime time.Duration
	for i := range phases {
		if phases[i].dur == 0 {
			phases[i].dur = on
		}
		chaosTime += phases[i].dur + gap
	}
	chaosDone := make(chan struct{})
	go func() {
		defer close(chaosDone)
		for _, p := range phases {
			if err := p.on(); err != nil {
				t.Errorf("%s: %v", p.name, err)
				continue
			}
			select {
			case <-time.After(p.dur):
			case <-ctx.Done():
			}
			p.off()
			select {
			case <-time.After(gap):
			case <-ctx.Done():
			}
		}
	}()
	out := stress.Deliver(ctx, c.evs, stress.Options{
		Workers:       workers,
		Handlers:      func(i int) stress.Handler { return hs[i] },
		MaxDeliveries: 10,
		Interval:      chaosTime / time.Duration(len(c.evs)),
		// The function timeout, scaled down with the outages (template.yaml:
		// 30 s). The DynamoDB client makes 5 attempts, waiting up to 2, 4, 8
		// and 16 s between them (the SDK's legacy backoff, rand·2^attempt s),
		// so only an outage that outlasts the function timeout reaches the
		// handler; S3's client makes 3 (up to 2 and 4 s), and a body cut
		// short is read after the SDK returned, so it is never retried there.
		Timeout: 5 * time.Second,
	})
	<-chaosDone
	lost := c.check(t, ctx, &out)
	m := summary(t, "connections-cut", c, &out, map[string]any{"lost_responses": lost})

	// The faults must have reached the handler on both links, not only the
	// SDK's own retries: otherwise this test tested nothing.
	if m["dynamodb_errors"].(int) == 0 || m["s3_errors"].(int) == 0 {
		t.Errorf("invocation errors: DynamoDB %v, S3 %v; want some on each link", m["dynamodb_errors"], m["s3_errors"])
	}
	if m["events_retried"].(int) == 0 {
		t.Error("no event needed a second delivery")
	}

	// The cluster run (direct links) counts every article exactly once.
	h, err := stress.NewCluster(ctx, w.Table, w.Bucket, w.Bucket, "")
	if err != nil {
		t.Fatal(err)
	}
	sum, err := h.Handle(ctx, schedule(t, w.Root, "2024-01-03T03:00:00Z"))
	if err != nil {
		t.Fatal(err)
	}
	rep := readReport(t, ctx, w, sum.LatestKey)
	seen := map[string]int{}
	for _, st := range rep.Stories {
		for _, a := range st.Articles {
			seen[a.Key]++
		}
	}
	if rep.Articles != len(c.keys) || len(seen) != len(c.keys) || len(rep.Rejected) != 0 {
		t.Errorf("report: %d articles, %d distinct keys in stories, %d rejected; want %d, %d, 0", rep.Articles, len(seen), len(rep.Rejected), len(c.keys), len(c.keys))
	}
	for k, n := range seen {
		if n != 1 || c.objs[k].Key == "" {
			t.Errorf("report: %s appears %d times (sent: %v)", k, n, c.objs[k].Key != "")
		}
	}
}

// TestIngestLatency runs the same plan twice, through Toxiproxy both
// times: once clean, once with 200 ms ± 50 ms on every response from
// DynamoDB and S3. Everything is stored either way; the test reports the
// drop in throughput.
func TestIngestLatency(t *testing.T) {
	ctx, cancel := context.WithTimeout(context.Background(), 3*time.Minute)
	defer cancel()
	const workers, n, deliveries = 16, 60, 160
	var runs [2]map[string]any
	for i, name := range []string{"latency-baseline", "latency-200ms"} {
		w := stress.NewWorld(t, "faults-lat", "")
		c := newCorpus(t, ctx, w, n, deliveries, 12)
		ddb, s3 := toxics(t)
		if i == 1 {
			for _, p := range []*stress.Proxy{ddb, s3} {
				if err := p.Toxic("latency", "latency", "downstream", 1, map[string]any{"latency": 200, "jitter": 50}); err != nil {
					t.Fatal(err)
				}
			}
		}
		hs := c.handlers(t, ctx, workers, ddb.URL(), s3.URL())
		out := stress.Deliver(ctx, c.evs, stress.Options{Workers: workers, Handlers: func(i int) stress.Handler { return hs[i] }})
		if lost := c.check(t, ctx, &out); lost != 0 {
			t.Errorf("%s: %d newest versions never reported written, without faults", name, lost)
		}
		if errs := out.Errors(); len(errs) != 0 {
			t.Errorf("%s: %d invocations failed; latency alone must not fail any (first: %v)", name, len(errs), errs[0].Err)
		}
		runs[i] = summary(t, name, c, &out, nil)
		if i == 1 {
			// One S3 GET and one DynamoDB PutItem per event, each answer
			// delayed at least 150 ms: no invocation can be faster than 300 ms.
			var fastest time.Duration = 1 << 62
			for _, inv := range out.Invocations {
				fastest = min(fastest, inv.Dur)
			}
			if fastest < 300*time.Millisecond {
				t.Errorf("fastest invocation with the latency toxic took %v; the toxic was not applied", fastest)
			}
		}
	}
	base, slow := runs[0]["events_per_s"].(float64), runs[1]["events_per_s"].(float64)
	t.Logf("throughput: %.1f events/s clean, %.1f events/s with 200±50 ms per response (%.1f× slower); p50 %.1f ms -> %.1f ms",
		base, slow, base/slow, runs[0]["p50_ms"], runs[1]["p50_ms"])
	fmt.Printf("FAULTS {\"test\":\"latency-drop\",\"clean_events_per_s\":%.1f,\"latency_events_per_s\":%.1f,\"slowdown\":%.2f}\n", base, slow, base/slow)
}

// TestIngestDynamoDBKilled starts a DynamoDB Local of its own on another
// loopback port, persisting to disk, ingests a few hundred events into it
// (8 simulated instances, directly, no proxy), and when a fifth of them are
// done kills the server with SIGKILL and restarts it on the same data.
// Invocations during the outage fail or wait in the SDK's retries; failed
// events are delivered again. Afterwards every article is stored exactly
// once at its newest version: nothing acknowledged before the kill was lost.
func TestIngestDynamoDBKilled(t *testing.T) {
	ctx, cancel := context.WithTimeout(context.Background(), 4*time.Minute)
	defer cancel()
	if err := e2e.CheckLoopback(e2e.EnvS3, e2e.EnvDynamoDB); err != nil {
		t.Fatalf("the emulators are required: %v", err)
	}
	if err := stress.Reachable(os.Getenv(e2e.EnvS3)); err != nil {
		t.Fatal(err)
	}
	root, err := stress.ModuleRoot()
	if err != nil {
		t.Fatal(err)
	}
	began := time.Now()
	d, err := stress.StartDDBLocal(ctx, root)
	if err != nil {
		t.Fatal(err)
	}
	// Registered before the world's cleanup, so it runs after it (the
	// table is deleted from the live server first). The server's log stays
	// in $CACHE/state/logs if the test failed.
	t.Cleanup(func() {
		if err := d.Stop(context.Background(), t.Failed()); err != nil {
			t.Error(err)
		}
	})
	t.Logf("DynamoDB Local on port %d, data in %s, started in %.1fs", d.Port, d.DataDir(), time.Since(began).Seconds())
	w := stress.NewWorld(t, "faults-kill", d.URL())
	c := newCorpus(t, ctx, w, 100, 300, 13)
	const workers = 8
	hs := c.handlers(t, ctx, workers, d.URL(), "")
	pid0, err := d.PID()
	if err != nil {
		t.Fatal(err)
	}

	var (
		done                  atomic.Int64
		once                  sync.Once
		killed                = make(chan struct{})
		killAt, upAt          time.Time
		doneAtKill, killedPID int
		restartErr            error
	)
	out := stress.Deliver(ctx, c.evs, stress.Options{
		Workers:       workers,
		Handlers:      func(i int) stress.Handler { return hs[i] },
		MaxDeliveries: 10,
		Interval:      15 * time.Millisecond,
		// As in TestIngestConnectionsCut: the function timeout scaled down
		// with the outage, so that it reaches the handler.
		Timeout: 5 * time.Second,
		After: func(inv stress.Invocation) {
			if inv.Err != nil || done.Add(1) != int64(len(c.evs)/5) {
				return
			}
			once.Do(func() {
				go func() {
					defer close(killed)
					doneAtKill = int(done.Load())
					killAt = time.Now()
					if killedPID, restartErr = d.Kill(); restartErr != nil {
						return
					}
					// A crashed server is not back at once: 4 s, then the restart
					// (about 2 s), so the outage outlasts the 5 s function timeout.
					time.Sleep(4 * time.Second)
					if restartErr = d.Restart(ctx); restartErr != nil {
						return
					}
					upAt = d.UpSince()
				}()
			})
		},
	})
	select {
	case <-killed:
	case <-ctx.Done():
		t.Fatal("the kill never happened")
	}
	if restartErr != nil {
		t.Fatalf("kill and restart: %v\n%s", restartErr, d.Logs())
	}
	pid1, err := d.PID()
	if err != nil {
		t.Fatal(err)
	}
	if killedPID != pid0 || pid1 == pid0 {
		t.Errorf("killed pid %d (server was %d), now %d: the server was not replaced", killedPID, pid0, pid1)
	}
	// The kill must have landed mid-run: invocations in flight at the kill
	// or started while the server was down, and some of them failed.
	inFlight, during, failedDuring := 0, 0, 0
	for _, inv := range out.Invocations {
		end := inv.Start.Add(inv.Dur)
		if inv.Start.Before(killAt) && end.After(killAt) {
			inFlight++
		}
		if inv.Start.After(killAt) && inv.Start.Before(upAt) {
			during++
		}
		if inv.Err != nil && end.After(killAt) {
			failedDuring++
		}
	}
	if doneAtKill >= len(c.evs) || inFlight+during == 0 || failedDuring == 0 {
		t.Errorf("kill after %d of %d events, %d invocations in flight, %d started while down, %d failed: not mid-run", doneAtKill, len(c.evs), inFlight, during, failedDuring)
	}
	lost := c.check(t, ctx, &out)
	summary(t, "dynamodb-sigkill", c, &out, map[string]any{
		"lost_responses": lost, "done_at_kill": doneAtKill, "in_flight_at_kill": inFlight,
		"started_while_down": during, "failed_after_kill": failedDuring, "down_seconds": upAt.Sub(killAt).Seconds(),
	})
}

// TestStalledConnectionRetried: a DynamoDB link that swallows requests and
// never answers nor closes (Toxiproxy "timeout" with timeout 0). The
// clients bound each attempt (dynamodb.AttemptTimeout), so the PutItem
// attempt fails after that long instead of holding the invocation until the
// function timeout; the link then works again, and the SDK's standard
// retryer stores the article inside the same invocation: one invocation,
// no error, well inside the function's 30 s.
func TestStalledConnectionRetried(t *testing.T) {
	ctx, cancel := context.WithTimeout(context.Background(), time.Minute)
	defer cancel()
	w := stress.NewWorld(t, "faults-hole", "")
	c := newCorpus(t, ctx, w, 1, 1, 14)
	ddb, s3p := toxics(t)
	ddbc, s3c, err := stress.Clients(ctx, ddb.URL(), s3p.URL())
	if err != nil {
		t.Fatal(err)
	}
	// The production client, plus a recorder of each PutItem attempt (after
	// the retry middleware, so it sees every attempt). The first failed
	// attempt lifts the stall before the retryer tries again.
	type attempt struct {
		dur time.Duration
		err error
	}
	var attempts []attempt
	recorder := func(stack *middleware.Stack) error {
		return stack.Finalize.Add(middleware.FinalizeMiddlewareFunc("record-attempt",
			func(ctx context.Context, in middleware.FinalizeInput, next middleware.FinalizeHandler) (middleware.FinalizeOutput, middleware.Metadata, error) {
				start := time.Now()
				out, md, err := next.HandleFinalize(ctx, in)
				attempts = append(attempts, attempt{time.Since(start), err})
				if err != nil && len(attempts) == 1 {
					if rerr := ddb.Remove("blackhole"); rerr != nil {
						t.Error(rerr)
					}
				}
				return out, md, err
			}), middleware.After)
	}
	recorded := awsddb.New(ddbc.Options(), func(o *awsddb.Options) { o.APIOptions = append(o.APIOptions, recorder) })
	h := &lambda.IngestHandler{
		Svc:    &dedup.Service{Store: dynamodb.New(recorded, w.Table, 0), Log: stress.Discard},
		Bucket: func(name string) dedup.BlobStore { return s3.NewBucket(s3c, name) },
	}
	if err := ddb.Toxic("blackhole", "timeout", "upstream", 1, map[string]any{"timeout": 0}); err != nil {
		t.Fatal(err)
	}
	out := stress.Deliver(ctx, c.evs, stress.Options{
		Workers: 1, Handlers: func(int) stress.Handler { return h.Handle }, Timeout: stress.FunctionTimeout,
	})
	if len(out.Invocations) != 1 || out.Invocations[0].Err != nil {
		t.Fatalf("%d invocations, first error %v; want one, succeeding", len(out.Invocations), out.Invocations[0].Err)
	}
	if len(attempts) != 2 {
		t.Fatalf("%d PutItem attempts; want 2 (stalled, then stored)", len(attempts))
	}
	first := attempts[0]
	var te interface{ Timeout() bool }
	if !errors.As(first.err, &te) || !te.Timeout() || first.dur < dynamodb.AttemptTimeout || first.dur > dynamodb.AttemptTimeout+time.Second {
		t.Errorf("stalled attempt: %v after %v; want a timeout after about %v", first.err, first.dur, dynamodb.AttemptTimeout)
	}
	if attempts[1].err != nil {
		t.Errorf("retry: %v", attempts[1].err)
	}
	inv := out.Invocations[0]
	if inv.Dur > dynamodb.AttemptTimeout+5*time.Second {
		t.Errorf("invocation took %v; want the attempt timeout plus a short backoff", inv.Dur)
	}
	c.check(t, ctx, &out)
	t.Logf("stalled DynamoDB link: the PutItem attempt failed after %v (AttemptTimeout %v: %v); the retry stored the article in %v; the invocation took %v of its %v",
		first.dur.Round(time.Millisecond), dynamodb.AttemptTimeout, first.err, attempts[1].dur.Round(time.Millisecond),
		inv.Dur.Round(time.Millisecond), stress.FunctionTimeout)
	fmt.Printf("FAULTS {\"test\":\"stalled-connection\",\"attempt_timeout_ms\":%d,\"stalled_attempt_ms\":%d,\"retry_ms\":%d,\"invocation_ms\":%d}\n",
		dynamodb.AttemptTimeout.Milliseconds(), first.dur.Milliseconds(), attempts[1].dur.Milliseconds(), inv.Dur.Milliseconds())
}

// cutAfter is a reports store that cuts the link after its n-th Put.
type cutAfter struct {
	dedup.BlobStore
	n    int
	mu   sync.Mutex
	puts []string // the report files written; story pages (written first, in parallel) are not counted
	cut  func()
}

func (c *cutAfter) Put(ctx context.Context, key string, body []byte, ctype string) error {
	err := c.BlobStore.Put(ctx, key, body, ctype)
	if strings.Contains(key, "/stories/") {
		return err
	}
	c.mu.Lock()
	defer c.mu.Unlock()
	if err == nil {
		c.puts = append(c.puts, key)
	}
	if len(c.puts) == c.n && err == nil && c.cut != nil {
		c.cut()
		c.cut = nil
	}
	return err
}

// TestPublishInterrupted publishes a report (2024-01-03), then interrupts
// the next day's cluster run while it writes its report, three ways: the
// S3 link refused after report.json; the link cut 2 KB into report.html's
// upload; the link cut 2 KB into latest.json's upload. Each time the run
// fails, reports/latest.json is still the previous report, byte for byte,
// and parses; nothing half-written is visible; and a rerun succeeds.
func TestPublishInterrupted(t *testing.T) {
	ctx, cancel := context.WithTimeout(context.Background(), 3*time.Minute)
	defer cancel()
	w := stress.NewWorld(t, "faults-pub", "")
	c := newCorpus(t, ctx, w, 40, 40, 15)
	hs := c.handlers(t, ctx, 4, "", "")
	out := stress.Deliver(ctx, c.evs, stress.Options{Workers: 4, Handlers: func(i int) stress.Handler { return hs[i] }})
	c.check(t, ctx, &out)

	const limit = 2048
	for _, tc := range []struct {
		name  string
		after int // cut after this many puts: report.json, .html, .csv, latest.json
		cut   func(s3 *stress.Proxy) error
		gone  string // a key that must not exist after the failed run
	}{
		{"refused-after-report.json", 1, func(s3 *stress.Proxy) error { s3.Disable(); return nil }, "reports/2024-01-04/report.html"},
		{"cut-mid-report.html", 1, func(s3 *stress.Proxy) error {
			return s3.Toxic("cut", "limit_data", "upstream", 1, map[string]any{"bytes": limit})
		}, "reports/2024-01-04/report.html"},
		{"cut-mid-latest.json", 3, func(s3 *stress.Proxy) error {
			return s3.Toxic("cut", "limit_data", "upstream", 1, map[string]any{"bytes": limit})
		}, ""},
	} {
		t.Run(tc.name, func(t *testing.T) {
			reports := w.NewBucket(t, "faults-rep")
			_, s3 := toxics(t)
			h, err := stress.NewCluster(ctx, w.Table, w.Bucket, reports, s3.URL())
			if err != nil {
				t.Fatal(err)
			}
			read := func(key string) ([]byte, error) { return readObject(ctx, w.BucketStore(reports), key) }
			if _, err := h.Handle(ctx, schedule(t, w.Root, "2024-01-03T03:00:00Z")); err != nil {
				t.Fatalf("first run: %v", err)
			}
			prev, err := read("reports/latest.json")
			if err != nil {
				t.Fatal(err)
			}

			cutter := &cutAfter{BlobStore: h.Reports, n: tc.after}
			cutter.cut = func() {
				if err := tc.cut(s3); err != nil {
					t.Error(err)
				}
			}
			h.Reports = cutter
			began := time.Now()
			_, err = h.Handle(ctx, schedule(t, w.Root, "2024-01-04T03:00:00Z"))
			if err == nil {
				t.Fatalf("interrupted run succeeded (puts: %v)", cutter.puts)
			}
			t.Logf("interrupted run failed after %v, puts done: %v: %v", time.Since(began).Round(time.Millisecond), cutter.puts, firstLine(err))
			if len(cutter.puts) != tc.after {
				t.Errorf("%d puts succeeded before the failure; want %d", len(cutter.puts), tc.after)
			}
			latest, err := read("reports/latest.json")
			if err != nil {
				t.Fatalf("latest.json after the interrupted run: %v", err)
			}
			if !bytes.Equal(latest, prev) {
				t.Errorf("latest.json changed: %d bytes, was %d", len(latest), len(prev))
			}
			rep, err := report.ReadJSON(bytes.NewReader(latest))
			if err != nil {
				t.Errorf("latest.json does not parse: %v", err)
			} else if rep.GeneratedAt != "2024-01-03T03:00:00Z" || rep.Articles != len(c.keys) {
				t.Errorf("latest.json: generated %s with %d articles; want the previous report (2024-01-03, %d)", rep.GeneratedAt, rep.Articles, len(c.keys))
			}
			if tc.gone != "" {
				if b, err := read(tc.gone); !errors.Is(err, dedup.ErrNotFound) {
					t.Errorf("%s after the cut: %d bytes, err %v; want no such object", tc.gone, len(b), err)
				}
			}

			// The link comes back; the retried run succeeds.
			s3.Reset()
			if err := s3.Enable(); err != nil {
				t.Fatal(err)
			}
			h.Reports = cutter.BlobStore
			sum, err := h.Handle(ctx, schedule(t, w.Root, "2024-01-04T03:00:00Z"))
			if err != nil {
				t.Fatalf("rerun: %v", err)
			}
			latest, err = read(sum.LatestKey)
			if err != nil {
				t.Fatal(err)
			}
			dated, err := read(sum.ReportKey)
			if err != nil {
				t.Fatal(err)
			}
			if rep, err := report.ReadJSON(bytes.NewReader(latest)); err != nil || rep.GeneratedAt != "2024-01-04T03:00:00Z" || !bytes.Equal(latest, dated) {
				t.Errorf("after the rerun latest.json (%d bytes) is not the new report (%d bytes): %v", len(latest), len(dated), err)
			}
			html, err := read(strings.TrimSuffix(sum.ReportKey, ".json") + ".html")
			if err != nil {
				t.Fatal(err)
			}
			// The cuts fall 2 KB into the upload (headers included): inside the body.
			if len(html) < 2*limit || len(latest) < 2*limit {
				t.Errorf("report.html %d bytes, latest.json %d: too small for a cut %d bytes in to land mid-body", len(html), len(latest), limit)
			}
		})
	}
}

// errorKind shortens an invocation error to what failed and why, without
// keys, sequencers and addresses.
func errorKind(msg string) string {
	msg = msg[strings.LastIndex(msg, "): ")+3:]
	msg = kindNoise.ReplaceAllString(msg, "…")
	if len(msg) > 200 {
		msg = msg[:200] + "…"
	}
	return msg
}

var kindNoise = regexp.MustCompile(`"[^"]*"|s3://\S+|\(seq [0-9A-F]+\)|table faults-\S+|127\.0\.0\.1:\d+|faults-[a-z]+-[0-9-]+`)

func firstLine(err error) string {
	s := err.Error()
	if i := strings.IndexByte(s, '\n'); i >= 0 {
		s = s[:i]
	}
	if len(s) > 300 {
		s = s[:300] + "…"
	}
	return s
}

// schedule returns events/schedule.json with its time set to at.
func schedule(t *testing.T, root, at string) json.RawMessage {
	t.Helper()
	raw, err := os.ReadFile(filepath.Join(root, "events", "schedule.json"))
	if err != nil {
		t.Fatal(err)
	}
	var ev map[string]any
	if err := json.Unmarshal(raw, &ev); err != nil {
		t.Fatal(err)
	}
	ev["time"] = at
	out, err := json.Marshal(ev)
	if err != nil {
		t.Fatal(err)
	}
	return out
}

// readObject reads key from b (a direct, unproxied bucket).
func readObject(ctx context.Context, b dedup.BlobStore, key string) ([]byte, error) {
	r, err := b.Get(ctx, key)
	if err != nil {
		return nil, err
	}
	defer r.Close()
	return io.ReadAll(r)
}

func readReport(t *testing.T, ctx context.Context, w *stress.World, key string) *report.Report {
	t.Helper()
	b, err := readObject(ctx, w.Objects, key)
	if err != nil {
		t.Fatal(err)
	}
	rep, err := report.ReadJSON(bytes.NewReader(b))
	if err != nil {
		t.Fatal(err)
	}
	return rep
}
