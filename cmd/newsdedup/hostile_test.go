package main

import (
	"bytes"
	"compress/gzip"
	"encoding/csv"
	"fmt"
	"io/fs"
	"math/rand/v2"
	"os"
	"path/filepath"
	"sort"
	"strings"
	"testing"

	"golang.org/x/net/html"
	"golang.org/x/text/encoding/unicode"

	"github.com/newsdedup/newsdedup/internal/article"
	"github.com/newsdedup/newsdedup/internal/report"
)

// The hostile corpus: testdata/hostile (small text files, committed) plus
// files generated here (binary, huge, deeply nested, or with names some
// file systems refuse), next to copies of the five seeds. Every file has an
// expected outcome; see hostileCorpus.

const (
	hostileDir = "../../testdata/hostile"
	seedsDir   = "../../testdata/seeds"

	// The strings a hostile uploader plants in titles, sources and file
	// names. If the report page ever ran one, the document title would
	// read PWNED.
	scriptTitle = `<script>document.title='PWNED'</script>`
	imgTitle    = `"><img src=x onerror="document.title='PWNED'">`
)

// hostileCase is one file of the corpus and what newsdedup must do with it.
type hostileCase struct {
	key    string // path relative to the corpus root, slash-separated
	reason string // the rejection reason in report.json; "" means accepted as an article
	title  string // for accepted files: the title report.json must show
	hidden bool   // a name starting with "." (Folder.Walk skips it): in neither list
}

const wireTitle = "Mountain pass closed after rockfall"

// committedCases are the files of testdata/hostile.
var committedCases = []hostileCase{
	{key: "empty.txt", reason: "empty file"},
	{key: "whitespace.txt", reason: "empty file"},
	{key: "malformed.json", reason: "invalid JSON: unexpected end of JSON input"},
	{key: "malformed.html", title: "Harbour ferry timetable changes from Monday"},
	{key: "script-title.json", title: scriptTitle},
	{key: "img-title.txt", title: imgTitle},
	// One wire text under awkward names: spaces, '+', unicode, a leading
	// '-' or '=' (spreadsheet formula injection), ".." inside a folder name.
	{key: "with space.txt", title: wireTitle},
	{key: "plus+sign.txt", title: wireTitle},
	{key: "café 日本.txt", title: wireTitle},
	{key: "-leading-dash.txt", title: wireTitle},
	{key: "=SUM(1+1).txt", title: wireTitle},
	{key: "dots..in..name/article.txt", title: wireTitle},
}

// article texts for generated files, unrelated to the seeds' story.
const (
	regattaText = "Sailing regatta postponed by storm warning\n\n" +
		"The annual sailing regatta on the northern lake was postponed until next weekend after forecasters issued " +
		"a storm warning for Saturday afternoon. Organisers said the forty crews already registered keep their places " +
		"and the harbour party will go ahead as planned on the quay."
	choirText = "School choir wins national title\n\n" +
		"A secondary school choir from the eastern valley won the national youth choir competition on Saturday, " +
		"beating twelve other finalists with a programme of folk songs arranged by their music teacher. The pupils " +
		"rehearsed every lunch break for six months and will perform at the capital's spring festival in April."
	orchestraText = "Deep nesting does not hide the orchestra's news: the city orchestra announced on Monday that " +
		"its new concert hall will open in September with a free weekend of rehearsals for schools, after three " +
		"years of building work beside the old tram depot."
)

