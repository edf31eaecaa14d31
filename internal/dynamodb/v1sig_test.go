package dynamodb

import (
	"os"
	"testing"

	"github.com/aws/aws-sdk-go-v2/service/dynamodb/types"
)

// TestItemReadsVersion1Signature: an item stored by version 1 of newsdedup
// (signature layout version 1, no language) is read whole, with Lang "".
func TestItemReadsVersion1Signature(t *testing.T) {
	sig, err := os.ReadFile("../signature/testdata/v1/seed001.sig") // written by version 1's MarshalBinary
	if err != nil {
		t.Fatal(err)
	}
	seq, err := PadSeq("0055AED6DCD90281E5")
	if err != nil {
		t.Fatal(err)
	}
	av := map[string]types.AttributeValue{
		"pk":     &types.AttributeValueMemberS{Value: "incoming/001_185a73e93ce09b0f.txt"},
		"seq":    &types.AttributeValueMemberS{Value: seq},
		"status": &types.AttributeValueMemberS{Value: "ok"},
		"etag":   &types.AttributeValueMemberS{Value: "e"},
		"day":    &types.AttributeValueMemberS{Value: "2023-12-07"},
		"sig":    &types.AttributeValueMemberB{Value: sig},
	}
	rec, err := fromItem(av)
	if err != nil {
		t.Fatalf("version-1 item: %v", err)
	}
	if s := rec.Sig; s == nil || s.Key != "001_185a73e93ce09b0f.txt" || len(s.MinHash) == 0 || len(s.Terms) == 0 || s.Lang != "" || !s.Stale() {
		t.Errorf("version-1 signature read as %+v", rec.Sig)
	}
}
