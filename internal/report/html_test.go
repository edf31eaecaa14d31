package report

import (
	"bytes"
	"fmt"
	"io"
	"path"
	"regexp"
	"slices"
	"strings"
	"testing"
	"unicode/utf8"

	"golang.org/x/net/html"
)

const wantCSP = "default-src 'none'; style-src 'unsafe-inline'; img-src data:"

// allowedTags is every element the template writes. Anything else in the
// output (img, script, iframe, link, …) can only have come from data.
var allowedTags = map[string]bool{
	"html": true, "head": true, "meta": true, "title": true, "style": true, "body": true,
	"header": true, "main": true, "section": true, "article": true, "footer": true,
	"h1": true, "h2": true, "h3": true, "h4": true, "p": true, "div": true, "span": true,
	"b": true, "strong": true, "a": true, "time": true, "blockquote": true, "bdi": true,
	"dl": true, "dt": true, "dd": true, "ul": true, "li": true,
	"table": true, "thead": true, "tbody": true, "tr": true, "th": true, "td": true,
	"details": true, "summary": true, "nav": true,
}

var allowedAttrs = map[string]bool{
	"lang": true, "charset": true, "http-equiv": true, "content": true, "name": true,
	"class": true, "id": true, "href": true, "rel": true, "style": true, "datetime": true, "dir": true,
}

var (
	// Links between the report's own pages: relative, to report.html from
	// stories/, or to a page in stories/, with an optional anchor; the
	// names are story ids or made by the code, never free text.
	anchorRe = regexp.MustCompile(`^(\.\./report\.html|(stories/)?[A-Za-z0-9][A-Za-z0-9_-]*\.html)?(#[A-Za-z0-9][A-Za-z0-9_-]*)?$`)
	widthRe  = regexp.MustCompile(`^width: \d{1,3}%$`)
)

// checkSafeHTML tokenises a page and checks that it only holds what the
// template writes: known elements and attributes, no event handler, links
// only to anchors on the page or to http(s) pages from <a>, no src at all,
// a style sheet that loads nothing, and the Content-Security-Policy.
func checkSafeHTML(page string) error {
	if !utf8.ValidString(page) {
		return fmt.Errorf("page is not valid UTF-8")
	}
	if strings.Contains(strings.ToLower(page), "<script") {
		return fmt.Errorf("page contains <script")
	}
	z := html.NewTokenizer(strings.NewReader(page))
	csp := false
	inStyle := false
	for {
		tt := z.Next()
		switch tt {
		case html.ErrorToken:
			if z.Err() == io.EOF {
				if !csp {
					return fmt.Errorf("no Content-Security-Policy meta")
				}
				return nil
			}
			return z.Err()
		case html.TextToken:
			if inStyle {
				css := strings.ToLower(string(z.Text()))
				for _, bad := range []string{"url(", "@import", "http:", "https:", "expression("} {
					if strings.Contains(css, bad) {
						return fmt.Errorf("style sheet contains %q", bad)
					}
				}
			}
		case html.EndTagToken:
			inStyle = false
		case html.StartTagToken, html.SelfClosingTagToken:
			tok := z.Token()
			if !allowedTags[tok.Data] {
				return fmt.Errorf("unexpected element <%s>", tok.Data)
			}
			inStyle = tok.Data == "style"
			for _, a := range tok.Attr {
				if !allowedAttrs[a.Key] {
					return fmt.Errorf("<%s> has unexpected attribute %s=%q", tok.Data, a.Key, a.Val)
				}
				switch a.Key {
				case "href":
					ok := tok.Data == "a" && a.Val != "" && (anchorRe.MatchString(a.Val) ||
						strings.HasPrefix(a.Val, "https://") || strings.HasPrefix(a.Val, "http://"))
					if !ok {
						return fmt.Errorf("<%s href=%q>", tok.Data, a.Val)
					}
				case "style":
					if !widthRe.MatchString(a.Val) {
						return fmt.Errorf("<%s style=%q>", tok.Data, a.Val)
					}
				case "http-equiv":
					if a.Val != "Content-Security-Policy" {
						return fmt.Errorf("meta http-equiv=%q", a.Val)
					}
					for _, b := range tok.Attr {
						if b.Key == "content" && b.Val == wantCSP {
							csp = true
						}
					}
				case "content":
					if tok.Data != "meta" {
						return fmt.Errorf("content attribute on <%s>", tok.Data)
					}
				}
			}
		}
	}
}