// hostileCorpus builds the corpus in a fresh folder and returns it with
// every file's expected outcome (the seeds not included).
func hostileCorpus(t testing.TB) (string, []hostileCase) {
	t.Helper()
	dir := t.TempDir()
	cases := append([]hostileCase(nil), committedCases...)

	// Seeds and committed files, copied as they are.
	copyTree(t, seedsDir, dir)
	copyTree(t, hostileDir, dir)

	write := func(key string, data []byte) {
		t.Helper()
		p := filepath.Join(dir, filepath.FromSlash(key))
		if err := os.MkdirAll(filepath.Dir(p), 0o755); err != nil {
			t.Fatal(err)
		}
		if err := os.WriteFile(p, data, 0o644); err != nil {
			t.Fatal(err)
		}
	}
	add := func(c hostileCase, data []byte) {
		t.Helper()
		write(c.key, data)
		cases = append(cases, c)
	}

	// Binary uploads: a minimal PDF, a JPEG header, random bytes (seeded).
	add(hostileCase{key: "document.pdf", reason: "binary content (PDF)"},
		[]byte("%PDF-1.7\n%\xe2\xe3\xcf\xd3\n1 0 obj\n<< /Type /Catalog /Pages 2 0 R >>\nendobj\n"+
			"2 0 obj\n<< /Type /Pages /Kids [] /Count 0 >>\nendobj\ntrailer\n<< /Root 1 0 R >>\n%%EOF\n"))
	add(hostileCase{key: "photo.jpg", reason: "binary content (JPEG)"},
		append([]byte("\xff\xd8\xff\xe0\x00\x10JFIF\x00\x01\x01\x00\x00\x01\x00\x01\x00\x00\xff\xdb\x00\x43\x00"), bytes.Repeat([]byte{8}, 64)...))
	rnd := make([]byte, 64<<10)
	rng := rand.NewChaCha8([32]byte{'h', 'o', 's', 't', 'i', 'l', 'e'})
	rng.Read(rnd)
	add(hostileCase{key: "random.bin", reason: "binary content"}, rnd)

	// Encodings: undeclared Latin-1 is detected and decoded; UTF-16 with a
	// BOM is decoded; high bytes that no charset explains are rejected.
	add(hostileCase{key: "latin1.txt", title: "Café owners protest new terrace rules"},
		[]byte("Caf\xe9 owners protest new terrace rules\n\nThe owners of every caf\xe9 on the old square signed a letter "+
			"on Tuesday against the council's plan to charge a yearly fee for tables on the pavement, saying the season is short enough."))
	noise := make([]byte, 0, 4096)
	for _, c := range rnd {
		if c >= 0xa0 || c == ' ' {
			noise = append(noise, c)
		}
	}
	add(hostileCase{key: "high-bytes.txt", reason: "unknown text encoding (not UTF-8, none declared; gb18030 or euc-jp)"}, noise)
	for _, enc := range []struct {
		key string
		e   unicode.Endianness
	}{{"utf16le.txt", unicode.LittleEndian}, {"utf16be.txt", unicode.BigEndian}} {
		b, err := unicode.UTF16(enc.e, unicode.UseBOM).NewEncoder().Bytes([]byte(regattaText))
		if err != nil {
			t.Fatal(err)
		}
		add(hostileCase{key: enc.key, title: "Sailing regatta postponed by storm warning"}, b)
	}

	// Size: 50 MiB of plain text, and a gzip bomb that inflates to 1 GiB.
	// The bomb is 1024 concatenated gzip members of 1 MiB each (~1 MiB on
	// disk): valid gzip (RFC 1952 allows members to follow one another),
	// and far quicker to make than one 1 GiB stream.
	line := []byte("All work and no play makes a very large upload that nobody should have to read in full.\n")
	add(hostileCase{key: "huge.txt", reason: fmt.Sprintf("file larger than %d bytes", article.DefaultMaxBytes)},
		bytes.Repeat(line, 50<<20/len(line)+1))
	member := gzipBytes(t, bytes.Repeat([]byte("bomb "), 1<<20/5))
	add(hostileCase{key: "bomb.txt.gz", reason: "decompressed size exceeds limit"}, bytes.Repeat(member, 1024))
	add(hostileCase{key: "nested.txt.gz", reason: "gzip nested too deeply"},
		gzipBytes(t, gzipBytes(t, gzipBytes(t, []byte(choirText)))))

	// Nesting: 100,000 divs around a real article (its text survives),
	// a million divs and nothing else (under 5 MiB, no text), JSON 100,000
	// levels deep (refused before decoding).
	deep := "<html><head><title>Orchestra opens new hall in September</title></head><body>" +
		strings.Repeat("<div>", 100_000) + "<p>" + orchestraText + "</p>" + strings.Repeat("</div>", 100_000) + "</body></html>"
	add(hostileCase{key: "deep.html", title: "Orchestra opens new hall in September"}, []byte(deep))
	add(hostileCase{key: "deep-empty.html", reason: "no article text"}, bytes.Repeat([]byte("<div>"), 1_000_000))
	add(hostileCase{key: "deep.json", reason: "invalid JSON: nested deeper than 64 levels"},
		[]byte(strings.Repeat(`{"a":`, 100_000)+`"x"`+strings.Repeat("}", 100_000)))
	add(hostileCase{key: "deep-array.json", reason: "invalid JSON: nested deeper than 64 levels"},
		[]byte(strings.Repeat("[", 100_000)+strings.Repeat("]", 100_000)))

	// Names some file systems refuse (so they are not committed): markup
	// and quotes in the key itself.
	add(hostileCase{key: imgTitle + ".txt", title: "School choir wins national title"}, []byte(choirText))
	add(hostileCase{key: "<script>alert(1)<", title: "School choir wins national title"}, []byte(choirText))
	// Names that are not text: Latin-1 bytes (refused: signatures and
	// reports hold UTF-8), a newline, a terminal escape, a bidi override.
	add(hostileCase{key: "caf\xe9.txt", reason: "file name is not valid UTF-8"}, []byte(choirText))
	add(hostileCase{key: "new\nline.txt", title: "School choir wins national title"}, []byte(choirText))
	add(hostileCase{key: "esc\x1b[31mred.txt", title: "School choir wins national title"}, []byte(choirText))
	add(hostileCase{key: "bidi\u202etxt.exe", title: "School choir wins national title"}, []byte(choirText))
	// A folder whose name starts with "..": hidden, like any dot name.
	add(hostileCase{key: "..dots/article.txt", hidden: true}, []byte(choirText))
	return dir, cases
}

