//go:build load

package load

// The load test: `make load` (2,000 events), `make soak` (20,000, with
// -tags 'load soak'), or
//
//	infra/local/up.sh && source ~/.cache/newsdedup/state/env.sh
//	go test -tags load -count=1 -v ./internal/load/
//
// LOAD_EVENTS and LOAD_WORKERS override the size; LOAD_METRICS=file
// appends the figures as one JSON line. It fails (never skips) when the
// emulators are not configured or not reachable, and makes and removes its
// own table and bucket.

import (
	"context"
	"encoding/json"
	"fmt"
	"os"
	"runtime"
	"strconv"
	"testing"
	"time"

	"github.com/newsdedup/newsdedup/internal/e2e"
	"github.com/newsdedup/newsdedup/internal/stress"
)

// events is the number of S3 events delivered: 2,000 in the normal suite,
// 20,000 with -tags soak (load_soak_test.go).
var events = 2000

const workers = 32

func envInt(t *testing.T, name string, def int) int {
	v := os.Getenv(name)
	if v == "" {
		return def
	}
	n, err := strconv.Atoi(v)
	if err != nil || n < 1 {
		t.Fatalf("%s=%q: want a positive integer", name, v)
	}
	return n
}

// TestIngestLoad uploads events/5 synthetic articles to MinIO, then
// delivers events S3 events over them to the real ingest handler, with 32
// concurrent simulated Lambda instances (each with its own SDK clients, as
// functions/ingest builds them): one to four versions per article, a tenth
// or more duplicate deliveries, shuffled so that later versions often come
// first. Failed invocations are delivered again, as Lambda does (3
// deliveries at most). Afterwards the table holds exactly one record per
// article, at its newest version, with a signature of its content; no
// version was written twice, and the newest version of each article was
// written exactly once.
func TestIngestLoad(t *testing.T) {
	n := envInt(t, "LOAD_EVENTS", events)
	nw := envInt(t, "LOAD_WORKERS", workers)
	keys := max(1, n/5)
	ctx, cancel := context.WithTimeout(context.Background(), 15*time.Minute)
	defer cancel()
	w := stress.NewWorld(t, "load", "")

	began := time.Now()
	list, err := stress.Articles(keys, 21, "incoming/load/")
	if err != nil {
		t.Fatal(err)
	}
	genTime := time.Since(began)
	bytes := 0
	objs := map[string]stress.Object{}
	var names []string
	for _, o := range list {
		objs[o.Key] = o
		names = append(names, o.Key)
		bytes += len(o.Body)
	}
	began = time.Now()
	if err := stress.Upload(ctx, w.Objects, list, nw); err != nil {
		t.Fatalf("upload: %v", err)
	}
	upTime := time.Since(began)
	t.Logf("%d articles (%.1f MB) generated in %.1fs, uploaded with %d workers in %.1fs (%.0f objects/s)",
		len(list), float64(bytes)/1e6, genTime.Seconds(), nw, upTime.Seconds(), float64(len(list))/upTime.Seconds())

	plan, err := stress.NewPlan(names, n, 21, e2e.NewSequencers())
	if err != nil {
		t.Fatal(err)
	}
	if plan.Duplicates == 0 || plan.OutOfOrder == 0 {
		t.Fatalf("plan has %d duplicates, %d out-of-order deliveries; want both", plan.Duplicates, plan.OutOfOrder)
	}
	evs, err := plan.Events(w.Root, w.Bucket, objs)
	if err != nil {
		t.Fatal(err)
	}
	hs := make([]stress.Handler, nw)
	for i := range hs {
		h, err := stress.NewIngest(ctx, w.Table, "", "")
		if err != nil {
			t.Fatal(err)
		}
		hs[i] = h.Handle
	}
	out := stress.Deliver(ctx, evs, stress.Options{Workers: nw, Handlers: func(i int) stress.Handler { return hs[i] }})
	if ctx.Err() != nil {
		t.Fatalf("timed out: %v", ctx.Err())
	}

	began = time.Now()
	chk, err := stress.Verify(ctx, w.Store, plan.Newest, objs)
	if err != nil {
		t.Fatalf("scan: %v", err)
	}
	scanTime := time.Since(began)
	if !chk.OK() {
		t.Errorf("table: %s", chk)
		for _, p := range chk.Problems {
			t.Errorf("  %s", p)
		}
	}
	errs := out.Errors()
	for i, inv := range errs {
		if i == 5 {
			t.Logf("  ... %d more", len(errs)-5)
			break
		}
		t.Logf("  invocation error (event %d, attempt %d): %v", inv.Event, inv.Attempt, inv.Err)
	}
	if len(out.Failed) > 0 {
		t.Errorf("%d events failed all %d deliveries", len(out.Failed), stress.LambdaDeliveries)
	}
	writes := stress.Writes(&out, plan.Deliveries)
	written, twice := 0, 0
	for d, k := range writes {
		written += k
		if k > 1 {
			twice++
			t.Errorf("%s seq %s written %d times", d.Key, d.Seq, k)
		}
	}
	newestWritten := 0
	for d, k := range writes {
		if k > 0 && plan.Newest[d.Key] == d.Seq {
			newestWritten++
		}
	}
	// Without faults every write's answer arrives: the newest version of
	// each article must have been reported written exactly once. (A failed
	// invocation may have written before failing; then it is not required.)
	if len(errs) == 0 && newestWritten != keys {
		t.Errorf("newest versions reported written: %d of %d", newestWritten, keys)
	}
	retried, beyond, maxD := out.Retried()
	lat := out.Latencies()
	secs := out.Wall.Seconds()
	m := map[string]any{
		"test": "load", "events": n, "workers": nw, "articles": keys, "versions": plan.Versions,
		"duplicates": plan.Duplicates, "out_of_order": plan.OutOfOrder,
		"writes": written, "superseded_before_arrival": plan.Versions - len(writes),
		"seconds": secs, "events_per_s": float64(n) / secs,
		"p50_ms": stress.Ms(lat.P50), "p95_ms": stress.Ms(lat.P95), "p99_ms": stress.Ms(lat.P99), "max_ms": stress.Ms(lat.Max),
		"invocations": len(out.Invocations), "failed_invocations": len(errs), "events_retried": retried,
		"events_beyond_lambda_retries": beyond, "max_deliveries": maxD, "events_failed": len(out.Failed),
		"stored": chk.Stored, "lost": chk.Missing + chk.Stale, "duplicated": chk.Repeated + chk.Extra + twice,
		"bad_records": chk.BadRecord, "upload_s": upTime.Seconds(), "scan_s": scanTime.Seconds(),
		"cpus": runtime.NumCPU(),
	}
	line, err := json.Marshal(m)
	if err != nil {
		t.Fatal(err)
	}
	t.Logf("%d events (%d articles, %d versions, %d duplicate and %d out-of-order deliveries), %d workers: %.1fs, %.0f events/s; latency %s; %d invocations failed, %d events retried (max %d deliveries); table %s, scanned in %.1fs",
		n, keys, plan.Versions, plan.Duplicates, plan.OutOfOrder, nw, secs, float64(n)/secs, lat, len(errs), retried, maxD, chk, scanTime.Seconds())
	fmt.Printf("LOAD %s\n", line)
	if path := os.Getenv("LOAD_METRICS"); path != "" {
		f, err := os.OpenFile(path, os.O_APPEND|os.O_CREATE|os.O_WRONLY, 0o644)
		if err != nil {
			t.Fatal(err)
		}
		fmt.Fprintf(f, "%s\n", line)
		if err := f.Close(); err != nil {
			t.Fatal(err)
		}
	}
}
