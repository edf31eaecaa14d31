package reportschema

import (
	"bytes"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/newsdedup/newsdedup/internal/report"
)

func TestExampleReportIsValid(t *testing.T) {
	data, err := os.ReadFile(filepath.Join("..", "..", "testdata", "report", "example.json"))
	if err != nil {
		t.Fatal(err)
	}
	if err := Validate(data); err != nil {
		t.Fatal(err)
	}
}

func TestSmallReportsAreValid(t *testing.T) {
	for name, r := range map[string]*report.Report{
		"empty": {GeneratedAt: "2024-01-02T03:00:00Z"},
		"tracked": func() *report.Report {
			r := &report.Report{GeneratedAt: "2024-01-03T03:00:00Z", Articles: 1, Stories: []report.Story{{
				ID: "s-1", Title: "T", Articles: []report.Article{{Key: "a", Title: "T", Date: "2024-01-02", URL: "https://x.example/a"}},
			}}}
			report.Track(r, &report.Previous{GeneratedAt: "2024-01-02T03:00:00Z", Stories: map[string][]string{"s-0": {"a"}}})
			return r
		}(),
	} {
		var b bytes.Buffer
		if err := report.WriteJSON(&b, r); err != nil {
			t.Fatal(err)
		}
		if err := Validate(b.Bytes()); err != nil {
			t.Errorf("%s: %v\n%s", name, err, b.String())
		}
	}
}

// The schema must refuse what is not a v2 report: each of these breaks one rule.
func TestInvalidReports(t *testing.T) {
	valid := `{"schema":"newsdedup/report/v2","generated_at":"2024-01-03T03:00:00Z","articles":1,"stories":[` +
		`{"id":"s-1","title":"T","first_seen":"","last_seen":"","sources":[],"articles":[{"key":"a","title":"T","source":"","date":"","language":"en"}],` +
		`"copies":[],"copy_groups":[],"status":"new","new_articles":["a"],` +
		`"rewrites":[{"original":"a","rewrite":"b","direction":"by_date","aligned_sentences":3,"coverage":0.5,"pairs":[["x","y"]]}]}],"rejected":[]}`
	if err := Validate([]byte(valid)); err != nil {
		t.Fatalf("the valid base report: %v", err)
	}
	for name, edit := range map[string][2]string{
		"v1 schema":          {`report/v2`, `report/v1`},
		"bad time":           {`2024-01-03T03:00:00Z`, `yesterday`},
		"unknown status":     {`"status":"new"`, `"status":"old"`},
		"no status":          {`"status":"new",`, ``},
		"undocumented field": {`"title":"T","first`, `"title":"T","colour":"red","first`},
		"bad language":       {`"language":"en"`, `"language":"English"`},
		"bad direction":      {`"by_date"`, `"by_length"`},
		"coverage over 1":    {`"coverage":0.5`, `"coverage":1.5`},
		"javascript url":     {`"language":"en"`, `"language":"en","url":"javascript:alert(1)"`},
		"bad date":           {`"first_seen":""`, `"first_seen":"7 Dec"`},
		"not JSON":           {`{"schema"`, `{schema`},
	} {
		bad := strings.Replace(valid, edit[0], edit[1], 1)
		if bad == valid {
			t.Fatalf("%s: the edit does not apply", name)
		}
		if err := Validate([]byte(bad)); err == nil {
			t.Errorf("%s: accepted", name)
		}
	}
}

// The example in docs/REPORT.md is a valid report: the documentation and
// the schema cannot drift apart.
func TestDocumentedExampleIsValid(t *testing.T) {
	doc, err := os.ReadFile(filepath.Join("..", "..", "docs", "REPORT.md"))
	if err != nil {
		t.Fatal(err)
	}
	_, rest, ok := strings.Cut(string(doc), "```json\n")
	example, _, closed := strings.Cut(rest, "```")
	if !ok || !closed {
		t.Fatal("docs/REPORT.md has no ```json example")
	}
	if err := Validate([]byte(example)); err != nil {
		t.Fatal(err)
	}
	if _, err := report.ReadJSON(strings.NewReader(example)); err != nil {
		t.Fatal(err)
	}
}
