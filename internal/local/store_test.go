package local

import (
	"bufio"
	"context"
	"errors"
	"fmt"
	"os"
	"os/exec"
	"path/filepath"
	"strconv"
	"strings"
	"syscall"
	"testing"
	"time"

	bolt "go.etcd.io/bbolt"

	"github.com/newsdedup/newsdedup/internal/article"
	"github.com/newsdedup/newsdedup/internal/dedup"
	"github.com/newsdedup/newsdedup/internal/dedup/storetest"
	"github.com/newsdedup/newsdedup/internal/signature"
)

// crashChildEnv makes the test binary act as the writer that
// TestSIGKILLLeavesUsableFile kills; see TestMain.
const crashChildEnv = "NEWSDEDUP_LOCAL_CRASH_CHILD"

func TestMain(m *testing.M) {
	if path := os.Getenv(crashChildEnv); path != "" {
		crashChild(path)
		os.Exit(0)
	}
	os.Exit(m.Run())
}

func newStore(t testing.TB) *Store {
	t.Helper()
	s, err := Open(filepath.Join(t.TempDir(), "state.db"))
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() {
		if err := s.Close(); err != nil {
			t.Errorf("Close: %v", err)
		}
	})
	return s
}

func TestConformance(t *testing.T) {
	storetest.Run(t, func(t *testing.T) dedup.SignatureStore { return newStore(t) })
}

func TestSeqLess(t *testing.T) {
	cases := []struct {
		a, b string
		want bool
	}{
		{"", "", false},
		{"", "0", false}, // equal after padding
		{"", "1", true},
		{"1", "", false},
		{"1", "2", true},
		{"2", "1", false},
		{"9", "0A", true}, // "09" < "0A"; plain string order says the opposite
		{"0A", "9", false},
		{"A", "000A", false},
		{"000A", "A", false},
		{"FF", "100", true},
		{"100", "FF", false},
		{"0055AED6DCD90281E5", "0055AED6DCD90281E6", true},
		{"0055AED6DCD90281E6", "0055AED6DCD90281E5", false},
		{"55AED6DCD90281E5", "0055AED6DCD90281E5", false},
		{"0055AED6DCD90281E5", "0155AED6DCD90281E5", true},
		{"00000000000000000009", "00000000000000000010", true},
	}
	for _, tc := range cases {
		if got := SeqLess(tc.a, tc.b); got != tc.want {
			t.Errorf("SeqLess(%q, %q) = %v, want %v", tc.a, tc.b, got, tc.want)
		}
	}
}

func TestReopenKeepsRecords(t *testing.T) {
	path := filepath.Join(t.TempDir(), "state.db")
	s, err := Open(path)
	if err != nil {
		t.Fatal(err)
	}
	ctx := context.Background()
	want := dedup.Record{Key: "a.txt", Seq: "0001", Status: dedup.StatusOK, ETag: "e", Date: "2024-01-02", Sig: storetest.Sig(t, "a.txt", "Some words of text here for a signature.")}
	if _, err := s.Put(ctx, want); err != nil {
		t.Fatal(err)
	}
	if err := s.Close(); err != nil {
		t.Fatal(err)
	}
	s, err = Open(path)
	if err != nil {
		t.Fatal(err)
	}
	defer s.Close()
	got, err := s.Get(ctx, "a.txt")
	if err != nil {
		t.Fatal(err)
	}
	storetest.EqualRecord(t, got, want)
	// The seq survives too: an older delivery after a restart is still ignored.
	if written, err := s.Put(ctx, dedup.Record{Key: "a.txt", Seq: "0", Status: dedup.StatusDeleted}); err != nil || written {
		t.Errorf("older Put after reopen = %v, %v; want false, nil", written, err)
	}
}

func TestOpenLockedFails(t *testing.T) {
	path := filepath.Join(t.TempDir(), "state.db")
	s, err := Open(path)
	if err != nil {
		t.Fatal(err)
	}
	// flock conflicts between open file descriptions even within one
	// process, so a second Open stands in for a second process.
	start := time.Now()
	s2, err := open(path, 200*time.Millisecond)
	if err == nil {
		s2.Close()
		t.Fatal("second Open of a held file succeeded")
	}
	if !errors.Is(err, ErrLocked) || !strings.Contains(err.Error(), path) {
		t.Errorf("err = %v; want ErrLocked naming %s", err, path)
	}
	if d := time.Since(start); d > 2*time.Second {
		t.Errorf("Open took %s to give up, want about 200ms", d)
	}
	if err := s.Close(); err != nil {
		t.Fatal(err)
	}
	s2, err = open(path, 200*time.Millisecond)
	if err != nil {
		t.Fatalf("Open after Close: %v", err)
	}
	s2.Close()
}

