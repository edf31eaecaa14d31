//go:build e2e && unix

package e2e

// The end-to-end test: real bootstraps under aws-lambda-rie, against
// DynamoDB Local and MinIO. Run it with infra/local/e2e.sh (make e2e), or
//
//	infra/local/up.sh && source ~/.cache/newsdedup/state/env.sh
//	go test -tags e2e -count=1 -v ./internal/e2e/
//
// It fails (never skips) when the emulators' settings are missing. Each run
// creates its own table and bucket and deletes them afterwards
// (E2E_KEEP=1 keeps them for inspection).

import (
	"bytes"
	"context"
	"encoding/json"
	"fmt"
	"html"
	"io"
	"os"
	"os/exec"
	"path/filepath"
	"regexp"
	"sort"
	"strconv"
	"strings"
	"testing"
	"time"

	"github.com/aws/aws-sdk-go-v2/aws"
	awsddb "github.com/aws/aws-sdk-go-v2/service/dynamodb"
	awss3 "github.com/aws/aws-sdk-go-v2/service/s3"

	"github.com/newsdedup/newsdedup/internal/dedup"
	"github.com/newsdedup/newsdedup/internal/dynamodb"
	"github.com/newsdedup/newsdedup/internal/eventbridge"
	"github.com/newsdedup/newsdedup/internal/lambda"
	"github.com/newsdedup/newsdedup/internal/report"
	"github.com/newsdedup/newsdedup/internal/s3"
)

const (
	pdfMagic = "%PDF-1.7\n%\xe2\xe3\xcf\xd3\n1 0 obj << /Type /Catalog >> endobj\n"
	filler   = "Harbour council approves ferry budget\n\nThe harbour council approved a budget on Tuesday for three new ferry routes and repairs to the old sea wall, officials said after a long debate in the town hall."
)

// day is the simulated upload day; events/schedule.json runs at 2024-01-03T03:00Z.
var day = time.Date(2024, 1, 2, 8, 0, 0, 0, time.UTC)

type world struct {
	t        *testing.T
	ctx      context.Context
	root     string // module root
	tmp      string
	bucket   *s3.Bucket
	s3c      *awss3.Client
	store    *dynamodb.Store
	table    string
	ingest   *Function
	cluster  *Function
	tmpl     []byte
	seqs     *Sequencers
	latency  []time.Duration // client-side round trip of every warm ingest invocation
	first    time.Duration   // the first ingest invocation (fresh process, fresh connections)
	invokes  int
	logsPath string
	bus      *EventBus // records the cluster function's PutEvents
}

func moduleRoot(t *testing.T) string {
	out, err := exec.Command("go", "list", "-m", "-f", "{{.Dir}}").Output()
	if err != nil {
		t.Fatalf("go list -m: %v", err)
	}
	return strings.TrimSpace(string(out))
}