// renderAll renders every page of the report, checking each is safe.
func renderAll(t testing.TB, r *Report) map[string]string {
	t.Helper()
	pages := map[string]string{}
	err := WriteSite(r, func(path string, page []byte) error {
		if _, dup := pages[path]; dup {
			return fmt.Errorf("page %s written twice", path)
		}
		pages[path] = string(page)
		return checkSafeHTML(string(page))
	})
	if err != nil {
		t.Fatal(err)
	}
	return pages
}

func render(t testing.TB, r *Report) string {
	t.Helper()
	var buf bytes.Buffer
	if err := WriteHTML(&buf, r); err != nil {
		t.Fatal(err)
	}
	return buf.String()
}

func TestWriteHTMLEscapesArticleData(t *testing.T) {
	hostile := []string{
		`<script>alert(1)</script>`,
		`"><img src=x onerror=alert(1)>`,
		`'><svg onload=alert(1)>`,
		`</style><script>alert(1)</script>`,
		`<!-- --><script>x</script>`,
		"<scr\x00ipt>alert(1)</script>",
	}
	fields := []struct {
		name string
		set  func(r *Report, v string)
	}{
		{"story title", func(r *Report, v string) { r.Stories[0].Title = v }},
		{"article title", func(r *Report, v string) { r.Stories[0].Articles[0].Title = v }},
		{"source", func(r *Report, v string) { r.Stories[0].Articles[1].Source = v; r.Stories[0].Sources = []string{v} }},
		{"key", func(r *Report, v string) { r.Stories[0].Articles[0].Key = "../" + v }},
		{"url", func(r *Report, v string) { r.Stories[0].Articles[0].URL = "https://x.example/" + v }},
		{"passage", func(r *Report, v string) { r.Stories[0].Evidence[0].Pairs[0].Passages[0] = v }},
		{"group id", func(r *Report, v string) { r.Stories[0].Evidence[0].ID = v }},
		{"single title", func(r *Report, v string) { r.Stories[3].Articles[0].Title = v }},
		{"rejected key", func(r *Report, v string) { r.Rejected[0].Key = v }},
		{"rejected reason", func(r *Report, v string) { r.Rejected[0].Reason = v }},
		{"generated at", func(r *Report, v string) { r.GeneratedAt = v }},
		{"story id", func(r *Report, v string) { r.Stories[0].ID = v }},
		{"merged id", func(r *Report, v string) { r.Stories[0].MergedFrom = []string{v} }},
		{"previous", func(r *Report, v string) { r.Previous = v }},
	}
	for _, f := range fields {
		for i, v := range hostile {
			t.Run(fmt.Sprintf("%s/%d", f.name, i), func(t *testing.T) {
				r := exampleReport()
				f.set(r, v)
				for path, page := range renderAll(t, r) {
					if strings.Contains(page, "<img") || strings.Contains(page, "<svg") {
						t.Fatalf("raw tag from data in %s", path)
					}
				}
			})
		}
	}
}

func TestWriteHTMLExampleEscaping(t *testing.T) {
	page := renderAll(t, hostileExample())["stories/s-2b10.html"]
	if strings.Contains(page, "<script>") {
		t.Fatal("raw <script> in the page")
	}
	for _, want := range []string{
		"&lt;script&gt;alert(1)&lt;/script&gt; Flood warnings",               // the hostile title, as text
		"&#34;&gt;&lt;img src=x onerror=alert(1)&gt;",                        // the hostile source
		"../../etc/passwd&#34;&gt;&lt;script&gt;alert(2)&lt;/script&gt;.txt", // the hostile key
		"&lt;b&gt;until further notice&lt;/b&gt; &amp; to follow",            // markup in a passage stays text
		`<div class="url"><bdi>javascript:alert(3)</bdi></div>`,              // a javascript: URL is text, not a link
	} {
		if !strings.Contains(page, want) {
			t.Errorf("page lacks %s", want)
		}
	}
	if strings.Contains(page, `href="javascript`) || strings.Contains(page, "#ZgotmplZ") {
		t.Error("javascript: URL offered as a link")
	}
}

