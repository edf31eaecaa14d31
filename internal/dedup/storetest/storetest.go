// Package storetest is the conformance suite for dedup.SignatureStore. Every
// implementation (internal/local now, DynamoDB later) runs it from its own
// tests so they all agree on what Put, Get and Scan mean:
//
//	func TestConformance(t *testing.T) {
//		storetest.Run(t, func(t *testing.T) dedup.SignatureStore { return newEmptyStore(t) })
//	}
package storetest

import (
	"bytes"
	"context"
	"errors"
	"fmt"
	"math/rand/v2"
	"sort"
	"strings"
	"sync"
	"testing"

	"github.com/newsdedup/newsdedup/internal/article"
	"github.com/newsdedup/newsdedup/internal/dedup"
	"github.com/newsdedup/newsdedup/internal/signature"
)

// Batcher is implemented by stores that can apply many conditional Puts in
// one round trip. If the store under test implements it, Run checks that
// Batch gives the same results as Puts in the same order.
type Batcher interface {
	Batch(ctx context.Context, recs []dedup.Record) ([]bool, error)
}

// Run runs the suite. newStore must return a new, empty store each time it
// is called (each subtest calls it once) and arrange its cleanup with
// t.Cleanup.
func Run(t *testing.T, newStore func(t *testing.T) dedup.SignatureStore) {
	tests := []struct {
		name string
		fn   func(t *testing.T, s dedup.SignatureStore)
	}{
		{"RoundTrip", testRoundTrip},
		{"MissingKey", testMissingKey},
		{"SeqOrder", testSeqOrder},
		{"TombstoneBlocksOlder", testTombstone},
		{"Keys", testKeys},
		{"EmptyKeyRejected", testEmptyKey},
		{"CancelledContext", testCancelled},
		{"ScanLatest", testScanLatest},
		{"ScanEmpty", testScanEmpty},
		{"ScanStopsOnError", testScanError},
		{"ConcurrentSameKey", testConcurrentSameKey},
		{"Batch", testBatch},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) { tc.fn(t, newStore(t)) })
	}
}

// Sig returns a real signature computed from a small article, so the suite
// exercises the same MarshalBinary output production stores hold.
func Sig(t testing.TB, key, text string) *signature.Signature {
	t.Helper()
	a := &article.Article{
		Key: key, Title: "Title of " + key, Date: "2024-03-05", Source: "Example Wire",
		URL: "https://example.com/" + key, Text: text,
	}
	return signature.NewComputer().Compute(a)
}

const storyText = "The city council voted on Tuesday to approve the new budget for the harbour district.\n\n" +
	"Officials said the plan would add three ferry routes and repair the old sea wall before winter storms arrive. " +
	"\"We have waited long enough,\" the mayor told reporters outside the town hall."

func sigBytes(t testing.TB, s *signature.Signature) []byte {
	t.Helper()
	if s == nil {
		return nil
	}
	b, err := s.MarshalBinary()
	if err != nil {
		t.Fatalf("MarshalBinary: %v", err)
	}
	return b
}

// EqualRecord fails t unless got and want agree on every field; signatures
// are compared by their MarshalBinary bytes.
func EqualRecord(t testing.TB, got, want dedup.Record) {
	t.Helper()
	gs, ws := got.Sig, want.Sig
	got.Sig, want.Sig = nil, nil
	if got != want {
		t.Errorf("record mismatch:\n got %+v\nwant %+v", got, want)
	}
	if (gs == nil) != (ws == nil) {
		t.Errorf("record %q: Sig is %v, want %v", want.Key, gs, ws)
		return
	}
	if !bytes.Equal(sigBytes(t, gs), sigBytes(t, ws)) {
		t.Errorf("record %q: signature bytes differ after round trip", want.Key)
	}
}

func put(t testing.TB, s dedup.SignatureStore, rec dedup.Record, wantWritten bool) {
	t.Helper()
	written, err := s.Put(context.Background(), rec)
	if err != nil {
		t.Fatalf("Put(%q, seq %q): %v", rec.Key, rec.Seq, err)
	}
	if written != wantWritten {
		t.Errorf("Put(%q, seq %q) written = %v, want %v", rec.Key, rec.Seq, written, wantWritten)
	}
}

