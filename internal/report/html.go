package report

import (
	_ "embed"
	"errors"
	"fmt"
	"html/template"
	"io"
	"math"
	"net/url"
	"slices"
	"strings"
	"time"
	"unicode"
	"unicode/utf8"
)

// The page is one html/template: contextual auto-escaping handles every
// string that comes from an article. Nothing here builds template.HTML,
// template.URL or any other "trusted" type from report data; the view
// model below only cleans and formats plain strings.
//
//go:embed report.html.tmpl
var pageSource string

var pageTemplate = template.Must(template.New("report").Funcs(template.FuncMap{"plural": plural}).Parse(pageSource))

// plural picks the word for n things.
func plural(n int, one, many string) string {
	if n == 1 {
		return one
	}
	return many
}

// passagesShown is how many shared passages of a pair are shown before
// the rest are folded away.
const passagesShown = 3

// WriteHTML writes r as one self-contained HTML page for people: no
// script, no external asset, and a Content-Security-Policy that forbids
// loading or running anything even if some text escaped its escaping.
// Stories with two or more articles come first, as cards with their copy
// groups and the passages that prove them; single-article stories are
// folded into a list at the end, followed by the rejected files.
func WriteHTML(w io.Writer, r *Report) error {
	if r == nil {
		return errors.New("report: WriteHTML of a nil report")
	}
	if err := pageTemplate.Execute(w, newPage(r)); err != nil {
		return fmt.Errorf("report: render HTML: %w", err)
	}
	return nil
}

// page is what the template sees: every string cleaned (valid UTF-8, no
// control characters) and formatted for reading.
type page struct {
	Generated, GeneratedISO string
	Articles                int // articles clustered
	Stories                 int
	MultiCount              int // stories with two or more articles
	CopyGroups              int
	CopiedArticles          int // articles that belong to a copy group
	Multi                   []storyView
	Singles                 []singleView
	Rejected                []Rejected
}

type storyView struct {
	Anchor   string // "story-3": made here, never from data
	Number   int
	Title    string
	Dates    string
	Outlets  []string
	Articles []articleView
	Groups   []groupView
	Rewrites []rewriteView
	Copied   int // articles of the story in a copy group
}

type articleView struct {
	Title, Source, Date, Key string
	URL                      string // shown as text
	Link                     string // http(s) only, else ""
	Group                    string // letter of its copy group, "" if none
	GroupAnchor              string
}

type groupView struct {
	Anchor  string
	Letter  string
	ID      string
	Members []memberView
	Pairs   []pairView
}

type memberView struct{ Key, Source, Title string }

type pairView struct {
	A, B        memberView
	Containment string // "87%"
	Strength    string // "strong", "medium", "weak": for the meter colour
	Width       int    // containment in whole percent, 0–100, for the meter
	Shared      int
	Passages    []string
	More        []string // passages beyond passagesShown, folded
}

type rewriteView struct{ A, B memberView }

type singleView struct{ Title, Source, Date, Key, URL, Link string }

func newPage(r *Report) *page {
	p := &page{
		Generated:    formatGenerated(r.GeneratedAt),
		GeneratedISO: clean(r.GeneratedAt),
		Articles:     r.Articles,
		Stories:      len(r.Stories),
		Rejected:     make([]Rejected, 0, len(r.Rejected)),
	}
	for i := range r.Stories {
		s := &r.Stories[i]
		p.CopyGroups += len(s.Evidence)
		if len(s.Articles) < 2 {
			for _, a := range s.Articles {
				p.Singles = append(p.Singles, singleView{
					Title: orDefault(a.Title, "(untitled)"), Source: orDefault(a.Source, "outlet unknown"),
					Date: formatDate(a.Date), Key: clean(a.Key), URL: clean(a.URL), Link: httpLink(a.URL),
				})
			}
			if len(s.Articles) == 0 { // a story without articles: show its title at least
				p.Singles = append(p.Singles, singleView{Title: orDefault(s.Title, "(untitled)"), Source: "no articles"})
			}
			continue
		}
		v := newStoryView(s, len(p.Multi)+1)
		p.CopiedArticles += v.Copied
		p.Multi = append(p.Multi, v)
	}
	p.MultiCount = len(p.Multi)
	for _, x := range r.Rejected {
		p.Rejected = append(p.Rejected, Rejected{Key: clean(x.Key), Reason: orDefault(x.Reason, "no reason given")})
	}
	return p
}

