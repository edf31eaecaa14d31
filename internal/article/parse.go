package article

import (
	"bytes"
	"compress/gzip"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"math"
	"net/url"
	"path"
	"strings"
	"time"
)

const (
	// MinWords is the fewest words an article must have: one short sentence
	// or headline ("Esther Williams dies at 91", "Wellington supermarket
	// fire"). In scripts written without spaces two characters count as a
	// word (see textWords). Fewer is a label or a page shell ("Read more",
	// "Access denied"), not news. See docs/QUALITY.md, "Short items".
	MinWords = 3
	// preferWords is how many words an HTML <article> or <main> needs to be
	// taken as the text in place of the whole body: fewer is more likely a
	// teaser card than the story.
	preferWords = 20
	// maxJSONDepth bounds JSON nesting, checked before decoding. Article
	// objects are flat; anything deeper is not an article.
	maxJSONDepth = 64
	// maxGzipLayers is how many gzip layers are unwrapped (gzip of gzip once).
	maxGzipLayers = 2
	// Field caps keep a hostile file from planting megabyte titles in reports.
	maxTitleRunes  = 300
	maxSourceRunes = 200
	maxURLBytes    = 2048
)

// reasonInternal is the reason given when parsing panicked; the fuzz test
// fails on it.
const reasonInternal = "unparseable content (internal error)"

func (l Limits) maxBytes() int64 {
	if l.MaxBytes <= 0 {
		return DefaultMaxBytes
	}
	return l.MaxBytes
}

// readCap is how much to read to learn that more than limit bytes exist.
func readCap(limit int64) int64 {
	if limit == math.MaxInt64 {
		return limit
	}
	return limit + 1
}

// ParseReader reads at most lim.MaxBytes+1 bytes from r, so a huge upload is
// rejected without being read whole, and parses them like Parse. A read
// error is returned as is (not a *RejectError): it may be transient.
func ParseReader(key string, r io.Reader, lim Limits) (Article, error) {
	data, err := io.ReadAll(io.LimitReader(r, readCap(lim.maxBytes())))
	if err != nil {
		return Article{}, fmt.Errorf("read %s: %w", key, err)
	}
	return Parse(key, data, lim)
}

// Parse turns the bytes of one uploaded file into an Article. It detects
// gzip, JSON, HTML and plain text by content, using the extension of key only
// as a hint. Every unusable input gives a *RejectError; Parse never panics.
func Parse(key string, data []byte, lim Limits) (a Article, err error) {
	defer func() {
		if p := recover(); p != nil { // a bug must not take down a whole batch
			a, err = Article{}, &RejectError{Key: key, Reason: reasonInternal}
		}
	}()
	a, reason := parse(data, strings.ToLower(path.Base(key)), lim.maxBytes(), 0)
	if reason != "" {
		return Article{}, &RejectError{Key: key, Reason: reason}
	}
	a.Key = key
	return a, nil
}

// parse does the work of Parse; name is the lower-case file name, whose
// extension is the format hint, and layer counts the gzip layers removed.
func parse(data []byte, name string, limit int64, layer int) (Article, string) {
	if len(data) == 0 {
		return Article{}, "empty file"
	}
	if int64(len(data)) > limit {
		if layer > 0 {
			return Article{}, "decompressed size exceeds limit"
		}
		return Article{}, fmt.Sprintf("file larger than %d bytes", limit)
	}
	ext := path.Ext(name)
	if len(data) >= 2 && data[0] == 0x1f && data[1] == 0x8b {
		if layer >= maxGzipLayers {
			return Article{}, "gzip nested too deeply"
		}
		inner, reason := gunzip(data, limit)
		if reason != "" {
			return Article{}, reason
		}
		if ext == ".gz" || ext == ".gzip" {
			name = strings.TrimSuffix(name, ext) // "a.json.gz" holds "a.json"
		}
		return parse(inner, name, limit, layer+1)
	}
	text, reason := decode(data)
	if reason != "" {
		return Article{}, reason
	}
	if strings.TrimSpace(text) == "" {
		return Article{}, "empty file"
	}
	var a Article
	var body []string
	trimmed := strings.TrimLeft(text, " \t\r\n")
	isJSON := trimmed[0] == '{' || trimmed[0] == '['
	isHTML := !isJSON && looksHTML(trimmed)
	if !isJSON && !isHTML { // content is inconclusive: trust the extension
		isJSON = ext == ".json"
		isHTML = ext == ".html" || ext == ".htm" || ext == ".xhtml"
	}
	switch {
	case isJSON:
		var jerr string
		a, body, jerr = fromJSON(trimmed)
		if jerr != "" {
			if ext != ".txt" { // a .txt that merely starts with a brace is text
				return Article{}, jerr
			}
			a.Title, a.Date, body = parsePlain(text)
		}
	case isHTML:
		a.Title, a.Date, a.Source, a.URL, body = fromHTML([]byte(text))
	default:
		a.Title, a.Date, body = parsePlain(text)
	}
	a.Text = strings.Join(body, "\n\n")
	if textWords(a.Text, MinWords) < MinWords && a.Title != "" && (len(body) == 0 || !strings.EqualFold(body[0], a.Title)) {
		// A flash is a headline with little or no body: the headline is its text.
		body = append([]string{a.Title}, body...)
		a.Text = strings.Join(body, "\n\n")
	}
	if textWords(a.Text, MinWords) < MinWords {
		return Article{}, "no article text"
	}
	if a.Title == "" {
		a.Title = deriveTitle(body)
	}
	a.Title = truncateRunes(a.Title, maxTitleRunes)
	a.Source = truncateRunes(outletOf(a.Source, body, a.URL), maxSourceRunes)
	if a.Date == "" { // a headline can carry the date too ("... on 2023-12-07")
		a.Date = ExtractDate(a.Title + "\n" + a.Text)
		a.DateFromText = a.Date != ""
	}
	return a, ""
}

