package local

import (
	"bytes"
	"encoding/binary"
	"errors"
	"fmt"

	"github.com/newsdedup/newsdedup/internal/dedup"
	"github.com/newsdedup/newsdedup/internal/signature"
)

// Record values are stored in a small binary layout rather than JSON: JSON
// would replace invalid UTF-8 in keys and reasons taken from file names, and
// the conditional Put needs only the Seq, which this layout puts first.
//
// Version 1 (the key is the bbolt key, not repeated in the value):
//
//	byte     format version (1)
//	str      Seq
//	str      Status
//	str      Reason
//	str      ETag
//	str      Date
//	byte     1 if a signature follows, 0 if Sig is nil
//	str      signature.MarshalBinary output (only if the byte above is 1)
//
// where str is a uvarint byte length followed by the bytes.
const formatV1 = 1

var errCorrupt = errors.New("corrupt record")

func encodeRecord(rec dedup.Record) ([]byte, error) {
	var sig []byte
	if rec.Sig != nil {
		var err error
		if sig, err = rec.Sig.MarshalBinary(); err != nil {
			return nil, fmt.Errorf("marshal signature: %w", err)
		}
	}
	n := 2 + len(rec.Seq) + len(rec.Status) + len(rec.Reason) + len(rec.ETag) + len(rec.Date) + len(sig) + 6*binary.MaxVarintLen64
	b := make([]byte, 0, n)
	b = append(b, formatV1)
	for _, s := range []string{rec.Seq, string(rec.Status), rec.Reason, rec.ETag, rec.Date} {
		b = binary.AppendUvarint(b, uint64(len(s)))
		b = append(b, s...)
	}
	if rec.Sig == nil {
		return append(b, 0), nil
	}
	b = append(b, 1)
	b = binary.AppendUvarint(b, uint64(len(sig)))
	return append(b, sig...), nil
}

// decoder reads the fields of one value in order; the first error sticks.
type decoder struct {
	b   []byte
	err error
}

func (d *decoder) byte() byte {
	if d.err != nil {
		return 0
	}
	if len(d.b) == 0 {
		d.err = errCorrupt
		return 0
	}
	c := d.b[0]
	d.b = d.b[1:]
	return c
}

// bytes returns a subslice of the input: callers copy it (string(...)) before
// the bbolt transaction that owns the memory ends.
func (d *decoder) bytes() []byte {
	if d.err != nil {
		return nil
	}
	n, k := binary.Uvarint(d.b)
	if k <= 0 || n > uint64(len(d.b)-k) {
		d.err = errCorrupt
		return nil
	}
	s := d.b[k : k+int(n)]
	d.b = d.b[k+int(n):]
	return s
}

func newDecoder(v []byte) (*decoder, error) {
	d := &decoder{b: v}
	if ver := d.byte(); d.err == nil && ver != formatV1 {
		return nil, fmt.Errorf("%w: unknown format version %d (written by a newer newsdedup?)", errCorrupt, ver)
	}
	if d.err != nil {
		return nil, d.err
	}
	return d, nil
}

// decodeSeq reads only the Seq, for the conditional write.
func decodeSeq(v []byte) (string, error) {
	d, err := newDecoder(v)
	if err != nil {
		return "", err
	}
	seq := string(d.bytes())
	return seq, d.err
}

// decodeHeader reads everything but the signature, which Count does not need.
func decodeHeader(d *decoder, key []byte) dedup.Record {
	return dedup.Record{
		Key:    string(key),
		Seq:    string(d.bytes()),
		Status: dedup.Status(d.bytes()),
		Reason: string(d.bytes()),
		ETag:   string(d.bytes()),
		Date:   string(d.bytes()),
	}
}

func decodeRecord(key, v []byte) (dedup.Record, error) {
	d, err := newDecoder(v)
	if err != nil {
		return dedup.Record{}, err
	}
	rec := decodeHeader(d, key)
	switch flag := d.byte(); {
	case d.err != nil || flag == 0:
	case flag == 1:
		// Copy: raw points into bbolt's mmap, valid only inside the
		// transaction, and UnmarshalBinary may keep the slice.
		raw := bytes.Clone(d.bytes())
		if d.err == nil {
			rec.Sig = new(signature.Signature)
			if err := rec.Sig.UnmarshalBinary(raw); err != nil {
				return dedup.Record{}, fmt.Errorf("unmarshal signature: %w", err)
			}
		}
	default:
		d.err = fmt.Errorf("%w: bad signature flag %d", errCorrupt, flag)
	}
	if d.err == nil && len(d.b) != 0 {
		d.err = fmt.Errorf("%w: %d trailing bytes", errCorrupt, len(d.b))
	}
	if d.err != nil {
		return dedup.Record{}, d.err
	}
	return rec, nil
}
