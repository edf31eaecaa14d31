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

// TestReadsVersion1Signatures: a state file written before signatures had a
// language (signature layout version 1) is read by this build, its records
// whole, with Lang "".
func TestReadsVersion1Signatures(t *testing.T) {
	sig, err := os.ReadFile("../signature/testdata/v1/seed001.sig")
	if err != nil {
		t.Fatal(err)
	}
	// The record value as version 1 of newsdedup wrote it (see encodeRecord).
	v := []byte{formatV1}
	for _, s := range []string{"0001", string(dedup.StatusOK), "", "etag", "2023-12-07"} {
		v = binary.AppendUvarint(v, uint64(len(s)))
		v = append(v, s...)
	}
	v = append(v, 1)
	v = binary.AppendUvarint(v, uint64(len(sig)))
	v = append(v, sig...)

	path := filepath.Join(t.TempDir(), "state.db")
	s, err := Open(path)
	if err != nil {
		t.Fatal(err)
	}
	err = s.db.Update(func(tx *bolt.Tx) error { return tx.Bucket(recordsBucket).Put([]byte("old.txt"), v) })
	if err != nil {
		t.Fatal(err)
	}
	got, err := s.Get(context.Background(), "old.txt")
	if err != nil {
		t.Fatalf("version-1 record: %v", err)
	}
	if got.Sig == nil || got.Sig.Key != "001_185a73e93ce09b0f.txt" || got.Sig.Words == 0 || len(got.Sig.Terms) == 0 || got.Sig.Lang != "" {
		t.Errorf("version-1 signature read as %+v", got.Sig)
	}
	if got.Status != dedup.StatusOK || got.ETag != "etag" || got.Date != "2023-12-07" {
		t.Errorf("record read as %+v", got)
	}
	if err := s.Close(); err != nil {
		t.Fatal(err)
	}
}
