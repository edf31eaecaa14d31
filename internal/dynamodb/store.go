// Package dynamodb implements dedup.SignatureStore on an Amazon DynamoDB
// table, with aws-sdk-go-v2. The SDK's package of the same name is imported
// here as awsddb; callers of this package need not import it.
//
// # Table and items
//
// The table has a string partition key pk and no sort key (see
// template.yaml and infra/local/table.json). One item per article key:
//
//	pk         S  the article key, exactly as given (no decoding or folding)
//	seq        S  the version (S3 sequencer) left-padded with '0' to SeqWidth
//	              characters, so that DynamoDB's byte-wise string comparison
//	              orders versions the way local.SeqLess does
//	sequencer  S  the version exactly as given, returned as Record.Seq
//	              ("0055AE…" must come back with its leading zeros)
//	status     S  ok | rejected | deleted
//	reason     S  why a file was rejected (absent when empty)
//	etag       S  content identity (absent when empty)
//	day        S  YYYY-MM-DD the record counts for in a report window (absent when empty)
//	sig        B  signature.Signature.MarshalBinary (only for status ok)
//	expires_at N  epoch seconds after which DynamoDB's TTL may delete the
//	              item: tombstones only, when the store has a tombstone TTL
//	              (WithTombstoneTTL); a record replacing a tombstone has none
//
// Put is a conditional PutItem ("attribute_not_exists(pk) OR seq < :seq"),
// so duplicate and out-of-order S3 events cannot overwrite a newer version,
// whatever the number of concurrent writers.
package dynamodb

import (
	"context"
	"errors"
	"fmt"
	"strings"
	"sync"
	"time"

	"github.com/aws/aws-sdk-go-v2/aws"
	"github.com/aws/aws-sdk-go-v2/feature/dynamodb/attributevalue"
	awsddb "github.com/aws/aws-sdk-go-v2/service/dynamodb"
	"github.com/aws/aws-sdk-go-v2/service/dynamodb/types"

	"github.com/newsdedup/newsdedup/internal/awsnet"
	"github.com/newsdedup/newsdedup/internal/dedup"
	"github.com/newsdedup/newsdedup/internal/signature"
)

// SeqWidth is the width sequencers are padded to in the seq attribute. S3
// sequencers are 18 hex digits today; a longer one (after dropping leading
// zeros) is refused rather than stored in an order that would be wrong.
const SeqWidth = 32

// DefaultSegments is the number of parallel Scan segments used when New is
// given 0.
const DefaultSegments = 4

// MinRetryAttempts is the least number of attempts NewClient configures per
// request (the SDK's standard retryer, with backoff for throttling and 5xx).
const MinRetryAttempts = 5

// api is the part of the DynamoDB client the store uses.
type api interface {
	awsddb.ScanAPIClient
	PutItem(ctx context.Context, in *awsddb.PutItemInput, optFns ...func(*awsddb.Options)) (*awsddb.PutItemOutput, error)
	GetItem(ctx context.Context, in *awsddb.GetItemInput, optFns ...func(*awsddb.Options)) (*awsddb.GetItemOutput, error)
	BatchWriteItem(ctx context.Context, in *awsddb.BatchWriteItemInput, optFns ...func(*awsddb.Options)) (*awsddb.BatchWriteItemOutput, error)
}

// Store is a dedup.SignatureStore backed by one DynamoDB table. It is safe
// for concurrent use.
type Store struct {
	client       api
	table        string
	segments     int
	tombstoneTTL time.Duration    // 0: tombstones never expire
	now          func() time.Time // for tests; nil means time.Now
}

var _ dedup.SignatureStore = (*Store)(nil)

// AttemptTimeout bounds one attempt of a request while the server is
// silent (see awsnet.HTTPClient). DynamoDB answers single-item requests in
// milliseconds and a 1 MB Scan page in well under a second; 3 s is two
// orders of magnitude above normal. One stalled connection costs 3 s, and
// the retry succeeds well inside the ingest function's 30 s timeout; an
// outage that stalls all five attempts takes 15 s plus at most 1.5 s of
// backoff (the standard retryer waits up to 0.1, 0.2, 0.4 and 0.8 s; longer
// after throttling), so the function returns the error itself before its
// timeout, and Lambda delivers the event again.
const AttemptTimeout = 3 * time.Second

// NewClient returns a DynamoDB client for cfg. The endpoint comes from the
// SDK's standard settings (AWS_ENDPOINT_URL_DYNAMODB locally, the regional
// endpoint on AWS); it keeps the SDK's standard retryer, with at least
// MinRetryAttempts attempts per request, each bounded by AttemptTimeout.
func NewClient(cfg aws.Config) *awsddb.Client {
	return awsddb.NewFromConfig(cfg, func(o *awsddb.Options) {
		if o.RetryMaxAttempts < MinRetryAttempts {
			o.RetryMaxAttempts = MinRetryAttempts
		}
		o.HTTPClient = awsnet.HTTPClient(AttemptTimeout)
	})
}

