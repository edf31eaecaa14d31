//go:build integration

package dynamodb

import (
	"context"
	"fmt"
	"strings"
	"sync/atomic"
	"testing"
	"time"

	"github.com/aws/aws-sdk-go-v2/aws"
	awsddb "github.com/aws/aws-sdk-go-v2/service/dynamodb"
	"github.com/aws/aws-sdk-go-v2/service/dynamodb/types"

	"github.com/newsdedup/newsdedup/internal/dedup"
	"github.com/newsdedup/newsdedup/internal/dedup/storetest"
	"github.com/newsdedup/newsdedup/internal/e2e"
)

// These tests run against DynamoDB Local: `make integration`, or
//
//	infra/local/up.sh && source ~/.cache/newsdedup/state/env.sh
//	go test -tags integration ./internal/dynamodb/
//
// Without AWS_ENDPOINT_URL_DYNAMODB (on loopback) they fail; they never skip.

var tableSeq atomic.Int64

func localClient(t *testing.T) *awsddb.Client {
	t.Helper()
	cfg, err := e2e.LocalConfig(context.Background(), e2e.EnvDynamoDB)
	if err != nil {
		t.Fatalf("DynamoDB Local is required for -tags integration: %v", err)
	}
	return NewClient(cfg)
}

// newTable creates an empty table shaped like the deployed one (pk:S hash
// key, on demand) with a unique name, and deletes it when t ends.
func newTable(t *testing.T, client *awsddb.Client) string {
	t.Helper()
	ctx := context.Background()
	name := fmt.Sprintf("it-%d-%d", time.Now().UnixNano(), tableSeq.Add(1))
	_, err := client.CreateTable(ctx, &awsddb.CreateTableInput{
		TableName:            aws.String(name),
		AttributeDefinitions: []types.AttributeDefinition{{AttributeName: aws.String("pk"), AttributeType: types.ScalarAttributeTypeS}},
		KeySchema:            []types.KeySchemaElement{{AttributeName: aws.String("pk"), KeyType: types.KeyTypeHash}},
		BillingMode:          types.BillingModePayPerRequest,
	})
	if err != nil {
		t.Fatalf("create table %s: %v", name, err)
	}
	t.Cleanup(func() {
		if _, err := client.DeleteTable(context.Background(), &awsddb.DeleteTableInput{TableName: aws.String(name)}); err != nil {
			t.Errorf("delete table %s: %v", name, err)
		}
	})
	w := awsddb.NewTableExistsWaiter(client)
	if err := w.Wait(ctx, &awsddb.DescribeTableInput{TableName: aws.String(name)}, 30*time.Second); err != nil {
		t.Fatalf("table %s not active: %v", name, err)
	}
	// TTL as in template.yaml and infra/local/up.sh.
	_, err = client.UpdateTimeToLive(ctx, &awsddb.UpdateTimeToLiveInput{
		TableName:               aws.String(name),
		TimeToLiveSpecification: &types.TimeToLiveSpecification{AttributeName: aws.String("expires_at"), Enabled: aws.Bool(true)},
	})
	if err != nil {
		t.Fatalf("enable TTL on %s: %v", name, err)
	}
	return name
}

// TestTombstoneTTL: on a table with TTL enabled on expires_at, a tombstone
// is stored with expires_at = now + TTL (a number, which TTL requires), a
// newer record replacing it drops the attribute (it must not expire), and
// a later tombstone gets its own expiry.
func TestTombstoneTTL(t *testing.T) {
	client := localClient(t)
	table := newTable(t, client)
	ctx := context.Background()
	d, err := client.DescribeTimeToLive(ctx, &awsddb.DescribeTimeToLiveInput{TableName: aws.String(table)})
	if err != nil {
		t.Fatal(err)
	}
	if d.TimeToLiveDescription.TimeToLiveStatus != types.TimeToLiveStatusEnabled || aws.ToString(d.TimeToLiveDescription.AttributeName) != "expires_at" {
		t.Fatalf("TTL: %+v", d.TimeToLiveDescription)
	}
	const ttl = 90 * 24 * time.Hour
	s := New(client, table, 0).WithTombstoneTTL(ttl)
	expiresAt := func() (int64, bool) {
		t.Helper()
		out, err := client.GetItem(ctx, &awsddb.GetItemInput{TableName: aws.String(table), ConsistentRead: aws.Bool(true),
			Key: map[string]types.AttributeValue{"pk": &types.AttributeValueMemberS{Value: "incoming/gone.txt"}}})
		if err != nil {
			t.Fatal(err)
		}
		n, ok := out.Item["expires_at"].(*types.AttributeValueMemberN)
		if !ok {
			if out.Item["expires_at"] != nil {
				t.Fatalf("expires_at is %T, want N", out.Item["expires_at"])
			}
			return 0, false
		}
		var v int64
		if _, err := fmt.Sscan(n.Value, &v); err != nil {
			t.Fatal(err)
		}
		return v, true
	}
	put := func(rec dedup.Record) {
		t.Helper()
		if ok, err := s.Put(ctx, rec); !ok || err != nil {
			t.Fatalf("Put(%s seq %s) = %v, %v", rec.Status, rec.Seq, ok, err)
		}
	}
	check := func(before time.Time) {
		t.Helper()
		got, ok := expiresAt()
		lo, hi := before.Add(ttl).Unix(), time.Now().Add(ttl).Unix()
		if !ok || got < lo || got > hi {
			t.Errorf("tombstone expires_at = %d (present %v), want in [%d, %d]", got, ok, lo, hi)
		}
	}
	before := time.Now()
	put(dedup.Record{Key: "incoming/gone.txt", Seq: "10", Status: dedup.StatusDeleted, Date: "2026-03-01"})
	check(before)

	sig := storetest.Sig(t, "incoming/gone.txt", "The harbour council approved a budget for ferries and a sea wall.")
	put(dedup.Record{Key: "incoming/gone.txt", Seq: "20", Status: dedup.StatusOK, Date: "2026-03-02", Sig: sig})
	if v, ok := expiresAt(); ok {
		t.Errorf("a live record replacing the tombstone kept expires_at %d", v)
	}
	before = time.Now()
	put(dedup.Record{Key: "incoming/gone.txt", Seq: "30", Status: dedup.StatusDeleted, Date: "2026-03-03"})
	check(before)
	// A late creation event for an older version is still refused.
	if ok, err := s.Put(ctx, dedup.Record{Key: "incoming/gone.txt", Seq: "25", Status: dedup.StatusOK, Sig: sig}); ok || err != nil {
		t.Errorf("late older event over the tombstone: written %v, err %v", ok, err)
	}
}

