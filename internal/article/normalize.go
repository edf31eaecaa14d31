package article

import (
	"strings"
	"unicode"
	"unicode/utf8"

	"golang.org/x/text/unicode/norm"
)

// normalize applies NFKC and folds the typographic variants that differ
// between copies of the same article (curly quotes, dashes, exotic spaces)
// to plain ASCII, so later shingling sees the same words. It drops control
// and invisible formatting characters, collapses runs of spaces and trims
// every line. With single set, line breaks become spaces; otherwise the
// result has one line per non-empty input line, joined by "\n".
func normalize(s string, single bool) string {
	s = norm.NFKC.String(s)
	b := make([]byte, 0, len(s))
	space := false // a space is due before the next visible character
	lineStart := true
	emit := func(r rune) {
		if space && !lineStart {
			b = append(b, ' ')
		}
		space, lineStart = false, false
		b = utf8.AppendRune(b, r)
	}
	for i := 0; i < len(s); {
		// Fast path: a run of printable ASCII other than space and backquote.
		if c := s[i]; c > ' ' && c < 0x7f && c != '`' {
			j := i + 1
			for j < len(s) && s[j] > ' ' && s[j] < 0x7f && s[j] != '`' {
				j++
			}
			if space && !lineStart {
				b = append(b, ' ')
			}
			space, lineStart = false, false
			b = append(b, s[i:j]...)
			i = j
			continue
		}
		r, size := rune(s[i]), 1
		if r >= utf8.RuneSelf {
			r, size = utf8.DecodeRuneInString(s[i:])
		}
		i += size
		switch r {
		case '\n', '\r', '\v', '\f', 0x85, 0x2028, 0x2029:
			if single {
				space = true
			} else if !lineStart {
				b = append(b, '\n')
				space, lineStart = false, true
			}
			continue
		case ' ', '\t':
			space = true
			continue
		case '“', '”', '„', '‟', '«', '»', '〝', '〞':
			emit('"')
			continue
		case '‘', '’', '‚', '‛', '‹', '›', 'ʼ', '`':
			emit('\'')
			continue
		case '‐', '‒', '–', '−', '⁃':
			emit('-')
			continue
		case '—', '―', '⸺', '⸻':
			space = true // em dash: "word—word" reads as "word - word"
			emit('-')
			space = true
			continue
		case 0xAD, 0x200B, 0x2060, 0xFEFF, // soft hyphen, zero-width spaces, BOM
			0x200E, 0x200F, 0x202A, 0x202B, 0x202C, 0x202D, 0x202E, // bidi marks and embeddings
			0x2066, 0x2067, 0x2068, 0x2069, 0x061C:
			continue
		}
		if r < 0x20 || (r >= 0x7F && r < 0xA0) {
			continue // control characters
		}
		if r >= 0x80 && unicode.Is(unicode.Zs, r) {
			space = true
			continue
		}
		emit(r)
	}
	if n := len(b); n > 0 && b[n-1] == '\n' {
		b = b[:n-1]
	}
	return string(b)
}

// cleanLine normalises a one-line field (title, source, URL).
func cleanLine(s string) string { return normalize(s, true) }

// cleanLines normalises s and returns its non-empty lines.
func cleanLines(s string) []string {
	n := normalize(s, false)
	if n == "" {
		return nil
	}
	return strings.Split(n, "\n")
}

// countWords counts space-separated words, stopping early at limit.
func countWords(s string, limit int) int {
	n, in := 0, false
	for i := 0; i < len(s); i++ {
		sp := s[i] == ' ' || s[i] == '\n'
		if !sp && !in {
			n++
			if n >= limit {
				return n
			}
		}
		in = !sp
	}
	return n
}

// unspaced are the scripts written without spaces between words.
var unspaced = []*unicode.RangeTable{unicode.Han, unicode.Hiragana, unicode.Katakana,
	unicode.Thai, unicode.Lao, unicode.Khmer, unicode.Myanmar}

// textWords counts the words of s, stopping early at limit: space-separated
// tokens holding a letter or a digit (so "-", "|" or "•" are none), plus one
// per two letters of scripts written without spaces, where a word averages
// one to two characters (Chinese, Japanese) or more (Thai, counted without
// its vowel and tone marks).
func textWords(s string, limit int) int {
	words, chars := 0, 0
	counted := false // the current token has been counted
	for _, r := range s {
		switch {
		case r == ' ' || r == '\n':
			counted = false
		case r < utf8.RuneSelf:
			if !counted && (isLetter(byte(r)) || isDigit(byte(r))) {
				words++
				counted = true
			}
		case unicode.IsLetter(r) && unicode.In(r, unspaced...):
			chars++
		case !counted && (unicode.IsLetter(r) || unicode.IsDigit(r)):
			words++
			counted = true
		}
		if words+chars/2 >= limit {
			return limit
		}
	}
	return words + chars/2
}

// truncateRunes cuts s to at most limit runes at a word boundary, marking
// the cut with "…" (included in limit).
func truncateRunes(s string, limit int) string {
	if utf8.RuneCountInString(s) <= limit {
		return s
	}
	cut, n := 0, 0
	for i := range s {
		if n == limit-1 {
			cut = i
			break
		}
		n++
	}
	t := s[:cut]
	if j := strings.LastIndexByte(t, ' '); j > 0 && s[cut] != ' ' {
		t = t[:j]
	}
	t = strings.TrimRight(t, " ,;:-")
	return t + "…"
}
