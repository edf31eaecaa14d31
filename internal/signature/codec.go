package signature

import (
	"encoding/binary"
	"errors"
	"fmt"
	"math"
	"unicode/utf8"
)

// Encoded layout (little endian, varints as encoding/binary writes them):
//
//	"NS" version:u8 flags:u8
//	key title source url date: uvarint length + UTF-8 bytes
//	words shingles: uvarint
//	K × u32 MinHash
//	uvarint n, n × u64 sentence fingerprints
//	uvarint n, n × (string text, f32 weight, u8 name)
//	uvarint n, n × (u8 units, units × u16 content unit)   since version 2
//
// About 1.9 KB for a 700-word article (1.2 KB before the content units).
var magic = [2]byte{'N', 'S'}

// limits that keep a corrupted or hostile record from allocating without bound.
const (
	maxStringLen = 64 << 10
	maxEncoded   = 1 << 20
)

// MarshalBinary encodes the signature in the versioned compact layout.
func (s *Signature) MarshalBinary() ([]byte, error) {
	if len(s.MinHash) != K {
		return nil, fmt.Errorf("signature %q: MinHash has %d values, want %d", s.Key, len(s.MinHash), K)
	}
	if err := checkContent(s.Content); err != nil {
		return nil, fmt.Errorf("signature %q: %w", s.Key, err)
	}
	b := make([]byte, 0, 64+len(s.Key)+len(s.Title)+len(s.Source)+len(s.URL)+4*K+8*len(s.Sentences)+16*len(s.Terms)+2*len(s.Content))
	b = append(b, magic[0], magic[1], Version, s.Flags)
	for _, str := range []string{s.Key, s.Title, s.Source, s.URL, s.Date} {
		b = appendString(b, str)
	}
	b = binary.AppendUvarint(b, uint64(s.Words))
	b = binary.AppendUvarint(b, uint64(s.Shingles))
	for _, v := range s.MinHash {
		b = binary.LittleEndian.AppendUint32(b, v)
	}
	b = binary.AppendUvarint(b, uint64(len(s.Sentences)))
	for _, v := range s.Sentences {
		b = binary.LittleEndian.AppendUint64(b, v)
	}
	b = binary.AppendUvarint(b, uint64(len(s.Terms)))
	for _, t := range s.Terms {
		b = appendString(b, t.Text)
		b = binary.LittleEndian.AppendUint32(b, math.Float32bits(t.Weight))
		name := byte(0)
		if t.Name {
			name = 1
		}
		b = append(b, name)
	}
	sents := s.ContentSentences()
	b = binary.AppendUvarint(b, uint64(len(sents)))
	for _, units := range sents {
		b = append(b, byte(len(units)))
		for _, u := range units {
			b = binary.LittleEndian.AppendUint16(b, u)
		}
	}
	return b, nil
}

func appendString(b []byte, s string) []byte {
	b = binary.AppendUvarint(b, uint64(len(s)))
	return append(b, s...)
}

// ErrVersion means the bytes were written by another layout version.
var ErrVersion = errors.New("signature: unsupported version")

