package lambda

import (
	"context"
	"encoding/json"
	"errors"
	"path/filepath"
	"strings"
	"testing"

	"github.com/aws/aws-lambda-go/events"

	"github.com/newsdedup/newsdedup/internal/dedup"
	"github.com/newsdedup/newsdedup/internal/e2e"
)

const (
	keyA      = "incoming/2024-01-02/001_185a73e93ce09b0f.txt"
	keyB      = "incoming/2024-01-02/002_8195b0460efe062c.txt"
	keyPlus   = "incoming/2024-01-02/wire copy+update.txt"
	pdfMagic  = "%PDF-1.7\n%\xe2\xe3\xcf\xd3\n1 0 obj << /Type /Catalog >> endobj\n"
	undated   = "Harbour council approves ferry budget\n\nThe harbour council approved a budget on Tuesday for three new ferry routes and repairs to the old sea wall, officials said after a long debate in the town hall."
	undatedID = "incoming/2024-01-02/undated.txt"
)

// want is what one record of a Handle call should report.
type want struct {
	action, status string
	written        bool
	reason         string // substring, "" = no check
}

func checkResults(t *testing.T, got IngestResult, wants ...want) {
	t.Helper()
	if len(got.Records) != len(wants) {
		t.Fatalf("%d record results, want %d: %+v", len(got.Records), len(wants), got.Records)
	}
	for i, w := range wants {
		r := got.Records[i]
		if r.Action != w.action || r.Status != w.status || r.Written != w.written || !strings.Contains(r.Reason, w.reason) {
			t.Errorf("record %d (%s %s seq %s) = {%s %s written=%v %q}, want {%s %s written=%v reason~%q}",
				i, r.Event, r.Key, r.Seq, r.Action, r.Status, r.Written, r.Reason, w.action, w.status, w.written, w.reason)
		}
	}
}

