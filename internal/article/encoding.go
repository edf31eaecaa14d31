package article

import (
	"bytes"
	"cmp"
	"fmt"
	"slices"
	"strings"
	"unicode/utf8"

	"github.com/saintfish/chardet"
	"golang.org/x/net/html/charset"
	"golang.org/x/text/encoding"
	"golang.org/x/text/encoding/unicode"
)

const (
	// minConfidence is the detector confidence (0–100) an undeclared legacy
	// encoding needs. The detector (ICU's algorithm) scores a single-byte
	// charset 300 × the share of the text's letter trigrams that are among
	// its language's 64 most common, and 98 from a share of a third, which
	// ordinary text reaches; 10 means "can represent the bytes, no other
	// evidence". 33 asks for a third of that typical evidence. Measured
	// (docs/QUALITY.md, "Encodings"): correct guesses on one to three
	// sentences score 35–100; wrong guesses on encodings the detector does
	// not know score 25–33; random bytes 3–4.
	minConfidence = 33
	// minMargin is how far the best guess must lead the best guess that
	// decodes the bytes differently: ICU's "could be" unit. A tie (Thai
	// TIS-620 scores 33 for GB18030, EUC-JP and Big5 alike) is no answer.
	minMargin = 10
	// prescanBytes is how much of a page the HTML standard's prescan reads
	// for a <meta charset>; an XML declaration must be at the very start.
	prescanBytes = 1024
	// detectBytes is how much the detector reads: statistics over 64 KiB
	// are settled, and a 5 MiB file costs no more.
	detectBytes = 64 << 10
)

// decode returns data as UTF-8 text, or a rejection reason. Valid UTF-8
// (the common case) is returned as it is, whatever a page declares: legacy
// text is practically never valid UTF-8, and a declaration that disagrees
// with the bytes is usually stale. A UTF-8 BOM is dropped and UTF-16 with a
// BOM converted. Other bytes are decoded with the charset an XML
// declaration or an HTML <meta> names, else with the charset a detector
// finds, when it is confident; otherwise they are rejected: garbled text
// would be signed and compared silently.
func decode(data []byte) (string, string) {
	switch {
	case bytes.HasPrefix(data, []byte{0xff, 0xfe, 0, 0}) || bytes.HasPrefix(data, []byte{0, 0, 0xfe, 0xff}):
		return "", "unsupported encoding (UTF-32)"
	case bytes.HasPrefix(data, []byte{0xff, 0xfe}) || bytes.HasPrefix(data, []byte{0xfe, 0xff}):
		dec := unicode.UTF16(unicode.LittleEndian, unicode.ExpectBOM).NewDecoder()
		out, err := dec.Bytes(data)
		if err != nil {
			return "", "invalid UTF-16 text"
		}
		data = out
	case bytes.HasPrefix(data, []byte{0xef, 0xbb, 0xbf}):
		data = data[3:]
	}
	if r := binaryReason(data); r != "" {
		return "", r
	}
	if utf8.Valid(data) {
		return string(data), ""
	}
	return decodeLegacy(data)
}

// decodeLegacy decodes text that is not valid UTF-8: as UTF-8 if it is
// only damaged, else with the declared charset, else the detected one.
func decodeLegacy(data []byte) (string, string) {
	if text, ok := damagedUTF8(data); ok {
		return text, ""
	}
	if enc, name := declaredCharset(data); enc != nil {
		return decodeWith(data, enc, name+" (declared)")
	}
	enc, name, reason := detectCharset(data)
	if enc == nil {
		return "", reason
	}
	return decodeWith(data, enc, name+" (detected)")
}

// damagedUTF8 returns data with each run of invalid bytes replaced by
// U+FFFD when data is UTF-8 with a few bad bytes (a stray Latin-1 byte in
// scraped text): it holds valid multi-byte characters and at most 1%
// invalid bytes.
// Legacy 8-bit text practically never holds a valid multi-byte sequence;
// legacy CJK text does by chance, but with many more invalid ones. Read as
// windows-1252 instead, every accented letter of such a text would turn
// into two ("Ã©").
func damagedUTF8(data []byte) (string, bool) {
	multi, bad, runes := 0, 0, 0
	for i := 0; i < len(data); runes++ {
		r, size := utf8.DecodeRune(data[i:])
		if r == utf8.RuneError && size == 1 {
			bad++
		} else if size > 1 {
			multi++
		}
		i += size
	}
	if multi == 0 || bad*100 > runes {
		return "", false
	}
	return string(bytes.ToValidUTF8(data, []byte("\uFFFD"))), true
}

// decodeWith decodes data with enc. More than 1% replacement characters
// means the bytes are not in that charset (a stray bad byte is tolerated).
func decodeWith(data []byte, enc encoding.Encoding, what string) (string, string) {
	out, err := enc.NewDecoder().Bytes(data)
	if err != nil {
		return "", "not decodable as " + what
	}
	if bad := bytes.Count(out, []byte("\uFFFD")); bad > 0 && bad*100 > utf8.RuneCount(out) {
		return "", "not decodable as " + what
	}
	return string(out), ""
}