func setup(t *testing.T) *world {
	ctx := context.Background()
	cfg, err := LocalConfig(ctx, EnvS3, EnvDynamoDB)
	if err != nil {
		t.Fatalf("the end-to-end test needs the emulators: %v", err)
	}
	w := &world{t: t, ctx: ctx, root: moduleRoot(t), tmp: t.TempDir(), seqs: NewSequencers()}
	w.tmpl = w.read(filepath.Join(w.root, "events", "s3-put.json"))
	name := fmt.Sprintf("newsdedup-e2e-%d", time.Now().UnixNano())
	keep := os.Getenv("E2E_KEEP") == "1"

	// Table: the schema the emulator scripts use (infra/local/table.json).
	ddbc := dynamodb.NewClient(cfg)
	var in awsddb.CreateTableInput
	if err := json.Unmarshal(w.read(filepath.Join(w.root, "infra", "local", "table.json")), &in); err != nil {
		t.Fatalf("table.json: %v", err)
	}
	in.TableName = aws.String(name)
	if _, err := ddbc.CreateTable(ctx, &in); err != nil {
		t.Fatalf("create table %s: %v", name, err)
	}
	if err := awsddb.NewTableExistsWaiter(ddbc).Wait(ctx, &awsddb.DescribeTableInput{TableName: aws.String(name)}, time.Minute); err != nil {
		t.Fatalf("table %s: %v", name, err)
	}
	w.table, w.store = name, dynamodb.New(ddbc, name, 0)

	// One bucket for articles (incoming/) and reports (reports/), as deployed.
	w.s3c = s3.NewClient(cfg)
	if _, err := w.s3c.CreateBucket(ctx, &awss3.CreateBucketInput{Bucket: aws.String(name)}); err != nil {
		t.Fatalf("create bucket %s: %v", name, err)
	}
	w.bucket = s3.NewBucket(w.s3c, name)
	t.Cleanup(func() {
		if keep {
			t.Logf("E2E_KEEP=1: kept table %s and bucket %s", name, name)
			return
		}
		w.deleteBucket(name)
		if _, err := ddbc.DeleteTable(context.Background(), &awsddb.DeleteTableInput{TableName: aws.String(name)}); err != nil {
			t.Errorf("delete table %s: %v", name, err)
		}
	})

	rie, err := RIEPath()
	if err != nil {
		t.Fatal(err)
	}
	logf, err := os.Create(filepath.Join(w.tmp, "functions.log"))
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { logf.Close() })
	w.logsPath = logf.Name()
	start := func(fn string, vars ...string) *Function {
		dir := filepath.Join(w.tmp, fn)
		if err := os.Mkdir(dir, 0o755); err != nil {
			t.Fatal(err)
		}
		bin, err := BuildBootstrap(ctx, w.root, "./functions/"+fn, dir)
		if err != nil {
			t.Fatal(err)
		}
		env, err := Env(vars...)
		if err != nil {
			t.Fatal(err)
		}
		f, err := StartFunction(ctx, rie, bin, env, logf)
		if err != nil {
			t.Fatal(err)
		}
		t.Cleanup(f.Stop)
		return f
	}
	// Settings as template.yaml gives them.
	w.ingest = start("ingest", "TABLE_NAME="+name, "MAX_ARTICLE_BYTES=5242880", "LOG_LEVEL=info",
		"AWS_LAMBDA_FUNCTION_NAME=newsdedup-ingest", "AWS_LAMBDA_FUNCTION_MEMORY_SIZE=256", "AWS_LAMBDA_FUNCTION_TIMEOUT=30")
	if w.bus, err = StartEventBus(); err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { w.bus.Close() })
	w.cluster = start("cluster", "EVENT_BUS_NAME=default", EnvEventBridge+"="+w.bus.URL, "TABLE_NAME="+name, "REPORTS_BUCKET="+name, "UPLOADS_BUCKET="+name, "REPORTS_PREFIX=reports/",
		"WINDOW_DAYS=30", "STORY_THRESHOLD=", "COPY_CONTAINMENT=", "MAX_ARTICLE_BYTES=5242880", "LOG_LEVEL=info",
		"AWS_LAMBDA_FUNCTION_NAME=newsdedup-cluster", "AWS_LAMBDA_FUNCTION_MEMORY_SIZE=4096", "AWS_LAMBDA_FUNCTION_TIMEOUT=900")
	t.Cleanup(func() {
		if t.Failed() {
			t.Logf("function logs (%s):\n%s", w.logsPath, w.ingest.Logs()+w.cluster.Logs())
		}
	})
	return w
}

// checkPublishedEvent: the cluster run put one "Report Published" event on
// the default bus (recorded by w.bus), naming the bucket and the summary's
// report and counts.
func (w *world) checkPublishedEvent(sum lambda.Summary) {
	w.t.Helper()
	evs := w.bus.Events()
	if len(evs) != 1 || !sum.Notified {
		w.t.Fatalf("%d events recorded, summary notified=%v; want one event", len(evs), sum.Notified)
	}
	e := evs[0]
	var d eventbridge.Detail
	if err := json.Unmarshal([]byte(e.Detail), &d); err != nil {
		w.t.Fatalf("event detail %s: %v", e.Detail, err)
	}
	if e.EventBusName != "default" || e.Source != "newsdedup" || e.DetailType != "Report Published" ||
		d.Bucket != w.table || d.ReportKey != sum.ReportKey || d.LatestKey != sum.LatestKey ||
		d.Articles != sum.Articles || d.Stories != sum.Stories || d.Rejected != sum.Rejected {
		w.t.Errorf("event %+v (detail %+v) does not match the summary %+v", e, d, sum)
	}
	w.t.Logf("report-published event: %s", e.Detail)
	// The run's Embedded Metric Format line, in the bootstrap's own output.
	emf := ""
	for _, line := range strings.Split(w.cluster.Logs(), "\n") {
		if strings.Contains(line, `"CloudWatchMetrics"`) {
			emf = line
		}
	}
	var m struct{ Articles, Rejected, NotifyFailed float64 }
	if err := json.Unmarshal([]byte(emf), &m); err != nil || m.Articles != float64(sum.Articles) || m.Rejected != float64(sum.Rejected) || m.NotifyFailed != 0 {
		w.t.Errorf("cluster metrics line %q (%v): want articles %d, rejected %d, no failed notice", emf, err, sum.Articles, sum.Rejected)
	}
}

