// Package article turns the bytes of an uploaded file into an Article:
// it detects the format (plain text, JSON, HTML, any of them gzipped),
// decodes and normalises the text, and extracts title, date and source.
// Files it cannot use are rejected with a *RejectError that says why.
package article

import "fmt"

// Article is one parsed news article, free of any storage or AWS detail.
type Article struct {
	Key    string // where it came from: an S3 key or a path relative to the input folder
	Title  string // single line; from metadata, a title line, or the first sentence (≤ 100 runes, "…")
	Date   string // YYYY-MM-DD, or "" when neither metadata nor text gives one
	Source string // outlet name or host, "" when unknown
	URL    string // absolute http(s) URL or ""
	Text   string // body text, NFKC-normalised, paragraphs separated by "\n\n"

	// DateFromText is set when Date was found in the body text, not in
	// metadata or a date line. Treat it as a weak signal: of the 11 BASIL
	// articles whose text holds a full date, 10 name another event
	// (e.g. Sept. 11, 2001), only 1 the publication day.
	DateFromText bool
}

// Limits bounds what Parse accepts.
type Limits struct {
	MaxBytes int64 // largest accepted file, and largest decompressed size; 0 means DefaultMaxBytes
}

// DefaultMaxBytes is the default size limit: 5 MiB.
const DefaultMaxBytes = 5 << 20

// RejectError is a permanent refusal: retrying the same bytes gives the same answer.
// Reason is short, lower-case and safe to show to the uploader: "empty file",
// "file larger than N bytes", "decompressed size exceeds limit", "corrupt gzip
// data[: ...]", "gzip nested too deeply", "binary content[ (PDF|JPEG|PNG|ZIP|...)]",
// "unsupported encoding (UTF-32)", "invalid UTF-16 text", "not decodable as
// CHARSET (declared|detected)", "unknown text encoding (...)" (not UTF-8, no
// charset declared, none detected with confidence), "unsupported text
// encoding (...)", "invalid JSON: ...", "no article text" (fewer than
// MinWords words, headline included).
type RejectError struct {
	Key    string
	Reason string
}

func (e *RejectError) Error() string { return fmt.Sprintf("article %q rejected: %s", e.Key, e.Reason) }
