package report

import (
	"encoding/json"
	"errors"
	"fmt"
	"io"
)

// WriteJSON writes r as indented JSON followed by a newline. The output is
// stable: the same Report gives the same bytes, list fields are written as
// [] rather than null when empty, and an empty Schema is written as the
// current Schema. r itself is not modified.
func WriteJSON(w io.Writer, r *Report) error {
	if r == nil {
		return errors.New("report: WriteJSON of a nil report")
	}
	b, err := json.MarshalIndent(normalized(r), "", "  ")
	if err != nil {
		return fmt.Errorf("report: encode JSON: %w", err)
	}
	b = append(b, '\n')
	_, err = w.Write(b)
	return err
}

// ReadJSON reads a report written by WriteJSON. It accepts unknown fields
// (newer writers may add some without a schema change) but refuses another
// schema, trailing data after the report, and an input that is not one JSON
// object. List fields come back as empty slices, never nil, so a round trip
// gives back an equal Report.
func ReadJSON(r io.Reader) (*Report, error) {
	var rep Report
	if err := decodeOne(r, &rep, &rep.Schema); err != nil {
		return nil, err
	}
	return normalized(&rep), nil
}

// decodeOne decodes one report from r into v, refusing trailing data and
// any schema but Schema (*schema is where v's schema field lands).
func decodeOne(r io.Reader, v any, schema *string) error {
	dec := json.NewDecoder(r)
	if err := dec.Decode(v); err != nil {
		if errors.Is(err, io.EOF) {
			return errors.New("report: empty input")
		}
		return fmt.Errorf("report: decode JSON: %w", err)
	}
	if _, err := dec.Token(); !errors.Is(err, io.EOF) {
		return errors.New("report: trailing data after the report")
	}
	if *schema != Schema {
		return fmt.Errorf("report: schema %q, want %q", *schema, Schema)
	}
	return nil
}

// normalized returns a copy of r whose list fields are non-nil, except the
// omitempty ones (Rewrites, MergedFrom, Passages), which stay nil when empty so that
// they are left out rather than written as [].
func normalized(r *Report) *Report {
	out := *r
	if out.Schema == "" {
		out.Schema = Schema
	}
	out.Stories = make([]Story, len(r.Stories))
	for i, s := range r.Stories {
		s.Sources = nonNil(s.Sources)
		s.Articles = nonNil(s.Articles)
		copies := make([][]string, len(s.Copies))
		for j, c := range s.Copies {
			copies[j] = nonNil(c)
		}
		s.Copies = copies
		groups := make([]CopyGroup, len(s.Evidence))
		for j, g := range s.Evidence {
			g.Members = nonNil(g.Members)
			pairs := make([]Pair, len(g.Pairs))
			for k, p := range g.Pairs {
				if len(p.Passages) == 0 {
					p.Passages = nil
				}
				pairs[k] = p
			}
			g.Pairs = pairs
			groups[j] = g
		}
		s.Evidence = groups
		s.NewArticles = nonNil(s.NewArticles)
		if len(s.MergedFrom) == 0 {
			s.MergedFrom = nil
		}
		if len(s.Rewrites) == 0 {
			s.Rewrites = nil
		} else {
			rws := make([]Rewrite, len(s.Rewrites))
			for j, rw := range s.Rewrites {
				rw.Pairs = nonNil(rw.Pairs)
				rws[j] = rw
			}
			s.Rewrites = rws
		}
		out.Stories[i] = s
	}
	out.Rejected = nonNil(r.Rejected)
	return &out
}

// nonNil returns s, or an empty slice if s is nil. It does not copy: the
// caller only reads the elements.
func nonNil[T any](s []T) []T {
	if s == nil {
		return []T{}
	}
	return s
}
