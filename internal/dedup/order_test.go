package dedup

import (
	"context"
	"encoding/json"
	"math/rand/v2"
	"os"
	"path/filepath"
	"testing"

	"github.com/newsdedup/newsdedup/internal/cluster"
)

// shuffledStore returns its records in a different order on every Scan, as
// a DynamoDB parallel scan may.
type shuffledStore struct {
	recs []Record
	rng  *rand.Rand
}

func (s *shuffledStore) Put(context.Context, Record) (bool, error) { return true, nil }
func (s *shuffledStore) Get(context.Context, string) (Record, error) {
	return Record{}, ErrNotFound
}
func (s *shuffledStore) Scan(_ context.Context, fn func(Record) error) error {
	for _, i := range s.rng.Perm(len(s.recs)) {
		if err := fn(s.recs[i]); err != nil {
			return err
		}
	}
	return nil
}

// The report must not depend on the order the store returns records in.
func TestReportIndependentOfScanOrder(t *testing.T) {
	files, _ := filepath.Glob("../../testdata/seeds/*.txt")
	svc := &Service{Params: cluster.DefaultParams()}
	store := &shuffledStore{rng: rand.New(rand.NewPCG(1, 2))}
	for _, f := range files {
		data, err := os.ReadFile(f)
		if err != nil {
			t.Fatal(err)
		}
		store.recs = append(store.recs, svc.Sign(filepath.Base(f), data))
	}
	svc.Store = store
	var first []byte
	for run := 0; run < 20; run++ {
		rep, err := svc.Report(context.Background(), Window{})
		if err != nil {
			t.Fatal(err)
		}
		rep.GeneratedAt = ""
		got, _ := json.Marshal(rep)
		if run == 0 {
			first = got
		} else if string(got) != string(first) {
			t.Fatalf("scan order changed the report:\n%s\n%s", first, got)
		}
	}
}
