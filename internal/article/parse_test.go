package article

import (
	"bytes"
	"compress/gzip"
	"errors"
	"io"
	"math"
	"math/rand"
	"os"
	"path/filepath"
	"strings"
	"testing"
	"unicode/utf8"

	"golang.org/x/text/encoding/unicode"
)

const seedDir = "../../testdata/seeds"
const fixtureDir = "../../testdata/parse"

func readFile(t testing.TB, path string) []byte {
	t.Helper()
	b, err := os.ReadFile(path)
	if err != nil {
		t.Fatal(err)
	}
	return b
}

func seedPath(t testing.TB, prefix string) string {
	t.Helper()
	m, err := filepath.Glob(filepath.Join(seedDir, prefix+"_*.txt"))
	if err != nil || len(m) != 1 {
		t.Fatalf("seed %s: %v %v", prefix, m, err)
	}
	return m[0]
}

func mustParse(t *testing.T, key string, data []byte) Article {
	t.Helper()
	a, err := Parse(key, data, Limits{})
	if err != nil {
		t.Fatalf("Parse(%s): %v", key, err)
	}
	checkArticle(t, a)
	return a
}

// checkArticle asserts the invariants every accepted article has.
func checkArticle(t testing.TB, a Article) {
	t.Helper()
	for name, v := range map[string]string{"Key": a.Key, "Title": a.Title, "Date": a.Date, "Source": a.Source, "URL": a.URL, "Text": a.Text} {
		if !utf8.ValidString(v) {
			t.Errorf("%s is not valid UTF-8: %q", name, v)
		}
	}
	if textWords(a.Text, MinWords) < MinWords {
		t.Errorf("Text has fewer than %d words: %q", MinWords, a.Text)
	}
	for _, f := range []string{a.Title, a.Source, a.URL, a.Date} {
		if strings.ContainsAny(f, "\n\r\t") {
			t.Errorf("single-line field has a line break: %q", f)
		}
	}
	if a.Date != "" && (len(a.Date) != 10 || validDate(atoi(a.Date[:4]), atoi(a.Date[5:7]), atoi(a.Date[8:])) != a.Date) {
		t.Errorf("bad Date %q", a.Date)
	}
	if strings.Contains(a.Text, "\n\n\n") || strings.HasPrefix(a.Text, "\n") || strings.HasSuffix(a.Text, "\n") {
		t.Errorf("Text has stray breaks: %q", a.Text)
	}
	for _, p := range strings.Split(a.Text, "\n\n") {
		if p == "" || p != strings.TrimSpace(p) || strings.Contains(p, "  ") || strings.Contains(p, "\n") {
			t.Errorf("paragraph not normalised: %q", p)
		}
	}
}

func rejectReason(t *testing.T, err error) string {
	t.Helper()
	var re *RejectError
	if !errors.As(err, &re) {
		t.Fatalf("want *RejectError, got %T %v", err, err)
	}
	return re.Reason
}

func TestSeeds(t *testing.T) {
	tests := []struct {
		seed, title, date, textStart string
	}{
		// The date line's remainder is the first paragraph: no title line, so
		// the title is the first sentence, cut to 100 runes.
		{"000", "Iranian President Ebrahim Raisi has expressed strong condemnation for Israel's ongoing military…",
			"2023-12-07", "Iranian President Ebrahim Raisi has expressed strong condemnation for Israel's ongoing military attack on Gaza"},
		// Title before "-----"; the text mentions only "July 2022", no full date.
		{"001", "Iran's Raisi says 'genocide' unfolding in Gaza as he meets Russia's Putin",
			"", "Iranian President Ebrahim Raisi has condemned Israel's assault on Gaza"},
		// "on 7 December" has no year, and the only year nearby is the past
		// "in July 2022": borrowing it would give a date a year off.
		{"002", "Moscow seeks to mediate in the war between Israel and the Palestinian resistance using its close…",
			"", "Moscow seeks to mediate in the war"},
		// "WORLD" after the date is a section label, the next line the title.
		{"003", "Iran's Raisi condemns Israeli 'genocide' in Gaza at Moscow talks with Putin",
			"2023-12-07", "As part of a burst of meetings focused on the Middle East, Russian President Putin greeted"},
		// "December 7" with no year anywhere in the text: no date.
		{"004", "In a meeting with Russian President Vladimir Putin in Moscow on December 7, Iranian President…",
			"", "In a meeting with Russian President Vladimir Putin in Moscow on December 7, Iranian"},
	}
	for _, tc := range tests {
		t.Run(tc.seed, func(t *testing.T) {
			path := seedPath(t, tc.seed)
			a := mustParse(t, filepath.Base(path), readFile(t, path))
			if a.Key != filepath.Base(path) {
				t.Errorf("Key = %q", a.Key)
			}
			if a.Title != tc.title {
				t.Errorf("Title = %q, want %q", a.Title, tc.title)
			}
			if utf8.RuneCountInString(a.Title) > 100 {
				t.Errorf("Title longer than 100 runes")
			}
			if a.Date != tc.date || a.DateFromText {
				t.Errorf("Date = %q (from text %v), want %q from a date line", a.Date, a.DateFromText, tc.date)
			}
			if !strings.HasPrefix(a.Text, tc.textStart) {
				t.Errorf("Text starts %.120q, want %q", a.Text, tc.textStart)
			}
			wantSource := map[string]string{"003": "TRT World"}[tc.seed] // its last line: "SOURCE:TRTWorld and agencies"
			if a.Source != wantSource || a.URL != "" {
				t.Errorf("plain text: source %q, URL %q; want %q and none", a.Source, a.URL, wantSource)
			}
			for _, bad := range []string{"date 2023", "-----", "WORLD\n", "’", "“", "\u00a0"} {
				if strings.Contains(a.Text, bad) {
					t.Errorf("Text contains %q", bad)
				}
			}
			if strings.HasSuffix(tc.title, "…") {
				return // derived titles come from the text
			}
			if strings.Contains(a.Text, a.Title) {
				t.Errorf("title line repeated in Text")
			}
		})
	}
}

