package article

import (
	"net"
	"net/url"
	"regexp"
	"strings"
	"unicode"
	"unicode/utf8"

	"golang.org/x/net/publicsuffix"
)

// maxOutletRunes and maxOutletWords bound an outlet name read from the
// text: a longer run of words after "SOURCE:" is a sentence, not a name.
const (
	maxOutletRunes = 60
	maxOutletWords = 6
)

// outletOf names the article's outlet from the strongest evidence there is:
// the metadata's own name (JSON source, og:site_name, JSON-LD publisher),
// else a credit line in the text, else the registrable domain of its URL.
// It returns "" when none names one: an unknown outlet is never guessed.
func outletOf(meta string, body []string, rawURL string) string {
	if s := cleanLine(meta); s != "" {
		return s
	}
	if s := textOutlet(body); s != "" {
		return s
	}
	return registrableDomain(rawURL)
}

var (
	// "SOURCE: TRT World and agencies", "Source - Reuters", "Via: AFP",
	// alone on a line.
	sourceLine = regexp.MustCompile(`(?i)^(?:sources?|via)\s*[:–—-]\s*(\S.*)$`)
	// "WASHINGTON (Reuters) - ", "(AP) — ", "GENEVA, March 3 (AFP) -",
	// "Denver (AP) –": a dateline (in capitals, or up to three capitalised
	// words) with an optional date, then a parenthesised credit and a dash,
	// at the very start of a paragraph.
	datelineCredit = regexp.MustCompile(`^(?:(?:\p{Lu}[\p{Lu}\p{M}.'’ /-]*|\p{Lu}\p{Ll}+(?: \p{Lu}\p{Ll}+){0,2})(?:,[\p{L}\p{N} .]{0,20})?\s*)?\(([^()]{2,40})\)\s*[:–—-]\s`)
	// "... said. — AP": a dash after the last sentence, then a name.
	signOff = regexp.MustCompile(`(?:^|[.!?"”’)]\s+)[–—-]\s*([^–—.!?"“”]{2,40})$`)
	// "and agencies", "with wires": a credit to unnamed helpers.
	agencySuffix = regexp.MustCompile(`(?i)\s*(?:,|;|\band\b|\bwith\b|&|\+|/)\s*(?:other\s+|news\s+|wire\s+)?(?:agencies|agency|wires|wire services|agency reports)$`)
	// Several credited outlets: the first is named.
	outletList = regexp.MustCompile(`\s*(?:[,;/]|\s(?:and|&)\s)\s*`)
)

// textOutlet finds a credit line: "SOURCE: …" among the last and first
// three paragraphs, a dateline credit opening one of the first two, or a
// sign-off closing the text.
func textOutlet(body []string) string {
	n := len(body)
	for _, i := range []int{n - 1, n - 2, n - 3, 0, 1, 2} {
		if i < 0 || i >= n {
			continue
		}
		if m := sourceLine.FindStringSubmatch(body[i]); m != nil {
			if s := normalizeOutlet(m[1]); s != "" {
				return s
			}
		}
	}
	if n == 0 {
		return ""
	}
	// The dateline opens the text, or its second paragraph when the first
	// is the headline repeated.
	for _, p := range body[:min(2, n)] {
		if m := datelineCredit.FindStringSubmatch(p); m != nil {
			if s := normalizeOutlet(m[1]); s != "" {
				return s
			}
		}
	}
	if m := signOff.FindStringSubmatch(body[n-1]); m != nil {
		return normalizeOutlet(m[1])
	}
	return ""
}