// declaredCharset returns the encoding an XML declaration or an HTML
// <meta charset>/http-equiv names, or nil when none names one that can be
// used for bytes that are not UTF-8 (UTF-8 itself, UTF-16 without a BOM,
// the standard's "replacement" and unknown labels are not).
func declaredCharset(data []byte) (encoding.Encoding, string) {
	head := data[:min(len(data), prescanBytes)]
	var e encoding.Encoding
	var name string
	if label, ok := xmlEncoding(head); ok {
		e, name = charset.Lookup(label)
	} else {
		e, name = metaCharset(head)
	}
	if e == nil || name == "utf-8" || name == "replacement" || strings.HasPrefix(name, "utf-16") {
		return nil, ""
	}
	return e, name
}

// metaCharset runs the HTML standard's prescan (x/net's DetermineEncoding)
// over head. DetermineEncoding answers a <meta> and its windows-1252
// fallback alike, so the probe is ASCII with a valid UTF-8 character near
// the end: with no <meta> the answer is then "utf-8", and any other answer is
// the declaration.
func metaCharset(head []byte) (encoding.Encoding, string) {
	probe := make([]byte, 0, prescanBytes)
	for _, c := range head[:min(len(head), prescanBytes-3)] {
		if c >= utf8.RuneSelf {
			c = ' '
		}
		probe = append(probe, c)
	}
	probe = append(probe, "é "...) // the space: a trailing partial rune would be cut
	e, name, _ := charset.DetermineEncoding(probe, "")
	if name == "utf-8" {
		return nil, ""
	}
	return e, name
}

// xmlEncoding returns the encoding label of an XML declaration
// (<?xml version="1.0" encoding="Shift_JIS"?>) at the start of head.
func xmlEncoding(head []byte) (string, bool) {
	head = bytes.TrimLeft(head, " \t\r\n")
	if !bytes.HasPrefix(head, []byte("<?xml")) {
		return "", false
	}
	end := bytes.Index(head, []byte("?>"))
	if end < 0 {
		return "", false
	}
	decl := string(head[:end])
	i := strings.Index(decl, "encoding")
	if i < 0 {
		return "", false
	}
	rest := strings.TrimLeft(decl[i+len("encoding"):], " \t\r\n")
	if !strings.HasPrefix(rest, "=") {
		return "", false
	}
	rest = strings.TrimLeft(rest[1:], " \t\r\n")
	if rest == "" || (rest[0] != '"' && rest[0] != '\'') {
		return "", false
	}
	q := rest[0]
	rest = rest[1:]
	j := strings.IndexByte(rest, q)
	if j <= 0 {
		return "", false
	}
	return rest[:j], true
}

// detectCharset guesses the charset of bytes that are not UTF-8 and
// declare none, and returns its encoding only when the guess is confident
// (minConfidence) and unambiguous (minMargin).
func detectCharset(data []byte) (encoding.Encoding, string, string) {
	det := chardet.NewTextDetector()
	if looksHTML(string(data[:min(len(data), prescanBytes)])) {
		det = chardet.NewHtmlDetector() // markup is ASCII: leave it out of the statistics
	}
	results, err := det.DetectAll(data[:min(len(data), detectBytes)])
	if err != nil || len(results) == 0 {
		return nil, "", "unknown text encoding (not UTF-8, none declared)"
	}
	// The detector runs its recognisers concurrently and sorts unstably:
	// ties come back in any order. Ordering them by name keeps the answer
	// (and the reason) the same on every run.
	slices.SortFunc(results, func(a, b chardet.Result) int {
		return cmp.Or(cmp.Compare(b.Confidence, a.Confidence), strings.Compare(a.Charset, b.Charset))
	})
	best := results[0]
	if best.Confidence < minConfidence {
		return nil, "", fmt.Sprintf("unknown text encoding (not UTF-8, none declared; best guess %s at confidence %d)", best.Charset, best.Confidence)
	}
	enc, name := lookupDetected(best)
	if enc == nil {
		return nil, "", fmt.Sprintf("unsupported text encoding (%s detected)", best.Charset)
	}
	for _, r := range results[1:] {
		_, other := lookupDetected(r)
		if other == name {
			continue // another language of the same charset
		}
		if best.Confidence-r.Confidence < minMargin {
			if other == "" {
				other = r.Charset
			}
			return nil, "", fmt.Sprintf("unknown text encoding (not UTF-8, none declared; %s or %s)", name, other)
		}
		break // results are sorted: the first different one decides
	}
	return enc, name, ""
}

// lookupDetected maps a detector result to an encoding, correcting two
// naming slips of the detector (upstream issue saintfish/chardet#7): it
// names GB18030 "GB-18030", and reports its Central European (ISO-8859-2)
// recognisers, which it builds on the ISO-8859-1 ones, as ISO-8859-1.
func lookupDetected(r chardet.Result) (encoding.Encoding, string) {
	label := r.Charset
	switch {
	case label == "GB-18030":
		label = "gb18030"
	case r.Language == "cs" || r.Language == "hu" || r.Language == "pl" || r.Language == "ro":
		if label == "windows-1252" {
			label = "windows-1250"
		} else {
			label = "iso-8859-2"
		}
	}
	return charset.Lookup(label)
}
