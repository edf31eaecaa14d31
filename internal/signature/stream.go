package signature

import (
	"bufio"
	"encoding/binary"
	"errors"
	"fmt"
	"io"
)

// WriteStream writes signatures as a stream of records, each the uvarint
// length of its MarshalBinary encoding followed by the encoding: the file
// format the benchmark tools exchange.
func WriteStream(w io.Writer, sigs []*Signature) error {
	bw := bufio.NewWriterSize(w, 1<<20)
	for _, s := range sigs {
		b, err := s.MarshalBinary()
		if err != nil {
			return err
		}
		bw.Write(binary.AppendUvarint(nil, uint64(len(b))))
		bw.Write(b)
	}
	return bw.Flush()
}

// ReadStream reads what WriteStream wrote, calling fn for each signature in
// order; fn's error stops it and is returned.
func ReadStream(r io.Reader, fn func(*Signature) error) error {
	br := bufio.NewReaderSize(r, 1<<20)
	var buf []byte
	for k := 0; ; k++ {
		n, err := binary.ReadUvarint(br)
		if errors.Is(err, io.EOF) {
			return nil
		}
		if err != nil {
			return fmt.Errorf("signature stream, record %d: %w", k, err)
		}
		if n > maxEncoded {
			return fmt.Errorf("signature stream, record %d: %d bytes is larger than any valid record", k, n)
		}
		if uint64(cap(buf)) < n {
			buf = make([]byte, n)
		}
		buf = buf[:n]
		if _, err := io.ReadFull(br, buf); err != nil {
			return fmt.Errorf("signature stream, record %d: %w", k, err)
		}
		s := new(Signature)
		if err := s.UnmarshalBinary(buf); err != nil {
			return fmt.Errorf("signature stream, record %d: %w", k, err)
		}
		if err := fn(s); err != nil {
			return err
		}
	}
}