func TestOpenRejectsOtherFiles(t *testing.T) {
	dir := t.TempDir()
	notBolt := filepath.Join(dir, "notes.txt")
	if err := os.WriteFile(notBolt, []byte(strings.Repeat("not a database\n", 1000)), 0o600); err != nil {
		t.Fatal(err)
	}
	for _, path := range []string{notBolt, dir, filepath.Join(dir, "missing-dir", "state.db")} {
		if s, err := Open(path); err == nil {
			s.Close()
			t.Errorf("Open(%s) succeeded", path)
		} else if !strings.Contains(err.Error(), path) {
			t.Errorf("Open(%s) error %q does not name the file", path, err)
		}
	}
}

// putRaw stores a value bypassing the codec, to test what Get does with it.
func putRaw(t *testing.T, s *Store, key string, v []byte) {
	t.Helper()
	err := s.db.Update(func(tx *bolt.Tx) error { return tx.Bucket(recordsBucket).Put([]byte(key), v) })
	if err != nil {
		t.Fatal(err)
	}
}

func TestCorruptValues(t *testing.T) {
	s := newStore(t)
	ctx := context.Background()
	good, err := encodeRecord(dedup.Record{Key: "k", Seq: "1", Status: dedup.StatusOK, Sig: storetest.Sig(t, "k", "Enough words to make some shingles for this test article body.")})
	if err != nil {
		t.Fatal(err)
	}
	// seqOK: the Seq is still readable, so a newer Put may replace the value
	// (a repair); otherwise Put must refuse, as it cannot tell which is newer.
	type corrupt struct {
		v     []byte
		seqOK bool
	}
	cases := map[string]corrupt{
		"empty":          {[]byte{}, false},
		"future version": {append([]byte{2}, good[1:]...), false},
		"huge length":    {[]byte{formatV1, 0xff, 0xff, 0xff, 0xff, 0x0f}, false},
		"bad sig flag":   {[]byte{formatV1, 1, '1', 2, 'o', 'k', 0, 0, 0, 7}, true},
		"trailing bytes": {append(append([]byte(nil), good...), 0), true},
	}
	// Every proper prefix of a valid value is corrupt too; the Seq "1" ends
	// at byte 3.
	for n := 1; n < len(good); n += max(1, len(good)/40) {
		cases[fmt.Sprintf("truncated to %d", n)] = corrupt{good[:n], n >= 3}
	}
	for name, c := range cases {
		key := "corrupt/" + name
		putRaw(t, s, key, c.v)
		if _, err := s.Get(ctx, key); err == nil || errors.Is(err, dedup.ErrNotFound) {
			t.Errorf("%s: Get err = %v; want a decode error", name, err)
		}
		if err := s.Scan(ctx, func(dedup.Record) error { return nil }); err == nil {
			t.Errorf("%s: Scan over corrupt value succeeded", name)
		}
		written, err := s.Put(ctx, dedup.Record{Key: key, Seq: "FFFF", Status: dedup.StatusDeleted})
		if !c.seqOK {
			if err == nil || written {
				t.Errorf("%s: Put over unreadable seq = %v, %v; want an error", name, written, err)
			}
			putRaw(t, s, key, good) // let the next case's Scan see only its own damage
			continue
		}
		if err != nil || !written {
			t.Errorf("%s: newer Put over corrupt value = %v, %v; want it written", name, written, err)
		}
		if rec, err := s.Get(ctx, key); err != nil || rec.Status != dedup.StatusDeleted {
			t.Errorf("%s: after repair Get = %+v, %v", name, rec, err)
		}
	}
}

func TestBatchAllOrNothing(t *testing.T) {
	s := newStore(t)
	ctx := context.Background()
	good := dedup.Record{Key: "good", Seq: "1", Status: dedup.StatusDeleted}
	if w, err := s.Batch(ctx, []dedup.Record{good, {Key: "", Seq: "1"}}); err == nil || w != nil {
		t.Errorf("Batch with empty key = %v, %v; want nil, error", w, err)
	}
	cancelled, cancel := context.WithCancel(ctx)
	cancel()
	if w, err := s.Batch(cancelled, []dedup.Record{good}); !errors.Is(err, context.Canceled) || w != nil {
		t.Errorf("Batch with cancelled ctx = %v, %v; want nil, context.Canceled", w, err)
	}
	if _, err := s.Get(ctx, "good"); !errors.Is(err, dedup.ErrNotFound) {
		t.Errorf("failed Batch wrote a record: Get err = %v", err)
	}
}