// gunzip decompresses data, stopping at limit+1 bytes of output so a
// decompression bomb costs at most that much memory and time.
func gunzip(data []byte, limit int64) ([]byte, string) {
	zr, err := gzip.NewReader(bytes.NewReader(data))
	if err != nil {
		return nil, "corrupt gzip data"
	}
	out, err := io.ReadAll(io.LimitReader(zr, readCap(limit)))
	if int64(len(out)) > limit {
		return nil, "decompressed size exceeds limit"
	}
	if err != nil {
		return nil, "corrupt gzip data: " + errText(err)
	}
	return out, ""
}

func errText(err error) string {
	if errors.Is(err, io.ErrUnexpectedEOF) {
		return "truncated"
	}
	return strings.TrimPrefix(err.Error(), "gzip: ")
}

// magics names binary formats that are uploaded by mistake, so the reason
// tells the user what they sent.
var magics = []struct {
	prefix, name string
}{
	{"%PDF", "PDF"},
	{"\xff\xd8\xff", "JPEG"},
	{"\x89PNG\r\n\x1a\n", "PNG"},
	{"GIF87a", "GIF"},
	{"GIF89a", "GIF"},
	{"PK\x03\x04", "ZIP"},
	{"PK\x05\x06", "ZIP"},
	{"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1", "MS Office"},
	{"\x7fELF", "ELF"},
	{"7z\xbc\xaf\x27\x1c", "7z"},
	{"\xfd7zXZ\x00", "xz"},
	{"\x28\xb5\x2f\xfd", "zstd"},
	{"BZh", "bzip2"},
	{"Rar!\x1a\x07", "RAR"},
	{"RIFF", "RIFF"},
	{"OggS", "Ogg"},
	{"\x00\x00\x00\x18ftyp", "MP4"},
	{"\x00\x00\x00\x20ftyp", "MP4"},
}

// binaryReason reports why b is not text: a known magic number, a NUL byte
// or too many control characters (over 2%: text has at most a stray one).
func binaryReason(b []byte) string {
	for _, m := range magics {
		if bytes.HasPrefix(b, []byte(m.prefix)) {
			if m.name == "bzip2" && (len(b) < 4 || b[3] < '1' || b[3] > '9') {
				continue
			}
			return "binary content (" + m.name + ")"
		}
	}
	ctrl := 0
	for _, c := range b {
		if c == 0 {
			return "binary content"
		}
		if (c < 0x20 && c != '\t' && c != '\n' && c != '\r' && c != '\f' && c != '\v') || c == 0x7f {
			ctrl++
		}
	}
	if ctrl*50 > len(b) {
		return "binary content"
	}
	return ""
}

// looksHTML reports whether text starts like markup or declares itself HTML
// near the top.
func looksHTML(t string) bool {
	if len(t) > 1 && t[0] == '<' && (isLetter(t[1]) || t[1] == '!' || t[1] == '?') {
		return true
	}
	head := t
	if len(head) > 1024 {
		head = head[:1024]
	}
	head = strings.ToLower(head)
	return strings.Contains(head, "<html") || strings.Contains(head, "<!doctype html") || strings.Contains(head, "<body")
}

// jsonTooDeep reports whether b nests arrays/objects deeper than limit,
// without decoding it.
func jsonTooDeep(b []byte, limit int) bool {
	depth, inStr, esc := 0, false, false
	for _, c := range b {
		if inStr {
			switch {
			case esc:
				esc = false
			case c == '\\':
				esc = true
			case c == '"':
				inStr = false
			}
			continue
		}
		switch c {
		case '"':
			inStr = true
		case '{', '[':
			if depth++; depth > limit {
				return true
			}
		case '}', ']':
			depth--
		}
	}
	return false
}