func get(t testing.TB, s dedup.SignatureStore, key string) dedup.Record {
	t.Helper()
	rec, err := s.Get(context.Background(), key)
	if err != nil {
		t.Fatalf("Get(%q): %v", key, err)
	}
	return rec
}

func scanAll(t testing.TB, s dedup.SignatureStore) map[string]dedup.Record {
	t.Helper()
	out := map[string]dedup.Record{}
	err := s.Scan(context.Background(), func(r dedup.Record) error {
		if _, dup := out[r.Key]; dup {
			t.Errorf("Scan returned key %q twice", r.Key)
		}
		out[r.Key] = r
		return nil
	})
	if err != nil {
		t.Fatalf("Scan: %v", err)
	}
	return out
}

func okRecord(t testing.TB, key, seq string) dedup.Record {
	return dedup.Record{Key: key, Seq: seq, Status: dedup.StatusOK, ETag: "etag-" + seq, Date: "2024-03-05", Sig: Sig(t, key, storyText)}
}

func testRoundTrip(t *testing.T, s dedup.SignatureStore) {
	recs := []dedup.Record{
		{Key: "wire/ok.json", Seq: "0055AED6DCD90281E5", Status: dedup.StatusOK, ETag: `"9b2cf535f27731c974343645a3985328"`,
			Date: "2024-03-05", Sig: Sig(t, "wire/ok.json", storyText)},
		{Key: "wire/no-date.txt", Seq: "00000000000000000001", Status: dedup.StatusOK, ETag: "xxh3:0123456789abcdef",
			Sig: Sig(t, "wire/no-date.txt", "Short text.")},
		{Key: "wire/bad.bin", Seq: "0A", Status: dedup.StatusRejected, Reason: "binary content: not text, JSON or HTML", ETag: "e2"},
		{Key: "wire/gone.txt", Seq: "0B", Status: dedup.StatusDeleted},
		{Key: "wire/ünïcödé reason.txt", Seq: "1", Status: dedup.StatusRejected, Reason: "日本語 \"quoted\"\nnewline\x00nul"},
	}
	for _, rec := range recs {
		put(t, s, rec, true)
	}
	for _, want := range recs {
		EqualRecord(t, get(t, s, want.Key), want)
	}
	// Scan decodes the same way Get does.
	all := scanAll(t, s)
	if len(all) != len(recs) {
		t.Errorf("Scan returned %d records, want %d", len(all), len(recs))
	}
	for _, want := range recs {
		EqualRecord(t, all[want.Key], want)
	}
}

func testMissingKey(t *testing.T, s dedup.SignatureStore) {
	ctx := context.Background()
	if _, err := s.Get(ctx, "nothing-here"); !errors.Is(err, dedup.ErrNotFound) {
		t.Errorf("Get on empty store: err = %v, want ErrNotFound", err)
	}
	put(t, s, dedup.Record{Key: "dir/a.txt", Seq: "1", Status: dedup.StatusDeleted}, true)
	// Near misses must not match: no case folding, trimming or prefix match.
	for _, key := range []string{"dir/A.txt", "dir/a.txt ", "dir/a", "dir", "a.txt", "dir/a.txt/"} {
		if rec, err := s.Get(ctx, key); !errors.Is(err, dedup.ErrNotFound) {
			t.Errorf("Get(%q) = %+v, %v; want ErrNotFound", key, rec, err)
		}
	}
}