// New returns a Store on table. segments is the number of parallel Scan
// segments; 0 means DefaultSegments.
func New(client *awsddb.Client, table string, segments int) *Store {
	if segments <= 0 {
		segments = DefaultSegments
	}
	return &Store{client: client, table: table, segments: segments}
}

// WithTombstoneTTL makes tombstones (StatusDeleted records) written from
// now on carry expires_at = write time + ttl, for the table's TTL to delete
// them; 0 keeps them for ever. It returns s.
//
// The write time, not the deletion event's time, starts the clock: a
// tombstone written late (a retried or redriven event) still lives ttl from
// the moment it could first stop an older event. docs/OPERATIONS.md argues
// why 90 days outlives any delayed event.
func (s *Store) WithTombstoneTTL(ttl time.Duration) *Store {
	s.tombstoneTTL = ttl
	return s
}

// Table returns the table name.
func (s *Store) Table() string { return s.table }

// item is the stored form of a dedup.Record.
type item struct {
	PK        string `dynamodbav:"pk"`
	Seq       string `dynamodbav:"seq"`
	Sequencer string `dynamodbav:"sequencer,omitempty"`
	Status    string `dynamodbav:"status"`
	Reason    string `dynamodbav:"reason,omitempty"`
	ETag      string `dynamodbav:"etag,omitempty"`
	Day       string `dynamodbav:"day,omitempty"`
	Sig       []byte `dynamodbav:"sig,omitempty"`
	ExpiresAt int64  `dynamodbav:"expires_at,omitempty"`
}

// PadSeq returns seq left-padded with '0' to SeqWidth characters, the form
// stored in the seq attribute: for any two sequencers a and b of at most
// SeqWidth significant characters, PadSeq(a) < PadSeq(b) exactly when
// local.SeqLess(a, b). Leading zeros beyond SeqWidth are dropped; a seq with
// more significant characters than that is an error.
func PadSeq(seq string) (string, error) {
	if len(seq) > SeqWidth {
		trimmed := strings.TrimLeft(seq, "0")
		if len(trimmed) > SeqWidth {
			return "", fmt.Errorf("sequencer %q has %d significant characters, more than %d", seq, len(trimmed), SeqWidth)
		}
		seq = trimmed
	}
	return strings.Repeat("0", SeqWidth-len(seq)) + seq, nil
}

// expiry returns the expires_at value for rec written now: 0 (none) unless
// rec is a tombstone and the store has a tombstone TTL.
func (s *Store) expiry(rec dedup.Record) int64 {
	if rec.Status != dedup.StatusDeleted || s.tombstoneTTL <= 0 {
		return 0
	}
	now := time.Now
	if s.now != nil {
		now = s.now
	}
	return now().Add(s.tombstoneTTL).Unix()
}

func toItem(rec dedup.Record, expiresAt int64) (map[string]types.AttributeValue, string, error) {
	if rec.Key == "" {
		return nil, "", errors.New("empty key")
	}
	padded, err := PadSeq(rec.Seq)
	if err != nil {
		return nil, "", err
	}
	it := item{
		PK: rec.Key, Seq: padded, Sequencer: rec.Seq, Status: string(rec.Status),
		Reason: rec.Reason, ETag: rec.ETag, Day: rec.Date, ExpiresAt: expiresAt,
	}
	if rec.Sig != nil {
		if it.Sig, err = rec.Sig.MarshalBinary(); err != nil {
			return nil, "", fmt.Errorf("marshal signature: %w", err)
		}
	}
	av, err := attributevalue.MarshalMap(it)
	if err != nil {
		return nil, "", fmt.Errorf("marshal item: %w", err)
	}
	return av, padded, nil
}

func fromItem(av map[string]types.AttributeValue) (dedup.Record, error) {
	var it item
	if err := attributevalue.UnmarshalMap(av, &it); err != nil {
		return dedup.Record{}, fmt.Errorf("unmarshal item: %w", err)
	}
	rec := dedup.Record{
		Key: it.PK, Seq: it.Sequencer, Status: dedup.Status(it.Status),
		Reason: it.Reason, ETag: it.ETag, Date: it.Day,
	}
	if it.Sig != nil {
		rec.Sig = new(signature.Signature)
		if err := rec.Sig.UnmarshalBinary(it.Sig); err != nil {
			return dedup.Record{}, fmt.Errorf("unmarshal signature of %q: %w", it.PK, err)
		}
	}
	return rec, nil
}