func TestSeedParagraphs(t *testing.T) {
	// 001 has one paragraph per line, 000 blank-line separated ones: both
	// come out as "\n\n"-separated paragraphs.
	for seed, want := range map[string]int{"000": 6, "001": 14, "002": 14} {
		path := seedPath(t, seed)
		a := mustParse(t, "x.txt", readFile(t, path))
		if got := len(strings.Split(a.Text, "\n\n")); got != want {
			t.Errorf("seed %s: %d paragraphs, want %d", seed, got, want)
		}
	}
}

func TestJSON(t *testing.T) {
	basil := readFile(t, filepath.Join(fixtureDir, "basil-001.json"))
	a := mustParse(t, "basil-001.json", basil)
	if a.Title != "Mary Cheney Criticizes Her Sister on Same-Sex Marriage" || a.Date != "2013-08-31" ||
		a.Source != "The New York Times" || !strings.HasPrefix(a.URL, "https://thecaucus.blogs.nytimes.com/2013/08/31/") {
		t.Errorf("basil metadata: %+v", a)
	}
	if !strings.HasPrefix(a.Text, "Mary Cheney, the younger sister of Liz Cheney") || !strings.Contains(a.Text, "sister's stance") {
		t.Errorf("basil text not normalised: %.200q", a.Text)
	}
	if strings.Count(a.Text, "\n\n") < 5 || strings.Contains(a.Text, "—") {
		t.Errorf("basil paragraphs/dashes: %q", a.Text)
	}

	b := mustParse(t, "article.json", readFile(t, filepath.Join(fixtureDir, "article.json")))
	if b.Title != "Putin hosts Raisi for talks on Gaza" || b.Date != "2023-12-07" || b.Source != "Daily Example" ||
		b.URL != "https://www.daily.example.org/news/putin-raisi" || strings.Count(b.Text, "\n\n") != 1 {
		t.Errorf("alternative keys: %+v", b)
	}

	body := `"Russian President Vladimir Putin hosted Iranian President Ebrahim Raisi in Moscow on Thursday, a day after visiting the UAE and Saudi Arabia for talks."`
	tests := []struct {
		name, json                      string
		title, date, source, url, start string
	}{
		{"source from host", `{"title":"T","date":"2023-12-07","url":"https://www.Example.COM:8080/a","text":` + body + `}`,
			"T", "2023-12-07", "example.com", "https://www.Example.COM:8080/a", "Russian President"},
		{"body key, pubDate RFC1123, publisher object", `{"title":"T","pubDate":"Thu, 07 Dec 2023 10:00:00 GMT","publisher":{"name":"Wire"},"body":` + body + `}`,
			"T", "2023-12-07", "Wire", "", "Russian President"},
		{"unix millis, paragraph list", `{"title":"T","published":1701943200000,"text":["First paragraph here.",` + body + `]}`,
			"T", "2023-12-07", "", "", "First paragraph here.\n\nRussian"},
		{"html content", `{"title":"T","date":"2023-12-07","content":"<p>First &amp; foremost.</p><p>` + strings.Trim(body, `"`) + `</p><script>x()</script>"}`,
			"T", "2023-12-07", "", "", "First & foremost.\n\nRussian"},
		{"no title: first sentence; date from text", `{"text":"Moscow, December 7, 2023. ` + strings.Trim(body, `"`) + `"}`,
			"Moscow, December 7, 2023", "2023-12-07", "", "", "Moscow, December 7, 2023."},
		{"wrong types ignored, javascript URL dropped", `{"title":5,"date":true,"url":"javascript:alert(1)","source":["x"],"text":` + body + `}`,
			"Russian President Vladimir Putin hosted Iranian President Ebrahim Raisi in Moscow on Thursday, a…", "", "", "", "Russian"},
		{"invalid meta date, so date from text", `{"title":"T","date":"2023-02-30","text":"On 2023-12-07 ` + strings.Trim(body, `"`) + `"}`,
			"T", "2023-12-07", "", "", "On 2023-12-07"},
		{"upper-case keys", `{"Title":"T","Date":"2023-12-07","Text":` + body + `}`, "T", "2023-12-07", "", "", "Russian"},
		{"title with script kept literally", `{"title":"<script>alert(1)</script> “Quoted”","text":` + body + `}`,
			`<script>alert(1)</script> "Quoted"`, "", "", "", "Russian"},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			a := mustParse(t, "a.json", []byte(tc.json))
			if fromText := strings.Contains(tc.name, "from text"); a.DateFromText != fromText {
				t.Errorf("DateFromText = %v, want %v", a.DateFromText, fromText)
			}
			if a.Title != tc.title || a.Date != tc.date || a.Source != tc.source || a.URL != tc.url || !strings.HasPrefix(a.Text, tc.start) {
				t.Errorf("got title=%q date=%q source=%q url=%q text=%.60q", a.Title, a.Date, a.Source, a.URL, a.Text)
			}
		})
	}
}

