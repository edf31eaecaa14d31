package article

import (
	"strconv"
	"strings"
	"time"
)

// dateWindow is how much of a text ExtractDate looks at: a dateline or
// byline date sits near the top, and dates further down are usually about
// other events.
const dateWindow = 2000

var monthNames = [...]string{"january", "february", "march", "april", "may", "june",
	"july", "august", "september", "october", "november", "december"}

// monthOf returns 1..12 for a month name or its usual abbreviation
// (Jan, Feb, ..., Sept), 0 otherwise. w must be ASCII letters.
func monthOf(w string) int {
	if len(w) < 3 || len(w) > 9 {
		return 0
	}
	switch w[0] | 0x20 {
	case 'j', 'f', 'm', 'a', 's', 'o', 'n', 'd':
	default:
		return 0 // most words: no allocation, no comparisons
	}
	for i, m := range monthNames {
		if strings.EqualFold(w, m) || strings.EqualFold(w, m[:3]) || (i == 8 && strings.EqualFold(w, "sept")) {
			return i + 1
		}
	}
	return 0
}

// validDate formats y-m-d as YYYY-MM-DD if it is a real calendar date in a
// plausible range for news, "" otherwise.
func validDate(y, m, d int) string {
	if y < 1900 || y > 2100 || m < 1 || m > 12 || d < 1 || d > 31 {
		return ""
	}
	t := time.Date(y, time.Month(m), d, 0, 0, 0, 0, time.UTC)
	if t.Year() != y || int(t.Month()) != m || t.Day() != d {
		return "" // e.g. February 30 rolled over into March
	}
	return t.Format("2006-01-02")
}

func isDigit(c byte) bool  { return '0' <= c && c <= '9' }
func isLetter(c byte) bool { return 'a' <= c|0x20 && c|0x20 <= 'z' }
func isAlnum(c byte) bool  { return isDigit(c) || isLetter(c) }

func digitsEnd(s string, i int) int {
	for i < len(s) && isDigit(s[i]) {
		i++
	}
	return i
}

func lettersEnd(s string, i int) int {
	for i < len(s) && isLetter(s[i]) {
		i++
	}
	return i
}

func atoi(s string) int { n, _ := strconv.Atoi(s); return n }

// spacesEnd skips ASCII blanks and no-break spaces (U+00A0, which NFKC has not
// removed when ExtractDate is called on raw text).
func spacesEnd(s string, i int) int {
	for i < len(s) {
		switch {
		case s[i] == ' ' || s[i] == '\t' || s[i] == '\n' || s[i] == '\r':
			i++
		case s[i] == 0xC2 && i+1 < len(s) && s[i+1] == 0xA0:
			i += 2
		default:
			return i
		}
	}
	return i
}

// isoAt parses YYYY-MM-DD (or with '/') whose 4-digit year is s[i:j].
func isoAt(s string, i, j int) (string, bool) {
	if j-i != 4 || j >= len(s) || (s[j] != '-' && s[j] != '/') {
		return "", false
	}
	sep := s[j]
	k := digitsEnd(s, j+1)
	if k-(j+1) < 1 || k-(j+1) > 2 || k >= len(s) || s[k] != sep {
		return "", false
	}
	l := digitsEnd(s, k+1)
	if l-(k+1) < 1 || l-(k+1) > 2 {
		return "", false
	}
	d := validDate(atoi(s[i:j]), atoi(s[j+1:k]), atoi(s[k+1:l]))
	return d, d != ""
}

// dayEnd reads a 1-2 digit day with an optional ordinal suffix starting at i,
// returning the day and the index after it, or ok=false.
func dayAt(s string, i int) (day, end int, ok bool) {
	j := digitsEnd(s, i)
	if j == i || j-i > 2 {
		return 0, 0, false
	}
	day = atoi(s[i:j])
	if k := lettersEnd(s, j); k-j == 2 {
		switch strings.ToLower(s[j:k]) {
		case "st", "nd", "rd", "th":
			j = k
		}
	}
	if j < len(s) && (isAlnum(s[j]) || s[j] == ':') { // "7:30", "12km"
		return 0, 0, false
	}
	return day, j, true
}

// yearAfter reads an optional ", YYYY" or " YYYY" at i.
func yearAfter(s string, i int) (year int, ok bool) {
	if i < len(s) && s[i] == ',' {
		i++
	}
	k := spacesEnd(s, i)
	if k == i {
		return 0, false
	}
	e := digitsEnd(s, k)
	if e-k != 4 || (e < len(s) && isAlnum(s[e])) {
		return 0, false
	}
	return atoi(s[k:e]), true
}