func (w *world) read(path string) []byte {
	w.t.Helper()
	b, err := os.ReadFile(path)
	if err != nil {
		w.t.Fatal(err)
	}
	return b
}

func (w *world) seed(name string) []byte {
	return w.read(filepath.Join(w.root, "testdata", "seeds", name))
}

func (w *world) deleteBucket(name string) {
	p := awss3.NewListObjectsV2Paginator(w.s3c, &awss3.ListObjectsV2Input{Bucket: aws.String(name)})
	for p.HasMorePages() {
		page, err := p.NextPage(context.Background())
		if err != nil {
			w.t.Errorf("list bucket %s: %v", name, err)
			return
		}
		for _, o := range page.Contents {
			if _, err := w.s3c.DeleteObject(context.Background(), &awss3.DeleteObjectInput{Bucket: aws.String(name), Key: o.Key}); err != nil {
				w.t.Errorf("delete %s: %v", aws.ToString(o.Key), err)
			}
		}
	}
	if _, err := w.s3c.DeleteBucket(context.Background(), &awss3.DeleteBucketInput{Bucket: aws.String(name)}); err != nil {
		w.t.Errorf("delete bucket %s: %v", name, err)
	}
}

// upload puts an object and returns the event record S3 would send for it,
// with the next sequencer (MinIO does not report sequencers).
func (w *world) upload(key string, body []byte, at time.Time) S3Record {
	w.t.Helper()
	if err := w.bucket.Put(w.ctx, key, body, "text/plain; charset=utf-8"); err != nil {
		w.t.Fatal(err)
	}
	return S3Record{EventName: "ObjectCreated:Put", Bucket: w.bucket.Name(), Key: key, Sequencer: w.seqs.Next(), Time: at, Size: int64(len(body))}
}

func (w *world) remove(key string, at time.Time) S3Record {
	w.t.Helper()
	if _, err := w.s3c.DeleteObject(w.ctx, &awss3.DeleteObjectInput{Bucket: aws.String(w.bucket.Name()), Key: aws.String(key)}); err != nil {
		w.t.Fatal(err)
	}
	return S3Record{EventName: "ObjectRemoved:Delete", Bucket: w.bucket.Name(), Key: key, Sequencer: w.seqs.Next(), Time: at}
}

// deliver invokes ingest through RIE with one event holding recs and
// returns the function's per-record results. An error from the function
// fails the test: nothing here should make ingest fail.
func (w *world) deliver(recs ...S3Record) []lambda.RecordResult {
	w.t.Helper()
	payload, err := S3Event(w.tmpl, recs...)
	if err != nil {
		w.t.Fatal(err)
	}
	start := time.Now()
	body, err := w.ingest.Invoke(w.ctx, payload)
	d := time.Since(start)
	if err != nil {
		w.t.Fatalf("ingest of %s: %v", recs[0].Key, err)
	}
	if w.invokes == 0 {
		w.first = d
	} else {
		w.latency = append(w.latency, d)
	}
	w.invokes++
	var res lambda.IngestResult
	if err := json.Unmarshal(body, &res); err != nil {
		w.t.Fatalf("ingest response %s: %v", body, err)
	}
	if len(res.Records) != len(recs) {
		w.t.Fatalf("ingest answered %d records for %d: %s", len(res.Records), len(recs), body)
	}
	return res.Records
}

type expect struct {
	status  string
	written bool
}