func TestHTML(t *testing.T) {
	a := mustParse(t, "article.html", readFile(t, filepath.Join(fixtureDir, "article.html")))
	if a.Title != `Raisi condemns "genocide" in Gaza at Moscow talks` {
		t.Errorf("Title = %q", a.Title)
	}
	if a.Date != "2023-12-07" { // article:published_time wins over JSON-LD; local date kept
		t.Errorf("Date = %q", a.Date)
	}
	if a.Source != "Example News" || a.URL != "https://www.example.com/world/raisi-putin" {
		t.Errorf("Source/URL = %q %q", a.Source, a.URL)
	}
	for _, bad := range []string{"SHOULD-NOT-APPEAR", "SVG-TITLE", "font-family", "genocide\" in Gaza at Moscow talks\n"} {
		if strings.Contains(a.Text, bad) {
			t.Errorf("Text contains %q:\n%s", bad, a.Text)
		}
	}
	want := []string{
		`Iranian President Ebrahim Raisi has accused the West of supporting "genocide" by Israel against Palestinians in Gaza, at the start of talks in Moscow with President Vladimir Putin.`,
		"As part of a burst of meetings focused on the Middle East, Putin greeted Raisi on Thursday in the Kremlin a day after visiting the United Arab Emirates and Saudi Arabia.",
		"He discussed oil prices and the wars in Gaza and Ukraine.",
		"Putin and Raisi in the Kremlin.",
		"In televised opening remarks, Putin said it was very important to discuss the situation in the Middle East - especially in the Palestinian territories.",
	}
	if got := strings.Split(a.Text, "\n\n"); strings.Join(got, "|") != strings.Join(want, "|") {
		t.Errorf("paragraphs:\n%q\nwant\n%q", got, want)
	}

	para := "<p>" + strings.Repeat("Putin and Raisi met in Moscow to talk about Gaza. ", 3) + "</p>"
	tests := []struct {
		name, html, title, date, source, url string
	}{
		{"title element with script kept literally, site suffix stripped",
			`<html><head><title>Talks <script>alert(1)</script> end | Site</title><meta property="og:site_name" content="Site"></head><body>` + para + `</body></html>`,
			"Talks <script>alert(1)</script> end", "", "Site", ""},
		{"h1 fallback, time element, canonical host",
			`<!doctype html><link rel=canonical href="http://www.wire.example/x"><body><h1>Big  headline</h1><time datetime="2023-12-07T08:00Z">Thursday</time>` + para,
			"Big headline", "2023-12-07", "wire.example", "http://www.wire.example/x"},
		{"JSON-LD date in @graph, meta name=date ignored when invalid",
			`<html><head><meta name="date" content="soon"><script type="application/ld+json">{"@graph":[{"@type":"WebPage"},{"@type":"NewsArticle","datePublished":"2023-12-07T10:00:00Z"}]}</script></head><body>` + para + `</body></html>`,
			"Putin and Raisi met in Moscow to talk about Gaza", "2023-12-07", "", ""},
		{"unclosed head and paragraphs",
			`<html><head><title>Headline here</title><p>` + strings.Repeat("word ", 25) + `<p>second para`,
			"Headline here", "", "", ""},
		{"javascript og:url dropped",
			`<meta property="og:url" content="javascript:alert(1)"><meta property="og:title" content="T">` + para,
			"T", "", "", ""},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			a := mustParse(t, "a.html", []byte(tc.html))
			if a.Title != tc.title || a.Date != tc.date || a.Source != tc.source || a.URL != tc.url {
				t.Errorf("got title=%q date=%q source=%q url=%q", a.Title, a.Date, a.Source, a.URL)
			}
			if strings.Contains(a.Text, "alert") || strings.Contains(a.Text, "<") {
				t.Errorf("markup in Text: %q", a.Text)
			}
		})
	}
}

