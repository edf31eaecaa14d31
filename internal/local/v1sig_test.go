package local

import (
	"context"
	"encoding/binary"
	"os"
	"path/filepath"
	"testing"

	bolt "go.etcd.io/bbolt"

	"github.com/newsdedup/newsdedup/internal/dedup"
)

// v1Value is a record value as version 1 of newsdedup wrote it (see
// encodeRecord), holding the encoded signature sig.
func v1Value(etag string, sig []byte) []byte {
	v := []byte{formatV1}
	for _, s := range []string{"0001", string(dedup.StatusOK), "", etag, "2023-12-07"} {
		v = binary.AppendUvarint(v, uint64(len(s)))
		v = append(v, s...)
	}
	v = append(v, 1)
	v = binary.AppendUvarint(v, uint64(len(sig)))
	return append(v, sig...)
}

// TestReadsVersion1Signatures: a state file written before signatures had a
// language (signature layout version 1) is read by this build, its records
// whole, with Lang ""; and Sync signs such an article again from its file,
// though the file is unchanged.
func TestReadsVersion1Signatures(t *testing.T) {
	const seedFile = "001_185a73e93ce09b0f.txt"
	sig, err := os.ReadFile("../signature/testdata/v1/seed001.sig") // version 1's signature of seedFile
	if err != nil {
		t.Fatal(err)
	}
	data, err := os.ReadFile(filepath.Join("../../testdata/seeds", seedFile))
	if err != nil {
		t.Fatal(err)
	}
	dir := t.TempDir()
	if err := os.WriteFile(filepath.Join(dir, seedFile), data, 0o644); err != nil {
		t.Fatal(err)
	}
	s, err := Open(filepath.Join(t.TempDir(), "state.db"))
	if err != nil {
		t.Fatal(err)
	}
	defer s.Close()
	ctx := context.Background()
	etag := dedup.ContentTag(data)
	err = s.db.Update(func(tx *bolt.Tx) error { return tx.Bucket(recordsBucket).Put([]byte(seedFile), v1Value(etag, sig)) })
	if err != nil {
		t.Fatal(err)
	}

	got, err := s.Get(ctx, seedFile)
	if err != nil {
		t.Fatalf("version-1 record: %v", err)
	}
	if got.Sig == nil || got.Sig.Key != seedFile || got.Sig.Words == 0 || len(got.Sig.Terms) == 0 || got.Sig.Lang != "" || !got.Sig.Stale() {
		t.Errorf("version-1 signature read as %+v", got.Sig)
	}
	if got.Status != dedup.StatusOK || got.ETag != etag || got.Date != "2023-12-07" {
		t.Errorf("record read as %+v", got)
	}

	svc := &dedup.Service{Articles: Dirs{NewFolder(dir)}, Store: s}
	st, err := Sync(ctx, svc, s, Dirs{NewFolder(dir)}, nil)
	if err != nil {
		t.Fatal(err)
	}
	if st.Ingested != 1 || st.Unchanged != 0 {
		t.Errorf("sync of an unchanged file with a version-1 signature: %+v, want it signed again", st)
	}
	if r, err := s.Get(ctx, seedFile); err != nil || r.Sig == nil || r.Sig.Stale() || r.Sig.Lang != "en" {
		t.Errorf("after sync: %+v, %v; want a current signature with language en", r.Sig, err)
	}
	// And the next sync skips it again.
	if st, err := Sync(ctx, svc, s, Dirs{NewFolder(dir)}, nil); err != nil || st.Unchanged != 1 {
		t.Errorf("second sync: %+v, %v; want it unchanged", st, err)
	}
}