func gzipBytes(t testing.TB, data []byte) []byte {
	t.Helper()
	var buf bytes.Buffer
	zw, err := gzip.NewWriterLevel(&buf, gzip.BestCompression)
	if err != nil {
		t.Fatal(err)
	}
	if _, err := zw.Write(data); err != nil {
		t.Fatal(err)
	}
	if err := zw.Close(); err != nil {
		t.Fatal(err)
	}
	return buf.Bytes()
}

// copyTree copies the regular files under src into dst, keeping their paths.
func copyTree(t testing.TB, src, dst string) {
	t.Helper()
	err := filepath.WalkDir(src, func(p string, d fs.DirEntry, err error) error {
		if err != nil || d.IsDir() {
			return err
		}
		rel, err := filepath.Rel(src, p)
		if err != nil {
			return err
		}
		data, err := os.ReadFile(p)
		if err != nil {
			return err
		}
		if err := os.MkdirAll(filepath.Join(dst, filepath.Dir(rel)), 0o755); err != nil {
			return err
		}
		return os.WriteFile(filepath.Join(dst, rel), data, 0o644)
	})
	if err != nil {
		t.Fatal(err)
	}
}

func seedKeys(t testing.TB) []string {
	t.Helper()
	paths, err := filepath.Glob(filepath.Join(seedsDir, "*.txt"))
	if err != nil || len(paths) != 5 {
		t.Fatalf("seeds: %v %v", paths, err)
	}
	keys := make([]string, len(paths))
	for i, p := range paths {
		keys[i] = filepath.Base(p)
	}
	return keys
}