func TestIngestEvents(t *testing.T) {
	type step struct {
		upload  map[string][]byte // before the event
		remove  []string          // objects deleted before the event
		records func(seq []string) []e2e.S3Record
		want    []want
	}
	seedA, seedB := seed(t, "001_185a73e93ce09b0f.txt"), seed(t, "002_8195b0460efe062c.txt")
	tests := []struct {
		name      string
		steps     []step
		key       string
		wantStat  dedup.Status
		wantSeq   int    // index into the test's sequencers
		wantETag  []byte // content whose tag the record must carry; nil = no check
		wantDate  string // "" = no check
		wantNoRec bool
	}{
		{
			name: "create stores a signature",
			steps: []step{{upload: map[string][]byte{keyA: seedA},
				records: func(s []string) []e2e.S3Record { return []e2e.S3Record{created(keyA, s[0])} },
				want:    []want{{ActionIngest, "ok", true, ""}}}},
			key: keyA, wantStat: dedup.StatusOK, wantSeq: 0, wantETag: seedA,
		},
		{
			name: "duplicate delivery writes once",
			steps: []step{{upload: map[string][]byte{keyA: seedA},
				records: func(s []string) []e2e.S3Record { return []e2e.S3Record{created(keyA, s[0]), created(keyA, s[0])} },
				want:    []want{{ActionIngest, "ok", true, ""}, {ActionIngest, "ok", false, ""}}}},
			key: keyA, wantStat: dedup.StatusOK, wantSeq: 0, wantETag: seedA,
		},
		{
			name: "out of order: v2's event, then v1's",
			steps: []step{
				{upload: map[string][]byte{keyA: seedB}}, // v1 (its event is delivered late)
				{upload: map[string][]byte{keyA: seedA}, // v2
					records: func(s []string) []e2e.S3Record { return []e2e.S3Record{created(keyA, s[1]), created(keyA, s[0])} },
					want:    []want{{ActionIngest, "ok", true, ""}, {ActionIngest, "ok", false, ""}}},
			},
			key: keyA, wantStat: dedup.StatusOK, wantSeq: 1, wantETag: seedA,
		},
		{
			name: "v1 ingested, then v2 replaces it",
			steps: []step{
				{upload: map[string][]byte{keyA: seedB},
					records: func(s []string) []e2e.S3Record { return []e2e.S3Record{created(keyA, s[0])} },
					want:    []want{{ActionIngest, "ok", true, ""}}},
				{upload: map[string][]byte{keyA: seedA},
					records: func(s []string) []e2e.S3Record { return []e2e.S3Record{created(keyA, s[1])} },
					want:    []want{{ActionIngest, "ok", true, ""}}},
			},
			key: keyA, wantStat: dedup.StatusOK, wantSeq: 1, wantETag: seedA,
		},
		{
			name: "removal leaves a tombstone that a late creation cannot lift",
			steps: []step{
				{upload: map[string][]byte{keyA: seedA},
					records: func(s []string) []e2e.S3Record { return []e2e.S3Record{created(keyA, s[0])} },
					want:    []want{{ActionIngest, "ok", true, ""}}},
				{remove: []string{keyA},
					records: func(s []string) []e2e.S3Record { return []e2e.S3Record{removed(keyA, s[1]), created(keyA, s[0])} },
					want:    []want{{ActionRemove, "deleted", true, ""}, {ActionIngest, "", false, "no longer exists"}}},
			},
			key: keyA, wantStat: dedup.StatusDeleted, wantSeq: 1,
		},
		{
			name: "removal arrives before the creation",
			steps: []step{
				{upload: map[string][]byte{keyA: seedA}},
				{remove: []string{keyA},
					records: func(s []string) []e2e.S3Record { return []e2e.S3Record{removed(keyA, s[1]), created(keyA, s[0])} },
					want:    []want{{ActionRemove, "deleted", true, ""}, {ActionIngest, "", false, "no longer exists"}}},
			},
			key: keyA, wantStat: dedup.StatusDeleted, wantSeq: 1,
		},
		{
			name: "re-upload after removal is newer",
			steps: []step{
				{records: func(s []string) []e2e.S3Record { return []e2e.S3Record{removed(keyA, s[0])} },
					want: []want{{ActionRemove, "deleted", true, ""}}},
				{upload: map[string][]byte{keyA: seedA},
					records: func(s []string) []e2e.S3Record { return []e2e.S3Record{created(keyA, s[1])} },
					want:    []want{{ActionIngest, "ok", true, ""}}},
			},
			key: keyA, wantStat: dedup.StatusOK, wantSeq: 1, wantETag: seedA,
		},
		{
			name: "PDF is stored as rejected, not an error",
			steps: []step{{upload: map[string][]byte{"incoming/scan.pdf": []byte(pdfMagic)},
				records: func(s []string) []e2e.S3Record { return []e2e.S3Record{created("incoming/scan.pdf", s[0])} },
				want:    []want{{ActionIngest, "rejected", true, "binary"}}}},
			key: "incoming/scan.pdf", wantStat: dedup.StatusRejected, wantSeq: 0, wantETag: []byte(pdfMagic),
		},
		{
			name: "empty file is stored as rejected",
			steps: []step{{upload: map[string][]byte{"incoming/empty.txt": {}},
				records: func(s []string) []e2e.S3Record { return []e2e.S3Record{created("incoming/empty.txt", s[0])} },
				want:    []want{{ActionIngest, "rejected", true, "empty file"}}}},
			key: "incoming/empty.txt", wantStat: dedup.StatusRejected, wantSeq: 0,
		},
		{
			name: "key with a space and a plus is decoded",
			steps: []step{{upload: map[string][]byte{keyPlus: seedA},
				records: func(s []string) []e2e.S3Record { return []e2e.S3Record{created(keyPlus, s[0])} },
				want:    []want{{ActionIngest, "ok", true, ""}}}},
			key: keyPlus, wantStat: dedup.StatusOK, wantSeq: 0, wantETag: seedA,
		},
		{
			name: "undated article counts for the upload day, not the processing day",
			steps: []step{{upload: map[string][]byte{undatedID: []byte(undated)},
				records: func(s []string) []e2e.S3Record { return []e2e.S3Record{created(undatedID, s[0])} },
				want:    []want{{ActionIngest, "ok", true, ""}}}},
			key: undatedID, wantStat: dedup.StatusOK, wantSeq: 0, wantDate: "2024-01-02",
		},
		{
			name: "keys outside incoming/ are ignored",
			steps: []step{{upload: map[string][]byte{"reports/latest.json": seedA},
				records: func(s []string) []e2e.S3Record {
					return []e2e.S3Record{created("reports/latest.json", s[0]), removed("incoming", s[1])}
				},
				want: []want{{ActionSkip, "", false, "outside incoming/"}, {ActionSkip, "", false, "outside incoming/"}}}},
			key: "reports/latest.json", wantNoRec: true,
		},
		{
			name: "other event types are ignored",
			steps: []step{{upload: map[string][]byte{keyA: seedA},
				records: func(s []string) []e2e.S3Record {
					r := created(keyA, s[0])
					r.EventName = "ObjectRestore:Completed"
					return []e2e.S3Record{r}
				},
				want: []want{{ActionSkip, "", false, "not an ObjectCreated"}}}},
			key: keyA, wantNoRec: true,
		},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			f := newFixture(t)
			seqs := []string{f.seqs.Next(), f.seqs.Next(), f.seqs.Next()}
			for _, st := range tc.steps {
				for k, v := range st.upload {
					f.upload(k, v)
				}
				for _, k := range st.remove {
					f.remove(k)
				}
				if st.records == nil {
					continue
				}
				res, err := f.handle(st.records(seqs)...)
				if err != nil {
					t.Fatalf("Handle: %v", err)
				}
				checkResults(t, res, st.want...)
			}
			if tc.wantNoRec {
				if rec, err := f.store.Get(context.Background(), tc.key); !errors.Is(err, dedup.ErrNotFound) {
					t.Errorf("record stored for %q: %+v, %v", tc.key, rec, err)
				}
				return
			}
			rec := f.get(tc.key)
			if rec.Status != tc.wantStat || rec.Seq != seqs[tc.wantSeq] {
				t.Errorf("stored %s seq %s, want %s seq %s", rec.Status, rec.Seq, tc.wantStat, seqs[tc.wantSeq])
			}
			if tc.wantETag != nil && rec.ETag != dedup.ContentTag(tc.wantETag) {
				t.Errorf("stored ETag %s is not the expected content's (%s)", rec.ETag, dedup.ContentTag(tc.wantETag))
			}
			if tc.wantStat == dedup.StatusOK && (rec.Sig == nil || rec.Sig.Key != tc.key) {
				t.Errorf("stored signature %v, want one for %q", rec.Sig, tc.key)
			}
			if tc.wantDate != "" && rec.Date != tc.wantDate {
				t.Errorf("stored Date %q, want %q", rec.Date, tc.wantDate)
			}
		})
	}
}

