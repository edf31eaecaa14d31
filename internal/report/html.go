package report

import (
	"bytes"
	"cmp"
	_ "embed"
	"errors"
	"fmt"
	"html/template"
	"io"
	"math"
	"net/url"
	"path"
	"regexp"
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

var pageTemplate = template.Must(template.New("report").Funcs(template.FuncMap{
	"plural": plural,
	"inc":    func(i int) int { return i + 1 },
}).Parse(pageSource))

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

// Page budgets: the entry page must open fast at any size (a day of a
// media monitor is 50,000 articles, 10,000 stories), so it shows the top
// of each ranking and links to the rest; every story also has a page of
// its own, and every page of the list of all stories is bounded too.
const (
	freshShown    = 50  // new and growing stories on the entry page
	topShown      = 100 // top stories by coverage on the entry page
	rejectedShown = 200 // rejected files listed on the entry page
	listPageSize  = 500 // stories per page of the list of all stories
)

// WriteHTML writes the entry page, report.html, alone. See WriteSite.
func WriteHTML(w io.Writer, r *Report) error {
	if r == nil {
		return errors.New("report: WriteHTML of a nil report")
	}
	if err := pageTemplate.ExecuteTemplate(w, "report", newSite(r)); err != nil {
		return fmt.Errorf("report: render HTML: %w", err)
	}
	return nil
}

// WriteSite renders the report for people as static pages, each
// self-contained: no script, no external asset, and a
// Content-Security-Policy that forbids loading or running anything even if
// some text escaped its escaping. put receives each page by its path:
// report.html (the entry page: overview, new and growing stories, top
// stories, rejected files; its size is bounded whatever the report holds), stories/list-N.html (all
// stories by coverage, listPageSize a page, each row anchored by the story
// id) and stories/ID.html (one story in full). Pages link to each other by
// relative paths only, so the folder can be moved or served as it is.
// report.html is put last.
func WriteSite(r *Report, put func(path string, page []byte) error) error {
	if r == nil {
		return errors.New("report: WriteSite of a nil report")
	}
	site := newSite(r)
	var buf bytes.Buffer
	render := func(path, name string, data any) error {
		buf.Reset()
		if err := pageTemplate.ExecuteTemplate(&buf, name, data); err != nil {
			return fmt.Errorf("report: render %s: %w", path, err)
		}
		return put(path, bytes.Clone(buf.Bytes()))
	}
	for _, v := range site.all {
		v.Page, v.List = "", path.Base(v.List)
		v.describe(&site.stories[v.idx], true)
		if err := render("stories/"+v.File, "story", v); err != nil {
			return err
		}
	}
	for n := range site.Lists {
		rows := site.all[n*listPageSize : min(len(site.all), (n+1)*listPageSize)]
		lp := listPage{Site: site, Number: n + 1, Pages: make([]string, len(site.Lists)), Rows: make([]storyView, len(rows))}
		for i, l := range site.Lists {
			lp.Pages[i] = path.Base(l)
		}
		for i, v := range rows {
			v.Page, v.RowID = v.File, v.Anchor
			lp.Rows[i] = v
		}
		if err := render(site.Lists[n], "list", lp); err != nil {
			return err
		}
	}
	return render("report.html", "report", site)
}

// site is what the entry page sees, every string cleaned (valid UTF-8, no
// control characters) and formatted for reading; all is every story, by
// coverage, for the other pages.
type site struct {
	Generated, GeneratedISO string
	Previous                string // when the previous report was made, formatted, or ""
	Articles                int    // articles clustered
	Stories                 int
	MultiCount              int // stories with two or more articles
	SingleCount             int
	NewCount                int // stories with status new
	CopyGroups              int
	CopiedArticles          int // articles that belong to a copy group
	Fresh                   []storyView
	FreshCount              int
	Top                     []storyView
	Lists                   []string // stories/list-N.html
	Rejected                []Rejected
	RejectedCount           int

	all     []storyView
	stories []Story
}

type listPage struct {
	Site   *site
	Number int
	Pages  []string // the list's pages, relative to one of them
	Rows   []storyView
}

type storyView struct {
	ID        string // the story id, cleaned
	Anchor    string // the id when it is safe as an anchor and file name, else "story-N"
	File      string // Anchor + ".html", in stories/
	Page      string // link to its page from where it is shown, "" on the page itself
	List      string // link to its row in the list of all stories
	RowID     string // set in the list of all stories only
	Generated string
	New       string   // "new", "+3 new articles", or ""
	Merged    []string // only on its own page (see describe), like Articles, Groups and Rewrites
	Title     string
	Dates     string
	Outlets   []string
	Articles  []articleView
	Groups    []groupView
	Rewrites  []rewriteView
	NArticles int
	NGroups   int // copy groups
	Copied    int // articles of the story in a copy group
	fresh     int // new articles
	idx       int // in Report.Stories
}

type articleView struct {
	Title, Source, Date, Key string
	New                      bool   // in no story of the previous report
	URL                      string // shown as text
	Link                     string // http(s) only, else ""
	Group                    string // letter of its copy group, "" if none
	GroupAnchor              string
	Language                 string // ISO 639-1 code, "" if unknown
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

// rewriteView is a rewrite beside its original: A is the original, B the
// rewrite, with their aligned sentences side by side.
type rewriteView struct {
	A, B      memberView
	Direction string // how A was told from B
	Aligned   int
	Coverage  string // "69%"
	Pairs     [][2]string
}

// safeName is what a story id may be to serve as an anchor and a file
// name: ids come from report data, and a previous report could carry any.
var safeName = regexp.MustCompile(`^[A-Za-z0-9][A-Za-z0-9_-]{0,63}$`)

func newSite(r *Report) *site {
	p := &site{
		Generated:     formatGenerated(r.GeneratedAt),
		GeneratedISO:  clean(r.GeneratedAt),
		Articles:      r.Articles,
		Stories:       len(r.Stories),
		RejectedCount: len(r.Rejected),
		stories:       r.Stories,
	}
	if r.Previous != "" {
		p.Previous = formatGenerated(r.Previous)
	}
	used := map[string]bool{}
	for i := range r.Stories {
		s := &r.Stories[i]
		v := newStoryView(s, i+1, used)
		v.Generated = p.Generated
		p.CopyGroups += len(s.Evidence)
		p.CopiedArticles += v.Copied
		if len(s.Articles) >= 2 {
			p.MultiCount++
		} else {
			p.SingleCount++
		}
		if s.Status == StatusNew {
			p.NewCount++
		}
		p.all = append(p.all, v)
	}
	// By coverage: articles, then outlets, then copied articles; report
	// order (largest, then earliest) breaks ties.
	slices.SortStableFunc(p.all, func(a, b storyView) int {
		return cmp.Or(b.NArticles-a.NArticles, len(b.Outlets)-len(a.Outlets), b.Copied-a.Copied)
	})
	for n := 0; n*listPageSize < len(p.all) || n == 0; n++ {
		p.Lists = append(p.Lists, fmt.Sprintf("stories/list-%d.html", n+1))
	}
	for i := range p.all {
		v := &p.all[i]
		v.List = p.Lists[i/listPageSize] + "#" + v.Anchor
		v.Page = "stories/" + v.File
	}
	var fresh []storyView
	for _, v := range p.all {
		if v.New != "" {
			fresh = append(fresh, v)
		}
		if v.NArticles >= 2 && len(p.Top) < topShown {
			p.Top = append(p.Top, v)
		}
	}
	// New and growing: most new articles first, then by coverage.
	slices.SortStableFunc(fresh, func(a, b storyView) int { return b.fresh - a.fresh })
	p.FreshCount = len(fresh)
	p.Fresh = fresh[:min(len(fresh), freshShown)]
	for _, x := range r.Rejected[:min(len(r.Rejected), rejectedShown)] {
		p.Rejected = append(p.Rejected, Rejected{Key: clean(x.Key), Reason: orDefault(x.Reason, "no reason given")})
	}
	return p
}

// newStoryView summarises story s, number n in report order, for the
// lists: its name, status, title, dates, outlets and counts. describe adds
// what its own page shows.
func newStoryView(s *Story, n int, used map[string]bool) storyView {
	v := storyView{
		ID:     clean(s.ID),
		Anchor: s.ID,
		Title:  orDefault(s.Title, "(untitled story)"),
		fresh:  len(s.NewArticles),
		idx:    n - 1,
	}
	if !safeName.MatchString(v.Anchor) || used[strings.ToLower(v.Anchor)] {
		v.Anchor = fmt.Sprintf("story-%d", n) // ids are letters and digits: no clash
	}
	used[strings.ToLower(v.Anchor)] = true // file names may be case-insensitive
	v.File = v.Anchor + ".html"
	switch {
	case s.Status == StatusNew && len(s.NewArticles) > 0:
		v.New = "new"
	case len(s.NewArticles) > 0:
		v.New = fmt.Sprintf("+%d new %s", len(s.NewArticles), plural(len(s.NewArticles), "article", "articles"))
	}
	v.describe(s, false)
	return v
}

// describe fills in the dates, outlets and counts of story s, and with full
// its articles, copy groups with their evidence, and rewrites: kept only
// while its page is rendered, so a report of a million articles is never
// held twice.
func (v *storyView) describe(s *Story, full bool) {
	v.NArticles, v.NGroups, v.Copied = len(s.Articles), len(s.Evidence), 0
	v.Outlets, v.Articles, v.Groups, v.Rewrites, v.Merged = nil, nil, nil, nil, nil

	// Copy groups are lettered A, B, … within the story.
	letterOf := make(map[string]int) // article key → group index
	var byKey map[string]*Article    // for member, on the page only
	if full {
		byKey = make(map[string]*Article, len(s.Articles))
		for i := range s.Articles {
			byKey[s.Articles[i].Key] = &s.Articles[i]
		}
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
		for _, k := range g.Members {
			if _, ok := letterOf[k]; !ok {
				letterOf[k] = gi
			}
		}
		if full {
			v.Groups = append(v.Groups, newGroupView(g, gi, v.Anchor, member))
		}
	}
	// Articles known only from the older Copies field still get a letter.
	if len(s.Evidence) == 0 {
		v.NGroups = len(s.Copies)
		for gi, c := range s.Copies {
			for _, k := range c {
				if _, ok := letterOf[k]; !ok {
					letterOf[k] = gi
				}
			}
		}
	}

	fresh := make(map[string]bool, len(s.NewArticles))
	if s.Status == StatusContinuing { // in a new story every article is new: no need to say so
		for _, k := range s.NewArticles {
			fresh[k] = true
		}
	}
	var first, last string
	outlets := slices.Clone(s.Sources)
	for _, a := range s.Articles {
		gi, copied := letterOf[a.Key]
		if copied {
			v.Copied++
		}
		if full {
			av := articleView{
				Title: orDefault(a.Title, "(untitled)"), Source: orDefault(a.Source, "outlet unknown"),
				Date: formatDate(a.Date), Key: clean(a.Key), URL: clean(a.URL), Link: httpLink(a.URL),
				New: fresh[a.Key], Language: clean(a.Language),
			}
			if copied {
				av.Group = groupLetter(gi)
				if gi < len(v.Groups) {
					av.GroupAnchor = v.Groups[gi].Anchor
				}
			}
			v.Articles = append(v.Articles, av)
		}
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
	if full {
		for _, m := range s.MergedFrom {
			v.Merged = append(v.Merged, clean(m))
		}
		v.Rewrites = newRewriteViews(s.Rewrites, member)
	}
}

// newGroupView shows copy group number gi of a story with its evidence.
func newGroupView(g CopyGroup, gi int, story string, member func(string) memberView) groupView {
	gv := groupView{
		Anchor: fmt.Sprintf("%s-copy-%d", story, gi+1),
		Letter: groupLetter(gi),
		ID:     clean(g.ID),
	}
	for _, k := range g.Members {
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
	return gv
}

// newRewriteViews shows each rewrite beside its original.
func newRewriteViews(rws []Rewrite, member func(string) memberView) []rewriteView {
	var out []rewriteView
	for _, rw := range rws {
		rv := rewriteView{
			A: member(rw.Original), B: member(rw.Rewrite),
			Direction: "published first",
			Aligned:   rw.AlignedSentences,
			Coverage:  fmt.Sprintf("%d%%", percent(rw.Coverage)),
		}
		if rw.Direction != DirectionByDate {
			rv.Direction = "the longer; dates do not tell which came first"
		}
		for i, p := range rw.Pairs {
			if i == MaxRewritePairs {
				break
			}
			rv.Pairs = append(rv.Pairs, [2]string{clean(p[0]), clean(p[1])})
		}
		out = append(out, rv)
	}
	return out
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