func TestWriteHTMLNoExternalAssets(t *testing.T) {
	for path, page := range renderAll(t, hostileExample()) {
		t.Run(path, func(t *testing.T) { checkNoExternalAssets(t, page) })
	}
}

func checkNoExternalAssets(t *testing.T, page string) {
	lower := strings.ToLower(page)
	for _, bad := range []string{"<script", "<link", "<img", "<iframe", "<object", "<embed", "<base", "@import", "url(", "<form"} {
		if strings.Contains(lower, bad) {
			t.Errorf("page contains %q", bad)
		}
	}
	// "src=" may appear in escaped text (the hostile source), never in a tag.
	if m := regexp.MustCompile(`<[a-z][^>]*\ssrc\s*=`).FindString(lower); m != "" {
		t.Errorf("page has a src attribute: %q", m)
	}
	// http(s) appears only as article links and their text, never as an
	// asset: every occurrence is inside <div class="url">.
	for _, m := range regexp.MustCompile(`https?://`).FindAllStringIndex(page, -1) {
		start := strings.LastIndex(page[:m[0]], `<div class="url">`)
		end := strings.LastIndex(page[:m[0]], `</div>`)
		if start < 0 || end > start {
			t.Errorf("http(s) URL outside an article's URL line: %q", page[max(0, m[0]-80):min(len(page), m[1]+40)])
		}
	}
	if !strings.Contains(page, `<meta http-equiv="Content-Security-Policy" content="`+wantCSP+`">`) {
		t.Error("Content-Security-Policy meta missing or altered")
	}
}

// node helpers for structural checks.

func parse(t *testing.T, page string) *html.Node {
	t.Helper()
	doc, err := html.Parse(strings.NewReader(page))
	if err != nil {
		t.Fatal(err)
	}
	return doc
}

func attr(n *html.Node, key string) string {
	for _, a := range n.Attr {
		if a.Key == key {
			return a.Val
		}
	}
	return ""
}

func hasClass(n *html.Node, class string) bool {
	return slices.Contains(strings.Fields(attr(n, "class")), class)
}

// find returns the elements under n, in document order, for which match is true.
func find(n *html.Node, match func(*html.Node) bool) []*html.Node {
	var out []*html.Node
	for d := range n.Descendants() {
		if d.Type == html.ElementNode && match(d) {
			out = append(out, d)
		}
	}
	return out
}

func tag(name string) func(*html.Node) bool {
	return func(n *html.Node) bool { return n.Data == name }
}

func classed(name, class string) func(*html.Node) bool {
	return func(n *html.Node) bool { return n.Data == name && hasClass(n, class) }
}

func byID(t *testing.T, doc *html.Node, id string) *html.Node {
	t.Helper()
	got := find(doc, func(n *html.Node) bool { return attr(n, "id") == id })
	if len(got) != 1 {
		t.Fatalf("%d elements with id %q, want 1", len(got), id)
	}
	return got[0]
}

func text(n *html.Node) string {
	var b strings.Builder
	for d := range n.Descendants() {
		if d.Type == html.TextNode {
			b.WriteString(d.Data)
			b.WriteByte(' ')
		}
	}
	return strings.Join(strings.Fields(b.String()), " ")
}

func texts(ns []*html.Node) []string {
	out := make([]string, len(ns))
	for i, n := range ns {
		out[i] = text(n)
	}
	return out
}

