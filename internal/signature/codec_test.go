package signature

import (
	"bytes"
	"encoding/binary"
	"errors"
	"math"
	"reflect"
	"strings"
	"testing"
)

// fullSignature has every field set, including the awkward values: unicode
// text, an empty string field, both Name values, fractional weights.
func fullSignature() *Signature {
	s := &Signature{
		Key:       "incoming/2023/12/07/raisi-putin.json",
		Title:     "Iran's Raisi says “genocide” — Москва, São Paulo",
		Source:    "Al Jazeera",
		URL:       "https://example.com/a?b=c&d=é",
		Date:      "2023-12-07",
		Words:     700,
		Shingles:  612,
		Flags:     FlagQuotesIncluded,
		MinHash:   make([]uint32, K),
		Sentences: []uint64{0x0001_0002_0003_0004, math.MaxUint64, 0, 42},
		Terms: []Term{
			{Text: "vladimir putin", Weight: 7, Name: true},
			{Text: "москва", Weight: 2.5, Name: true},
			{Text: "missile", Weight: 1, Name: false},
		},
		// Three sentences: two units, none, three (the largest value too).
		Content: []uint16{2, 5, 9, 0, 3, 0, 1, math.MaxUint16},
	}
	for i := range s.MinHash {
		s.MinHash[i] = uint32(i)*0x9e3779b9 ^ 0xdeadbeef
	}
	return s
}

func TestCodecRoundtrip(t *testing.T) {
	seedSig := func(p string) *Signature { a := seed(t, p); return Compute(&a) }
	tests := []struct {
		name string
		sig  *Signature
	}{
		{"full", fullSignature()},
		{"zero values", &Signature{MinHash: make([]uint32, K)}},
		{"empty article", Compute(art("", "", ""))},
		{"seed 001", seedSig("001")},
		{"seed 004", seedSig("004")},
		{"max counts", func() *Signature {
			s := fullSignature()
			s.Sentences = make([]uint64, MaxSentences)
			s.Content = nil
			for k := 0; k < MaxContentSentences; k++ {
				s.Content = append(s.Content, MaxContentUnits)
				for u := 0; u < MaxContentUnits; u++ {
					s.Content = append(s.Content, uint16(1000*u+k))
				}
			}
			s.Terms = make([]Term, MaxTerms)
			for i := range s.Terms {
				s.Terms[i] = Term{Text: strings.Repeat("x", i+1), Weight: float32(i)}
			}
			s.Words, s.Shingles = math.MaxInt32, math.MaxInt32
			return s
		}()},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			b, err := tt.sig.MarshalBinary()
			if err != nil {
				t.Fatal(err)
			}
			var got Signature
			if err := got.UnmarshalBinary(b); err != nil {
				t.Fatalf("UnmarshalBinary: %v", err)
			}
			want := *tt.sig
			// Empty slices decode as nil: compare them as equal.
			if len(want.Sentences) == 0 {
				want.Sentences = nil
			}
			if len(want.Terms) == 0 {
				want.Terms = nil
			}
			if len(want.Content) == 0 {
				want.Content = nil
			}
			if !reflect.DeepEqual(&got, &want) {
				t.Errorf("roundtrip:\n got %+v\nwant %+v", got, want)
			}
			again, err := got.MarshalBinary()
			if err != nil || !bytes.Equal(again, b) {
				t.Errorf("re-encoding differs (%v)", err)
			}
		})
	}
}

// contentBytes is the size of the encoded content section of s, the last.
func contentBytes(s *Signature) int {
	sents := s.ContentSentences()
	n := len(binary.AppendUvarint(nil, uint64(len(sents))))
	for _, u := range sents {
		n += 1 + 2*len(u)
	}
	return n
}