// monthAt reads a capitalised month name (optionally abbreviated with a dot)
// at i; lower-case "may"/"march" are too often verbs to count.
func monthAt(s string, i int) (month, end int) {
	if i >= len(s) || s[i] < 'A' || s[i] > 'Z' || (i > 0 && isLetter(s[i-1])) {
		return 0, 0
	}
	j := lettersEnd(s, i)
	m := monthOf(s[i:j])
	if m == 0 {
		return 0, 0
	}
	if j < len(s) && s[j] == '.' {
		j++
	}
	return m, j
}

// stampYear reports whether the year starting at s[i] is a publication
// stamp: "© 2023", "(c) 2023", "Copyright 2023", "Published: 2023",
// "Updated 2023", "Posted 2023". Only such a year may complete a year-less
// date: other years in news text mostly name past events ("Obama's 2008
// campaign", "since July 2022").
func stampYear(s string, i int) bool {
	j := i
	for j > 0 && (s[j-1] == ' ' || s[j-1] == ':' || s[j-1] == ',') {
		j--
	}
	switch {
	case strings.HasSuffix(s[:j], "©"), strings.HasSuffix(s[:j], "(c)"), strings.HasSuffix(s[:j], "(C)"):
		return true
	}
	k := j
	for k > 0 && isLetter(s[k-1]) && j-k < 10 {
		k--
	}
	switch strings.ToLower(s[k:j]) {
	case "copyright", "published", "updated", "posted":
		return true
	}
	return false
}

// ExtractDate finds the first date written in the first ~2000 characters of
// text and returns it as YYYY-MM-DD, or "" if there is none. It recognises
// 2023-12-07, December 7, 2023, Dec. 7, 2023, 7 December 2023 and 7th of
// December, 2023. A date without a year ("on 7 December") is used only when no
// full date is present and the window has exactly one publication-stamp year
// ("© 2023", "Updated 2023"): borrowing any year mentioned was wrong in every
// case seen (seed 002 and 5 BASIL articles, all cite older years), and no
// date is better than one years off.
func ExtractDate(text string) string {
	s := text
	if len(s) > dateWindow {
		s = s[:dateWindow]
	}
	var partM, partD int // first year-less date
	year, years := 0, 0  // borrowable year mentions: the value and how many distinct
	for i := 0; i < len(s); {
		c := s[i]
		if isDigit(c) && (i == 0 || !isAlnum(s[i-1])) {
			j := digitsEnd(s, i)
			switch {
			case j-i == 4:
				if d, ok := isoAt(s, i, j); ok {
					return d
				}
				if j == len(s) || !isAlnum(s[j]) {
					y := atoi(s[i:j])
					if y >= 1900 && y <= 2100 && y != year && stampYear(s, i) {
						year = y
						years++
					}
				}
			case j-i <= 2:
				// 7 December [2023], 7th of December, 2023
				if day, e, ok := dayAt(s, i); ok {
					k := spacesEnd(s, e)
					if k > e && strings.HasPrefix(s[k:], "of ") {
						k = spacesEnd(s, k+3)
					}
					if m, me := monthAt(s, k); m != 0 && k > e && (me == len(s) || !isLetter(s[me])) {
						if y, ok := yearAfter(s, me); ok {
							if d := validDate(y, m, day); d != "" {
								return d
							}
						} else if partM == 0 && validDate(2000, m, day) != "" {
							partM, partD = m, day
						}
						j = me
					}
				}
			}
			i = j
			continue
		}
		if m, me := monthAt(s, i); m != 0 {
			// December 7[th][,] [2023]
			k := spacesEnd(s, me)
			if day, e, ok := dayAt(s, k); ok && k > me {
				if y, ok := yearAfter(s, e); ok {
					if d := validDate(y, m, day); d != "" {
						return d
					}
				} else if partM == 0 && validDate(2000, m, day) != "" {
					partM, partD = m, day
				}
				i = e
				continue
			}
			i = me
			continue
		}
		if isLetter(c) {
			i = lettersEnd(s, i) // not a month: skip the whole word
			continue
		}
		i++
	}
	if partM != 0 && years == 1 {
		return validDate(year, partM, partD)
	}
	return ""
}

// metaDate turns a metadata date (2023-12-07, RFC 3339, RFC 1123 as in RSS
// pubDate, "December 7, 2023", 20231207) into YYYY-MM-DD, "" if unusable.
// The calendar day is the one written, not converted to UTC: the publisher's
// local date is what readers saw.
func metaDate(v string) string {
	v = strings.TrimSpace(v)
	if len(v) > 100 {
		v = v[:100]
	}
	if len(v) >= 8 && isDigit(v[0]) {
		if j := digitsEnd(v, 0); j == 4 {
			if d, ok := isoAt(v, 0, j); ok {
				return d
			}
		} else if j == 8 {
			if d := validDate(atoi(v[:4]), atoi(v[4:6]), atoi(v[6:8])); d != "" {
				return d
			}
		}
	}
	return ExtractDate(v)
}