func TestWriteHTMLStructure(t *testing.T) {
	r := exampleReport()
	doc := parse(t, render(t, r))

	// Header: generated time and counts.
	if got := text(find(doc, tag("time"))[0]); got != "21 March 2024, 14:05 UTC" {
		t.Errorf("generated = %q", got)
	}
	stats := texts(find(doc, tag("dd")))
	wantStats := []string{"13", "clustered", "6", "3 with 2+ articles · 4 new", "3", "7 articles reuse a text", "2", "see list"}
	if !slices.Equal(stats, wantStats) {
		t.Errorf("stats = %q, want %q", stats, wantStats)
	}

	// Contents: the three stories with two or more articles, linked.
	toc := find(byID(t, doc, "contents"), tag("tr"))[1:] // skip the header row
	if len(toc) != 3 {
		t.Fatalf("%d contents rows, want 3", len(toc))
	}
	// Each story in full on its own page.
	site := renderAll(t, r)
	var cards []*html.Node
	for _, s := range r.Stories[:3] {
		cards = append(cards, find(parse(t, site["stories/"+s.ID+".html"]), classed("article", "story"))...)
	}
	if len(cards) != 3 {
		t.Fatalf("%d story cards, want 3", len(cards))
	}
	wantTitles := []string{r.Stories[0].Title, hostileTitle, r.Stories[2].Title}
	for i, row := range toc {
		link := find(row, tag("a"))[0]
		if href, id := attr(link, "href"), attr(cards[i], "id"); href != "stories/"+id+".html" || id != r.Stories[i].ID {
			t.Errorf("contents row %d links %q, card id %q", i, href, id)
		}
		if text(find(link, tag("bdi"))[0]) != wantTitles[i] {
			t.Errorf("contents row %d title %q, want %q", i, text(link), wantTitles[i])
		}
		if h3 := text(find(cards[i], tag("h3"))[0]); h3 != wantTitles[i] {
			t.Errorf("card %d title %q, want %q", i, h3, wantTitles[i])
		}
	}
	if got := texts(find(toc[0], tag("td"))); !slices.Equal(got, []string{r.Stories[0].Title + " +3 new articles", "20–21 Mar 2024", "6", "5", "2 groups · 5 art."}) {
		t.Errorf("contents row 1 = %q", got)
	}
	if got := texts(find(toc[2], tag("td"))); got[4] != "none" || got[1] != "15 Mar 2024" {
		t.Errorf("contents row 3 = %q", got)
	}

	// Story 1: articles with copy badges linking to their groups, two copy
	// groups, pairs with containment, shared sentences and passages.
	c1 := cards[0]
	if got := text(find(c1, classed("p", "facts"))[0]); got != "20–21 Mar 2024 6 articles 5 outlets 2 copy groups" {
		t.Errorf("facts = %q", got)
	}
	rows := find(find(c1, classed("table", "articles"))[0], tag("tr"))[1:]
	if len(rows) != 6 {
		t.Fatalf("%d article rows, want 6", len(rows))
	}
	// Its three articles in no story of the previous report are marked new.
	var fresh []string
	for _, row := range rows {
		if b := find(row, classed("span", "badge")); len(b) == 1 && text(b[0]) == "new" {
			fresh = append(fresh, text(find(row, classed("div", "key"))[0]))
		}
	}
	if !slices.Equal(fresh, r.Stories[0].NewArticles) {
		t.Errorf("articles marked new: %q, want %q", fresh, r.Stories[0].NewArticles)
	}
	var badges []string
	for _, row := range rows {
		b := find(row, classed("a", "badge"))
		if len(b) == 0 {
			badges = append(badges, "-")
			continue
		}
		badges = append(badges, text(b[0])+" "+attr(b[0], "href"))
	}
	wantBadges := []string{"Copy A #s-7f3a-copy-1", "Copy A #s-7f3a-copy-1", "Copy A #s-7f3a-copy-1", "-", "Copy B #s-7f3a-copy-2", "Copy B #s-7f3a-copy-2"}
	if !slices.Equal(badges, wantBadges) {
		t.Errorf("badges = %q, want %q", badges, wantBadges)
	}
	if got := text(find(rows[0], classed("div", "url"))[0]); got != "https://www.reuters.example/markets/rates-0320" {
		t.Errorf("url = %q", got)
	}
	if a := find(rows[0], func(n *html.Node) bool { return n.Data == "a" && strings.HasPrefix(attr(n, "href"), "https://") }); len(a) != 1 || attr(a[0], "rel") != "noopener noreferrer nofollow" {
		t.Errorf("article link missing or without rel")
	}
	if len(find(rows[2], classed("div", "url"))) != 0 {
		t.Errorf("article without URL shows a URL line")
	}
	groups := find(c1, classed("div", "group"))
	if len(groups) != 2 || attr(groups[0], "id") != "s-7f3a-copy-1" || attr(groups[1], "id") != "s-7f3a-copy-2" {
		t.Fatalf("copy groups: %d", len(groups))
	}
	if got := texts(find(groups[0], tag("li"))); !slices.Equal(got, []string{"Reuters", "Daily Gazette", "Metro Herald"}) {
		t.Errorf("group A members = %q", got)
	}
	pairs := find(groups[0], classed("div", "pair"))
	if len(pairs) != 2 {
		t.Fatalf("%d pairs in group A, want 2", len(pairs))
	}
	if got := text(find(pairs[0], classed("div", "pair-head"))[0]); got != "Reuters ↔ Daily Gazette 94% contained 12 shared sentences" {
		t.Errorf("pair 1 head = %q", got)
	}
	if got := attr(find(pairs[0], func(n *html.Node) bool { return attr(n, "style") != "" })[0], "style"); got != "width: 94%" {
		t.Errorf("meter style = %q", got)
	}
	if got := len(find(pairs[0], tag("blockquote"))); got != 2 {
		t.Errorf("pair 1 shows %d passages, want 2", got)
	}
	// Five passages: three shown, two folded.
	more := find(pairs[1], classed("details", "more"))
	if len(more) != 1 || text(find(more[0], tag("summary"))[0]) != "2 more shared passages" || len(find(more[0], tag("blockquote"))) != 2 {
		t.Errorf("folded passages wrong")
	}
	if got := len(find(pairs[1], tag("blockquote"))); got != 5 {
		t.Errorf("pair 2 has %d passages in all, want 5", got)
	}
	if got := text(find(groups[1], classed("div", "pair-head"))[0]); got != "The Northern Echo ↔ The Northern Echo 100% contained 15 shared sentences" {
		t.Errorf("group B pair head = %q", got)
	}
	// Story 2: singular "sentence"; story 3: rewrites, no copies.
	if got := text(find(cards[1], classed("div", "pair-head"))[0]); !strings.HasSuffix(got, "88% contained 1 shared sentence") {
		t.Errorf("story 2 pair head = %q", got)
	}
	if len(find(cards[2], classed("section", "copies"))) != 0 {
		t.Errorf("story 3 has a copies section")
	}
	if rw := find(cards[2], classed("section", "rewrites")); len(rw) != 1 || !strings.Contains(text(rw[0]), "Evening Post retells City Times") ||
		len(find(rw[0], tag("td"))) != 4 || !strings.Contains(text(rw[0]), "Construction, budgeted at £2.1m, should begin in June.") {
		t.Errorf("story 3 rewrite beside its original, with two aligned sentence pairs, missing")
	}

	// Every story is in the list of all stories, by coverage, anchored by
	// its id and linked to its page; the page links back.
	list := parse(t, site["stories/list-1.html"])
	lrows := find(list, tag("tr"))[1:]
	if len(lrows) != len(r.Stories) {
		t.Fatalf("%d rows in the list of all stories, want %d", len(lrows), len(r.Stories))
	}
	for i, row := range lrows {
		id := r.Stories[i].ID
		if attr(row, "id") != id || attr(find(row, tag("a"))[0], "href") != id+".html" {
			t.Errorf("list row %d: id %q links %q, want story %s", i, attr(row, "id"), attr(find(row, tag("a"))[0], "href"), id)
		}
		story := site["stories/"+id+".html"]
		if !strings.Contains(story, `href="../report.html"`) || !strings.Contains(story, `href="list-1.html#`+id+`"`) {
			t.Errorf("story page %s does not link back to the report and its row", id)
		}
	}
	if got := texts(find(lrows[5], tag("td")))[0]; got != "(untitled story) new" {
		t.Errorf("last list row = %q", got)
	}
	if page := site["stories/s-9003.html"]; !strings.Contains(page, "outlet unknown") || strings.Contains(page, "0 outlets") {
		t.Errorf("a story without a known outlet does not say so")
	}

	// Rejected files.
	rej := find(byID(t, doc, "rejected"), tag("tr"))[1:]
	if len(rej) != 2 || !slices.Equal(texts(find(rej[1], tag("td"))), []string{"=cmd|' /C calc'!A0.txt", "no text left after decoding"}) {
		t.Errorf("rejected rows = %d %q", len(rej), texts(rej))
	}

	// Order on the page: new, top stories, all stories, rejected.
	page := render(t, r)
	order := []int{strings.Index(page, `id="new"`), strings.Index(page, `id="contents"`), strings.Index(page, `id="all"`), strings.Index(page, `id="rejected"`)}
	if !slices.IsSorted(order) || order[0] < 0 {
		t.Errorf("sections out of order: %v", order)
	}
}