func TestCodecMarshalRejectsBadContent(t *testing.T) {
	for name, c := range map[string][]uint16{
		"count past the end":   {3, 1, 2},
		"units not ascending":  {2, 7, 7},
		"too many units":       append([]uint16{MaxContentUnits + 1}, make([]uint16, MaxContentUnits+1)...),
		"too many sentences":   make([]uint16, MaxContentSentences+1),
		"descending units":     {3, 1, 3, 2},
		"second sentence bad":  {1, 4, 2, 9, 8},
		"truncated second one": {0, 2, 1},
	} {
		s := fullSignature()
		s.Content = c
		if _, err := s.MarshalBinary(); err == nil {
			t.Errorf("%s: content %v encoded without error", name, c)
		}
	}
}

func TestCodecSize(t *testing.T) {
	a := seed(t, "001")
	b, err := Compute(&a).MarshalBinary()
	if err != nil {
		t.Fatal(err)
	}
	// GUIDE §4 budgets 1-2 KB per signature.
	if len(b) < 4*K || len(b) > 2048 {
		t.Errorf("a 430-word article encodes to %d bytes", len(b))
	}
	t.Logf("seed 001 encodes to %d bytes", len(b))
}

func TestCodecLayout(t *testing.T) {
	b, err := fullSignature().MarshalBinary()
	if err != nil {
		t.Fatal(err)
	}
	if b[0] != 'N' || b[1] != 'S' || b[2] != Version || b[3] != FlagQuotesIncluded {
		t.Errorf("header % x, want 'N' 'S' version flags", b[:4])
	}
	if n, k := binary.Uvarint(b[4:]); k != 1 || int(n) != len(fullSignature().Key) {
		t.Errorf("key length prefix %d (%d bytes)", n, k)
	}
}

func TestCodecMarshalRejectsBadMinHash(t *testing.T) {
	for _, n := range []int{0, K - 1, K + 1} {
		s := fullSignature()
		s.MinHash = make([]uint32, n)
		if _, err := s.MarshalBinary(); err == nil {
			t.Errorf("MinHash of %d values encoded without error", n)
		}
	}
}

func TestCodecVersion(t *testing.T) {
	b, err := fullSignature().MarshalBinary()
	if err != nil {
		t.Fatal(err)
	}
	for _, v := range []byte{0, Version + 1, 255} {
		bad := bytes.Clone(b)
		bad[2] = v
		var s Signature
		err := s.UnmarshalBinary(bad)
		if !errors.Is(err, ErrVersion) {
			t.Errorf("version %d: error %v, want ErrVersion", v, err)
		}
	}
}