func (w *world) check(what string, got []lambda.RecordResult, want ...expect) {
	w.t.Helper()
	for i, r := range got {
		if r.Status != want[i].status || r.Written != want[i].written {
			w.t.Errorf("%s: record %d (%s seq %s) = %s written=%v (%s), want %s written=%v",
				what, i, r.Key, r.Seq, r.Status, r.Written, r.Reason, want[i].status, want[i].written)
		}
	}
}

func (w *world) record(key string) dedup.Record {
	w.t.Helper()
	rec, err := w.store.Get(w.ctx, key)
	if err != nil {
		w.t.Fatalf("stored record for %q: %v", key, err)
	}
	return rec
}

func (w *world) object(key string) ([]byte, string) {
	w.t.Helper()
	out, err := w.s3c.GetObject(w.ctx, &awss3.GetObjectInput{Bucket: aws.String(w.bucket.Name()), Key: aws.String(key)})
	if err != nil {
		w.t.Fatalf("read s3://%s/%s: %v", w.bucket.Name(), key, err)
	}
	defer out.Body.Close()
	b, err := io.ReadAll(out.Body)
	if err != nil {
		w.t.Fatal(err)
	}
	return b, aws.ToString(out.ContentType)
}

func TestEndToEnd(t *testing.T) {
	w := setup(t)
	const in = "incoming/2024-01-02/"
	seeds := []struct{ file, key string }{
		{"000_d3a8f2096fb2671b.txt", in + "000_d3a8f2096fb2671b.txt"},
		{"001_185a73e93ce09b0f.txt", in + "001_185a73e93ce09b0f.txt"},
		{"003_8f73fbdca9dbbaca.txt", in + "wire copy+update.txt"},             // '+' is not a space
		{"004_06b9509edbdc682e.txt", in + "Reuters 7 Dec (Raisi, Putin).txt"}, // spaces, brackets, comma
	}
	// final is what the bucket holds at the end: the input of the CLI run.
	final := map[string][]byte{}
	at := day

	// 1. Plain uploads, one event each (the first invocation opens the connections).
	for _, s := range seeds {
		body := w.seed(s.file)
		rec := w.upload(s.key, body, at)
		at = at.Add(time.Minute)
		final[s.key] = body
		got := w.deliver(rec)
		w.check("upload "+s.key, got, expect{"ok", true})
		if got[0].Key != s.key {
			t.Errorf("function decoded key %q, want %q", got[0].Key, s.key)
		}
		if s.file == seeds[0].file {
			// 2. Duplicate delivery: the same event again writes nothing.
			w.check("duplicate event", w.deliver(rec), expect{"ok", false})
			if r := w.record(s.key); r.Seq != rec.Sequencer {
				t.Errorf("after a duplicate, stored seq %s, want %s", r.Seq, rec.Sequencer)
			}
		}
	}

	// 3. Out of order: v1 and v2 of one key uploaded, v2's event arrives first.
	key2 := in + "002_8195b0460efe062c.txt"
	v1 := w.upload(key2, []byte(filler), at)
	v2body := w.seed("002_8195b0460efe062c.txt")
	v2 := w.upload(key2, v2body, at.Add(time.Second))
	final[key2] = v2body
	w.check("v2's event", w.deliver(v2), expect{"ok", true})
	w.check("v1's late event", w.deliver(v1), expect{"ok", false})
	if r := w.record(key2); r.Seq != v2.Sequencer || r.ETag != dedup.ContentTag(v2body) || r.Sig == nil || r.Sig.Key != key2 {
		t.Errorf("out-of-order key stored seq %s etag %s; want v2's (seq %s, etag %s)", r.Seq, r.ETag, v2.Sequencer, dedup.ContentTag(v2body))
	}

	// 4. Deleted: a copy of 001 is ingested, then removed; a redelivered
	// creation event must not bring it back.
	gone := in + "retracted copy.txt"
	created := w.upload(gone, w.seed("001_185a73e93ce09b0f.txt"), at.Add(time.Minute))
	w.check("upload of the soon deleted copy", w.deliver(created), expect{"ok", true})
	removed := w.remove(gone, at.Add(2*time.Minute))
	w.check("removal", w.deliver(removed), expect{"deleted", true})
	w.check("creation redelivered after removal", w.deliver(created), expect{"", false})
	if r := w.record(gone); r.Status != dedup.StatusDeleted || r.Seq != removed.Sequencer {
		t.Errorf("deleted object stored as %s seq %s, want a tombstone at %s", r.Status, r.Seq, removed.Sequencer)
	}

	// 5. Unusable files: stored as rejected, and the invocation succeeds (no retry).
	// They arrive together in one event, with an article dated outside the window.
	pdf, empty, old := in+"scan.pdf", in+"empty.txt", "incoming/2023-01-05/old news.txt"
	final[pdf], final[empty] = []byte(pdfMagic), []byte{}
	got := w.deliver(w.upload(pdf, final[pdf], at), w.upload(empty, final[empty], at),
		w.upload(old, []byte(" date 2023-01-05 "+filler), at))
	w.check("PDF, empty file and an old article in one event", got, expect{"rejected", true}, expect{"rejected", true}, expect{"ok", true})
	for _, r := range got[:2] {
		if r.Reason == "" {
			t.Errorf("%s rejected without a reason", r.Key)
		}
	}

	// 6. The daily run, with the sample schedule event (2024-01-03T03:00Z, 30 days).
	start := time.Now()
	body, err := w.cluster.Invoke(w.ctx, w.read(filepath.Join(w.root, "events", "schedule.json")))
	clusterTime := time.Since(start)
	if err != nil {
		t.Fatalf("cluster: %v", err)
	}
	var sum lambda.Summary
	if err := json.Unmarshal(body, &sum); err != nil {
		t.Fatalf("cluster response %s: %v", body, err)
	}
	t.Logf("cluster summary: %s (%v round trip)", body, clusterTime)
	if sum.ReportKey != "reports/2024-01-03/report.json" || sum.Articles != 5 || sum.Rejected != 2 {
		t.Errorf("summary %+v: want reports/2024-01-03/report.json with 5 articles and 2 rejected", sum)
	}
	w.checkPublishedEvent(sum)

	// 7. The report, read back from the bucket.
	dated, ctype := w.object("reports/2024-01-03/report.json")
	latest, _ := w.object("reports/latest.json")
	if !bytes.Equal(dated, latest) {
		t.Error("reports/latest.json differs from reports/2024-01-03/report.json")
	}
	if ctype != "application/json" {
		t.Errorf("report.json content type %q", ctype)
	}
	for name, want := range map[string]string{"report.html": "text/html", "report.csv": "text/csv"} {
		b, ct := w.object("reports/2024-01-03/" + name)
		if len(b) == 0 || !strings.HasPrefix(ct, want) {
			t.Errorf("%s: %d bytes, content type %q", name, len(b), ct)
		}
	}
	var rep report.Report
	if err := json.Unmarshal(dated, &rep); err != nil {
		t.Fatal(err)
	}
	// The story's own page, beside report.html, lists its articles.
	if len(rep.Stories) > 0 {
		b, ct := w.object("reports/2024-01-03/stories/" + rep.Stories[0].ID + ".html")
		if !strings.HasPrefix(ct, "text/html") || !strings.Contains(html.UnescapeString(string(b)), "wire copy+update.txt") {
			t.Errorf("the story page (%s) does not mention the article under 'wire copy+update.txt'", ct)
		}
	}
	if rep.GeneratedAt != "2024-01-03T03:00:00Z" {
		t.Errorf("generated_at %s", rep.GeneratedAt)
	}
	members := map[string]bool{}
	for _, s := range rep.Stories {
		for _, a := range s.Articles {
			members[a.Key] = true
		}
	}
	for _, k := range []string{gone, old} {
		if members[k] {
			t.Errorf("%s is in the report", k)
		}
	}

	// 8. The same files through the CLI: same stories, copies and rejections.
	cli := w.runCLI(final)
	if got, want := rep.Grouping(), cli.Grouping(); got != want {
		t.Errorf("stories and copy groups differ from `newsdedup run`:\nLambda:\n%s\nCLI:\n%s", got, want)
	}
	if got, want := rejectedSet(&rep), rejectedSet(cli); got != want {
		t.Errorf("rejected files differ from `newsdedup run`:\nLambda: %s\nCLI:    %s", got, want)
	}
	if rep.Articles != cli.Articles {
		t.Errorf("%d articles, the CLI has %d", rep.Articles, cli.Articles)
	}
	// Beyond membership: ids, titles, dates, sources and copy scores agree
	// too (normalized: see normalized).
	if a, b := normalized(&rep), normalized(cli); a != b {
		t.Errorf("story details differ from `newsdedup run`:\nLambda: %s\nCLI:    %s", a, b)
	}
	t.Logf("report: %d articles, %d stories, %d rejected; stories:\n%s", rep.Articles, len(rep.Stories), len(rep.Rejected), rep.Grouping())

	// 9. infra/local/invoke.sh: the same cluster run through the script, into
	// another prefix, gives the same report byte for byte.
	w.invokeScript(dated)

	// 9b. The next day's run: a reprint joins the seeds' story, which keeps
	// its id and lists it as new; an unrelated article is a new story.
	w.nextDay(rep, at)

	// 10. Latency of warm ingest invocations (GetObject, parse, sign,
	// conditional PutItem) over more fresh keys.
	runs := 10
	if v := os.Getenv("E2E_LATENCY_RUNS"); v != "" {
		if runs, err = strconv.Atoi(v); err != nil {
			t.Fatalf("E2E_LATENCY_RUNS=%q", v)
		}
	}
	for i := range runs {
		for _, s := range seeds {
			rec := w.upload(fmt.Sprintf("incoming/latency/%03d/%s", i, s.file), w.seed(s.file), at)
			w.check("latency run", w.deliver(rec), expect{"ok", true})
		}
	}
	w.reportLatency(clusterTime)
}