func TestHTMLPicksArticle(t *testing.T) {
	words := func(w string) string { return strings.TrimSpace(strings.Repeat(w+" ", 30)) }
	doc := "<body><div>" + words("outside") + "</div><main><article><p>" + words("teaser") + "</p></article>" +
		"<article><p>" + words("story") + "</p><p>" + words("more") + "</p></article></main></body>"
	a := mustParse(t, "x.html", []byte(doc))
	if a.Text != words("story")+"\n\n"+words("more") {
		t.Errorf("want the longest <article>, got %.80q", a.Text)
	}
	doc = "<body><div>" + words("outside") + "</div><main><p>" + words("inside") + "</p></main></body>"
	if a := mustParse(t, "x.html", []byte(doc)); a.Text != words("inside") {
		t.Errorf("want <main>, got %.80q", a.Text)
	}
}

func TestDeepNesting(t *testing.T) {
	text := strings.Repeat("deep ", 30)
	deepHTML := strings.Repeat("<div><span>", 200000) + text + strings.Repeat("</span></div>", 200000)
	a := mustParse(t, "deep.html", []byte(deepHTML))
	if !strings.HasPrefix(a.Text, "deep deep") {
		t.Errorf("deep HTML text: %.40q", a.Text)
	}
	// Beyond the tracked depth a skipped element is not tracked either, but
	// raw-text script content is still dropped.
	deepScript := strings.Repeat("<div>", 1000) + "<script>SECRET()</script>" + text
	if a := mustParse(t, "deep.html", []byte(deepScript)); strings.Contains(a.Text, "SECRET") {
		t.Errorf("script beyond max depth leaked: %.60q", a.Text)
	}

	deepJSON := `{"title":"x","text":"` + text + `","x":` + strings.Repeat("[", 100000) + strings.Repeat("]", 100000) + "}"
	_, err := Parse("deep.json", []byte(deepJSON), Limits{})
	if r := rejectReason(t, err); r != "invalid JSON: nested deeper than 64 levels" {
		t.Errorf("deep JSON reason %q", r)
	}
	// Depth 60 is fine: the limit is on nesting, not on size.
	okJSON := `{"title":"x","text":"` + text + `","x":` + strings.Repeat("[", 60) + strings.Repeat("]", 60) + "}"
	mustParse(t, "ok.json", []byte(okJSON))
}

func gz(t testing.TB, b []byte) []byte {
	t.Helper()
	var buf bytes.Buffer
	w, _ := gzip.NewWriterLevel(&buf, gzip.BestCompression)
	if _, err := w.Write(b); err != nil {
		t.Fatal(err)
	}
	if err := w.Close(); err != nil {
		t.Fatal(err)
	}
	return buf.Bytes()
}

