package report

import (
	"bytes"
	"encoding/csv"
	"reflect"
	"strings"
	"testing"
)

func TestWriteCSV(t *testing.T) {
	r := &Report{Stories: []Story{
		{
			ID: "s1",
			Articles: []Article{
				{Key: "a.txt", CopyGroup: "c1"},
				{Key: "b, with comma.txt"},     // in c1 only through Evidence
				{Key: "c \"quoted\".txt"},      // in no copy group
				{Key: "=HYPERLINK(\"x\").txt"}, // formula
			},
			Evidence: []CopyGroup{{ID: "c1", Members: []string{"a.txt", "b, with comma.txt"}}},
			Rewrites: []Rewrite{
				{Original: "=HYPERLINK(\"x\").txt", Rewrite: "c \"quoted\".txt"},
				{Original: "a.txt", Rewrite: "c \"quoted\".txt"}, // a second original: the first is shown
			},
		},
		{ID: "-s2", Articles: []Article{{Key: "+1.txt", CopyGroup: "@c"}}},
		{ID: "s3"}, // no articles, no rows
	}}
	var buf bytes.Buffer
	if err := WriteCSV(&buf, r); err != nil {
		t.Fatal(err)
	}
	rows, err := csv.NewReader(bytes.NewReader(buf.Bytes())).ReadAll()
	if err != nil {
		t.Fatalf("output is not CSV: %v\n%s", err, buf.String())
	}
	want := [][]string{
		{"article", "story", "copy_group", "rewrite_of"},
		{"a.txt", "s1", "c1", ""},
		{"b, with comma.txt", "s1", "c1", ""},
		{"c \"quoted\".txt", "s1", "", "'=HYPERLINK(\"x\").txt"},
		{"'=HYPERLINK(\"x\").txt", "s1", "", ""},
		{"'+1.txt", "'-s2", "'@c", ""},
	}
	if !reflect.DeepEqual(rows, want) {
		t.Fatalf("rows:\n got %q\nwant %q", rows, want)
	}
}

func TestWriteCSVExample(t *testing.T) {
	r := exampleReport()
	var buf bytes.Buffer
	if err := WriteCSV(&buf, r); err != nil {
		t.Fatal(err)
	}
	rows, err := csv.NewReader(bytes.NewReader(buf.Bytes())).ReadAll()
	if err != nil {
		t.Fatal(err)
	}
	n := 0
	for _, s := range r.Stories {
		n += len(s.Articles)
	}
	if len(rows) != n+1 {
		t.Fatalf("%d rows, want header + %d articles", len(rows), n)
	}
	for i, row := range rows {
		for _, cell := range row {
			if cell != "" && strings.ContainsRune("=+-@\t\r", rune(cell[0])) {
				t.Errorf("row %d: cell %q would run as a formula", i+1, cell)
			}
		}
	}
	// The rejected file named like a formula is not an article, so it is
	// not in clusters.csv at all; the hostile key is, guarded or not.
	if !strings.Contains(buf.String(), "etc/passwd") {
		t.Errorf("hostile key missing from CSV")
	}
}

func TestCSVCell(t *testing.T) {
	tests := []struct{ in, want string }{
		{"", ""},
		{"plain.txt", "plain.txt"},
		{"=1+1", "'=1+1"},
		{"+44 20 7946 0000.txt", "'+44 20 7946 0000.txt"},
		{"-2.txt", "'-2.txt"},
		{"@SUM(A1)", "'@SUM(A1)"},
		{"\t=1", "'\t=1"},
		{"\r=1", "'\r=1"},
		{"'quoted", "''quoted"},
		{"a=b", "a=b"},
		{" =1", " =1"}, // spreadsheets do not evaluate a leading space
		{"é=1", "é=1"},
	}
	for _, tc := range tests {
		if got := CSVCell(tc.in); got != tc.want {
			t.Errorf("CSVCell(%q) = %q, want %q", tc.in, got, tc.want)
		}
		if back := UncellCSV(CSVCell(tc.in)); back != tc.in {
			t.Errorf("UncellCSV(CSVCell(%q)) = %q", tc.in, back)
		}
	}
	// Cells CSVCell never produces are left alone.
	for _, s := range []string{"'", "'a", "a'"} {
		if got := UncellCSV(s); got != s {
			t.Errorf("UncellCSV(%q) = %q, want it unchanged", s, got)
		}
	}
}

func FuzzCSVCell(f *testing.F) {
	for _, s := range []string{"", "=", "''=", "a", "-1", "'"} {
		f.Add(s)
	}
	f.Fuzz(func(t *testing.T, s string) {
		c := CSVCell(s)
		if c != "" && strings.ContainsRune("=+-@\t\r", rune(c[0])) {
			t.Fatalf("CSVCell(%q) = %q starts with a formula character", s, c)
		}
		if back := UncellCSV(c); back != s {
			t.Fatalf("UncellCSV(CSVCell(%q)) = %q", s, back)
		}
	})
}