func TestWriteHTMLEmptyReport(t *testing.T) {
	page := render(t, &Report{})
	if err := checkSafeHTML(page); err != nil {
		t.Fatal(err)
	}
	renderAll(t, &Report{})
	for _, want := range []string{"No story was covered by more than one article.", "No previous report: every story is new.", "No files were rejected.", "an unknown time"} {
		if !strings.Contains(page, want) {
			t.Errorf("empty report lacks %q", want)
		}
	}
}

func TestHTMLHelpers(t *testing.T) {
	links := []struct{ in, want string }{
		{"https://example.com/a?b=c#d", "https://example.com/a?b=c#d"},
		{"http://example.com", "http://example.com"},
		{"javascript:alert(1)", ""},
		{"JavaScript:alert(1)", ""},
		{"data:text/html,<script>", ""},
		{"//example.com/x", ""},
		{"/relative", ""},
		{"https://", ""},
		{"https://example.com/a b", ""},
		{"ftp://example.com", ""},
		{"", ""},
	}
	for _, tc := range links {
		if got := httpLink(tc.in); got != tc.want {
			t.Errorf("httpLink(%q) = %q, want %q", tc.in, got, tc.want)
		}
	}
	ranges := []struct{ first, last, want string }{
		{"", "", "date unknown"},
		{"2024-03-05", "2024-03-05", "5 Mar 2024"},
		{"2024-03-05", "", "5 Mar 2024"},
		{"", "2024-03-05", "5 Mar 2024"},
		{"2024-03-05", "2024-03-07", "5–7 Mar 2024"},
		{"2024-02-28", "2024-03-02", "28 Feb – 2 Mar 2024"},
		{"2023-12-30", "2024-01-02", "30 Dec 2023 – 2 Jan 2024"},
		{"2024", "2024-03-02", "2024 – 2024-03-02"},
	}
	for _, tc := range ranges {
		if got := formatRange(tc.first, tc.last); got != tc.want {
			t.Errorf("formatRange(%q, %q) = %q, want %q", tc.first, tc.last, got, tc.want)
		}
	}
	for i, want := range map[int]string{0: "A", 25: "Z", 26: "AA", 27: "AB", 51: "AZ", 52: "BA", 701: "ZZ", 702: "AAA"} {
		if got := groupLetter(i); got != want {
			t.Errorf("groupLetter(%d) = %q, want %q", i, got, want)
		}
	}
	pcts := map[float64]int{0: 0, -1: 0, 0.004: 0, 0.005: 1, 0.5: 50, 0.999: 100, 1: 100, 7: 100}
	for c, want := range pcts {
		if got := percent(c); got != want {
			t.Errorf("percent(%v) = %d, want %d", c, got, want)
		}
	}
	cleans := map[string]string{"a\x00b": "a b", "\xff": "\uFFFD", " x\ty\r\n": "x y", "a\u2028b": "a b", "a\nb": "a\nb"}
	for in, want := range cleans {
		if got := clean(in); got != want {
			t.Errorf("clean(%q) = %q, want %q", in, got, want)
		}
	}
}