func TestGzip(t *testing.T) {
	seed := readFile(t, seedPath(t, "003"))
	plain := mustParse(t, "a.txt", seed)

	a := mustParse(t, "a.txt.gz", gz(t, seed))
	if a.Key != "a.txt.gz" || a.Title != plain.Title || a.Date != plain.Date || a.Text != plain.Text {
		t.Errorf("gzip differs from plain: %+v", a)
	}
	if a := mustParse(t, "a.gz", gz(t, gz(t, seed))); a.Text != plain.Text {
		t.Errorf("gzip of gzip differs")
	}
	html := readFile(t, filepath.Join(fixtureDir, "article.html"))
	if a := mustParse(t, "page.html.gz", gz(t, html)); a.Source != "Example News" {
		t.Errorf("gzipped HTML: %+v", a)
	}
	// A .json.gz whose content does not reveal JSON still gets the .json hint.
	if _, err := Parse("a.json.gz", gz(t, []byte("plain words")), Limits{}); !strings.HasPrefix(rejectReason(t, err), "invalid JSON") {
		t.Errorf("inner extension hint lost: %v", err)
	}

	tests := []struct {
		name   string
		data   []byte
		reason string
	}{
		{"three layers", gz(t, gz(t, gz(t, seed))), "gzip nested too deeply"},
		{"truncated", gz(t, seed)[:100], "corrupt gzip data: truncated"},
		{"bad header", []byte{0x1f, 0x8b, 0, 0, 0, 0}, "corrupt gzip data"},
		{"empty inside", gz(t, nil), "empty file"},
		{"pdf inside", gz(t, []byte("%PDF-1.7 ...")), "binary content (PDF)"},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			_, err := Parse("x.gz", tc.data, Limits{})
			if r := rejectReason(t, err); r != tc.reason {
				t.Errorf("reason %q, want %q", r, tc.reason)
			}
		})
	}
}

// TestGzipBomb: 100 MiB of zeros compress to ~100 KiB; decompression must
// stop at the limit instead of inflating it all.
func TestGzipBomb(t *testing.T) {
	var buf bytes.Buffer
	w, _ := gzip.NewWriterLevel(&buf, gzip.BestCompression)
	zeros := make([]byte, 1<<20)
	for range 100 {
		w.Write(zeros)
	}
	w.Close()
	if buf.Len() > DefaultMaxBytes {
		t.Fatalf("bomb is %d bytes compressed", buf.Len())
	}
	_, err := Parse("bomb.gz", buf.Bytes(), Limits{})
	if r := rejectReason(t, err); r != "decompressed size exceeds limit" {
		t.Errorf("reason %q", r)
	}
	// A small limit applies to the decompressed size too.
	seed := readFile(t, seedPath(t, "000"))
	small := gz(t, seed)
	if len(small) >= 2000 || len(seed) <= 2000 {
		t.Fatalf("sizes %d -> %d do not straddle the limit", len(seed), len(small))
	}
	_, err = Parse("a.gz", small, Limits{MaxBytes: 2000})
	if r := rejectReason(t, err); r != "decompressed size exceeds limit" {
		t.Errorf("reason %q", r)
	}
}

func TestRejects(t *testing.T) {
	rnd := rand.New(rand.NewSource(1))
	random := make([]byte, 4096)
	rnd.Read(random)
	seed := readFile(t, seedPath(t, "000"))
	tests := []struct {
		name, key string
		data      []byte
		lim       Limits
		reason    string
	}{
		{"empty", "a.txt", nil, Limits{}, "empty file"},
		{"whitespace only", "a.txt", []byte(" \n\t\r\n  \u00a0"), Limits{}, "empty file"},
		{"whitespace after BOM", "a.txt", []byte("\xef\xbb\xbf  \n"), Limits{}, "empty file"},
		{"oversize", "a.txt", seed, Limits{MaxBytes: 1000}, "file larger than 1000 bytes"},
		{"oversize default", "a.txt", make([]byte, DefaultMaxBytes+1), Limits{}, "file larger than 5242880 bytes"},
		{"pdf", "a.txt", []byte("%PDF-1.4\n%âãÏÓ\n1 0 obj"), Limits{}, "binary content (PDF)"},
		{"jpeg", "a.jpg", []byte("\xff\xd8\xff\xe0\x00\x10JFIF"), Limits{}, "binary content (JPEG)"},
		{"png", "a", []byte("\x89PNG\r\n\x1a\n\x00\x00\x00\rIHDR"), Limits{}, "binary content (PNG)"},
		{"zip/docx", "a.docx", []byte("PK\x03\x04\x14\x00\x06\x00"), Limits{}, "binary content (ZIP)"},
		{"random bytes", "a.txt", random, Limits{}, "binary content"},
		{"NUL in text", "a.txt", append([]byte("some text "), 0, 'x'), Limits{}, "binary content"},
		{"control chars", "a.txt", bytes.Repeat([]byte("ab\x01\x02\x03"), 50), Limits{}, "binary content"},
		{"utf-32", "a.txt", []byte("\xff\xfe\x00\x00a\x00\x00\x00"), Limits{}, "unsupported encoding (UTF-32)"},
		{"two-word title only", "a.txt", []byte("Read more\n-----\n"), Limits{}, "no article text"},
		{"too few words", "a.txt", []byte("date 2023-12-07\nMore soon.\n"), Limits{}, "no article text"},
		{"markup only", "a.html", []byte("<html><head><title></title></head><body><div><p> </p><br><hr></div></body></html>"), Limits{}, "no article text"},
		{"punctuation only", "a.txt", []byte("- | -\n* * *\n•\n"), Limits{}, "no article text"},
		{"two Han characters", "a.txt", []byte("地震\n"), Limits{}, "no article text"},
		{"html shell", "a.html", []byte("<html><body><nav>" + strings.Repeat("menu ", 50) + "</nav><script>" + strings.Repeat("x ", 50) + "</script></body></html>"), Limits{}, "no article text"},
		{"invalid JSON", "a.json", []byte(`{"title": "x", "text": }`), Limits{}, "invalid JSON: invalid character '}' looking for beginning of value"},
		{"truncated JSON", "a.json", []byte(`{"title": "x", "text": "abc`), Limits{}, "invalid JSON: unexpected end of JSON input"},
		{"JSON array", "a.json", []byte(`[{"title": "x"}]`), Limits{}, "invalid JSON: not an object (expected one article)"},
		{"JSON without text", "a.json", []byte(`{"title": "Live", "text": ""}`), Limits{}, "no article text"},
		{"not JSON but .json", "a.json", []byte(strings.Repeat("word ", 30)), Limits{}, "invalid JSON: invalid character 'w' looking for beginning of value"},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			a, err := Parse(tc.key, tc.data, tc.lim)
			if r := rejectReason(t, err); r != tc.reason {
				t.Errorf("reason %q, want %q", r, tc.reason)
			}
			if a != (Article{}) {
				t.Errorf("rejected parse returned %+v", a)
			}
			var re *RejectError
			errors.As(err, &re)
			if re.Key != tc.key || !strings.Contains(err.Error(), tc.reason) {
				t.Errorf("error %q", err)
			}
			if strings.ToLower(tc.reason[:1]) != tc.reason[:1] {
				t.Errorf("reason not lower-case: %q", tc.reason)
			}
		})
	}
}