// TestIngestErrors: failures are returned (so Lambda retries), name the
// records, and do not stop the other records of the event.
func TestIngestErrors(t *testing.T) {
	f := newFixture(t)
	f.upload(keyA, seed(t, "001_185a73e93ce09b0f.txt"))
	f.upload(keyB, seed(t, "002_8195b0460efe062c.txt"))
	noSeq := created(keyPlus, "")
	res, err := f.handle(created(keyA, f.seqs.Next()), noSeq, created(keyB, f.seqs.Next()))
	if err == nil {
		t.Fatal("Handle accepted a record without a sequencer")
	}
	for _, s := range []string{"1 of 3 records failed", keyPlus, "sequencer"} {
		if !strings.Contains(err.Error(), s) {
			t.Errorf("error %q does not mention %q", err, s)
		}
	}
	if len(res.Records) != 3 || !res.Records[0].Written || !res.Records[2].Written || res.Records[1].Error == "" {
		t.Errorf("results %+v: want records 0 and 2 written and 1 failed", res.Records)
	}

	// A storage failure (here: the state file closed under the handler) is
	// returned, not swallowed.
	if err := f.store.Close(); err != nil {
		t.Fatal(err)
	}
	_, err = f.handle(created(keyA, f.seqs.Next()))
	if err == nil || !strings.Contains(err.Error(), keyA) {
		t.Errorf("Handle with a failing store: err = %v, want an error naming %s", err, keyA)
	}
	_, err = f.handle(removed(keyA, f.seqs.Next()))
	if err == nil || !strings.Contains(err.Error(), "tombstone") {
		t.Errorf("removal with a failing store: err = %v", err)
	}
}