// invokeScript runs infra/local/invoke.sh against this run's table and
// bucket: the cluster function on events/schedule.json must write the same
// report, and a failing ingest event must make the script exit 1.
func (w *world) invokeScript(wantReport []byte) {
	w.t.Helper()
	script := filepath.Join(w.root, "infra", "local", "invoke.sh")
	run := func(fn, event string) ([]byte, int) {
		cmd := exec.CommandContext(w.ctx, script, fn, event)
		cmd.Dir = w.root
		name := w.bucket.Name()
		cmd.Env = append(os.Environ(), "TABLE_NAME="+name, "REPORTS_BUCKET="+name, "UPLOADS_BUCKET="+name,
			"REPORTS_PREFIX=reports-invoke/", "WINDOW_DAYS=30", "LOG_LEVEL=info",
			"NEWSDEDUP_BOOTSTRAP="+filepath.Join(w.tmp, fn, "bootstrap"))
		var stderr bytes.Buffer
		cmd.Stderr = &stderr
		out, err := cmd.Output()
		code := 0
		if ee, ok := err.(*exec.ExitError); ok {
			code = ee.ExitCode()
		} else if err != nil {
			w.t.Fatalf("invoke.sh %s: %v\n%s", fn, err, stderr.String())
		}
		if code > 1 {
			w.t.Fatalf("invoke.sh %s %s exited %d:\n%s", fn, event, code, stderr.String())
		}
		return out, code
	}
	out, code := run("cluster", filepath.Join(w.root, "events", "schedule.json"))
	var sum lambda.Summary
	if err := json.Unmarshal(out, &sum); code != 0 || err != nil {
		w.t.Fatalf("invoke.sh cluster: exit %d, output %q (%v)", code, out, err)
	}
	if sum.ReportKey != "reports-invoke/2024-01-03/report.json" || sum.Articles != 5 {
		w.t.Errorf("invoke.sh cluster summary %+v", sum)
	}
	got, _ := w.object(sum.ReportKey)
	var a, b report.Report
	if err := json.Unmarshal(got, &a); err != nil {
		w.t.Fatal(err)
	}
	if err := json.Unmarshal(wantReport, &b); err != nil {
		w.t.Fatal(err)
	}
	if normalized(&a) != normalized(&b) || a.GeneratedAt != b.GeneratedAt || rejectedSet(&a) != rejectedSet(&b) {
		w.t.Errorf("the report written through invoke.sh differs from the one written through the test's RIE:\n%s\n%s", got, wantReport)
	}

	bad, err := S3Event(w.tmpl, S3Record{EventName: "ObjectCreated:Put", Bucket: w.bucket.Name(), Key: "incoming/no-seq.txt", Time: day})
	if err != nil {
		w.t.Fatal(err)
	}
	event := filepath.Join(w.tmp, "no-sequencer.json")
	if err := os.WriteFile(event, bad, 0o644); err != nil {
		w.t.Fatal(err)
	}
	out, code = run("ingest", event)
	if code != 1 || !bytes.Contains(out, []byte(`"errorMessage"`)) || !bytes.Contains(out, []byte("sequencer")) {
		w.t.Errorf("invoke.sh ingest with a bad event: exit %d, output %s; want exit 1 and the function's error", code, out)
	}
}