// FuzzWriteHTML puts arbitrary strings where article data goes and checks
// that the page stays valid UTF-8, holds no element or attribute the
// template does not write, and shows the title back as plain text.
func FuzzWriteHTML(f *testing.F) {
	f.Add(hostileTitle, hostileKey, `"><img src=x onerror=alert(1)>`, hostileSource, hostileURL)
	f.Add("<scr<script>ipt>", "../x", "</blockquote><script>", "\xff\xfe", "https://a.example/\"><script>")
	f.Add("a\x00b", "=1+1", "&lt;script&gt;", "<!--", "http://x.example/'onmouseover='1")
	f.Add("</title><script>", "<style>", "</style><script>1</script>", "]]><script>", "data:text/html;base64,PHNjcmlwdD4=")
	f.Fuzz(func(t *testing.T, title, key, passage, source, link string) {
		r := &Report{
			GeneratedAt: title,
			Articles:    3,
			Stories: []Story{
				{
					ID: key, Title: title, FirstSeen: source, LastSeen: title, Sources: []string{source},
					Articles: []Article{
						{Key: key, Title: title, Source: source, Date: passage, URL: link, CopyGroup: key},
						{Key: key + "2", Title: passage, Source: title, Date: key, URL: "https://example.com/" + title},
					},
					Copies: [][]string{{key, key + "2"}},
					Evidence: []CopyGroup{{ID: key, Members: []string{key, key + "2"}, Pairs: []Pair{
						{Keys: [2]string{key, key + "2"}, Containment: 0.5, SharedSentences: 5, Passages: []string{passage, title, key, source}},
					}}},
					Rewrites: []Rewrite{{Original: key, Rewrite: title, Direction: link, Coverage: 0.5, Pairs: [][2]string{{passage, source}, {title, key}}}},
				},
				{ID: title, Title: title, Articles: []Article{{Key: key, Title: title, Source: source, URL: link}}},
			},
			Rejected: []Rejected{{Key: key, Reason: passage}},
		}
		site := renderAll(t, r) // every page is safe, whatever the ids hold
		var buf bytes.Buffer
		if err := WriteHTML(&buf, r); err != nil {
			t.Fatal(err)
		}
		if page := buf.String(); !utf8.ValidString(page) || page != site["report.html"] {
			t.Fatal("entry page is not valid UTF-8, or differs from the site's")
		}
		// The story title reads back exactly as clean(title) in the card's
		// <h3>, on each story's page.
		want := clean(title)
		if want == "" {
			want = "(untitled story)"
		}
		pages := 0
		for path, page := range site {
			if !strings.HasPrefix(path, "stories/") || strings.HasPrefix(path, "stories/list-") {
				continue
			}
			pages++
			checkTitle(t, page, want)
		}
		if pages != 2 {
			t.Fatalf("%d story pages, want 2", pages)
		}
	})
}

