package eval

import (
	"bytes"
	"encoding/csv"
	"maps"
	"os"
	"sort"
	"strings"
	"testing"
)

// FuzzReadLabels: ReadLabels never panics; what it accepts has non-empty
// keys, and written back as CSV reads back as the same partition.
func FuzzReadLabels(f *testing.F) {
	labels, err := os.ReadFile("../../testdata/basil/labels.csv")
	if err != nil {
		f.Fatal(err)
	}
	f.Add(labels)
	example, err := os.ReadFile("../../testdata/report/example.csv")
	if err != nil {
		f.Fatal(err)
	}
	f.Add(example)
	for _, s := range []string{
		"", "article,story\n", "\uFEFF Article , STORY\r\na.txt,s1\r\n",
		"article,story\n\"2024/x, y.txt\",s1\nlone.txt,\n", "article,story\na\"b.txt,s1\n",
		"article,story\n\"multi\nline.txt\",s1\nb.txt\n", "article,story,copy_group\n'=a,s,c\n",
	} {
		f.Add([]byte(s))
	}
	f.Fuzz(func(t *testing.T, data []byte) {
		p, err := ReadLabels(bytes.NewReader(data))
		if err != nil {
			if p != nil {
				t.Fatal("ReadLabels returned a partition with an error")
			}
			if !strings.HasPrefix(err.Error(), "labels: ") {
				t.Fatalf("error %q does not say it is about labels", err)
			}
			return
		}
		keys := make([]string, 0, len(p))
		for k := range p {
			if k == "" {
				t.Fatal("accepted an empty article key")
			}
			keys = append(keys, k)
		}
		sort.Strings(keys)
		var buf bytes.Buffer
		w := csv.NewWriter(&buf)
		w.Write([]string{"article", "story"})
		for _, k := range keys {
			w.Write([]string{k, p[k]})
		}
		w.Flush()
		back, err := ReadLabels(&buf)
		if err != nil {
			t.Fatalf("labels written back do not read: %v\n%q", err, buf.String())
		}
		// encoding/csv reads "\r\n" inside a quoted field as "\n": the
		// only change a round trip may make.
		crlf := false
		for k, v := range p {
			crlf = crlf || strings.Contains(k+v, "\r")
		}
		if !maps.Equal(back, p) && !crlf {
			t.Fatalf("round trip: got %v, want %v", back, p)
		}
	})
}