// runCLI writes files into a folder laid out like the bucket and runs
// `newsdedup run` on it; keys are then the same as object keys.
func (w *world) runCLI(files map[string][]byte) *report.Report {
	w.t.Helper()
	dir := filepath.Join(w.tmp, "bucket-mirror")
	for key, body := range files {
		p := filepath.Join(dir, filepath.FromSlash(key))
		if err := os.MkdirAll(filepath.Dir(p), 0o755); err != nil {
			w.t.Fatal(err)
		}
		if err := os.WriteFile(p, body, 0o644); err != nil {
			w.t.Fatal(err)
		}
	}
	out := filepath.Join(w.tmp, "cli-out")
	cmd := exec.CommandContext(w.ctx, "go", "run", "./cmd/newsdedup", "run", "--quiet", "--out", out, dir)
	cmd.Dir = w.root
	if msg, err := cmd.CombinedOutput(); err != nil {
		w.t.Fatalf("newsdedup run: %v\n%s", err, msg)
	}
	var rep report.Report
	if err := json.Unmarshal(w.read(filepath.Join(out, "report.json")), &rep); err != nil {
		w.t.Fatal(err)
	}
	return &rep
}

// normalized renders the stories as JSON without what depends on the
// order the store returns records in: copy group members and pair keys are
// sorted, and passages (taken from the first article of a pair, so they
// follow its orientation) are left out. DynamoDB's parallel Scan returns
// records in no fixed order, the bbolt store in key order, and today the
// report keeps the scan order there.
func normalized(rep *report.Report) string {
	stories := make([]report.Story, len(rep.Stories))
	for i, s := range rep.Stories {
		s.Copies = append([][]string(nil), s.Copies...)
		for j, c := range s.Copies {
			c = append([]string(nil), c...)
			sort.Strings(c)
			s.Copies[j] = c
		}
		sort.Slice(s.Copies, func(a, b int) bool { return strings.Join(s.Copies[a], "\n") < strings.Join(s.Copies[b], "\n") })
		s.Evidence = append([]report.CopyGroup(nil), s.Evidence...)
		for j, g := range s.Evidence {
			g.Members = append([]string(nil), g.Members...)
			sort.Strings(g.Members)
			g.Pairs = append([]report.Pair(nil), g.Pairs...)
			for k, p := range g.Pairs {
				if p.Keys[1] < p.Keys[0] {
					p.Keys[0], p.Keys[1] = p.Keys[1], p.Keys[0]
				}
				p.Passages = nil
				g.Pairs[k] = p
			}
			sort.Slice(g.Pairs, func(a, b int) bool {
				return g.Pairs[a].Keys[0]+"\n"+g.Pairs[a].Keys[1] < g.Pairs[b].Keys[0]+"\n"+g.Pairs[b].Keys[1]
			})
			s.Evidence[j] = g
		}
		sort.Slice(s.Evidence, func(a, b int) bool { return s.Evidence[a].ID < s.Evidence[b].ID })
		stories[i] = s
	}
	b, _ := json.Marshal(stories)
	return string(b)
}

