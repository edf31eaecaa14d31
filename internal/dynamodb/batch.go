package dynamodb

import (
	"context"
	"fmt"
	"math/rand/v2"
	"time"

	"github.com/aws/aws-sdk-go-v2/service/dynamodb/types"

	awsddb "github.com/aws/aws-sdk-go-v2/service/dynamodb"

	"github.com/newsdedup/newsdedup/internal/dedup"
	"golang.org/x/sync/errgroup"
)

// batchSize is BatchWriteItem's limit on items per request.
const batchSize = 25

// batchWorkers is how many BatchWriteItem requests BatchPut keeps in flight.
const batchWorkers = 8

// Backoff bounds for retrying UnprocessedItems: full jitter over an
// exponentially growing ceiling (base·2^attempt, capped), at most
// maxBatchAttempts requests per chunk.
var (
	backoffBase      = 50 * time.Millisecond
	backoffCap       = 5 * time.Second
	maxBatchAttempts = 10
)

// BatchPut writes recs with BatchWriteItem, 25 items per request, several
// requests in flight. Items DynamoDB leaves unprocessed (throttling) are
// resent with exponential backoff and full jitter, a bounded number of
// times; an error says how many items were not written.
//
// BatchWriteItem cannot be conditional: BatchPut overwrites whatever is
// stored, ignoring Seq. It is therefore NOT a substitute for Put on the
// event path, where a late or duplicate event must not replace a newer
// version. Use it only to load keys that are known not to be in the table
// yet: benchmarks, load tests, a bulk import into a fresh table. Keys must
// be distinct within one call (DynamoDB rejects a request naming a key
// twice, and the last write would win arbitrarily).
func (s *Store) BatchPut(ctx context.Context, recs []dedup.Record) error {
	seen := make(map[string]bool, len(recs))
	reqs := make([]types.WriteRequest, 0, len(recs))
	for _, rec := range recs {
		if seen[rec.Key] {
			return fmt.Errorf("dynamodb: batch put: key %q appears twice", rec.Key)
		}
		seen[rec.Key] = true
		av, _, err := toItem(rec, s.expiry(rec))
		if err != nil {
			return fmt.Errorf("dynamodb: batch put %q: %w", rec.Key, err)
		}
		reqs = append(reqs, types.WriteRequest{PutRequest: &types.PutRequest{Item: av}})
	}

	// The first failed chunk stops the rest: the group cancels ctx.
	g, gctx := errgroup.WithContext(ctx)
	g.SetLimit(batchWorkers)
	for i := 0; i < len(reqs); i += batchSize {
		chunk := reqs[i:min(i+batchSize, len(reqs))]
		if gctx.Err() != nil {
			break // a chunk failed: send no more
		}
		g.Go(func() error { return s.writeChunk(gctx, chunk) })
	}
	if err := g.Wait(); err != nil {
		return err
	}
	if err := ctx.Err(); err != nil {
		return fmt.Errorf("dynamodb: batch put into table %s: %w", s.table, err)
	}
	return nil
}

// writeChunk sends one request's worth of items and resends what comes back
// unprocessed until nothing is left or the attempts run out.
func (s *Store) writeChunk(ctx context.Context, chunk []types.WriteRequest) error {
	pending := chunk
	for attempt := 0; ; attempt++ {
		out, err := s.client.BatchWriteItem(ctx, &awsddb.BatchWriteItemInput{
			RequestItems: map[string][]types.WriteRequest{s.table: pending},
		})
		if err != nil {
			return fmt.Errorf("dynamodb: batch write of %d items into table %s: %w", len(pending), s.table, err)
		}
		pending = out.UnprocessedItems[s.table]
		if len(pending) == 0 {
			return nil
		}
		if attempt+1 >= maxBatchAttempts {
			return fmt.Errorf("dynamodb: batch write into table %s: %d of %d items still unprocessed after %d attempts",
				s.table, len(pending), len(chunk), maxBatchAttempts)
		}
		t := time.NewTimer(backoff(attempt))
		select {
		case <-ctx.Done():
			t.Stop()
			return fmt.Errorf("dynamodb: batch write into table %s: %d items unprocessed: %w", s.table, len(pending), ctx.Err())
		case <-t.C:
		}
	}
}

// backoff returns the wait before retry number attempt+1: uniform in
// [0, min(cap, base·2^attempt)] ("full jitter").
func backoff(attempt int) time.Duration {
	ceiling := backoffCap
	if attempt < 30 {
		ceiling = min(backoffCap, backoffBase<<attempt)
	}
	return rand.N(ceiling + 1)
}
