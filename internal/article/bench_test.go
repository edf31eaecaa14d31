package article

import (
	"path/filepath"
	"strings"
	"testing"
)

// benchText is a ~700-word plain-text article built from seed 002.
func benchText(b *testing.B) []byte {
	seed := string(readFile(b, seedPath(b, "002")))
	paras := strings.Split(seed, "\n")
	var sb strings.Builder
	for words := 0; words < 700; {
		for _, p := range paras {
			sb.WriteString(p + "\n")
			words += len(strings.Fields(p))
			if words >= 700 {
				break
			}
		}
	}
	return []byte(sb.String())
}

func BenchmarkParsePlain700(b *testing.B) {
	data := benchText(b)
	b.SetBytes(int64(len(data)))
	for b.Loop() {
		if _, err := Parse("b.txt", data, Limits{}); err != nil {
			b.Fatal(err)
		}
	}
}

func BenchmarkParseHTML(b *testing.B) {
	data := readFile(b, filepath.Join(fixtureDir, "article.html"))
	b.SetBytes(int64(len(data)))
	for b.Loop() {
		if _, err := Parse("b.html", data, Limits{}); err != nil {
			b.Fatal(err)
		}
	}
}

func BenchmarkExtractDate(b *testing.B) {
	text := string(benchText(b))
	for b.Loop() {
		ExtractDate(text)
	}
}

// BenchmarkParseLegacy parses the undeclared Shift_JIS and windows-1251
// samples: detection plus decoding.
func BenchmarkParseLegacy(b *testing.B) {
	var files [][]byte
	for _, s := range legacySamples {
		if s.label == "Shift_JIS" || s.label == "windows-1251" {
			files = append(files, legacyFiles(b, s)["plain.txt"])
		}
	}
	for b.Loop() {
		for _, data := range files {
			if _, err := Parse("b.txt", data, Limits{}); err != nil {
				b.Fatal(err)
			}
		}
	}
}