func rejectedSet(rep *report.Report) string {
	var out []string
	for _, r := range rep.Rejected {
		out = append(out, r.Key+": "+r.Reason)
	}
	sort.Strings(out)
	return strings.Join(out, "; ")
}

var reportLine = regexp.MustCompile(`REPORT RequestId: \S+\s+(?:Init Duration: [0-9.]+ ms\s+)?Duration: ([0-9.]+) ms`)

func (w *world) reportLatency(clusterTime time.Duration) {
	ms := func(d time.Duration) float64 { return float64(d.Microseconds()) / 1000 }
	d := append([]time.Duration(nil), w.latency...)
	sort.Slice(d, func(i, j int) bool { return d[i] < d[j] })
	if len(d) == 0 {
		w.t.Fatal("no warm ingest invocations measured")
	}
	pct := func(p float64) time.Duration { return d[min(len(d)-1, int(p*float64(len(d)-1)+0.5))] }
	// The function's own durations, from RIE's REPORT lines.
	var fn []float64
	for _, m := range reportLine.FindAllStringSubmatch(w.ingest.Logs(), -1) {
		v, _ := strconv.ParseFloat(m[1], 64)
		fn = append(fn, v)
	}
	sort.Float64s(fn)
	fnPct := func(p float64) float64 {
		if len(fn) == 0 {
			return 0
		}
		return fn[min(len(fn)-1, int(p*float64(len(fn)-1)+0.5))]
	}
	metrics := map[string]any{
		"ingest_invocations":        w.invokes,
		"ingest_first_ms":           ms(w.first),
		"ingest_warm_n":             len(d),
		"ingest_warm_median_ms":     ms(pct(0.5)),
		"ingest_warm_p95_ms":        ms(pct(0.95)),
		"ingest_warm_max_ms":        ms(d[len(d)-1]),
		"ingest_function_median_ms": fnPct(0.5),
		"ingest_function_p95_ms":    fnPct(0.95),
		"cluster_round_trip_ms":     ms(clusterTime),
	}
	b, _ := json.MarshalIndent(metrics, "", "  ")
	w.t.Logf("latency (client round trip through RIE, emulators on loopback):\n%s", b)
	if p := os.Getenv("E2E_METRICS"); p != "" {
		if err := os.WriteFile(p, append(b, '\n'), 0o644); err != nil {
			w.t.Error(err)
		}
	}
}