// testSeqOrder checks the version rule: a Put wins only with a strictly
// greater Seq. Seqs are S3 sequencers, hex strings whose length varies, so
// they compare as numbers: left-pad the shorter with '0', then compare bytes
// ("9" < "0A"; "A" == "000A").
func testSeqOrder(t *testing.T, s dedup.SignatureStore) {
	cases := []struct {
		name        string
		first, next string
		wantWritten bool
	}{
		{"newer replaces", "0001", "0002", true},
		{"older ignored", "0002", "0001", false},
		{"equal ignored (duplicate delivery)", "0002", "0002", false},
		{"longer hex with leading zero is newer", "9", "0A", true},
		{"shorter decimal-looking is older", "0A", "9", false},
		{"leading zeros are equal", "A", "000A", false},
		{"leading zeros are equal, reversed", "000A", "A", false},
		{"more digits is newer", "FF", "100", true},
		{"fewer digits is older", "100", "FF", false},
		{"S3 sequencer increments", "0055AED6DCD90281E5", "0055AED6DCD90281E6", true},
		{"S3 sequencer of greater length", "0055AED6DCD90281E5", "055AED6DCD90281E500", true},
		{"hex letter beats digit", "0069", "006A", true},
		{"zero-padded local counter", "00000000000000000009", "00000000000000000010", true},
	}
	for i, tc := range cases {
		t.Run(tc.name, func(t *testing.T) {
			key := fmt.Sprintf("seq/%02d", i)
			first := dedup.Record{Key: key, Seq: tc.first, Status: dedup.StatusRejected, Reason: "first", ETag: "first"}
			next := dedup.Record{Key: key, Seq: tc.next, Status: dedup.StatusOK, ETag: "next", Date: "2024-01-02", Sig: Sig(t, key, storyText)}
			put(t, s, first, true)
			put(t, s, next, tc.wantWritten)
			want := first
			if tc.wantWritten {
				want = next
			}
			EqualRecord(t, get(t, s, key), want)
		})
	}
}

func testTombstone(t *testing.T, s dedup.SignatureStore) {
	const key = "wire/deleted.json"
	live := okRecord(t, key, "05")
	put(t, s, live, true)
	tomb := dedup.Record{Key: key, Seq: "06", Status: dedup.StatusDeleted}
	put(t, s, tomb, true)
	// A redelivered or reordered older event must not revive the article.
	put(t, s, live, false)
	put(t, s, okRecord(t, key, "4"), false)
	EqualRecord(t, get(t, s, key), tomb)
	// A newer upload does.
	again := okRecord(t, key, "7")
	put(t, s, again, true)
	EqualRecord(t, get(t, s, key), again)
}

// testKeys: keys are opaque strings. S3 event notifications URL-encode keys
// ("a b" arrives as "a+b"); the store must not decode, clean or fold them,
// so each of these is a distinct record.
func testKeys(t *testing.T, s dedup.SignatureStore) {
	keys := []string{
		"plain.txt",
		"with space.txt",
		"with+space.txt",
		"with%20space.txt",
		"../escape.txt",
		"a/../b.txt",
		"b.txt",
		"./dot.txt",
		"dot.txt",
		"/leading-slash.txt",
		"trailing/",
		"double//slash.txt",
		"Case.txt",
		"case.txt",
		"unicodé/新闻/статья.json",
		"emoji 📰.html",
		"tab\there.txt",
		"back\\slash.txt",
		strings.Repeat("long/", 200) + "end.txt",
	}
	for i, key := range keys {
		put(t, s, dedup.Record{Key: key, Seq: "1", Status: dedup.StatusRejected, Reason: fmt.Sprint(i), ETag: key}, true)
	}
	for i, key := range keys {
		if got := get(t, s, key); got.Key != key || got.Reason != fmt.Sprint(i) || got.ETag != key {
			t.Errorf("Get(%q) = {Key %q Reason %q ETag %q}, want {%q %d %q}", key, got.Key, got.Reason, got.ETag, key, i, key)
		}
	}
	all := scanAll(t, s)
	var got []string
	for k := range all {
		got = append(got, k)
	}
	want := append([]string(nil), keys...)
	sort.Strings(got)
	sort.Strings(want)
	if strings.Join(got, "\n") != strings.Join(want, "\n") {
		t.Errorf("Scan keys:\n got %q\nwant %q", got, want)
	}
}

func testEmptyKey(t *testing.T, s dedup.SignatureStore) {
	if written, err := s.Put(context.Background(), dedup.Record{Key: "", Seq: "1", Status: dedup.StatusDeleted}); err == nil || written {
		t.Errorf("Put with empty key = %v, %v; want an error", written, err)
	}
	if n := len(scanAll(t, s)); n != 0 {
		t.Errorf("after rejected Put, Scan returned %d records", n)
	}
}

