package report

import (
	"encoding/csv"
	"errors"
	"fmt"
	"io"
)

// CSVHeader is the header row of clusters.csv.
var CSVHeader = []string{"article", "story", "copy_group", "rewrite_of"}

// WriteCSV writes clusters.csv: the header article,story,copy_group,rewrite_of
// and one row per article of every story, in report order. copy_group is the
// article's CopyGroup, or failing that the ID of the copy group in
// Story.Evidence that lists it as a member, or empty when it has none.
// rewrite_of is the key of the original the article retells (the first of
// the story's Rewrites naming it), or empty.
//
// Keys come from uploaded file names, so every cell goes through
// CSVCell to keep spreadsheets from running it as a formula.
func WriteCSV(w io.Writer, r *Report) error {
	if r == nil {
		return errors.New("report: WriteCSV of a nil report")
	}
	cw := csv.NewWriter(w)
	if err := cw.Write(CSVHeader); err != nil {
		return fmt.Errorf("report: write CSV: %w", err)
	}
	row := make([]string, len(CSVHeader))
	for _, s := range r.Stories {
		groupOf := make(map[string]string)
		for _, g := range s.Evidence {
			for _, m := range g.Members {
				if _, ok := groupOf[m]; !ok {
					groupOf[m] = g.ID
				}
			}
		}
		rewriteOf := make(map[string]string)
		for _, rw := range s.Rewrites {
			if _, ok := rewriteOf[rw.Rewrite]; !ok {
				rewriteOf[rw.Rewrite] = rw.Original
			}
		}
		for _, a := range s.Articles {
			group := a.CopyGroup
			if group == "" {
				group = groupOf[a.Key]
			}
			row[0], row[1], row[2], row[3] = CSVCell(a.Key), CSVCell(s.ID), CSVCell(group), CSVCell(rewriteOf[a.Key])
			if err := cw.Write(row); err != nil {
				return fmt.Errorf("report: write CSV: %w", err)
			}
		}
	}
	cw.Flush()
	if err := cw.Error(); err != nil {
		return fmt.Errorf("report: write CSV: %w", err)
	}
	return nil
}

// CSVCell guards one cell against CSV formula injection (OWASP): a cell
// that begins with '=', '+', '-', '@', a tab or a carriage return would be
// evaluated by a spreadsheet, so it gets a leading apostrophe, which makes
// the spreadsheet treat it as text. A cell that already begins with an
// apostrophe gets one too, so the mapping can be undone without ambiguity
// by UncellCSV.
func CSVCell(s string) string {
	if s == "" {
		return s
	}
	switch s[0] {
	case '=', '+', '-', '@', '\t', '\r', '\'':
		return "'" + s
	}
	return s
}

// UncellCSV undoes CSVCell: it drops the apostrophe CSVCell added, and
// returns any other cell unchanged.
func UncellCSV(s string) string {
	if len(s) >= 2 && s[0] == '\'' {
		switch s[1] {
		case '=', '+', '-', '@', '\t', '\r', '\'':
			return s[1:]
		}
	}
	return s
}
