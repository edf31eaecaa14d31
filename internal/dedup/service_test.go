package dedup

import (
	"os"
	"testing"

	"github.com/newsdedup/newsdedup/internal/signature"
)

// A file name that is not UTF-8 is refused at signing: stored in a
// signature, it made every later read of the store fail ("string is not
// UTF-8"), so one such file broke every run until the state was deleted.
func TestSignRejectsNonUTF8Key(t *testing.T) {
	data, err := os.ReadFile("../../testdata/seeds/001_185a73e93ce09b0f.txt")
	if err != nil {
		t.Fatal(err)
	}
	svc := &Service{}
	ok := svc.Sign("seed.txt", data)
	if ok.Status != StatusOK || ok.Sig == nil {
		t.Fatalf("valid key: %+v", ok)
	}
	b, err := ok.Sig.MarshalBinary()
	if err != nil {
		t.Fatal(err)
	}
	if err := new(signature.Signature).UnmarshalBinary(b); err != nil {
		t.Fatalf("valid key: signature does not read back: %v", err)
	}

	bad := svc.Sign("caf\xe9.txt", data)
	if bad.Status != StatusRejected || bad.Reason != "file name is not valid UTF-8" || bad.Sig != nil {
		t.Fatalf("Latin-1 key: got status %q, reason %q, sig %v", bad.Status, bad.Reason, bad.Sig != nil)
	}
	if bad.Key != "caf\xe9.txt" || bad.ETag != ok.ETag {
		t.Errorf("rejected record keeps key and tag: %+v", bad)
	}
}