func checkTitle(t *testing.T, page, want string) {
	t.Helper()
	doc, err := html.Parse(strings.NewReader(page))
	if err != nil {
		t.Fatal(err)
	}
	h3 := find(doc, tag("h3"))
	if len(h3) != 1 {
		t.Fatalf("%d <h3>, want 1", len(h3))
	}
	// The title sits in one <bdi> (direction isolation) and nothing else.
	inner := h3[0]
	if b := inner.FirstChild; b != nil && b.Type == html.ElementNode && b.Data == "bdi" && b.NextSibling == nil {
		inner = b
	}
	var got strings.Builder
	for c := inner.FirstChild; c != nil; c = c.NextSibling {
		if c.Type != html.TextNode {
			t.Fatalf("<h3> has a child element <%s>", c.Data)
		}
		got.WriteString(c.Data)
	}
	if got.String() != want {
		t.Fatalf("title reads back as %q, want %q", got.String(), want)
	}
}

// A right-to-left override in one title must not reorder the text around
// it: every string from an article sits in its own <bdi>.
func TestWriteHTMLIsolatesBidi(t *testing.T) {
	r := &Report{Schema: Schema, GeneratedAt: "2026-01-01T00:00:00Z", Articles: 1,
		Stories: []Story{{ID: "s-1", Title: "invoice\u202efdp.exe", Articles: []Article{
			{Key: "k\u202ex.txt", Title: "invoice\u202efdp.exe", Source: "out\u202elet"}}}}}
	site := renderAll(t, r)
	for _, want := range []string{"<bdi>invoice\u202efdp.exe</bdi>", "<bdi>k\u202ex.txt</bdi>", "<bdi>out\u202elet</bdi>"} {
		if !strings.Contains(site["stories/s-1.html"], want) {
			t.Errorf("story page lacks %q", want)
		}
	}
	for _, p := range []string{"stories/list-1.html"} { // a single-article story is not on the entry page
		if !strings.Contains(site[p], "<bdi>invoice\u202efdp.exe</bdi>") {
			t.Errorf("%s lacks the isolated title", p)
		}
	}
}