func TestCount(t *testing.T) {
	s := newStore(t)
	ctx := context.Background()
	recs := []dedup.Record{
		{Key: "a", Seq: "1", Status: dedup.StatusOK, Sig: storetest.Sig(t, "a", "Text of article a with a few words.")},
		{Key: "b", Seq: "1", Status: dedup.StatusOK},
		{Key: "c", Seq: "1", Status: dedup.StatusRejected, Reason: "empty"},
		{Key: "d", Seq: "1", Status: dedup.StatusDeleted},
		{Key: "a", Seq: "2", Status: dedup.StatusDeleted}, // replaces an ok
	}
	if _, err := s.Batch(ctx, recs); err != nil {
		t.Fatal(err)
	}
	got, err := s.Count(ctx)
	if err != nil {
		t.Fatal(err)
	}
	want := map[dedup.Status]int{dedup.StatusOK: 1, dedup.StatusRejected: 1, dedup.StatusDeleted: 2}
	if fmt.Sprint(got) != fmt.Sprint(want) {
		t.Errorf("Count = %v, want %v", got, want)
	}
}

// TestScanChunksAndWritesFromCallback covers Scan across several read
// transactions, and a callback that writes large records to the same store:
// were Scan to hold its read transaction across fn, bbolt's writer would
// wait forever to remap the growing file.
func TestScanChunksAndWritesFromCallback(t *testing.T) {
	s := newStore(t)
	ctx := context.Background()
	const n = scanChunk*3 + 7
	recs := make([]dedup.Record, n)
	for i := range recs {
		recs[i] = dedup.Record{Key: fmt.Sprintf("scan/%05d", i), Seq: "1", Status: dedup.StatusRejected, Reason: "r"}
	}
	if _, err := s.Batch(ctx, recs); err != nil {
		t.Fatal(err)
	}
	big := strings.Repeat("x", 256<<10)
	done := make(chan error, 1)
	var seen []string
	go func() {
		done <- s.Scan(ctx, func(r dedup.Record) error {
			seen = append(seen, r.Key)
			if strings.HasPrefix(r.Key, "scan/") && len(seen)%16 == 0 {
				// "aaa/" sorts before "scan/", so these are not visited.
				_, err := s.Put(ctx, dedup.Record{Key: "aaa/" + r.Key, Seq: "1", Status: dedup.StatusRejected, Reason: big})
				return err
			}
			return nil
		})
	}()
	select {
	case err := <-done:
		if err != nil {
			t.Fatal(err)
		}
	case <-time.After(60 * time.Second):
		t.Fatal("Scan with writes from its callback deadlocked")
	}
	if len(seen) != n {
		t.Fatalf("Scan visited %d records, want %d", len(seen), n)
	}
	for i, k := range seen {
		if want := recs[i].Key; k != want {
			t.Fatalf("Scan record %d = %q, want %q (key order, each once)", i, k, want)
		}
	}
	counts, err := s.Count(ctx)
	if err != nil {
		t.Fatal(err)
	}
	if got, want := counts[dedup.StatusRejected], n+n/16; got != want {
		t.Errorf("after scan, %d records; want %d", got, want)
	}
}

// crashChild writes records to path until it is killed, printing each
// acknowledged batch's highest index once the write has returned.
func crashChild(path string) {
	s, err := Open(path)
	if err != nil {
		fmt.Println("open:", err)
		os.Exit(2)
	}
	ctx := context.Background()
	sig := signature.NewComputer().Compute(&article.Article{Key: "crash", Text: "Words of a crash test article that are long enough to hash into a signature."})
	start, _ := strconv.Atoi(os.Getenv(crashChildEnv + "_START"))
	for i := start; ; {
		// Alternate single Puts and Batches, both commit paths.
		n := 1
		if i%2 == 0 {
			n = 50
		}
		recs := make([]dedup.Record, n)
		for j := range recs {
			recs[j] = dedup.Record{Key: fmt.Sprintf("crash/%08d", i+j), Seq: fmt.Sprintf("%020d", i+j), Status: dedup.StatusOK, ETag: "e", Sig: sig}
		}
		if n == 1 {
			_, err = s.Put(ctx, recs[0])
		} else {
			_, err = s.Batch(ctx, recs)
		}
		if err != nil {
			fmt.Println("put:", err)
			os.Exit(2)
		}
		i += n
		fmt.Printf("acked %d\n", i-1)
	}
}

