package dynamodb

import (
	"context"
	"errors"
	"fmt"
	"math/rand/v2"
	"strings"
	"sync"
	"testing"
	"time"

	awsddb "github.com/aws/aws-sdk-go-v2/service/dynamodb"
	"github.com/aws/aws-sdk-go-v2/service/dynamodb/types"

	"github.com/newsdedup/newsdedup/internal/dedup"
	"github.com/newsdedup/newsdedup/internal/dedup/storetest"
	"github.com/newsdedup/newsdedup/internal/local"
)

func TestPadSeq(t *testing.T) {
	tests := []struct {
		in, want string
		wantErr  bool
	}{
		{"", strings.Repeat("0", 32), false},
		{"A", strings.Repeat("0", 31) + "A", false},
		{"0055AED6DCD90281E5", strings.Repeat("0", 14) + "0055AED6DCD90281E5", false},
		{strings.Repeat("F", 32), strings.Repeat("F", 32), false},
		{"000" + strings.Repeat("F", 32), strings.Repeat("F", 32), false},
		{"1" + strings.Repeat("0", 32), "", true},
	}
	for _, tc := range tests {
		got, err := PadSeq(tc.in)
		if (err != nil) != tc.wantErr || got != tc.want {
			t.Errorf("PadSeq(%q) = %q, %v; want %q, error %v", tc.in, got, err, tc.want, tc.wantErr)
		}
	}
}

// TestPadSeqOrdersLikeSeqLess checks the property the conditional Put relies
// on: DynamoDB's byte-wise order of padded sequencers is local.SeqLess.
func TestPadSeqOrdersLikeSeqLess(t *testing.T) {
	rng := rand.New(rand.NewPCG(3, 4))
	const digits = "0123456789ABCDEF"
	gen := func() string {
		b := make([]byte, rng.IntN(SeqWidth+1))
		for i := range b {
			if rng.IntN(3) == 0 {
				b[i] = '0' // plenty of leading zeros and equal-after-padding pairs
			} else {
				b[i] = digits[rng.IntN(len(digits))]
			}
		}
		return string(b)
	}
	for range 20000 {
		a, b := gen(), gen()
		if rng.IntN(4) == 0 {
			b = strings.Repeat("0", rng.IntN(4)) + strings.TrimLeft(a, "0")
		}
		pa, errA := PadSeq(a)
		pb, errB := PadSeq(b)
		if errA != nil || errB != nil {
			t.Fatalf("PadSeq(%q), PadSeq(%q): %v, %v", a, b, errA, errB)
		}
		if got, want := pa < pb, local.SeqLess(a, b); got != want {
			t.Fatalf("padded %q < %q is %v, SeqLess(%q, %q) is %v", pa, pb, got, a, b, want)
		}
	}
}

func TestItemRoundTrip(t *testing.T) {
	recs := []dedup.Record{
		{Key: "incoming/a b+c.txt", Seq: "0055AED6DCD90281E5", Status: dedup.StatusOK, ETag: "xxh3:0011", Date: "2024-03-05",
			Sig: storetest.Sig(t, "incoming/a b+c.txt", "The council met on Tuesday. It approved the harbour budget after a long debate.")},
		{Key: "k", Seq: "", Status: dedup.StatusDeleted},
		{Key: "r", Seq: "0A", Status: dedup.StatusRejected, Reason: "binary content (PDF)", ETag: "e"},
	}
	for _, want := range recs {
		av, padded, err := toItem(want, 0)
		if err != nil {
			t.Fatalf("toItem(%q): %v", want.Key, err)
		}
		if len(padded) != SeqWidth {
			t.Errorf("toItem(%q): padded seq %q", want.Key, padded)
		}
		if _, ok := av["seq"].(*types.AttributeValueMemberS); !ok {
			t.Errorf("toItem(%q): seq attribute is %T, want S", want.Key, av["seq"])
		}
		if want.Sig != nil {
			if _, ok := av["sig"].(*types.AttributeValueMemberB); !ok {
				t.Errorf("toItem(%q): sig attribute is %T, want B", want.Key, av["sig"])
			}
		} else if _, ok := av["sig"]; ok {
			t.Errorf("toItem(%q): sig attribute present without a signature", want.Key)
		}
		for _, name := range []string{"reason", "etag", "day"} {
			if v, ok := av[name].(*types.AttributeValueMemberS); ok && v.Value == "" {
				t.Errorf("toItem(%q): empty %s attribute stored", want.Key, name)
			}
		}
		got, err := fromItem(av)
		if err != nil {
			t.Fatalf("fromItem(%q): %v", want.Key, err)
		}
		storetest.EqualRecord(t, got, want)
	}
	if _, _, err := toItem(dedup.Record{Seq: "1"}, 0); err == nil {
		t.Error("toItem accepted an empty key")
	}
}