func TestConformance(t *testing.T) {
	client := localClient(t)
	for _, segments := range []int{1, DefaultSegments} {
		t.Run(fmt.Sprintf("segments=%d", segments), func(t *testing.T) {
			storetest.Run(t, func(t *testing.T) dedup.SignatureStore {
				return New(client, newTable(t, client), segments)
			})
		})
	}
}

// TestScanSegments loads more records than one Scan page holds (1 MB) and
// checks that every segment count returns each exactly once.
func TestScanSegments(t *testing.T) {
	client := localClient(t)
	table := newTable(t, client)
	ctx := context.Background()
	sig := storetest.Sig(t, "x", strings.Repeat("The harbour council approved a budget for ferries and a sea wall. ", 40))
	const n = 1500
	recs := make([]dedup.Record, n)
	for i := range recs {
		recs[i] = dedup.Record{Key: fmt.Sprintf("incoming/%05d.txt", i), Seq: "1", Status: dedup.StatusOK, Date: "2024-01-02", Sig: sig}
		if i%7 == 0 {
			recs[i] = dedup.Record{Key: recs[i].Key, Seq: "2", Status: dedup.StatusRejected, Reason: "empty file"}
		}
	}
	if err := New(client, table, 1).BatchPut(ctx, recs); err != nil {
		t.Fatalf("BatchPut: %v", err)
	}
	for _, segments := range []int{1, 3, 8} {
		t.Run(fmt.Sprintf("segments=%d", segments), func(t *testing.T) {
			seen := map[string]int{}
			rejected := 0
			err := New(client, table, segments).Scan(ctx, func(r dedup.Record) error {
				seen[r.Key]++
				if r.Status == dedup.StatusRejected {
					rejected++
				} else if r.Sig == nil || r.Sig.Key != "x" {
					t.Errorf("%s: signature not decoded", r.Key)
				}
				return nil
			})
			if err != nil {
				t.Fatalf("Scan: %v", err)
			}
			if len(seen) != n {
				t.Errorf("Scan saw %d keys, want %d", len(seen), n)
			}
			for k, c := range seen {
				if c != 1 {
					t.Errorf("Scan returned %s %d times", k, c)
				}
			}
			if want := (n + 6) / 7; rejected != want {
				t.Errorf("%d rejected records, want %d", rejected, want)
			}
		})
	}
}

// TestBatchPutOverwrites documents why BatchPut is for fresh keys only: it
// ignores Seq, unlike Put.
func TestBatchPutOverwrites(t *testing.T) {
	client := localClient(t)
	s := New(client, newTable(t, client), 0)
	ctx := context.Background()
	newer := dedup.Record{Key: "k", Seq: "9", Status: dedup.StatusDeleted}
	if ok, err := s.Put(ctx, newer); !ok || err != nil {
		t.Fatalf("Put = %v, %v", ok, err)
	}
	older := dedup.Record{Key: "k", Seq: "1", Status: dedup.StatusRejected, Reason: "old"}
	if err := s.BatchPut(ctx, []dedup.Record{older}); err != nil {
		t.Fatalf("BatchPut: %v", err)
	}
	got, err := s.Get(ctx, "k")
	if err != nil {
		t.Fatal(err)
	}
	storetest.EqualRecord(t, got, older)
}

func TestErrorsNameTableAndKey(t *testing.T) {
	client := localClient(t)
	s := New(client, "no-such-table-newsdedup", 0)
	ctx := context.Background()
	_, err := s.Put(ctx, dedup.Record{Key: "incoming/a.txt", Seq: "1", Status: dedup.StatusDeleted})
	if err == nil || !strings.Contains(err.Error(), "no-such-table-newsdedup") || !strings.Contains(err.Error(), "incoming/a.txt") {
		t.Errorf("Put into a missing table: err = %v, want it to name table and key", err)
	}
	if err := s.Scan(ctx, func(dedup.Record) error { return nil }); err == nil || !strings.Contains(err.Error(), "no-such-table-newsdedup") {
		t.Errorf("Scan of a missing table: err = %v", err)
	}
	s = New(client, newTable(t, client), 0)
	if _, err := s.Put(ctx, dedup.Record{Key: "k", Seq: "1" + strings.Repeat("0", SeqWidth)}); err == nil {
		t.Error("Put accepted a sequencer longer than SeqWidth")
	}
}