func TestTxtStartingWithBrace(t *testing.T) {
	// Content decides, but an explicit .txt keeps a brace-led text usable.
	text := "{Editor's note} " + strings.Repeat("word ", 30)
	a := mustParse(t, "a.txt", []byte(text))
	if !strings.HasPrefix(a.Text, "{Editor's note}") {
		t.Errorf("Text %q", a.Text)
	}
}

func TestUTF16(t *testing.T) {
	seed := readFile(t, seedPath(t, "001"))
	plain := mustParse(t, "a.txt", seed)
	for _, end := range []unicode.Endianness{unicode.LittleEndian, unicode.BigEndian} {
		enc, err := unicode.UTF16(end, unicode.UseBOM).NewEncoder().Bytes(seed)
		if err != nil {
			t.Fatal(err)
		}
		a := mustParse(t, "a.txt", enc)
		if a.Title != plain.Title || a.Text != plain.Text {
			t.Errorf("UTF-16 (%v) differs: %q", end, a.Title)
		}
	}
	// UTF-16 without a BOM is indistinguishable from binary.
	enc, _ := unicode.UTF16(unicode.LittleEndian, unicode.IgnoreBOM).NewEncoder().Bytes(seed)
	_, err := Parse("a.txt", enc, Limits{})
	if r := rejectReason(t, err); r != "binary content" {
		t.Errorf("BOM-less UTF-16: %q", r)
	}
}

func TestUTF8BOM(t *testing.T) {
	seed := readFile(t, seedPath(t, "001"))
	a := mustParse(t, "a.txt", append([]byte("\xef\xbb\xbf"), seed...))
	if a.Title != "Iran's Raisi says 'genocide' unfolding in Gaza as he meets Russia's Putin" {
		t.Errorf("Title %q", a.Title)
	}
}

func TestNormalize(t *testing.T) {
	tests := []struct{ in, want string }{
		{"“Quoted” „low“ «guillemets»", `"Quoted" "low" "guillemets"`},
		{"it’s ‘single’ ‚low‛", "it's 'single' 'low'"},
		{"2020–2021 a−b x‒y", "2020-2021 a-b x-y"},
		{"word—word ― dash", "word - word - dash"},
		{"a\u00a0b\u2009c\u3000d\u202fe", "a b c d e"},
		{"ｆｕｌｌ ﬁ ①", "full fi 1"},
		{"café", "café"}, // decomposed input is composed
		{"zero\u200bwidth soft\u00adhyphen \u202eevil", "zerowidth softhyphen evil"},
		{"ctrl\x01\x7f\u0085chars", "ctrl\nchars"},
		{"  lots   of\t\tspace  \n\n\n  next line  ", "lots of space\nnext line"},
		{"crlf\r\nline\rend", "crlf\nline\nend"},
		{"…", "..."},
	}
	for _, tc := range tests {
		if got := normalize(tc.in, false); got != tc.want {
			t.Errorf("normalize(%q) = %q, want %q", tc.in, got, tc.want)
		}
	}
	if got := cleanLine(" a\nb \r\n c "); got != "a b c" {
		t.Errorf("cleanLine = %q", got)
	}
}

