package article

import (
	"strings"
	"unicode"
	"unicode/utf8"
)

const (
	// maxTitleWords and maxTitleChars bound a plain-text title line: a longer
	// first line is the lead paragraph, not a headline.
	maxTitleWords = 20
	maxTitleChars = 200
	// maxSepTitleChars bounds a line that a separator marks as the title.
	maxSepTitleChars = 300
	// derivedTitleRunes bounds a title made from the first sentence.
	derivedTitleRunes = 100
)

// parsePlain reads the plain-text layout of the seeds: an optional
// "date YYYY-MM-DD" first line (whose remainder may be a section label or the
// first paragraph), an optional title line, "-----" separators, and one
// paragraph per line.
func parsePlain(text string) (title, date string, body []string) {
	lines := cleanLines(text)
	if len(lines) == 0 {
		return "", "", nil
	}
	if d, rest, ok := dateLine(lines[0]); ok {
		date = d
		if rest == "" {
			lines = lines[1:]
		} else {
			lines[0] = rest
		}
	}
	// A lone ALL-CAPS word before anything else is a section label ("WORLD").
	if len(lines) > 1 && isLabel(lines[0]) {
		lines = lines[1:]
	}
	// A first line that is only a date ("Thursday, December 7, 2023") is a
	// dateline, neither title nor text.
	if len(lines) > 1 && isDateOnly(lines[0]) {
		if date == "" {
			date = metaDate(lines[0])
		}
		lines = lines[1:]
	}
	first, next := -1, -1
	for i, l := range lines {
		if isSeparator(l) {
			continue
		}
		if first < 0 {
			first = i
			continue
		}
		next = i
		break
	}
	if first < 0 {
		return "", date, nil
	}
	if next > 0 { // there is body after the first line
		sepAfter := first+1 < len(lines) && isSeparator(lines[first+1])
		if (sepAfter && len(lines[first]) <= maxSepTitleChars) || isTitleLine(lines[first]) {
			title = lines[first]
			lines = lines[first+1:]
		}
	}
	body = make([]string, 0, len(lines))
	for _, l := range lines {
		if !isSeparator(l) {
			body = append(body, l)
		}
	}
	return title, date, body
}

// dateLine recognises "date 2023-12-07 rest" (also "Date:"), returning the
// date and the rest of the line.
func dateLine(l string) (date, rest string, ok bool) {
	if len(l) < 5 || !strings.EqualFold(l[:4], "date") {
		return "", "", false
	}
	r := l[4:]
	if r[0] == ':' {
		r = r[1:]
	}
	r = strings.TrimLeft(r, " ")
	if len(r) == len(l)-4 { // no separator after "date": a word like "dated"
		return "", "", false
	}
	if j := digitsEnd(r, 0); j == 4 {
		if d, ok := isoAt(r, 0, j); ok {
			k := strings.IndexByte(r, ' ')
			if k < 0 {
				return d, "", true
			}
			return d, strings.TrimSpace(r[k:]), true
		}
	}
	if len(r) <= 30 { // "Date: December 7, 2023" alone on its line
		if d := metaDate(r); d != "" {
			return d, "", true
		}
	}
	return "", "", false
}

var weekdays = map[string]bool{"mon": true, "monday": true, "tue": true, "tues": true, "tuesday": true,
	"wed": true, "wednesday": true, "thu": true, "thur": true, "thurs": true, "thursday": true, "fri": true,
	"friday": true, "sat": true, "saturday": true, "sun": true, "sunday": true}

// isDateOnly reports whether l is a date and nothing else: digits, month and
// weekday names, ordinal suffixes and date punctuation.
func isDateOnly(l string) bool {
	if len(l) > 40 || metaDate(l) == "" {
		return false
	}
	for i := 0; i < len(l); {
		c := l[i]
		switch {
		case isDigit(c) || strings.IndexByte(" ,./-", c) >= 0:
			i++
		case isLetter(c):
			j := lettersEnd(l, i)
			w := strings.ToLower(l[i:j])
			ordinal := i > 0 && isDigit(l[i-1]) && (w == "st" || w == "nd" || w == "rd" || w == "th")
			if !ordinal && !weekdays[w] && monthOf(w) == 0 && w != "of" {
				return false
			}
			i = j
		default:
			return false
		}
	}
	return true
}