// Put stores rec unless the item for rec.Key has a seq >= rec.Seq, and
// reports whether it was written. The check and the write are one
// conditional PutItem; a failed condition is (false, nil).
func (s *Store) Put(ctx context.Context, rec dedup.Record) (bool, error) {
	av, padded, err := toItem(rec, s.expiry(rec))
	if err != nil {
		return false, fmt.Errorf("dynamodb: put %q: %w", rec.Key, err)
	}
	_, err = s.client.PutItem(ctx, &awsddb.PutItemInput{
		TableName:                 aws.String(s.table),
		Item:                      av,
		ConditionExpression:       aws.String("attribute_not_exists(#pk) OR #seq < :seq"),
		ExpressionAttributeNames:  map[string]string{"#pk": "pk", "#seq": "seq"},
		ExpressionAttributeValues: map[string]types.AttributeValue{":seq": &types.AttributeValueMemberS{Value: padded}},
	})
	var failed *types.ConditionalCheckFailedException
	if errors.As(err, &failed) {
		return false, nil
	}
	if err != nil {
		return false, fmt.Errorf("dynamodb: put %q (seq %s) into table %s: %w", rec.Key, rec.Seq, s.table, err)
	}
	return true, nil
}

// Get returns the record for key with a strongly consistent read, or an
// error wrapping dedup.ErrNotFound.
func (s *Store) Get(ctx context.Context, key string) (dedup.Record, error) {
	if key == "" {
		return dedup.Record{}, fmt.Errorf("dynamodb: get: empty key: %w", dedup.ErrNotFound)
	}
	out, err := s.client.GetItem(ctx, &awsddb.GetItemInput{
		TableName:      aws.String(s.table),
		Key:            map[string]types.AttributeValue{"pk": &types.AttributeValueMemberS{Value: key}},
		ConsistentRead: aws.Bool(true),
	})
	if err != nil {
		return dedup.Record{}, fmt.Errorf("dynamodb: get %q from table %s: %w", key, s.table, err)
	}
	if out.Item == nil {
		return dedup.Record{}, fmt.Errorf("dynamodb: get %q from table %s: %w", key, s.table, dedup.ErrNotFound)
	}
	rec, err := fromItem(out.Item)
	if err != nil {
		return dedup.Record{}, fmt.Errorf("dynamodb: get %q: %w", key, err)
	}
	return rec, nil
}

// Scan calls fn for every item in the table, reading it as a parallel Scan
// of the Store's segments. Items are decoded on the segments' goroutines,
// but fn is called from one goroutine at a time, so it needs no locking. The
// first error from fn stops the scan (fn is not called again) and is
// returned as is; a storage error is returned wrapped with the segment.
//
// The read is eventually consistent (half the read capacity of a
// consistent one): a record written in the last second may be missed, which
// a daily report can afford. Scan is not a snapshot.
func (s *Store) Scan(ctx context.Context, fn func(dedup.Record) error) error {
	if err := ctx.Err(); err != nil {
		return fmt.Errorf("dynamodb: scan table %s: %w", s.table, err)
	}
	ctx, cancel := context.WithCancel(ctx)
	defer cancel()

	var (
		mu       sync.Mutex // serialises fn and guards the fields below
		fnErr    error      // fn's first error, returned as is
		storeErr error      // the first segment's error
		wg       sync.WaitGroup
	)
	call := func(rec dedup.Record) error {
		mu.Lock()
		defer mu.Unlock()
		if fnErr != nil {
			return fnErr
		}
		if err := fn(rec); err != nil {
			fnErr = err
			cancel()
			return err
		}
		return nil
	}
	for seg := range s.segments {
		wg.Go(func() {
			err := s.scanSegment(ctx, int32(seg), call)
			if err == nil {
				return
			}
			mu.Lock()
			defer mu.Unlock()
			if fnErr == nil && storeErr == nil {
				storeErr = err
				cancel()
			}
		})
	}
	wg.Wait()
	if fnErr != nil {
		return fnErr
	}
	return storeErr
}

func (s *Store) scanSegment(ctx context.Context, seg int32, call func(dedup.Record) error) error {
	p := awsddb.NewScanPaginator(s.client, &awsddb.ScanInput{
		TableName:     aws.String(s.table),
		Segment:       aws.Int32(seg),
		TotalSegments: aws.Int32(int32(s.segments)),
	})
	for p.HasMorePages() {
		page, err := p.NextPage(ctx)
		if err != nil {
			return fmt.Errorf("dynamodb: scan table %s segment %d/%d: %w", s.table, seg, s.segments, err)
		}
		for _, av := range page.Items {
			rec, err := fromItem(av)
			if err != nil {
				return fmt.Errorf("dynamodb: scan table %s: %w", s.table, err)
			}
			if err := call(rec); err != nil {
				return err
			}
		}
	}
	return nil
}