// TestSIGKILLLeavesUsableFile kills a writing process at several points and
// checks that the file opens, decodes, and holds every acknowledged write.
func TestSIGKILLLeavesUsableFile(t *testing.T) {
	path := filepath.Join(t.TempDir(), "state.db")
	next := 0
	for round, delay := range []time.Duration{30, 90, 150, 220, 300} {
		cmd := exec.Command(os.Args[0], "-test.run=^$")
		cmd.Env = append(os.Environ(), crashChildEnv+"="+path, fmt.Sprintf("%s_START=%d", crashChildEnv, next))
		out, err := cmd.StdoutPipe()
		if err != nil {
			t.Fatal(err)
		}
		if err := cmd.Start(); err != nil {
			t.Fatal(err)
		}
		lines := make(chan string, 1<<16)
		go func() {
			sc := bufio.NewScanner(out)
			for sc.Scan() {
				lines <- sc.Text()
			}
			close(lines)
		}()
		// Wait for the first ack so the kill lands mid-stream, not during Open.
		first, ok := <-lines
		if !ok || !strings.HasPrefix(first, "acked ") {
			cmd.Process.Kill()
			cmd.Wait()
			t.Fatalf("round %d: child said %q", round, first)
		}
		time.Sleep(delay * time.Millisecond)
		if err := cmd.Process.Signal(syscall.SIGKILL); err != nil {
			t.Fatal(err)
		}
		lastAck := -1
		for l := range lines {
			if v, ok := strings.CutPrefix(l, "acked "); ok {
				lastAck, _ = strconv.Atoi(v)
			} else {
				t.Errorf("round %d: child said %q", round, l)
			}
		}
		if v, ok := strings.CutPrefix(first, "acked "); ok && lastAck < 0 {
			lastAck, _ = strconv.Atoi(v)
		}
		cmd.Wait()

		s, err := open(path, time.Second)
		if err != nil {
			t.Fatalf("round %d: open after SIGKILL: %v", round, err)
		}
		if err := s.db.View(func(tx *bolt.Tx) error {
			var errs []error
			for err := range tx.Check() {
				errs = append(errs, err)
			}
			return errors.Join(errs...)
		}); err != nil {
			t.Errorf("round %d: consistency check: %v", round, err)
		}
		ctx := context.Background()
		if _, err := s.Get(ctx, fmt.Sprintf("crash/%08d", lastAck)); err != nil {
			t.Errorf("round %d: acknowledged record %d lost: %v", round, lastAck, err)
		}
		count := 0
		if err := s.Scan(ctx, func(dedup.Record) error { count++; return nil }); err != nil {
			t.Errorf("round %d: scan: %v", round, err)
		}
		if count < lastAck+1 {
			t.Errorf("round %d: %d records after kill, want at least %d", round, count, lastAck+1)
		}
		t.Logf("round %d: killed after %v, %d acknowledged, %d records", round, delay*time.Millisecond, lastAck+1, count)
		next = count
		s.Close()
	}
}

func benchRecords(b *testing.B, n int) []dedup.Record {
	sig := storetest.Sig(b, "bench", "The city council voted on Tuesday to approve the new budget for the harbour district after a long debate about ferries.")
	recs := make([]dedup.Record, n)
	for i := range recs {
		recs[i] = dedup.Record{Key: fmt.Sprintf("in/%08d.json", i), Seq: "00000000000000000001", Status: dedup.StatusOK, ETag: "xxh3:0123456789abcdef", Date: "2024-03-05", Sig: sig}
	}
	return recs
}

// BenchmarkPut: one transaction, hence one fsync, per record.
func BenchmarkPut(b *testing.B) {
	s := newStore(b)
	recs := benchRecords(b, b.N)
	ctx := context.Background()
	b.ResetTimer()
	for i := range b.N {
		if _, err := s.Put(ctx, recs[i]); err != nil {
			b.Fatal(err)
		}
	}
	b.ReportMetric(float64(b.N)/b.Elapsed().Seconds(), "records/s")
}

// BenchmarkBatch: 1000 records per transaction.
func BenchmarkBatch(b *testing.B) {
	const size = 1000
	s := newStore(b)
	recs := benchRecords(b, b.N)
	ctx := context.Background()
	b.ResetTimer()
	for i := 0; i < b.N; i += size {
		if _, err := s.Batch(ctx, recs[i:min(i+size, b.N)]); err != nil {
			b.Fatal(err)
		}
	}
	b.ReportMetric(float64(b.N)/b.Elapsed().Seconds(), "records/s")
}