func TestExtractDate(t *testing.T) {
	tests := []struct{ in, want string }{
		{"Published 2023-12-07T10:00:00Z by staff", "2023-12-07"},
		{"on 2023/12/07 the", "2023-12-07"},
		{"MOSCOW, December 7, 2023 (Reuters) -", "2023-12-07"},
		{"Dec. 7, 2023", "2023-12-07"},
		{"Dec 7 2023", "2023-12-07"},
		{"Sept. 1, 2019", "2019-09-01"},
		{"December 7th, 2023", "2023-12-07"},
		{"7 December 2023", "2023-12-07"},
		{"07 Dec 2023 10:00 GMT", "2023-12-07"},
		{"the 7th of December, 2023", "2023-12-07"},
		{"December 32, 2023 or 2023-02-29 or 2024-02-29", "2024-02-29"}, // invalid ones skipped
		{"on 7 December, said in a statement © 2023 Reuters", "2023-12-07"},
		{"on December 7; copyright 2023", "2023-12-07"},
		{"on December 7. Updated: 2023", "2023-12-07"},
		{"on 7 December, since July 2022", ""}, // a cited year is not borrowed
		{"on 7 December; in 2022 and 2023 things", ""},
		{"Obama's 2008 campaign said on June 28 that", ""}, // BASIL-like: 2008 is not the year
		{"December 7. Copyright 2022. Updated 2023.", ""},  // two stamp years: ambiguous
		{"December 7. © 2023. Copyright 2023 Reuters.", "2023-12-07"},
		{"on December 7 without any year", ""},
		{"in March 2022 prices rose", ""},
		{"they may 12 times", ""},           // lower-case "may" is a verb
		{"12345-12-07 and 2023-12-077", ""}, // digits glued on
		{"December 7:30 pm, 2023", ""},
		{"1899-12-07", ""},
		{"", ""},
		{strings.Repeat("x", 2000) + " 2023-12-07", ""}, // beyond the window
	}
	for _, tc := range tests {
		if got := ExtractDate(tc.in); got != tc.want {
			t.Errorf("ExtractDate(%.60q) = %q, want %q", tc.in, got, tc.want)
		}
	}
}

func TestMetaDate(t *testing.T) {
	tests := []struct{ in, want string }{
		{"2023-12-07", "2023-12-07"},
		{"2023-12-07T23:30:00-08:00", "2023-12-07"}, // the written local day
		{" 2023-12-07 10:00:00 ", "2023-12-07"},
		{"Thu, 07 Dec 2023 10:00:00 +0000", "2023-12-07"},
		{"December 7, 2023", "2023-12-07"},
		{"20231207", "2023-12-07"},
		{"2023-13-07", ""},
		{"yesterday", ""},
	}
	for _, tc := range tests {
		if got := metaDate(tc.in); got != tc.want {
			t.Errorf("metaDate(%q) = %q, want %q", tc.in, got, tc.want)
		}
	}
}