// UnmarshalBinary decodes what MarshalBinary wrote. It never panics on bad
// input: anything malformed is an error. Only the canonical encoding is
// accepted (minimal varints, name flags 0 or 1), so a record that decodes
// re-encodes to the same bytes.
func (s *Signature) UnmarshalBinary(data []byte) error {
	if len(data) > maxEncoded {
		return fmt.Errorf("signature: %d bytes is larger than any valid record", len(data))
	}
	d := decoder{b: data}
	if len(data) < 4 || data[0] != magic[0] || data[1] != magic[1] {
		return errors.New("signature: not an encoded signature")
	}
	if data[2] != Version {
		return fmt.Errorf("%w %d (this build reads %d)", ErrVersion, data[2], Version)
	}
	out := Signature{Flags: data[3]}
	d.b = data[4:]
	out.Key, out.Title, out.Source, out.URL, out.Date = d.str(), d.str(), d.str(), d.str(), d.str()
	out.Words = int(d.uvarint(math.MaxInt32))
	out.Shingles = int(d.uvarint(math.MaxInt32))
	out.MinHash = make([]uint32, K)
	for i := range out.MinHash {
		out.MinHash[i] = d.u32()
	}
	if n := int(d.uvarint(MaxSentences)); n > 0 && d.err == nil {
		out.Sentences = make([]uint64, n)
		for i := range out.Sentences {
			out.Sentences[i] = d.u64()
		}
	}
	if n := int(d.uvarint(MaxTerms)); n > 0 && d.err == nil {
		out.Terms = make([]Term, n)
		for i := range out.Terms {
			text, weight, name := d.str(), math.Float32frombits(d.u32()), d.byte()
			if name > 1 && d.err == nil {
				d.err = fmt.Errorf("term name flag %d is neither 0 nor 1", name)
			}
			out.Terms[i] = Term{Text: text, Weight: weight, Name: name == 1}
		}
	}
	if n := int(d.uvarint(MaxContentSentences)); n > 0 && d.err == nil {
		// The section is the record's last: a sentence of u units takes
		// 1+2u bytes for 1+u values, so the rest of the record sizes it
		// exactly (clustering keeps it for every article).
		out.Content = make([]uint16, 0, min(n+max(len(d.b)-n, 0)/2, n*(1+MaxContentUnits)))
		for i := 0; i < n && d.err == nil; i++ {
			units := d.byte()
			if units > MaxContentUnits && d.err == nil {
				d.err = fmt.Errorf("sentence of %d content units, more than %d", units, MaxContentUnits)
			}
			out.Content = append(out.Content, uint16(units))
			for k := 0; k < int(units) && d.err == nil; k++ {
				out.Content = append(out.Content, d.u16())
			}
		}
		if d.err == nil {
			d.err = checkContent(out.Content)
		}
	}
	if d.err == nil && len(d.b) != 0 {
		d.err = fmt.Errorf("%d trailing bytes", len(d.b))
	}
	if d.err != nil {
		return fmt.Errorf("signature: corrupt record: %w", d.err)
	}
	*s = out
	return nil
}

type decoder struct {
	b   []byte
	err error
}

var errShort = errors.New("truncated")

func (d *decoder) uvarint(max uint64) uint64 {
	if d.err != nil {
		return 0
	}
	v, n := binary.Uvarint(d.b)
	if n <= 0 {
		d.err = errShort
		return 0
	}
	if n > 1 && d.b[n-1] == 0 {
		// A trailing zero group: an over-long encoding MarshalBinary never writes.
		d.err = errors.New("non-canonical varint")
		return 0
	}
	if v > max {
		d.err = fmt.Errorf("count %d exceeds %d", v, max)
		return 0
	}
	d.b = d.b[n:]
	return v
}

func (d *decoder) str() string {
	n := d.uvarint(maxStringLen)
	if d.err != nil {
		return ""
	}
	if uint64(len(d.b)) < n {
		d.err = errShort
		return ""
	}
	s := string(d.b[:n])
	d.b = d.b[n:]
	if !utf8.ValidString(s) {
		d.err = errors.New("string is not UTF-8")
	}
	return s
}

func (d *decoder) take(n int) []byte {
	if d.err != nil {
		return nil
	}
	if len(d.b) < n {
		d.err = errShort
		return nil
	}
	v := d.b[:n]
	d.b = d.b[n:]
	return v
}

// checkContent accepts what Computer writes to Signature.Content: at most
// MaxContentSentences sentences of at most MaxContentUnits units, each
// sentence's units strictly ascending, no partial sentence at the end.
func checkContent(c []uint16) error {
	for k := 0; len(c) > 0; k++ {
		n := int(c[0])
		switch {
		case k == MaxContentSentences:
			return fmt.Errorf("content of more than %d sentences", MaxContentSentences)
		case n > MaxContentUnits:
			return fmt.Errorf("sentence of %d content units, more than %d", n, MaxContentUnits)
		case n >= len(c):
			return errors.New("content ends inside a sentence")
		}
		for i := 2; i <= n; i++ {
			if c[i] <= c[i-1] {
				return errors.New("content units not strictly ascending")
			}
		}
		c = c[1+n:]
	}
	return nil
}

func (d *decoder) u16() uint16 {
	if v := d.take(2); v != nil {
		return binary.LittleEndian.Uint16(v)
	}
	return 0
}

func (d *decoder) u32() uint32 {
	if v := d.take(4); v != nil {
		return binary.LittleEndian.Uint32(v)
	}
	return 0
}

func (d *decoder) u64() uint64 {
	if v := d.take(8); v != nil {
		return binary.LittleEndian.Uint64(v)
	}
	return 0
}

func (d *decoder) byte() byte {
	if v := d.take(1); v != nil {
		return v[0]
	}
	return 0
}