// TestTombstoneExpiry: only tombstones carry expires_at, write time + TTL
// in epoch seconds (a number, as DynamoDB's TTL requires), and only when
// the store has a TTL.
func TestTombstoneExpiry(t *testing.T) {
	now := time.Date(2026, 3, 1, 12, 0, 0, 0, time.UTC)
	s := (&Store{now: func() time.Time { return now }}).WithTombstoneTTL(90 * 24 * time.Hour)
	want := now.AddDate(0, 0, 90).Unix()
	for _, tc := range []struct {
		rec  dedup.Record
		want int64
	}{
		{dedup.Record{Key: "d", Seq: "2", Status: dedup.StatusDeleted}, want},
		{dedup.Record{Key: "r", Seq: "2", Status: dedup.StatusRejected, Reason: "empty"}, 0},
		{dedup.Record{Key: "o", Seq: "2", Status: dedup.StatusOK, Sig: storetest.Sig(t, "o", "The council met on Tuesday and approved the budget.")}, 0},
	} {
		av, _, err := toItem(tc.rec, s.expiry(tc.rec))
		if err != nil {
			t.Fatal(err)
		}
		n, ok := av["expires_at"].(*types.AttributeValueMemberN)
		switch {
		case tc.want == 0 && av["expires_at"] != nil:
			t.Errorf("%s record has expires_at %v", tc.rec.Status, av["expires_at"])
		case tc.want != 0 && (!ok || n.Value != fmt.Sprint(tc.want)):
			t.Errorf("tombstone expires_at = %#v, want N %d", av["expires_at"], tc.want)
		}
		got, err := fromItem(av)
		if err != nil {
			t.Fatal(err)
		}
		storetest.EqualRecord(t, got, tc.rec)
	}
	if got := (&Store{}).expiry(dedup.Record{Status: dedup.StatusDeleted}); got != 0 {
		t.Errorf("store without a TTL: tombstone expires_at %d, want none", got)
	}
}

// batchStub stands in for DynamoDB in the one path DynamoDB Local never
// takes: BatchWriteItem returning UnprocessedItems. It leaves the first
// `unprocessed` items of each of the first `rounds` calls unprocessed.
type batchStub struct {
	api
	mu          sync.Mutex
	rounds      int
	unprocessed int
	calls       int
	written     map[string]int
	fail        error
}

func (b *batchStub) BatchWriteItem(ctx context.Context, in *awsddb.BatchWriteItemInput, _ ...func(*awsddb.Options)) (*awsddb.BatchWriteItemOutput, error) {
	b.mu.Lock()
	defer b.mu.Unlock()
	if err := ctx.Err(); err != nil {
		return nil, err
	}
	if b.fail != nil {
		return nil, b.fail
	}
	b.calls++
	reqs := in.RequestItems["t"]
	if len(reqs) > batchSize {
		return nil, fmt.Errorf("%d items in one request", len(reqs))
	}
	var left []types.WriteRequest
	if b.calls <= b.rounds {
		n := min(b.unprocessed, len(reqs))
		left, reqs = reqs[:n], reqs[n:]
	}
	for _, r := range reqs {
		b.written[r.PutRequest.Item["pk"].(*types.AttributeValueMemberS).Value]++
	}
	out := &awsddb.BatchWriteItemOutput{}
	if len(left) > 0 {
		out.UnprocessedItems = map[string][]types.WriteRequest{"t": left}
	}
	return out, nil
}