func TestPlainTitles(t *testing.T) {
	body := strings.Repeat("Putin met Raisi in Moscow on Thursday for talks. ", 4)
	tests := []struct{ name, in, title, start, date string }{
		{"short first line", "Putin meets Raisi\n" + body, "Putin meets Raisi", "Putin met Raisi", ""},
		{"separator makes a sentence a title", "Putin meets Raisi.\n-----\n" + body, "Putin meets Raisi.", "Putin met Raisi", ""},
		{"punctuated first line is body", "Putin meets Raisi.\n" + body, "Putin meets Raisi", "Putin meets Raisi.", ""},
		{"label then title", "WORLD\nPutin meets Raisi\n" + body, "Putin meets Raisi", "Putin met Raisi", ""},
		{"date line with title rest", "date 2023-12-07 Putin meets Raisi\n" + body, "Putin meets Raisi", "Putin met Raisi", "2023-12-07"},
		{"Date: prefix alone", "Date: December 7, 2023\nPutin meets Raisi\n" + body, "Putin meets Raisi", "Putin met Raisi", "2023-12-07"},
		{"dateline line", "Thursday, December 7th, 2023\nPutin meets Raisi\n" + body, "Putin meets Raisi", "Putin met Raisi", "2023-12-07"},
		{"title starting with a date is not a dateline", "2023-12-07 Putin meets Raisi\n" + body, "2023-12-07 Putin meets Raisi", "Putin met Raisi", "2023-12-07"},
		{"abbreviations in first sentence", "Mr. Putin met U.S. envoys and Gen. Smith at 3.5 p.m. today. " + body, "Mr. Putin met U.S. envoys and Gen. Smith at 3.5 p.m. today", "Mr. Putin", ""},
		{"long title-less sentence cut", strings.Repeat("averyveryverylongword ", 10) + "end. " + body,
			"averyveryverylongword averyveryverylongword averyveryverylongword averyveryverylongword…", "averyvery", ""},
		{"no space to cut at", strings.Repeat("x", 150) + ". " + body, strings.Repeat("x", 99) + "…", "xxx", ""},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			a := mustParse(t, "a.txt", []byte(tc.in))
			if a.Title != tc.title || !strings.HasPrefix(a.Text, tc.start) || a.Date != tc.date {
				t.Errorf("title %q date %q text %.40q", a.Title, a.Date, a.Text)
			}
			if utf8.RuneCountInString(a.Title) > 100 && !strings.Contains(tc.in, "-----") {
				t.Errorf("derived title too long")
			}
		})
	}
	a := mustParse(t, "a.txt", []byte("date 2023-12-07\n"+body))
	if a.Date != "2023-12-07" || strings.Contains(a.Text, "date") {
		t.Errorf("date-only line: %+v", a)
	}
}

// countingReader yields 'a's forever and counts what was read.
type countingReader struct{ n int64 }

func (r *countingReader) Read(p []byte) (int, error) {
	for i := range p {
		p[i] = 'a'
	}
	r.n += int64(len(p))
	return len(p), nil
}

type failingReader struct{}

func (failingReader) Read([]byte) (int, error) { return 0, errors.New("network down") }

func TestParseReader(t *testing.T) {
	cr := &countingReader{}
	_, err := ParseReader("big.txt", cr, Limits{MaxBytes: 1 << 20})
	if r := rejectReason(t, err); r != "file larger than 1048576 bytes" {
		t.Errorf("reason %q", r)
	}
	if cr.n > 1<<20+1 {
		t.Errorf("read %d bytes, want at most limit+1", cr.n)
	}
	seed := readFile(t, seedPath(t, "003"))
	a, err := ParseReader("s.txt", bytes.NewReader(seed), Limits{})
	if err != nil || a.Date != "2023-12-07" {
		t.Errorf("ParseReader: %v %+v", err, a)
	}
	// The largest limit must not overflow into "read nothing".
	if a, err := ParseReader("s.txt", bytes.NewReader(seed), Limits{MaxBytes: math.MaxInt64}); err != nil || a.Text == "" {
		t.Errorf("MaxInt64 limit: %v", err)
	}
	if _, err := Parse("s.gz", gz(t, seed), Limits{MaxBytes: math.MaxInt64}); err != nil {
		t.Errorf("MaxInt64 limit, gzip: %v", err)
	}
	_, err = ParseReader("x", io.MultiReader(bytes.NewReader(seed), failingReader{}), Limits{})
	var re *RejectError
	if err == nil || errors.As(err, &re) || !strings.Contains(err.Error(), "network down") {
		t.Errorf("read error must not be a rejection: %v", err)
	}
}

func TestNeverPanicsOnNastyInputs(t *testing.T) {
	inputs := []string{
		"<", "<!", "<script>", "<title>", "<plaintext>" + strings.Repeat("w ", 30),
		"{", "[", `{"text": "\ud800"}`, "\xff\xfe", "\xfe\xff\x00", "\x1f\x8b",
		"date ", "date 2023-12-07", "Date:", "-----\n-----", "WORLD",
		strings.Repeat("</div>", 10000) + strings.Repeat("w ", 30),
		strings.Repeat("<p>", 100000),
	}
	for _, in := range inputs {
		for _, key := range []string{"a.txt", "a.html", "a.json", "a"} {
			a, err := Parse(key, []byte(in), Limits{})
			if err != nil {
				if r := rejectReason(t, err); r == reasonInternal {
					t.Errorf("%q panicked", in)
				}
				continue
			}
			checkArticle(t, a)
		}
	}
}