func newStoryView(s *Story, n int) storyView {
	v := storyView{
		Anchor: fmt.Sprintf("story-%d", n),
		Number: n,
		Title:  orDefault(s.Title, "(untitled story)"),
	}

	// Copy groups are lettered A, B, … within the story.
	letterOf := make(map[string]int) // article key → group index
	byKey := make(map[string]*Article, len(s.Articles))
	for i := range s.Articles {
		byKey[s.Articles[i].Key] = &s.Articles[i]
	}
	member := func(key string) memberView {
		m := memberView{Key: clean(key)}
		if a, ok := byKey[key]; ok {
			m.Source = orDefault(a.Source, "outlet unknown")
			m.Title = orDefault(a.Title, "(untitled)")
		}
		return m
	}
	for gi, g := range s.Evidence {
		gv := groupView{
			Anchor: fmt.Sprintf("%s-copy-%d", v.Anchor, gi+1),
			Letter: groupLetter(gi),
			ID:     clean(g.ID),
		}
		for _, k := range g.Members {
			if _, ok := letterOf[k]; !ok {
				letterOf[k] = gi
			}
			gv.Members = append(gv.Members, member(k))
		}
		for _, pr := range g.Pairs {
			pct := percent(pr.Containment)
			pv := pairView{
				A: member(pr.Keys[0]), B: member(pr.Keys[1]),
				Containment: fmt.Sprintf("%d%%", pct),
				Width:       pct,
				Strength:    strength(pct),
				Shared:      pr.SharedSentences,
			}
			for i, text := range pr.Passages {
				if i < passagesShown {
					pv.Passages = append(pv.Passages, clean(text))
				} else {
					pv.More = append(pv.More, clean(text))
				}
			}
			gv.Pairs = append(gv.Pairs, pv)
		}
		v.Groups = append(v.Groups, gv)
	}
	// Articles known only from the older Copies field still get a letter.
	if len(s.Evidence) == 0 {
		for gi, c := range s.Copies {
			for _, k := range c {
				if _, ok := letterOf[k]; !ok {
					letterOf[k] = gi
				}
			}
		}
	}

	var first, last string
	outlets := slices.Clone(s.Sources)
	for _, a := range s.Articles {
		av := articleView{
			Title: orDefault(a.Title, "(untitled)"), Source: orDefault(a.Source, "outlet unknown"),
			Date: formatDate(a.Date), Key: clean(a.Key), URL: clean(a.URL), Link: httpLink(a.URL),
		}
		if gi, ok := letterOf[a.Key]; ok {
			av.Group = groupLetter(gi)
			if gi < len(v.Groups) {
				av.GroupAnchor = v.Groups[gi].Anchor
			}
			v.Copied++
		}
		v.Articles = append(v.Articles, av)
		if a.Date != "" {
			if first == "" || a.Date < first {
				first = a.Date
			}
			if a.Date > last {
				last = a.Date
			}
		}
		if len(s.Sources) == 0 && a.Source != "" {
			outlets = append(outlets, a.Source)
		}
	}
	if s.FirstSeen != "" || s.LastSeen != "" {
		first, last = s.FirstSeen, s.LastSeen
	}
	v.Dates = formatRange(first, last)
	slices.Sort(outlets)
	for _, o := range slices.Compact(outlets) {
		v.Outlets = append(v.Outlets, clean(o))
	}
	for _, rw := range s.Rewrites {
		v.Rewrites = append(v.Rewrites, rewriteView{A: member(rw[0]), B: member(rw[1])})
	}
	return v
}

// clean makes s safe to show as text: valid UTF-8, control characters
// (other than newline) turned into spaces, surrounding space trimmed.
// Escaping is not its job; the template does that.
func clean(s string) string {
	s = strings.ToValidUTF8(s, "\uFFFD")
	if strings.IndexFunc(s, isControl) >= 0 {
		s = strings.Map(func(r rune) rune {
			if isControl(r) {
				return ' '
			}
			return r
		}, s)
	}
	return strings.TrimSpace(s)
}

func isControl(r rune) bool {
	return r != '\n' && (unicode.IsControl(r) || r == '\u2028' || r == '\u2029')
}

func orDefault(s, def string) string {
	if s = clean(s); s == "" {
		return def
	}
	return s
}

// httpLink returns u if it is an absolute http or https URL with a host,
// for use as a link; anything else (javascript:, data:, relative paths)
// is shown as text only. html/template would neutralise a bad scheme too;
// this keeps such URLs from even looking clickable.
func httpLink(u string) string {
	u = clean(u)
	if !utf8.ValidString(u) || strings.ContainsAny(u, " \n") {
		return ""
	}
	p, err := url.Parse(u)
	if err != nil || p.Host == "" || (p.Scheme != "http" && p.Scheme != "https") {
		return ""
	}
	return u
}

// percent turns a containment in [0,1] into whole percent, clamped; a NaN
// counts as 0.
func percent(c float64) int {
	if math.IsNaN(c) || c <= 0 {
		return 0
	}
	if c >= 1 {
		return 100
	}
	return int(math.Round(c * 100))
}

func strength(pct int) string {
	switch {
	case pct >= 80:
		return "strong"
	case pct >= 50:
		return "medium"
	default:
		return "weak"
	}
}

// groupLetter names copy group i of a story: A … Z, then AA, AB, ….
func groupLetter(i int) string {
	s := ""
	for i++; i > 0; i = (i - 1) / 26 {
		s = string(rune('A'+(i-1)%26)) + s
	}
	return s
}

const dayLayout = "2006-01-02"

// formatDate shows YYYY-MM-DD as "5 Mar 2024"; anything else is shown as
// it is, cleaned, and "" as "no date".
func formatDate(d string) string {
	if d == "" {
		return "no date"
	}
	t, err := time.Parse(dayLayout, d)
	if err != nil {
		return clean(d)
	}
	return t.Format("2 Jan 2006")
}

func formatRange(first, last string) string {
	switch {
	case first == "" && last == "":
		return "date unknown"
	case first == "" || first == last:
		return formatDate(last)
	case last == "":
		return formatDate(first)
	}
	a, errA := time.Parse(dayLayout, first)
	b, errB := time.Parse(dayLayout, last)
	if errA != nil || errB != nil {
		return clean(first) + " – " + clean(last)
	}
	switch {
	case a.Year() != b.Year():
		return a.Format("2 Jan 2006") + " – " + b.Format("2 Jan 2006")
	case a.Month() != b.Month():
		return a.Format("2 Jan") + " – " + b.Format("2 Jan 2006")
	default:
		return a.Format("2") + "–" + b.Format("2 Jan 2006")
	}
}

// formatGenerated shows an RFC 3339 time as "5 March 2024, 14:02 UTC".
func formatGenerated(s string) string {
	if s == "" {
		return "an unknown time"
	}
	t, err := time.Parse(time.RFC3339, s)
	if err != nil {
		return clean(s)
	}
	return t.UTC().Format("2 January 2006, 15:04 UTC")
}
