package report

import (
	"bytes"
	"encoding/json"
	"reflect"
	"strings"
	"testing"
)

func TestJSONRoundTrip(t *testing.T) {
	tests := []struct {
		name string
		r    *Report
	}{
		{"example", exampleReport()},
		{"empty", &Report{Schema: Schema, GeneratedAt: "2024-01-01T00:00:00Z"}},
		{"nil slices inside", &Report{Schema: Schema, Stories: []Story{{ID: "s1", Evidence: []CopyGroup{{ID: "c1", Pairs: []Pair{{Keys: [2]string{"a", "b"}, Passages: []string{}}}}}, Copies: [][]string{nil}}}}},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			var first bytes.Buffer
			if err := WriteJSON(&first, tc.r); err != nil {
				t.Fatal(err)
			}
			got, err := ReadJSON(bytes.NewReader(first.Bytes()))
			if err != nil {
				t.Fatal(err)
			}
			if want := normalized(tc.r); !reflect.DeepEqual(got, want) {
				t.Fatalf("round trip changed the report:\n got %+v\nwant %+v", got, want)
			}
			var second bytes.Buffer
			if err := WriteJSON(&second, got); err != nil {
				t.Fatal(err)
			}
			if !bytes.Equal(first.Bytes(), second.Bytes()) {
				t.Fatalf("write(read(write(r))) differs from write(r):\n%s\n---\n%s", first.Bytes(), second.Bytes())
			}
			if bytes.Contains(first.Bytes(), []byte("null")) {
				t.Fatalf("output contains null:\n%s", first.Bytes())
			}
		})
	}
}

func TestWriteJSONDoesNotModifyInput(t *testing.T) {
	r := &Report{Stories: []Story{{ID: "s"}}}
	if err := WriteJSON(&bytes.Buffer{}, r); err != nil {
		t.Fatal(err)
	}
	if r.Schema != "" || r.Stories[0].Articles != nil || r.Rejected != nil {
		t.Fatalf("WriteJSON modified its input: %+v", r)
	}
}

// The fields other programs rely on are present, under their names, with
// [] rather than null for empty lists, and the output is indented.
func TestJSONRequiredFields(t *testing.T) {
	r := &Report{Stories: []Story{{ID: "s1", Articles: []Article{{Key: "a"}}}}, Rejected: []Rejected{{Key: "x", Reason: "y"}}}
	var buf bytes.Buffer
	if err := WriteJSON(&buf, r); err != nil {
		t.Fatal(err)
	}
	if !strings.HasPrefix(buf.String(), "{\n  \"schema\": \"newsdedup/report/v2\",\n") || !strings.HasSuffix(buf.String(), "}\n") {
		t.Fatalf("not indented as expected:\n%s", buf.String())
	}
	var doc map[string]any
	if err := json.Unmarshal(buf.Bytes(), &doc); err != nil {
		t.Fatal(err)
	}
	requireKeys(t, "report", doc, "schema", "generated_at", "articles", "stories", "rejected")
	story := doc["stories"].([]any)[0].(map[string]any)
	requireKeys(t, "story", story, "id", "title", "first_seen", "last_seen", "articles", "copies", "sources", "copy_groups")
	for _, k := range []string{"articles", "copies", "sources", "copy_groups"} {
		if _, ok := story[k].([]any); !ok {
			t.Errorf("story.%s = %#v, want a JSON array", k, story[k])
		}
	}
	if _, ok := story["rewrites"]; ok {
		t.Errorf("empty rewrites written, want it omitted")
	}
	requireKeys(t, "article", story["articles"].([]any)[0].(map[string]any), "key", "title", "source", "date")
	requireKeys(t, "rejected", doc["rejected"].([]any)[0].(map[string]any), "key", "reason")

	buf.Reset()
	if err := WriteJSON(&buf, &Report{}); err != nil {
		t.Fatal(err)
	}
	for _, want := range []string{`"stories": []`, `"rejected": []`, `"schema": "newsdedup/report/v2"`} {
		if !strings.Contains(buf.String(), want) {
			t.Errorf("empty report JSON lacks %s:\n%s", want, buf.String())
		}
	}
}

func requireKeys(t *testing.T, what string, m map[string]any, keys ...string) {
	t.Helper()
	for _, k := range keys {
		if _, ok := m[k]; !ok {
			t.Errorf("%s has no %q field: %v", what, k, m)
		}
	}
}

func TestReadJSONErrors(t *testing.T) {
	tests := []struct{ name, in, want string }{
		{"empty", "", "empty input"},
		{"not JSON", "<html>", "decode JSON"},
		{"array", "[]", "decode JSON"},
		{"wrong type", `{"schema":"newsdedup/report/v2","articles":"many"}`, "decode JSON"},
		{"no schema", `{"articles":1}`, `schema "", want "newsdedup/report/v2"`},
		{"other schema", `{"schema":"newsdedup/report/v1"}`, `schema "newsdedup/report/v1"`},
		{"trailing data", `{"schema":"newsdedup/report/v2"} {}`, "trailing data"},
		{"truncated", `{"schema":"newsdedup/report/v2","stories":[`, "decode JSON"},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			r, err := ReadJSON(strings.NewReader(tc.in))
			if err == nil {
				t.Fatalf("ReadJSON = %+v, want an error containing %q", r, tc.want)
			}
			if !strings.Contains(err.Error(), tc.want) {
				t.Fatalf("error %q does not contain %q", err, tc.want)
			}
		})
	}
}

func TestReadJSONAcceptsUnknownFields(t *testing.T) {
	r, err := ReadJSON(strings.NewReader(`{"schema":"newsdedup/report/v2","articles":2,"future":{"x":1},"stories":[{"id":"s","extra":true}]}` + "\n"))
	if err != nil {
		t.Fatal(err)
	}
	if r.Articles != 2 || len(r.Stories) != 1 || r.Stories[0].Articles == nil || r.Rejected == nil {
		t.Fatalf("ReadJSON = %+v", r)
	}
}

func TestNilReport(t *testing.T) {
	for name, write := range map[string]func() error{
		"json": func() error { return WriteJSON(&bytes.Buffer{}, nil) },
		"csv":  func() error { return WriteCSV(&bytes.Buffer{}, nil) },
		"html": func() error { return WriteHTML(&bytes.Buffer{}, nil) },
	} {
		if write() == nil {
			t.Errorf("%s: writing a nil report did not fail", name)
		}
	}
}
