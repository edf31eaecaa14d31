package signature

import (
	"bytes"
	"testing"
)

func TestStreamRoundTrip(t *testing.T) {
	var sigs []*Signature
	for _, text := range []string{"one two three four five six seven eight nine ten eleven twelve",
		"Iranian President Ebrahim Raisi met Russian President Vladimir Putin in Moscow on Thursday."} {
		sigs = append(sigs, Compute(art("k"+text[:3], "t", text)))
	}
	var b bytes.Buffer
	if err := WriteStream(&b, sigs); err != nil {
		t.Fatal(err)
	}
	var got []*Signature
	if err := ReadStream(bytes.NewReader(b.Bytes()), func(s *Signature) error { got = append(got, s); return nil }); err != nil {
		t.Fatal(err)
	}
	if len(got) != len(sigs) {
		t.Fatalf("read %d signatures, wrote %d", len(got), len(sigs))
	}
	for i := range sigs {
		x, _ := sigs[i].MarshalBinary()
		y, _ := got[i].MarshalBinary()
		if !bytes.Equal(x, y) {
			t.Errorf("signature %d differs after the round trip", i)
		}
	}
	// A cut stream is an error, not a silent short read.
	if err := ReadStream(bytes.NewReader(b.Bytes()[:b.Len()-3]), func(*Signature) error { return nil }); err == nil {
		t.Error("truncated stream read without error")
	}
}