// nextDay uploads a reprint of seed 001 and an unrelated article, runs
// the cluster function for the day after events/schedule.json, and checks
// the report against the first day's (prev).
func (w *world) nextDay(prev report.Report, at time.Time) {
	t := w.t
	// Both undated: they count for their upload day, inside the window.
	reprint, other := "incoming/2024-01-03/001 reprint.txt", "incoming/2024-01-03/ferry budget.txt"
	w.check("day 2 uploads", w.deliver(w.upload(reprint, w.seed("001_185a73e93ce09b0f.txt"), at.Add(24*time.Hour)),
		w.upload(other, []byte(filler), at.Add(24*time.Hour))),
		expect{"ok", true}, expect{"ok", true})
	var ev map[string]any
	if err := json.Unmarshal(w.read(filepath.Join(w.root, "events", "schedule.json")), &ev); err != nil {
		t.Fatal(err)
	}
	ev["time"] = "2024-01-04T03:00:00Z"
	event, _ := json.Marshal(ev)
	body, err := w.cluster.Invoke(w.ctx, event)
	if err != nil {
		t.Fatalf("day 2 cluster: %v", err)
	}
	var sum lambda.Summary
	if err := json.Unmarshal(body, &sum); err != nil || sum.ReportKey != "reports/2024-01-04/report.json" || sum.NewStories != 1 {
		t.Errorf("day 2 summary %s (%v): want reports/2024-01-04/report.json with one new story", body, err)
	}
	latest, _ := w.object("reports/latest.json")
	var rep report.Report
	if err := json.Unmarshal(latest, &rep); err != nil {
		t.Fatal(err)
	}
	if rep.Previous != prev.GeneratedAt {
		t.Errorf("day 2 compared with %q, want day 1's report (%s)", rep.Previous, prev.GeneratedAt)
	}
	storyOf := func(r *report.Report, key string) *report.Story {
		for i, s := range r.Stories {
			for _, a := range s.Articles {
				if a.Key == key {
					return &r.Stories[i]
				}
			}
		}
		t.Fatalf("no story holds %s", key)
		return nil
	}
	was, is := storyOf(&prev, "incoming/2024-01-02/001_185a73e93ce09b0f.txt"), storyOf(&rep, reprint)
	if is.ID != was.ID || is.Status != report.StatusContinuing || len(is.NewArticles) != 1 || is.NewArticles[0] != reprint {
		t.Errorf("the seeds' story on day 2: id %s (was %s), %s, new %v; want the same id, continuing, new [%s]", is.ID, was.ID, is.Status, is.NewArticles, reprint)
	}
	if s := storyOf(&rep, other); s.Status != report.StatusNew || len(s.NewArticles) != 1 {
		t.Errorf("the unrelated article's story: %s, new %v; want new", s.Status, s.NewArticles)
	}
	t.Logf("day 2 summary: %s", body)
}
