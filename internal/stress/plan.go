package stress

import (
	"bytes"
	"context"
	"encoding/json"
	"fmt"
	"math/rand/v2"
	"os"
	"path/filepath"
	"time"

	"github.com/aws/aws-lambda-go/events"

	"github.com/newsdedup/newsdedup/internal/article"
	"github.com/newsdedup/newsdedup/internal/dedup"
	"github.com/newsdedup/newsdedup/internal/e2e"
	"github.com/newsdedup/newsdedup/internal/synth"
	"golang.org/x/sync/errgroup"
)

// Object is an uploaded article.
type Object struct {
	Key  string
	Body []byte
	Tag  string // dedup.ContentTag(Body): what a record of this object must carry
}

// Articles generates n realistic articles with internal/synth (stories,
// wire copies, real sentences; seeded) and encodes each as the JSON file
// cmd/gencorpus writes, under prefix (which should start with "incoming/").
func Articles(n int, seed int64, prefix string) ([]Object, error) {
	objs := make([]Object, 0, n)
	err := synth.Each(synth.Config{Articles: n, Seed: seed}, func(a article.Article, _, _ string) error {
		var buf bytes.Buffer
		enc := json.NewEncoder(&buf)
		enc.SetEscapeHTML(false)
		enc.SetIndent("", " ")
		if err := enc.Encode(struct {
			Title  string `json:"title"`
			Date   string `json:"date,omitempty"`
			Source string `json:"source"`
			URL    string `json:"url"`
			Text   string `json:"text"`
		}{a.Title, a.Date, a.Source, a.URL, a.Text}); err != nil {
			return err
		}
		objs = append(objs, Object{Key: prefix + a.Key, Body: buf.Bytes(), Tag: dedup.ContentTag(buf.Bytes())})
		return nil
	})
	return objs, err
}

// Upload puts objs into b with workers concurrent PutObjects.
func Upload(ctx context.Context, b dedup.BlobStore, objs []Object, workers int) error {
	g, gctx := errgroup.WithContext(ctx) // the first failed put stops the rest
	g.SetLimit(workers)
	for _, o := range objs {
		if gctx.Err() != nil {
			break // a put failed: send no more
		}
		g.Go(func() error { return b.Put(gctx, o.Key, o.Body, "application/json") })
	}
	if err := g.Wait(); err != nil {
		return err
	}
	return ctx.Err()
}

// Delivery is one S3 event notification (one record, as S3 sends them) in
// a plan.
type Delivery struct {
	Key     string
	Seq     string
	Version int // 1 for the key's first version, ...
}

// Plan is a stream of S3 ObjectCreated events over a set of objects: each
// key has one to four versions (the same object, new sequencers, as when a
// file is uploaded again), some deliveries are duplicates (the same key and
// sequencer again) and the order is shuffled, so later versions often
// arrive before earlier ones.
type Plan struct {
	Deliveries []Delivery
	Newest     map[string]string // key -> its newest sequencer
	Versions   int               // distinct (key, sequencer) pairs
	Duplicates int               // deliveries of a (key, sequencer) delivered earlier in the plan
	OutOfOrder int               // deliveries older than a version of the key delivered earlier in the plan
}

// NewPlan makes a plan of exactly n deliveries over keys (n must be at least
// len(keys)), seeded. Sequencers come from seqs, increasing per key.
func NewPlan(keys []string, n int, seed uint64, seqs *e2e.Sequencers) (*Plan, error) {
	if n < len(keys) {
		return nil, fmt.Errorf("plan: %d deliveries cannot cover %d keys", n, len(keys))
	}
	r := rand.New(rand.NewPCG(seed, seed^0x9e3779b97f4a7c15))
	p := &Plan{Newest: make(map[string]string, len(keys))}
	var versions []Delivery
	// Every key gets a first version, then zero to three more while a
	// tenth of the deliveries stays free for duplicates.
	for _, k := range keys {
		versions = append(versions, Delivery{Key: k, Seq: seqs.Next(), Version: 1})
	}
	budget := max(0, n-n/10-len(keys))
	for _, k := range keys {
		extra := min(r.IntN(4), budget)
		budget -= extra
		for v := 2; v <= 1+extra; v++ {
			versions = append(versions, Delivery{Key: k, Seq: seqs.Next(), Version: v})
		}
	}
	for _, d := range versions {
		p.Newest[d.Key] = d.Seq // appended in increasing order per key
	}
	p.Versions = len(versions)
	p.Deliveries = append(p.Deliveries, versions...)
	for len(p.Deliveries) < n {
		p.Deliveries = append(p.Deliveries, versions[r.IntN(len(versions))])
	}
	r.Shuffle(len(p.Deliveries), func(i, j int) { p.Deliveries[i], p.Deliveries[j] = p.Deliveries[j], p.Deliveries[i] })
	seen := map[Delivery]bool{}
	newestSoFar := map[string]int{}
	for _, d := range p.Deliveries {
		if seen[d] {
			p.Duplicates++
		}
		seen[d] = true
		if v := newestSoFar[d.Key]; v > d.Version {
			p.OutOfOrder++
		} else {
			newestSoFar[d.Key] = d.Version
		}
	}
	return p, nil
}

// Events turns the plan into S3 events for bucket, built from
// events/s3-put.json by e2e.S3Event and decoded as the Lambda runtime
// decodes them.
func (p *Plan) Events(root, bucket string, objs map[string]Object) ([]events.S3Event, error) {
	tmpl, err := os.ReadFile(filepath.Join(root, "events", "s3-put.json"))
	if err != nil {
		return nil, err
	}
	when := time.Date(2024, 1, 2, 8, 0, 0, 0, time.UTC)
	out := make([]events.S3Event, len(p.Deliveries))
	for i, d := range p.Deliveries {
		raw, err := e2e.S3Event(tmpl, e2e.S3Record{
			EventName: "ObjectCreated:Put", Bucket: bucket, Key: d.Key, Sequencer: d.Seq,
			Time: when.Add(time.Duration(d.Version) * time.Minute), Size: int64(len(objs[d.Key].Body)),
		})
		if err != nil {
			return nil, err
		}
		if err := json.Unmarshal(raw, &out[i]); err != nil {
			return nil, fmt.Errorf("decode event: %w", err)
		}
	}
	return out, nil
}