// JSON field names, in order of preference, compared case-insensitively.
var (
	jsonTitleKeys  = []string{"title", "headline"}
	jsonDateKeys   = []string{"date", "published", "published_at", "publishedat", "pubdate", "datepublished", "date_published", "publication_date"}
	jsonSourceKeys = []string{"source", "outlet", "publisher", "site_name", "sitename"}
	jsonURLKeys    = []string{"url", "link"}
	jsonTextKeys   = []string{"text", "body", "content", "articlebody", "article_body"}
)

// fromJSON reads a JSON article object. Fields of unexpected types are
// ignored rather than fatal: a number where a string was expected should not
// cost the article.
func fromJSON(s string) (Article, []string, string) {
	b := []byte(s)
	if jsonTooDeep(b, maxJSONDepth) {
		return Article{}, nil, fmt.Sprintf("invalid JSON: nested deeper than %d levels", maxJSONDepth)
	}
	var raw map[string]json.RawMessage
	if err := json.Unmarshal(b, &raw); err != nil {
		var te *json.UnmarshalTypeError
		if errors.As(err, &te) {
			return Article{}, nil, "invalid JSON: not an object (expected one article)"
		}
		return Article{}, nil, "invalid JSON: " + strings.TrimPrefix(err.Error(), "json: ")
	}
	fields := make(map[string]json.RawMessage, len(raw))
	for k, v := range raw {
		lk := strings.ToLower(k)
		if _, dup := fields[lk]; !dup || k == lk { // the exact lower-case spelling wins
			fields[lk] = v
		}
	}
	pick := func(keys []string, conv func(json.RawMessage) string) string {
		for _, k := range keys {
			if v, ok := fields[k]; ok {
				if s := conv(v); s != "" {
					return s
				}
			}
		}
		return ""
	}
	var a Article
	a.Title = cleanLine(pick(jsonTitleKeys, jsonString))
	a.URL = cleanURL(pick(jsonURLKeys, jsonString))
	a.Source = cleanLine(pick(jsonSourceKeys, jsonName))
	a.Date = pick(jsonDateKeys, jsonDate)
	text := pick(jsonTextKeys, jsonText)
	if looksLikeMarkup(text) {
		text = htmlText(text)
	}
	return a, cleanLines(text), ""
}

func jsonString(v json.RawMessage) string {
	var s string
	if json.Unmarshal(v, &s) != nil {
		return ""
	}
	return s
}

// jsonName accepts a string or an object with a "name" (as in
// {"source": {"id": "bbc", "name": "BBC News"}}).
func jsonName(v json.RawMessage) string {
	if s := jsonString(v); s != "" {
		return s
	}
	var o struct{ Name string }
	if json.Unmarshal(v, &o) != nil {
		return ""
	}
	return o.Name
}

// jsonText accepts a string or a list of paragraph strings.
func jsonText(v json.RawMessage) string {
	if s := jsonString(v); s != "" {
		return s
	}
	var ps []string
	if json.Unmarshal(v, &ps) != nil {
		return ""
	}
	return strings.Join(ps, "\n")
}

// jsonDate accepts a date string or a Unix time in seconds or milliseconds.
func jsonDate(v json.RawMessage) string {
	if s := jsonString(v); s != "" {
		return metaDate(s)
	}
	var f float64
	if json.Unmarshal(v, &f) != nil || f <= 0 || math.IsInf(f, 0) || f > 1e14 {
		return ""
	}
	if f > 1e11 { // milliseconds
		f /= 1000
	}
	t := time.Unix(int64(f), 0).UTC()
	return validDate(t.Year(), int(t.Month()), t.Day())
}

// looksLikeMarkup reports whether a JSON text field holds HTML paragraphs.
func looksLikeMarkup(s string) bool {
	if strings.IndexByte(s, '<') < 0 {
		return false
	}
	l := strings.ToLower(s)
	return strings.Contains(l, "</p>") || strings.Contains(l, "<br") || strings.Contains(l, "</div>") || strings.Contains(l, "<p>")
}

// cleanURL keeps only absolute http(s) URLs: a javascript: or data: URL
// would be dangerous in a report link even when escaped.
func cleanURL(s string) string {
	s = strings.TrimSpace(cleanLine(s))
	if s == "" || len(s) > maxURLBytes {
		return ""
	}
	u, err := url.Parse(s)
	if err != nil || (u.Scheme != "http" && u.Scheme != "https") || u.Host == "" {
		return ""
	}
	return s
}

// hostOf returns the host of an http(s) URL without "www." and port.
func hostOf(s string) string {
	return strings.TrimPrefix(hostname(s), "www.")
}