// At any size every story is reachable from report.html by links, on a page
// named by its id, and every link between the pages resolves.
func TestWriteSiteLinks(t *testing.T) {
	r := &Report{Schema: Schema, GeneratedAt: "2024-01-03T03:00:00Z"}
	n := 2*listPageSize + 3
	for i := range n {
		key := fmt.Sprintf("a/%04d.txt", i)
		s := Story{ID: StoryID(key), Title: fmt.Sprintf("Story %d", i), Articles: []Article{{Key: key}, {Key: key + "2"}}}
		if i%2 == 0 {
			s.Articles = s.Articles[:1]
		}
		r.Stories = append(r.Stories, s)
	}
	Track(r, &Previous{GeneratedAt: "2024-01-02T03:00:00Z", Stories: map[string][]string{"s-old": {"a/0001.txt"}}})
	site := renderAll(t, r)
	if len(site["report.html"]) > 200<<10 {
		t.Errorf("entry page is %d bytes", len(site["report.html"]))
	}
	href := regexp.MustCompile(`href="([^"#]*)(#[^"]*)?"`)
	idOf := regexp.MustCompile(`id="([^"]+)"`)
	seen := map[string]bool{}
	todo := []string{"report.html"}
	for len(todo) > 0 {
		p := todo[len(todo)-1]
		todo = todo[:len(todo)-1]
		if seen[p] {
			continue
		}
		seen[p] = true
		ids := map[string]bool{}
		for _, m := range idOf.FindAllStringSubmatch(site[p], -1) {
			ids[m[1]] = true
		}
		for _, m := range href.FindAllStringSubmatch(site[p], -1) {
			target, anchor := m[1], strings.TrimPrefix(m[2], "#")
			if strings.HasPrefix(target, "http") {
				continue
			}
			if target != "" {
				target = path.Join(path.Dir(p), target)
			} else {
				target = p
			}
			page, ok := site[target]
			if !ok {
				t.Errorf("%s links to %s, which is not a page", p, m[0])
				continue
			}
			if anchor != "" && !strings.Contains(page, `id="`+anchor+`"`) && !(target == p && ids[anchor]) {
				t.Errorf("%s links to %s, whose anchor is not there", p, m[0])
			}
			todo = append(todo, target)
		}
	}
	for _, s := range r.Stories {
		if !seen["stories/"+s.ID+".html"] {
			t.Fatalf("story %s not reachable from report.html", s.ID)
		}
	}
	if len(seen) != len(site) {
		t.Errorf("%d pages reachable of %d", len(seen), len(site))
	}
}