// TestHostileCorpus runs newsdedup over the hostile corpus mixed with the
// seeds: the run succeeds, every file is either an article or a rejection
// with the expected reason, and the seeds cluster exactly as they do alone.
func TestHostileCorpus(t *testing.T) {
	dir, cases := hostileCorpus(t)
	out := t.TempDir()
	code, stdout, stderr := runCLI(t, "run", "--out", out, dir)
	if code != 0 {
		t.Fatalf("run over the hostile corpus: exit %d\n%s", code, stderr)
	}
	t.Log(strings.TrimSpace(stdout))
	rep := readReport(t, out)
	checkPagesInert(t, out, len(rep.Stories))

	articles := map[string]report.Article{}
	for _, s := range rep.Stories {
		for _, a := range s.Articles {
			if _, dup := articles[a.Key]; dup {
				t.Errorf("article %q appears twice in the report", a.Key)
			}
			articles[a.Key] = a
		}
	}
	rejected := map[string]string{}
	for _, r := range rep.Rejected {
		if _, dup := rejected[r.Key]; dup {
			t.Errorf("rejection %q listed twice", r.Key)
		}
		rejected[r.Key] = r.Reason
	}

	// Every file has exactly the expected outcome.
	wantArticles, wantRejected := len(seedKeys(t)), 0
	for _, c := range cases {
		// report.json is UTF-8: a key that is not shows with U+FFFD.
		key := strings.ToValidUTF8(c.key, "\uFFFD")
		a, isArticle := articles[key]
		reason, isRejected := rejected[key]
		switch {
		case c.hidden:
			if isArticle || isRejected {
				t.Errorf("%q: hidden name, yet it is in the report (article %v, rejected %q)", c.key, isArticle, reason)
			}
		case c.reason != "":
			wantRejected++
			if !isRejected {
				t.Errorf("%q: want rejected (%s), got article %v", c.key, c.reason, isArticle)
			} else if reason != c.reason {
				t.Errorf("%q: rejected with reason %q, want %q", c.key, reason, c.reason)
			}
		default:
			wantArticles++
			if !isArticle {
				t.Errorf("%q: want accepted, got rejected %q", c.key, reason)
			} else if a.Title != c.title {
				t.Errorf("%q: title %q, want %q", c.key, a.Title, c.title)
			}
		}
	}
	// Nothing else: no file is silently dropped or invented.
	if rep.Articles != wantArticles || len(articles) != wantArticles || len(rep.Rejected) != wantRejected {
		t.Errorf("report: %d articles (%d in stories), %d rejected; want %d and %d",
			rep.Articles, len(articles), len(rep.Rejected), wantArticles, wantRejected)
	}
	if !strings.Contains(stdout, fmt.Sprintf("%d articles, ", wantArticles)) || !strings.Contains(stdout, fmt.Sprintf(", %d rejected", wantRejected)) {
		t.Errorf("summary %q", stdout)
	}

	// The hostile source and URL are kept as data, not dropped or run.
	if a := articles["script-title.json"]; a.Source != scriptTitle {
		t.Errorf("script-title.json source = %q", a.Source)
	}

	// The seeds: one story of exactly the five, one copy group {001, 003},
	// the same as a run over the seeds alone.
	baseOut := t.TempDir()
	if code, _, stderr := runCLI(t, "run", "--quiet", "--out", baseOut, seedsDir); code != 0 {
		t.Fatalf("seeds alone: exit %d: %s", code, stderr)
	}
	baseStories, baseCopies := shape(readReport(t, baseOut))
	stories, copies := shape(rep)
	seeds := seedKeys(t)
	want := strings.Join(seeds, " ")
	for _, k := range seeds {
		if stories[k] != want {
			t.Errorf("seed %s is in story [%s], want [%s]", k, stories[k], want)
		}
		if stories[k] != baseStories[k] {
			t.Errorf("seed %s: story [%s] with hostile files, [%s] without", k, stories[k], baseStories[k])
		}
	}
	seedCopies := []string{}
	for _, g := range copies {
		if strings.HasPrefix(g, "00") {
			seedCopies = append(seedCopies, g)
		}
	}
	wantCopy := "001_185a73e93ce09b0f.txt 003_8f73fbdca9dbbaca.txt"
	if len(seedCopies) != 1 || seedCopies[0] != wantCopy || len(baseCopies) != 1 || baseCopies[0] != wantCopy {
		t.Errorf("seed copy groups %q (alone: %q), want [%q]", seedCopies, baseCopies, wantCopy)
	}
	// The wire text under six awkward names is one copy group.
	wire := []string{}
	for _, c := range committedCases {
		if c.title == wireTitle {
			wire = append(wire, c.key)
		}
	}
	sort.Strings(wire)
	if !containsString(copies, strings.Join(wire, " ")) {
		t.Errorf("copy groups %q: want one of the wire copies %q", copies, wire)
	}

	checkCSVGuarded(t, filepath.Join(out, "clusters.csv"), articles)
}

