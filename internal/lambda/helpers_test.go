package lambda

import (
	"bytes"
	"context"
	"encoding/json"
	"io"
	"log/slog"
	"os"
	"path/filepath"
	"testing"
	"time"

	"github.com/aws/aws-lambda-go/events"

	"github.com/newsdedup/newsdedup/internal/cluster"
	"github.com/newsdedup/newsdedup/internal/dedup"
	"github.com/newsdedup/newsdedup/internal/e2e"
	"github.com/newsdedup/newsdedup/internal/local"
)

// The handler tests run on real stores: a local.Folder per bucket and a
// bbolt local.Store, the implementations the CLI uses.

const uploads = "newsdedup-uploads"

// day is the simulated upload day, as in the sample events.
var day = time.Date(2024, 1, 2, 8, 15, 30, 0, time.UTC)

type fixture struct {
	t       *testing.T
	dir     string
	buckets map[string]*local.Folder
	store   *local.Store
	svc     *dedup.Service
	ingest  *IngestHandler
	logs    *bytes.Buffer
	seqs    *e2e.Sequencers
}

func newFixture(t *testing.T) *fixture {
	t.Helper()
	dir := t.TempDir()
	store, err := local.Open(filepath.Join(dir, "state.db"))
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { store.Close() })
	f := &fixture{t: t, dir: dir, buckets: map[string]*local.Folder{}, store: store, logs: &bytes.Buffer{}, seqs: e2e.NewSequencers()}
	log := slog.New(slog.NewJSONHandler(f.logs, &slog.HandlerOptions{Level: slog.LevelDebug}))
	f.svc = &dedup.Service{
		Articles: f.bucket(uploads),
		Store:    store,
		Params:   cluster.DefaultParams(),
		Log:      log,
		Now:      func() time.Time { return time.Date(2030, 1, 1, 0, 0, 0, 0, time.UTC) }, // "processing time": must not leak into records
	}
	f.ingest = &IngestHandler{Svc: f.svc, Bucket: func(name string) dedup.BlobStore { return f.bucket(name) }}
	return f
}

func (f *fixture) bucket(name string) *local.Folder {
	if b, ok := f.buckets[name]; ok {
		return b
	}
	b := local.NewFolder(filepath.Join(f.dir, "buckets", name))
	f.buckets[name] = b
	return b
}

func (f *fixture) upload(key string, body []byte) {
	f.t.Helper()
	if err := f.bucket(uploads).Put(context.Background(), key, body, ""); err != nil {
		f.t.Fatal(err)
	}
}

func (f *fixture) remove(key string) {
	f.t.Helper()
	if err := os.Remove(filepath.Join(f.bucket(uploads).Root(), filepath.FromSlash(key))); err != nil {
		f.t.Fatal(err)
	}
}

func readFile(t testing.TB, path string) []byte {
	t.Helper()
	b, err := os.ReadFile(path)
	if err != nil {
		t.Fatal(err)
	}
	return b
}

func seed(t testing.TB, name string) []byte {
	return readFile(t, filepath.Join("..", "..", "testdata", "seeds", name))
}

// event builds an S3 event from events/s3-put.json and decodes it the way
// the Lambda runtime does (so URLDecodedKey is filled in).
func event(t testing.TB, recs ...e2e.S3Record) events.S3Event {
	t.Helper()
	raw, err := e2e.S3Event(readFile(t, filepath.Join("..", "..", "events", "s3-put.json")), recs...)
	if err != nil {
		t.Fatal(err)
	}
	var ev events.S3Event
	if err := json.Unmarshal(raw, &ev); err != nil {
		t.Fatalf("decode event: %v", err)
	}
	return ev
}

func created(key, seq string) e2e.S3Record {
	return e2e.S3Record{EventName: "ObjectCreated:Put", Bucket: uploads, Key: key, Sequencer: seq, Time: day}
}

func removed(key, seq string) e2e.S3Record {
	return e2e.S3Record{EventName: "ObjectRemoved:Delete", Bucket: uploads, Key: key, Sequencer: seq, Time: day.Add(time.Hour)}
}

func (f *fixture) handle(recs ...e2e.S3Record) (IngestResult, error) {
	f.t.Helper()
	return f.ingest.Handle(context.Background(), event(f.t, recs...))
}

func (f *fixture) get(key string) dedup.Record {
	f.t.Helper()
	rec, err := f.store.Get(context.Background(), key)
	if err != nil {
		f.t.Fatalf("Get(%q): %v", key, err)
	}
	return rec
}

var _ io.Writer = (*bytes.Buffer)(nil)