// isLabel reports whether l is a single ALL-CAPS word such as "WORLD".
func isLabel(l string) bool {
	if len(l) < 2 || len(l) > 30 {
		return false
	}
	letters := 0
	for _, r := range l {
		switch {
		case unicode.IsUpper(r):
			letters++
		case r == '&' || r == '-' || r == '/' || unicode.IsDigit(r):
		default:
			return false
		}
	}
	return letters >= 2
}

// isSeparator reports whether l is a rule line like "-----" or "=====".
func isSeparator(l string) bool {
	if len(l) < 3 {
		return false
	}
	for i := 0; i < len(l); i++ {
		switch l[i] {
		case '-', '=', '_', '*', '~', '#', ' ':
		default:
			return false
		}
	}
	return true
}

// endsSentence reports whether l ends with sentence punctuation, looking
// through closing quotes and brackets (`he said "no."`).
func endsSentence(l string) bool {
	l = strings.TrimRight(l, "\"')]")
	if l == "" {
		return false
	}
	if strings.HasSuffix(l, "…") {
		return true
	}
	switch l[len(l)-1] {
	case '.', '!', '?', ';', ':', ',':
		return true
	}
	return false
}

// isTitleLine is the headline heuristic: short and not a sentence.
func isTitleLine(l string) bool {
	return len(l) <= maxTitleChars && countWords(l, maxTitleWords+1) <= maxTitleWords && !endsSentence(l)
}

// abbreviations end with a dot without ending a sentence.
var abbreviations = map[string]bool{
	"mr": true, "mrs": true, "ms": true, "dr": true, "st": true, "jr": true, "sr": true,
	"gen": true, "gov": true, "sen": true, "rep": true, "reps": true, "lt": true, "col": true,
	"sgt": true, "capt": true, "prof": true, "inc": true, "co": true, "corp": true, "ltd": true,
	"no": true, "vs": true, "mt": true, "ft": true, "ave": true, "approx": true, "est": true,
	"jan": true, "feb": true, "mar": true, "apr": true, "jun": true, "jul": true, "aug": true,
	"sep": true, "sept": true, "oct": true, "nov": true, "dec": true, "rev": true, "pres": true,
}

// firstSentence returns the first sentence of p (all of p when it has one).
func firstSentence(p string) string {
	for i := 0; i < len(p); i++ {
		c := p[i]
		if c != '.' && c != '!' && c != '?' {
			continue
		}
		j := i + 1
		for j < len(p) && strings.IndexByte("\"')]", p[j]) >= 0 {
			j++
		}
		if j == len(p) {
			return p
		}
		if p[j] != ' ' {
			continue // "3.5", "U.S.", "example.com"
		}
		if k := j + 1; k < len(p) {
			if r, _ := utf8.DecodeRuneInString(p[k:]); unicode.IsLower(r) {
				continue // "approx. five"
			}
		}
		if c == '.' {
			w := i
			for w > 0 && (isLetter(p[w-1]) || p[w-1] == '.') {
				w--
			}
			word := p[w:i]
			if len(word) == 1 || strings.Contains(word, ".") || abbreviations[strings.ToLower(word)] {
				continue // initial "J.", "U.S.", "Mr."
			}
		}
		return p[:j]
	}
	return p
}

// deriveTitle makes a title from the first sentence of the body when the
// file has none: at most derivedTitleRunes, cut at a word boundary.
func deriveTitle(body []string) string {
	if len(body) == 0 {
		return ""
	}
	s := firstSentence(body[0])
	s = strings.TrimSuffix(s, ".")
	return truncateRunes(s, derivedTitleRunes)
}