func containsString(list []string, s string) bool {
	for _, x := range list {
		if x == s {
			return true
		}
	}
	return false
}

// checkCSVGuarded reads clusters.csv: one row per article, and no cell a
// spreadsheet would run as a formula; the guard is undone by UncellCSV.
func checkCSVGuarded(t *testing.T, path string, articles map[string]report.Article) {
	t.Helper()
	f, err := os.Open(path)
	if err != nil {
		t.Fatal(err)
	}
	defer f.Close()
	rows, err := csv.NewReader(f).ReadAll()
	if err != nil {
		t.Fatalf("clusters.csv: %v", err)
	}
	if len(rows) != len(articles)+1 {
		t.Errorf("clusters.csv has %d rows, want %d articles + header", len(rows), len(articles))
	}
	guarded := 0
	for _, row := range rows[1:] {
		for _, cell := range row {
			if cell != "" && strings.ContainsRune("=+-@\t\r", rune(cell[0])) {
				t.Errorf("clusters.csv cell %q starts with a formula character", cell)
			}
		}
		key := report.UncellCSV(row[0])
		if _, ok := articles[key]; !ok {
			t.Errorf("clusters.csv key %q (cell %q) is not an article of the report", key, row[0])
		}
		if key != row[0] {
			guarded++
		}
	}
	if guarded != 2 { // "-leading-dash.txt" and "=SUM(1+1).txt"
		t.Errorf("%d guarded keys in clusters.csv, want 2", guarded)
	}
}

// checkPagesInert reads every page of the report in out (report.html and
// the stories/ pages) as a browser's tokenizer would: no element that runs
// or loads anything, no event handler, the CSP on each page, and a page
// for each of the stories.
func checkPagesInert(t *testing.T, out string, stories int) {
	t.Helper()
	pages, _ := filepath.Glob(filepath.Join(out, "stories", "*.html"))
	storyPages := 0
	for _, p := range pages {
		if !strings.HasPrefix(filepath.Base(p), "list-") {
			storyPages++
		}
	}
	if storyPages != stories {
		t.Errorf("%d story pages for %d stories", storyPages, stories)
	}
	for _, p := range append(pages, filepath.Join(out, "report.html")) {
		data, err := os.ReadFile(p)
		if err != nil {
			t.Fatal(err)
		}
		z := html.NewTokenizer(bytes.NewReader(data))
		csp := false
		for tt := z.Next(); tt != html.ErrorToken; tt = z.Next() {
			if tt != html.StartTagToken && tt != html.SelfClosingTagToken {
				continue
			}
			tok := z.Token()
			switch tok.Data {
			case "script", "img", "iframe", "object", "embed", "frame", "base", "form", "svg", "math", "link", "video", "audio":
				t.Errorf("%s: <%s> element", p, tok.Data)
			}
			for _, a := range tok.Attr {
				if strings.HasPrefix(a.Key, "on") || a.Key == "src" || a.Key == "srcdoc" {
					t.Errorf("%s: <%s %s=%q>", p, tok.Data, a.Key, a.Val)
				}
				if a.Key == "http-equiv" && a.Val == "Content-Security-Policy" {
					csp = true
				}
			}
		}
		if !csp {
			t.Errorf("%s: no Content-Security-Policy", p)
		}
	}
}
