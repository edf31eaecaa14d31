package local

import (
	"bytes"
	"reflect"
	"testing"

	"github.com/newsdedup/newsdedup/internal/dedup"
	"github.com/newsdedup/newsdedup/internal/dedup/storetest"
)

// FuzzDecodeRecord: the decoder of stored values never panics on a
// corrupt file, agrees with decodeSeq, and what it accepts encodes back to
// a value that decodes to the same record.
func FuzzDecodeRecord(f *testing.F) {
	sig := storetest.Sig(f, "fuzz", "The city council voted on Tuesday to approve the new budget for the harbour district after a long debate about ferries.")
	for _, rec := range []dedup.Record{
		{Key: "a", Seq: "00000000000000000001", Status: dedup.StatusOK, ETag: "xxh3:0123456789abcdef", Date: "2024-03-05", Sig: sig},
		{Key: "b", Seq: "2", Status: dedup.StatusRejected, Reason: "binary content (PDF)", Date: "2024-03-05"},
		{Key: "c", Seq: "3", Status: dedup.StatusDeleted},
	} {
		v, err := encodeRecord(rec)
		if err != nil {
			f.Fatal(err)
		}
		f.Add(v)
	}
	f.Add([]byte{})
	f.Add([]byte{2})
	f.Add([]byte{1, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0x01})
	f.Fuzz(func(t *testing.T, v []byte) {
		orig := bytes.Clone(v)
		seq, seqErr := decodeSeq(v)
		rec, err := decodeRecord([]byte("key"), v)
		if !bytes.Equal(v, orig) {
			t.Fatal("decoding modified its input")
		}
		if err != nil {
			return
		}
		if seqErr != nil || seq != rec.Seq {
			t.Fatalf("decodeSeq = %q, %v; decodeRecord Seq %q", seq, seqErr, rec.Seq)
		}
		enc, err := encodeRecord(rec)
		if err != nil {
			t.Fatalf("encode a decoded record: %v", err)
		}
		back, err := decodeRecord([]byte("key"), enc)
		if err != nil {
			t.Fatalf("decode of re-encoded record: %v", err)
		}
		if !reflect.DeepEqual(back, rec) {
			t.Fatalf("re-encoding changed the record:\n got %+v\nwant %+v", back, rec)
		}
	})
}