// TestIngestReadsRecordBucket: ingest takes the bucket from the record.
func TestIngestReadsRecordBucket(t *testing.T) {
	f := newFixture(t)
	other := []byte(undated)
	f.upload(keyA, seed(t, "001_185a73e93ce09b0f.txt"))
	if err := f.bucket("another-bucket").Put(context.Background(), keyA, other, ""); err != nil {
		t.Fatal(err)
	}
	r := created(keyA, f.seqs.Next())
	r.Bucket = "another-bucket"
	if _, err := f.handle(r); err != nil {
		t.Fatal(err)
	}
	if got := f.get(keyA).ETag; got != dedup.ContentTag(other) {
		t.Errorf("ETag %s: the article was not read from the record's bucket", got)
	}
	r = created(keyA, f.seqs.Next())
	r.Bucket = ""
	if _, err := f.handle(r); err == nil || !strings.Contains(err.Error(), "bucket") {
		t.Errorf("record without a bucket name: err = %v", err)
	}
}

// TestObjectKey checks the decoding of keys as S3 sends them, through the
// same JSON decoding the Lambda runtime does, and for records built in code.
func TestObjectKey(t *testing.T) {
	tests := []struct{ key string }{
		{"incoming/plain.txt"},
		{"incoming/2024-01-02/wire copy+update.txt"},
		{"incoming/a%20b.txt"},
		{"incoming/ünïcödé/新闻 статья.json"},
		{"incoming/quote's & (brackets) [x] =?.txt"},
	}
	for _, tc := range tests {
		ev := event(t, created(tc.key, "01"))
		raw := ev.Records[0].S3.Object.Key
		if got, err := ObjectKey(ev.Records[0].S3.Object); err != nil || got != tc.key {
			t.Errorf("ObjectKey(decoded JSON %q) = %q, %v; want %q", raw, got, err, tc.key)
		}
		if got, err := ObjectKey(events.S3Object{Key: raw}); err != nil || got != tc.key {
			t.Errorf("ObjectKey({Key: %q}) = %q, %v; want %q", raw, got, err, tc.key)
		}
		if strings.Contains(raw, " ") {
			t.Errorf("encoded key %q has a space", raw)
		}
	}
	if _, err := ObjectKey(events.S3Object{Key: "bad%zz"}); err == nil {
		t.Error("ObjectKey accepted a malformed escape")
	}
}

// TestSampleEvents runs the repository's sample events (events/*.json)
// through the handler.
func TestSampleEvents(t *testing.T) {
	f := newFixture(t)
	load := func(name string) events.S3Event {
		var ev events.S3Event
		if err := json.Unmarshal(readFile(t, filepath.Join("..", "..", "events", name)), &ev); err != nil {
			t.Fatalf("%s: %v", name, err)
		}
		return ev
	}
	put, del, enc := load("s3-put.json"), load("s3-delete.json"), load("s3-put-encoded-key.json")
	if got := enc.Records[0].S3.Object.URLDecodedKey; got != keyPlus {
		t.Errorf("s3-put-encoded-key.json decodes to %q, want %q", got, keyPlus)
	}
	f.upload(put.Records[0].S3.Object.URLDecodedKey, seed(t, "001_185a73e93ce09b0f.txt"))
	f.upload(keyPlus, seed(t, "003_8f73fbdca9dbbaca.txt"))
	ctx := context.Background()
	steps := []struct {
		name string
		ev   events.S3Event
		want want
	}{
		{"s3-put", put, want{ActionIngest, "ok", true, ""}},
		{"s3-put again", put, want{ActionIngest, "ok", false, ""}},
		{"s3-put-encoded-key", enc, want{ActionIngest, "ok", true, ""}},
		{"s3-delete", del, want{ActionRemove, "deleted", true, ""}},
		{"s3-put after the delete", put, want{ActionIngest, "ok", false, ""}},
	}
	for _, st := range steps {
		res, err := f.ingest.Handle(ctx, st.ev)
		if err != nil {
			t.Fatalf("%s: %v", st.name, err)
		}
		t.Run(st.name, func(t *testing.T) { checkResults(t, res, st.want) })
	}
	if rec := f.get(keyPlus); rec.Status != dedup.StatusOK {
		t.Errorf("%q stored as %s", keyPlus, rec.Status)
	}
	if rec := f.get(put.Records[0].S3.Object.URLDecodedKey); rec.Status != dedup.StatusDeleted {
		t.Errorf("deleted sample stored as %s", rec.Status)
	}
}