func testCancelled(t *testing.T, s dedup.SignatureStore) {
	ctx, cancel := context.WithCancel(context.Background())
	cancel()
	if written, err := s.Put(ctx, dedup.Record{Key: "k", Seq: "1", Status: dedup.StatusDeleted}); err == nil || written {
		t.Errorf("Put with cancelled context = %v, %v; want an error", written, err)
	}
	if _, err := s.Get(context.Background(), "k"); !errors.Is(err, dedup.ErrNotFound) {
		t.Errorf("Put with cancelled context wrote a record (Get err = %v)", err)
	}
	if _, err := s.Get(ctx, "k"); err == nil {
		t.Error("Get with cancelled context succeeded")
	}
	if err := s.Scan(ctx, func(dedup.Record) error { return nil }); err == nil {
		t.Error("Scan with cancelled context succeeded")
	}
}

func testScanLatest(t *testing.T, s dedup.SignatureStore) {
	rng := rand.New(rand.NewPCG(1, 2))
	const keys, versions = 40, 5
	var recs []dedup.Record
	latest := map[string]dedup.Record{}
	for k := range keys {
		key := fmt.Sprintf("scan/%03d.txt", k)
		for v := range versions {
			// Mixed lengths so that string order and version order differ.
			seq := fmt.Sprintf("%X", 9+v*3)
			var rec dedup.Record
			switch (k + v) % 3 {
			case 0:
				rec = okRecord(t, key, seq)
			case 1:
				rec = dedup.Record{Key: key, Seq: seq, Status: dedup.StatusRejected, Reason: "r" + seq, ETag: "etag-" + seq}
			default:
				rec = dedup.Record{Key: key, Seq: seq, Status: dedup.StatusDeleted}
			}
			recs = append(recs, rec)
			if v == versions-1 {
				latest[key] = rec
			}
		}
	}
	rng.Shuffle(len(recs), func(i, j int) { recs[i], recs[j] = recs[j], recs[i] })
	for _, rec := range recs {
		if _, err := s.Put(context.Background(), rec); err != nil {
			t.Fatalf("Put: %v", err)
		}
	}
	all := scanAll(t, s)
	if len(all) != keys {
		t.Errorf("Scan returned %d keys, want %d", len(all), keys)
	}
	for key, want := range latest {
		got, ok := all[key]
		if !ok {
			t.Errorf("Scan missed %q", key)
			continue
		}
		EqualRecord(t, got, want)
	}
}

func testScanEmpty(t *testing.T, s dedup.SignatureStore) {
	calls := 0
	if err := s.Scan(context.Background(), func(dedup.Record) error { calls++; return nil }); err != nil {
		t.Fatalf("Scan: %v", err)
	}
	if calls != 0 {
		t.Errorf("Scan of empty store called fn %d times", calls)
	}
}

func testScanError(t *testing.T, s dedup.SignatureStore) {
	for i := range 3 {
		put(t, s, dedup.Record{Key: fmt.Sprint("k", i), Seq: "1", Status: dedup.StatusDeleted}, true)
	}
	stop := errors.New("stop here")
	calls := 0
	err := s.Scan(context.Background(), func(dedup.Record) error { calls++; return stop })
	if !errors.Is(err, stop) {
		t.Errorf("Scan err = %v, want the callback's error", err)
	}
	if calls != 1 {
		t.Errorf("Scan called fn %d times after it failed, want 1", calls)
	}
}

