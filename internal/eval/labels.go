package eval

import (
	"encoding/csv"
	"errors"
	"fmt"
	"io"
	"strings"
)

// ReadLabels reads a partition from CSV whose header starts with the
// columns article,story (case-insensitive, surrounding spaces and a UTF-8
// byte-order mark ignored). Further columns are allowed when the header
// names them, so the clusters.csv that newsdedup writes
// (article,story,copy_group) reads as its story partition.
//
// Every row must have as many fields as the header. Article keys are taken
// literally (no trimming) and must be non-empty and unique; an empty story
// means the article is in no story (a singleton, see Partition). Errors
// name the line of the input they refer to.
func ReadLabels(r io.Reader) (Partition, error) {
	cr := csv.NewReader(r)
	cr.FieldsPerRecord = -1 // checked here, with a clearer message
	cr.ReuseRecord = true

	header, err := cr.Read()
	if errors.Is(err, io.EOF) {
		return nil, errors.New("labels: empty input: missing header article,story")
	}
	if err != nil {
		return nil, fmt.Errorf("labels: %w", err)
	}
	if len(header) < 2 || !isName(header[0], "article", true) || !isName(header[1], "story", false) {
		return nil, fmt.Errorf("labels: line 1: header must start with article,story; got %q", strings.Join(header, ","))
	}
	cols := len(header)

	p := make(Partition)
	firstLine := make(map[string]int)
	for {
		rec, err := cr.Read()
		if errors.Is(err, io.EOF) {
			break
		}
		if err != nil {
			return nil, fmt.Errorf("labels: %w", err) // *csv.ParseError already says "record on line N"
		}
		line, _ := cr.FieldPos(0)
		if len(rec) != cols {
			return nil, fmt.Errorf("labels: line %d: want %d columns like the header, got %d", line, cols, len(rec))
		}
		article, story := rec[0], rec[1]
		if article == "" {
			return nil, fmt.Errorf("labels: line %d: empty article key", line)
		}
		if first, dup := firstLine[article]; dup {
			return nil, fmt.Errorf("labels: line %d: duplicate article %q (first on line %d)", line, article, first)
		}
		firstLine[article] = line
		p[article] = story
	}
	return p, nil
}

// isName reports whether a header cell is name, ignoring case, spaces and,
// in the first cell, a UTF-8 byte-order mark.
func isName(cell, name string, first bool) bool {
	if first {
		cell = strings.TrimPrefix(cell, "\uFEFF")
	}
	return strings.EqualFold(strings.TrimSpace(cell), name)
}