func TestBatchPut(t *testing.T) {
	backoffBase, backoffCap = time.Microsecond, 10*time.Microsecond
	t.Cleanup(func() { backoffBase, backoffCap = 50*time.Millisecond, 5*time.Second })
	recs := func(n int) []dedup.Record {
		out := make([]dedup.Record, n)
		for i := range out {
			out[i] = dedup.Record{Key: fmt.Sprintf("k%03d", i), Seq: "1", Status: dedup.StatusRejected, Reason: "r"}
		}
		return out
	}
	tests := []struct {
		name              string
		n, rounds, unproc int
		wantErr           string
		wantWritten       int
		wantCallsAtLeast  int
	}{
		{name: "empty", n: 0},
		{name: "one request", n: 25, wantWritten: 25, wantCallsAtLeast: 1},
		{name: "chunks of 25", n: 101, wantWritten: 101, wantCallsAtLeast: 5},
		{name: "unprocessed items are resent", n: 60, rounds: 6, unproc: 10, wantWritten: 60, wantCallsAtLeast: 9},
		{name: "gives up when always unprocessed", n: 3, rounds: 1 << 30, unproc: 25, wantErr: "still unprocessed after 10 attempts"},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			stub := &batchStub{rounds: tc.rounds, unprocessed: tc.unproc, written: map[string]int{}}
			s := &Store{client: stub, table: "t", segments: 1}
			err := s.BatchPut(context.Background(), recs(tc.n))
			if tc.wantErr != "" {
				if err == nil || !strings.Contains(err.Error(), tc.wantErr) {
					t.Fatalf("BatchPut err = %v, want %q", err, tc.wantErr)
				}
				return
			}
			if err != nil {
				t.Fatalf("BatchPut: %v", err)
			}
			if len(stub.written) != tc.wantWritten {
				t.Errorf("%d distinct keys written, want %d", len(stub.written), tc.wantWritten)
			}
			for k, c := range stub.written {
				if c != 1 {
					t.Errorf("key %s written %d times", k, c)
				}
			}
			if stub.calls < tc.wantCallsAtLeast {
				t.Errorf("%d requests, want at least %d", stub.calls, tc.wantCallsAtLeast)
			}
		})
	}
}

func TestBatchPutErrors(t *testing.T) {
	ctx := context.Background()
	s := &Store{client: &batchStub{written: map[string]int{}}, table: "t", segments: 1}
	dup := []dedup.Record{{Key: "a", Seq: "1", Status: dedup.StatusDeleted}, {Key: "a", Seq: "2", Status: dedup.StatusDeleted}}
	if err := s.BatchPut(ctx, dup); err == nil || !strings.Contains(err.Error(), `"a" appears twice`) {
		t.Errorf("BatchPut with a repeated key: err = %v", err)
	}
	if err := s.BatchPut(ctx, []dedup.Record{{Key: "", Seq: "1"}}); err == nil {
		t.Error("BatchPut accepted an empty key")
	}
	boom := errors.New("boom")
	s = &Store{client: &batchStub{written: map[string]int{}, fail: boom}, table: "t", segments: 1}
	recs := make([]dedup.Record, 200)
	for i := range recs {
		recs[i] = dedup.Record{Key: fmt.Sprint(i), Seq: "1", Status: dedup.StatusDeleted}
	}
	if err := s.BatchPut(ctx, recs); !errors.Is(err, boom) || !strings.Contains(err.Error(), "table t") {
		t.Errorf("BatchPut with failing requests: err = %v, want it to wrap %v and name the table", err, boom)
	}
	cctx, cancel := context.WithCancel(ctx)
	cancel()
	s = &Store{client: &batchStub{written: map[string]int{}}, table: "t", segments: 1}
	if err := s.BatchPut(cctx, recs); !errors.Is(err, context.Canceled) {
		t.Errorf("BatchPut with cancelled context: err = %v", err)
	}
}

func TestBackoffBounds(t *testing.T) {
	for attempt := range 40 {
		ceiling := backoffCap
		if attempt < 30 {
			ceiling = min(backoffCap, backoffBase<<attempt)
		}
		for range 100 {
			if d := backoff(attempt); d < 0 || d > ceiling {
				t.Fatalf("backoff(%d) = %v, outside [0, %v]", attempt, d, ceiling)
			}
		}
	}
}