func TestCodecRejects(t *testing.T) {
	good, err := fullSignature().MarshalBinary()
	if err != nil {
		t.Fatal(err)
	}
	mutate := func(f func(b []byte) []byte) []byte { return f(bytes.Clone(good)) }
	// offset of the MinHash: after the header, five strings and two varints
	full := fullSignature()
	off := 4
	for _, s := range []string{full.Key, full.Title, full.Source, full.URL, full.Date} {
		off += len(binary.AppendUvarint(nil, uint64(len(s)))) + len(s)
	}
	off += len(binary.AppendUvarint(nil, uint64(full.Words))) + len(binary.AppendUvarint(nil, uint64(full.Shingles)))
	sentOff := off + 4*K
	tests := []struct {
		name string
		b    []byte
		want string // in the error message
	}{
		{"nil", nil, "not an encoded signature"},
		{"magic only", []byte("NS"), "not an encoded signature"},
		{"bad magic", mutate(func(b []byte) []byte { b[0] = 'X'; return b }), "not an encoded signature"},
		{"trailing byte", append(bytes.Clone(good), 0), "trailing"},
		{"huge string length", append([]byte{'N', 'S', Version, 0}, binary.AppendUvarint(nil, 1<<40)...), "exceeds"},
		{"string longer than data", append([]byte{'N', 'S', Version, 0}, binary.AppendUvarint(nil, 100)...), "truncated"},
		{"invalid UTF-8 key", append([]byte{'N', 'S', Version, 0, 2, 0xff, 0xfe}, good[4+1+len(full.Key):]...), "UTF-8"},
		{"too many sentences", mutate(func(b []byte) []byte {
			return append(append(b[:sentOff:sentOff], binary.AppendUvarint(nil, MaxSentences+1)...), make([]byte, 8*(MaxSentences+1)+1)...)
		}), "exceeds"},
		{"too many terms", mutate(func(b []byte) []byte {
			return append(append(b[:sentOff:sentOff], 0), binary.AppendUvarint(nil, MaxTerms+1)...)
		}), "exceeds"},
		{"too many content sentences", mutate(func(b []byte) []byte {
			b = b[:len(b)-contentBytes(full)]
			return append(append(b, binary.AppendUvarint(nil, MaxContentSentences+1)...), make([]byte, MaxContentSentences+1)...)
		}), "exceeds"},
		{"too many content units", mutate(func(b []byte) []byte {
			b = b[:len(b)-contentBytes(full)]
			return append(append(b, 1, MaxContentUnits+1), make([]byte, 2*(MaxContentUnits+1))...)
		}), "more than"},
		{"content units not ascending", mutate(func(b []byte) []byte {
			return append(b[:len(b)-contentBytes(full)], 1, 2, 9, 0, 5, 0)
		}), "ascending"},
		{"content ends inside a sentence", mutate(func(b []byte) []byte {
			return append(b[:len(b)-contentBytes(full)], 1, 2, 9, 0)
		}), "truncated"},
		{"larger than any record", append(bytes.Clone(good), make([]byte, 1<<20)...), "larger"},
		{"overflowing varint", append([]byte{'N', 'S', Version, 0}, bytes.Repeat([]byte{0xff}, 11)...), "truncated"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			s := fullSignature()
			before := *s
			err := s.UnmarshalBinary(tt.b)
			if err == nil {
				t.Fatalf("accepted %d bytes: %+v", len(tt.b), s)
			}
			if !strings.Contains(err.Error(), tt.want) {
				t.Errorf("error %q does not say %q", err, tt.want)
			}
			if errors.Is(err, ErrVersion) {
				t.Errorf("reported as a version mismatch: %v", err)
			}
			if !reflect.DeepEqual(*s, before) {
				t.Error("a failed decode modified the signature")
			}
		})
	}
}

func TestCodecTruncatedEverywhere(t *testing.T) {
	a := seed(t, "003")
	for _, sig := range []*Signature{fullSignature(), Compute(&a)} {
		b, err := sig.MarshalBinary()
		if err != nil {
			t.Fatal(err)
		}
		for n := 0; n < len(b); n++ {
			var s Signature
			func() {
				defer func() {
					if p := recover(); p != nil {
						t.Fatalf("truncated to %d of %d bytes: panic %v", n, len(b), p)
					}
				}()
				if err := s.UnmarshalBinary(b[:n:n]); err == nil {
					t.Errorf("truncated to %d of %d bytes: no error", n, len(b))
				}
			}()
		}
	}
}

// TestCodecCanonical: a record decodes only from the bytes MarshalBinary
// writes for it, so equal signatures have equal encodings (stores compare
// and deduplicate by bytes).
func TestCodecCanonical(t *testing.T) {
	s := fullSignature()
	good, err := s.MarshalBinary()
	if err != nil {
		t.Fatal(err)
	}
	// The last byte before the content section is the last term's Name flag.
	nameByte := bytes.Clone(good)
	nameByte[len(nameByte)-contentBytes(s)-1] = 2
	// An over-long varint for the key length: 0x80|n, 0x00.
	overlong := append([]byte{'N', 'S', Version, good[3], byte(len(s.Key)) | 0x80, 0}, good[5:]...)
	for name, b := range map[string][]byte{"name byte 2": nameByte, "over-long varint": overlong} {
		var d Signature
		if err := d.UnmarshalBinary(b); err == nil {
			again, _ := d.MarshalBinary()
			t.Errorf("%s: decoded without error; re-encodes to the same bytes: %v", name, bytes.Equal(again, b))
		}
	}
}
