package article

import (
	"errors"
	"path/filepath"
	"strings"
	"testing"
	"unicode/utf8"
)

// fixtures returns every seed and fixture file, plus a gzipped copy of one.
func fixtures(f *testing.F) [][]byte {
	var out [][]byte
	for _, pat := range []string{filepath.Join(seedDir, "*"), filepath.Join(fixtureDir, "*")} {
		paths, err := filepath.Glob(pat)
		if err != nil {
			f.Fatal(err)
		}
		for _, p := range paths {
			out = append(out, readFile(f, p))
		}
	}
	if len(out) < 9 {
		f.Fatalf("only %d fixtures found", len(out))
	}
	return append(out, gz(f, out[0]))
}

func FuzzParse(f *testing.F) {
	for _, b := range fixtures(f) {
		f.Add(b)
	}
	f.Add([]byte(`{"title":"t","text":["a"],"x":[[[]]]}`))
	f.Add([]byte("<html><head><title>x</title></head><body><article><p>y</p></article>"))
	f.Add([]byte("\xff\xfeh\x00i\x00"))
	for _, s := range legacySamples[:3] { // legacy charsets, declared and not
		for _, data := range legacyFiles(f, s) {
			f.Add(data)
		}
	}
	f.Fuzz(func(t *testing.T, data []byte) {
		for _, key := range []string{"f.txt", "f.html", "f.json"} {
			a, err := Parse(key, data, Limits{MaxBytes: 1 << 20})
			if err != nil {
				var re *RejectError
				if !errors.As(err, &re) {
					t.Fatalf("error is %T, not *RejectError: %v", err, err)
				}
				if re.Reason == "" || re.Reason == reasonInternal || re.Key != key {
					t.Fatalf("bad rejection %+v", re)
				}
				continue
			}
			if a.Text == "" || a.Key != key {
				t.Fatalf("accepted without text: %+v", a)
			}
			checkArticle(t, a)
		}
	})
}

func FuzzExtractDate(f *testing.F) {
	for _, b := range fixtures(f) {
		f.Add(string(b))
	}
	for _, s := range []string{"December 7, 2023", "7 Dec. 2023", "2023-12-07", "on 7 December © 2023", "Sept 31, 2019"} {
		f.Add(s)
	}
	f.Fuzz(func(t *testing.T, s string) {
		d := ExtractDate(s)
		if d == "" {
			return
		}
		if len(d) != 10 || validDate(atoi(d[:4]), atoi(d[5:7]), atoi(d[8:])) != d {
			t.Fatalf("ExtractDate(%q) = %q, not a valid YYYY-MM-DD", s, d)
		}
		// The year must be written in the input: dates are never invented.
		if !strings.Contains(s, d[:4]) || !utf8.ValidString(d) {
			t.Fatalf("ExtractDate(%q) = %q: year not in input", s, d)
		}
		if m := metaDate(s); m == "" && len(strings.TrimSpace(s)) <= 100 {
			t.Fatalf("metaDate(%q) empty but ExtractDate found %q", s, d)
		}
	})
}
