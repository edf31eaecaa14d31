package report

import (
	"bytes"
	"encoding/csv"
	"os"
	"reflect"
	"testing"
)

// FuzzReadJSON feeds arbitrary bytes to ReadJSON, the parser of stored
// reports, and every report it accepts through the three renderers: the
// JSON must round-trip exactly, the page must be safe HTML, and clusters.csv
// must read back with one guarded row per article.
func FuzzReadJSON(f *testing.F) {
	example, err := os.ReadFile("../../testdata/report/example.json")
	if err != nil {
		f.Fatal(err)
	}
	f.Add(example)
	f.Add([]byte(`{"schema":"newsdedup/report/v2"}`))
	f.Add([]byte(`{"schema":"newsdedup/report/v2","stories":[{"id":"=1","title":"<script>x</script>","articles":[{"key":"-a","title":"\"><img src=x onerror=alert(1)>","url":"javascript:alert(1)"}],"copies":[["-a",null]],"copy_groups":[{"id":"c","members":null,"pairs":[{"keys":["-a","b"],"containment":1e308,"passages":["</style>"]}]}]}],"rejected":[{"key":"\u2028","reason":""}]}`))
	f.Add([]byte(`{"schema":"newsdedup/report/v2"} {}`))
	f.Add([]byte(`{"schema":"newsdedup/report/v2","articles":-1,"stories":[{"articles":null,"rewrites":[["a","b"]]}]}`))
	f.Add([]byte(`{"schema":"newsdedup/report/v2","articles":2,"stories":[{"articles":[],"rewrites":[{"original":"a","rewrite":"b","direction":"unknown","aligned_sentences":4,"coverage":0.5,"pairs":[["x","y"]]}]}]}`))
	f.Fuzz(func(t *testing.T, data []byte) {
		rep, err := ReadJSON(bytes.NewReader(data))
		if err != nil {
			if rep != nil {
				t.Fatal("ReadJSON returned a report with an error")
			}
			return
		}
		if rep.Schema != Schema || rep.Stories == nil || rep.Rejected == nil {
			t.Fatalf("accepted report is not normalised: %+v", rep)
		}
		var js bytes.Buffer
		if err := WriteJSON(&js, rep); err != nil {
			t.Fatalf("WriteJSON of a report ReadJSON accepted: %v", err)
		}
		back, err := ReadJSON(bytes.NewReader(js.Bytes()))
		if err != nil {
			t.Fatalf("ReadJSON of WriteJSON output: %v\n%s", err, js.Bytes())
		}
		if !reflect.DeepEqual(back, rep) {
			t.Fatalf("JSON round trip changed the report:\n got %+v\nwant %+v", back, rep)
		}

		var page bytes.Buffer
		if err := WriteHTML(&page, rep); err != nil {
			t.Fatalf("WriteHTML: %v", err)
		}
		if err := checkSafeHTML(page.String()); err != nil {
			t.Fatal(err)
		}

		var cb bytes.Buffer
		if err := WriteCSV(&cb, rep); err != nil {
			t.Fatalf("WriteCSV: %v", err)
		}
		rows, err := csv.NewReader(&cb).ReadAll()
		if err != nil {
			t.Fatalf("clusters.csv does not read back: %v", err)
		}
		var keys []string
		for _, s := range rep.Stories {
			for _, a := range s.Articles {
				keys = append(keys, a.Key)
			}
		}
		if len(rows) != len(keys)+1 {
			t.Fatalf("clusters.csv has %d rows, want %d articles + header", len(rows), len(keys))
		}
		for i, row := range rows[1:] {
			for _, cell := range row {
				if cell != "" && (cell[0] == '=' || cell[0] == '+' || cell[0] == '-' || cell[0] == '@' || cell[0] == '\t' || cell[0] == '\r') {
					t.Fatalf("clusters.csv cell %q starts with a formula character", cell)
				}
			}
			// encoding/csv turns \r\n inside a quoted field into \n.
			if got, want := UncellCSV(row[0]), keys[i]; got != want && !bytes.Contains([]byte(want), []byte("\r")) {
				t.Fatalf("clusters.csv row %d key %q, want %q", i+1, got, want)
			}
		}
	})
}