// testConcurrentSameKey races 16 writers on one key, each with its own
// seqs in random order. The store must end with the greatest seq, whole
// (fields of one Put, never a mix), and the Put that carried it must have
// reported a write, since nothing >= it could have been stored before.
func testConcurrentSameKey(t *testing.T, s dedup.SignatureStore) {
	const writers, each = 16, 12
	const key = "race/same-key.json"
	sig := Sig(t, key, storyText)
	maxSeq := fmt.Sprintf("%X", writers*each-1)
	var (
		wg          sync.WaitGroup
		mu          sync.Mutex
		maxWritten  bool
		totalWrites int
	)
	for g := range writers {
		wg.Go(func() {
			rng := rand.New(rand.NewPCG(uint64(g), 7))
			for _, i := range rng.Perm(each) {
				// Unpadded hex, so lengths differ between writers ("F" vs "1A").
				seq := fmt.Sprintf("%X", i*writers+g)
				rec := dedup.Record{Key: key, Seq: seq, Status: dedup.StatusOK, ETag: "etag-" + seq, Date: "2024-03-05", Sig: sig}
				written, err := s.Put(context.Background(), rec)
				if err != nil {
					t.Errorf("Put seq %s: %v", seq, err)
					return
				}
				mu.Lock()
				if written {
					totalWrites++
				}
				if seq == maxSeq {
					maxWritten = written
				}
				mu.Unlock()
			}
		})
	}
	wg.Wait()
	got := get(t, s, key)
	EqualRecord(t, got, dedup.Record{Key: key, Seq: maxSeq, Status: dedup.StatusOK, ETag: "etag-" + maxSeq, Date: "2024-03-05", Sig: sig})
	if !maxWritten {
		t.Errorf("Put of the greatest seq %s reported not written", maxSeq)
	}
	if totalWrites < 1 || totalWrites > writers*each {
		t.Errorf("%d writes reported", totalWrites)
	}
}

// testBatch checks, for stores that implement Batcher, that Batch gives
// exactly what the same Puts in order would: a replay against a second store
// with plain Puts is the reference.
func testBatch(t *testing.T, s dedup.SignatureStore) {
	b, ok := s.(Batcher)
	if !ok {
		t.Logf("%T does not implement Batcher; checking only that Puts still work", s)
		put(t, s, dedup.Record{Key: "k", Seq: "1", Status: dedup.StatusDeleted}, true)
		return
	}
	ctx := context.Background()
	existing := []dedup.Record{
		{Key: "b/older", Seq: "05", Status: dedup.StatusRejected, Reason: "x"},
		{Key: "b/equal", Seq: "05", Status: dedup.StatusRejected, Reason: "x"},
		{Key: "b/newer", Seq: "05", Status: dedup.StatusRejected, Reason: "x"},
	}
	for _, rec := range existing {
		put(t, s, rec, true)
	}
	recs := []dedup.Record{
		{Key: "b/older", Seq: "4", Status: dedup.StatusDeleted},                    // false
		{Key: "b/equal", Seq: "5", Status: dedup.StatusDeleted},                    // false: equal after padding
		{Key: "b/newer", Seq: "6", Status: dedup.StatusDeleted},                    // true
		okRecord(t, "b/new", "1"),                                                  // true
		{Key: "b/twice", Seq: "2", Status: dedup.StatusRejected, Reason: "first"},  // true
		{Key: "b/twice", Seq: "3", Status: dedup.StatusRejected, Reason: "second"}, // true: beats the one above
		{Key: "b/twice", Seq: "1", Status: dedup.StatusRejected, Reason: "third"},  // false: older than the batch's own write
		{Key: "b/twice", Seq: "03", Status: dedup.StatusRejected, Reason: "dup"},   // false: equal
	}
	want := []bool{false, false, true, true, true, true, false, false}
	got, err := b.Batch(ctx, recs)
	if err != nil {
		t.Fatalf("Batch: %v", err)
	}
	if fmt.Sprint(got) != fmt.Sprint(want) {
		t.Errorf("Batch written = %v, want %v", got, want)
	}
	EqualRecord(t, get(t, s, "b/older"), existing[0])
	EqualRecord(t, get(t, s, "b/equal"), existing[1])
	EqualRecord(t, get(t, s, "b/newer"), recs[2])
	EqualRecord(t, get(t, s, "b/new"), recs[3])
	EqualRecord(t, get(t, s, "b/twice"), recs[5])

	// Nothing to write is not an error, and an empty batch is a no-op.
	if got, err := b.Batch(ctx, recs[:2]); err != nil || fmt.Sprint(got) != "[false false]" {
		t.Errorf("Batch of stale records = %v, %v; want [false false], nil", got, err)
	}
	if got, err := b.Batch(ctx, nil); err != nil || len(got) != 0 {
		t.Errorf("Batch(nil) = %v, %v; want empty, nil", got, err)
	}
}