// normalizeOutlet turns a credit into a name, or "" if it does not look
// like one. The rules are about form, not a list of known outlets:
//   - a credit to unnamed helpers is dropped ("TRTWorld and agencies" →
//     "TRTWorld"), and of several outlets the first is named;
//   - capitals run together with a following word are split where the
//     acronym ends ("TRTWorld" → "TRT World", "NBCNews" → "NBC News"),
//     the way such names are written in their own mastheads; a lower-case
//     letter before a capital is left alone ("HuffPost", "BuzzFeed");
//   - a name is at most maxOutletWords words and maxOutletRunes runes, starts
//     with a capital, and its other words are capitalised, numbers or short
//     joining words ("of", "de", "the"): anything else is a sentence.
func normalizeOutlet(s string) string {
	s = strings.TrimSpace(cleanLine(s))
	s = strings.Trim(s, " .,;:()[]")
	s = agencySuffix.ReplaceAllString(s, "")
	if parts := outletList.Split(s, 2); len(parts) > 0 {
		s = strings.Trim(parts[0], " .,;:")
	}
	s = splitAcronym(s)
	if s == "" || utf8.RuneCountInString(s) > maxOutletRunes {
		return ""
	}
	words := strings.Fields(s)
	if len(words) > maxOutletWords {
		return ""
	}
	for i, w := range words {
		r, _ := utf8.DecodeRuneInString(w)
		switch {
		case unicode.IsUpper(r):
		case i > 0 && unicode.IsDigit(r):
		case i > 0 && utf8.RuneCountInString(w) <= 3 && unicode.IsLower(r):
		default:
			return ""
		}
	}
	if strings.ContainsAny(s, `:"“”`) {
		return ""
	}
	return strings.Join(words, " ")
}

// splitAcronym puts a space where a run of two or more capitals ends and a
// capitalised word begins: "TRTWorld" → "TRT World".
func splitAcronym(s string) string {
	rs := []rune(s)
	var b strings.Builder
	for i, r := range rs {
		if i >= 2 && i+1 < len(rs) && unicode.IsUpper(rs[i-2]) && unicode.IsUpper(rs[i-1]) &&
			unicode.IsUpper(r) && unicode.IsLower(rs[i+1]) {
			b.WriteByte(' ')
		}
		b.WriteRune(r)
	}
	return b.String()
}

// registrableDomain is the URL's domain as registered with a registry
// ("thecaucus.blogs.nytimes.com" → "nytimes.com", "news.bbc.co.uk" →
// "bbc.co.uk"), from the public suffix list, whose private section also
// makes "x.blogspot.com" its own outlet. An IP address or a bare host
// ("localhost") names no outlet.
func registrableDomain(rawURL string) string {
	host := strings.TrimSuffix(hostname(rawURL), ".")
	if host == "" || net.ParseIP(host) != nil {
		return ""
	}
	d, err := publicsuffix.EffectiveTLDPlusOne(host)
	if err != nil {
		return ""
	}
	return d
}

// hostname is the lower-case host of a URL, without port; "" if none.
func hostname(rawURL string) string {
	if rawURL == "" {
		return ""
	}
	u, err := url.Parse(rawURL)
	if err != nil {
		return ""
	}
	return strings.ToLower(u.Hostname())
}

// findLDOutlet finds the publisher's name in decoded JSON-LD, or an author
// that is an organisation: an author who is a person names a writer, not an
// outlet.
func findLDOutlet(v any, depth int) string {
	if depth > maxJSONDepth {
		return ""
	}
	switch t := v.(type) {
	case map[string]any:
		if s := ldName(t["publisher"], false); s != "" {
			return s
		}
		if s := ldName(t["author"], true); s != "" {
			return s
		}
		if g, ok := t["@graph"]; ok {
			return findLDOutlet(g, depth+1)
		}
	case []any:
		for _, e := range t {
			if s := findLDOutlet(e, depth+1); s != "" {
				return s
			}
		}
	}
	return ""
}

// ldName reads a JSON-LD Organization (or a list of them): its name, or
// for a publisher also a plain string. With orgOnly, only an object typed
// as an organisation counts.
func ldName(v any, orgOnly bool) string {
	switch t := v.(type) {
	case string:
		if !orgOnly {
			return cleanLine(t)
		}
	case []any:
		for _, e := range t {
			if s := ldName(e, orgOnly); s != "" {
				return s
			}
		}
	case map[string]any:
		typ, _ := t["@type"].(string)
		if orgOnly && !strings.HasSuffix(typ, "Organization") {
			return ""
		}
		if s, ok := t["name"].(string); ok {
			return cleanLine(s)
		}
	}
	return ""
}
