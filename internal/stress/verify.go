package stress

import (
	"context"
	"fmt"
	"sort"

	"github.com/newsdedup/newsdedup/internal/dedup"
)

// Check is what the table holds compared with what it should.
type Check struct {
	Keys      int      // keys expected
	Scanned   int      // items the Scan returned
	Stored    int      // expected keys found
	Missing   int      // expected keys not in the table
	Stale     int      // keys holding an older sequencer than the newest delivered
	BadRecord int      // keys whose record is not an ok signature of the object's content
	Repeated  int      // items the Scan returned more than once
	Extra     int      // items for keys nobody sent
	Problems  []string // the first few, for the log
}

// OK reports whether the table holds every key exactly once, each at its
// newest version with a signature of its content.
func (c Check) OK() bool {
	return c.Scanned == c.Keys && c.Stored == c.Keys && c.Missing == 0 && c.Stale == 0 &&
		c.BadRecord == 0 && c.Repeated == 0 && c.Extra == 0
}

func (c Check) String() string {
	return fmt.Sprintf("%d keys: scanned %d items, stored %d, missing %d, stale %d, bad %d, repeated %d, extra %d",
		c.Keys, c.Scanned, c.Stored, c.Missing, c.Stale, c.BadRecord, c.Repeated, c.Extra)
}

// Verify scans store (a direct, unproxied one) and compares it with newest
// (key -> newest sequencer delivered) and objs (the uploaded content).
func Verify(ctx context.Context, store dedup.SignatureStore, newest map[string]string, objs map[string]Object) (Check, error) {
	c := Check{Keys: len(newest)}
	seen := map[string]int{}
	problem := func(format string, a ...any) {
		if len(c.Problems) < 20 {
			c.Problems = append(c.Problems, fmt.Sprintf(format, a...))
		}
	}
	err := store.Scan(ctx, func(r dedup.Record) error {
		c.Scanned++
		seen[r.Key]++
		if seen[r.Key] > 1 {
			c.Repeated++
			problem("%s returned %d times by the scan", r.Key, seen[r.Key])
			return nil
		}
		want, ok := newest[r.Key]
		if !ok {
			c.Extra++
			problem("%s: stored, but never sent", r.Key)
			return nil
		}
		c.Stored++
		if r.Seq != want {
			c.Stale++
			problem("%s: stored seq %s, newest delivered %s", r.Key, r.Seq, want)
		}
		o := objs[r.Key]
		if r.Status != dedup.StatusOK || r.Sig == nil || r.Sig.Key != r.Key || r.ETag != o.Tag {
			c.BadRecord++
			problem("%s: status %s (%s), etag %s, want ok with etag %s", r.Key, r.Status, r.Reason, r.ETag, o.Tag)
		}
		return nil
	})
	if err != nil {
		return c, err
	}
	var missing []string
	for k := range newest {
		if seen[k] == 0 {
			missing = append(missing, k)
		}
	}
	sort.Strings(missing)
	c.Missing = len(missing)
	for _, k := range missing {
		problem("%s: missing", k)
	}
	return c, nil
}

// Writes counts, per (key, sequencer), the invocations that reported the
// record as written. A version is written at most once, whatever the
// duplicates and retries; without faults the newest version of each key is
// written exactly once. (With faults a write can succeed while its
// response is lost: the SDK's retry then finds the record there and
// reports it as not written.)
func Writes(o *Outcome, evs []Delivery) map[Delivery]int {
	n := map[Delivery]int{}
	for _, inv := range o.Invocations {
		for _, r := range inv.Result.Records {
			if r.Written && r.Error == "" {
				n[evs[inv.Event]]++
			}
		}
	}
	return n
}
