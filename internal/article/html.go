package article

import (
	"bytes"
	"cmp"
	"encoding/json"
	"sort"
	"strings"

	"golang.org/x/net/html"
	"golang.org/x/net/html/atom"
)

// maxHTMLDepth bounds the element stack. We use the tokenizer rather than
// html.Parse because the parser refuses documents nested deeper than 512
// and its tree building has quadratic corners; beyond this depth start tags
// are simply not tracked, so text keeps flowing.
const maxHTMLDepth = 512

// htmlMetaDateKeys are the meta names/properties giving a publication date,
// in order of preference.
var htmlMetaDateKeys = []string{
	"article:published_time", "og:published_time", "date", "pubdate",
	"publishdate", "datepublished", "dc.date", "dc.date.issued", "parsely-pub-date",
}

var htmlMetaKeys = map[string]bool{"og:title": true, "og:site_name": true, "og:url": true}

func init() {
	for _, k := range htmlMetaDateKeys {
		htmlMetaKeys[k] = true
	}
}

type elemKind uint8

const (
	kindOther elemKind = iota
	kindBlock
	kindSkip
	kindHead
	kindArticle
	kindMain
	kindH1
	kindCell
)

func kindOf(a atom.Atom) elemKind {
	switch a {
	case atom.Script, atom.Style, atom.Noscript, atom.Nav, atom.Header, atom.Footer,
		atom.Aside, atom.Form, atom.Iframe, atom.Svg, atom.Template, atom.Button,
		atom.Select, atom.Textarea, atom.Object, atom.Canvas, atom.Audio, atom.Video,
		atom.Math, atom.Noembed, atom.Noframes:
		return kindSkip
	case atom.Head:
		return kindHead
	case atom.Article:
		return kindArticle
	case atom.Main:
		return kindMain
	case atom.H1:
		return kindH1
	case atom.Td, atom.Th:
		return kindCell
	case atom.P, atom.Div, atom.H2, atom.H3, atom.H4, atom.H5, atom.H6, atom.Li,
		atom.Ul, atom.Ol, atom.Dl, atom.Dt, atom.Dd, atom.Section, atom.Blockquote,
		atom.Pre, atom.Table, atom.Tr, atom.Figure, atom.Figcaption, atom.Address,
		atom.Center, atom.Details, atom.Summary, atom.Body, atom.Html, atom.Hr, atom.Br,
		atom.Caption, atom.Fieldset, atom.Legend, atom.Hgroup, atom.Dialog:
		return kindBlock
	}
	return kindOther
}

func isVoid(a atom.Atom) bool {
	switch a {
	case atom.Area, atom.Base, atom.Br, atom.Col, atom.Embed, atom.Hr, atom.Img,
		atom.Input, atom.Link, atom.Meta, atom.Param, atom.Source, atom.Track, atom.Wbr:
		return true
	}
	return false
}

// headContent are the elements that may appear in <head>; any other start
// tag, like visible text, implicitly closes it (as browsers do).
func headContent(a atom.Atom) bool {
	switch a {
	case atom.Meta, atom.Link, atom.Title, atom.Script, atom.Style, atom.Noscript,
		atom.Base, atom.Template:
		return true
	}
	return false
}

// textBuf accumulates text with HTML whitespace collapsed; '\n' marks a
// block boundary.
type textBuf struct{ b []byte }

func (t *textBuf) text(s []byte) {
	for _, c := range s {
		switch c {
		case ' ', '\t', '\n', '\r', '\f':
			if n := len(t.b); n > 0 && t.b[n-1] != ' ' && t.b[n-1] != '\n' {
				t.b = append(t.b, ' ')
			}
		default:
			t.b = append(t.b, c)
		}
	}
}

func (t *textBuf) space() {
	if n := len(t.b); n > 0 && t.b[n-1] != ' ' && t.b[n-1] != '\n' {
		t.b = append(t.b, ' ')
	}
}

func (t *textBuf) block() {
	if n := len(t.b); n > 0 && t.b[n-1] != '\n' {
		t.b = append(t.b, '\n')
	}
}

type htmlDoc struct {
	title, h1    string
	metas        map[string]string
	canonical    string
	timeDate     string // first <time datetime> that parses
	ldDate       string // first JSON-LD datePublished
	ldOutlet     string // first JSON-LD publisher (or organisation author) name
	body, main   textBuf
	articles     []textBuf // one per top-level <article>
	gotH1, gotTi bool
}

// parseHTMLDoc walks the token stream once, tracking open elements in a
// bounded stack to know whether text is inside skipped, head, article or
// main elements.
func parseHTMLDoc(data []byte) *htmlDoc {
	d := &htmlDoc{metas: map[string]string{}}
	z := html.NewTokenizer(bytes.NewReader(data))
	var stack []atom.Atom
	var nSkip, nHead, nArticle, nMain, nH1 int
	var h1 textBuf
	inStack := map[atom.Atom]int{}
	raw, rawLD := atom.Atom(0), false // raw-text element whose content comes next

	count := func(a atom.Atom, delta int) {
		inStack[a] += delta
		switch kindOf(a) {
		case kindSkip:
			nSkip += delta
		case kindHead:
			nHead += delta
		case kindArticle:
			if nArticle == 0 && delta > 0 {
				d.articles = append(d.articles, textBuf{})
			}
			nArticle += delta
		case kindMain:
			nMain += delta
		case kindH1:
			nH1 += delta
			if nH1 == 0 && len(h1.b) > 0 {
				d.gotH1 = true
			}
		}
	}
	popTo := func(a atom.Atom) bool {
		if inStack[a] <= 0 {
			return false
		}
		for len(stack) > 0 {
			top := stack[len(stack)-1]
			stack = stack[:len(stack)-1]
			count(top, -1)
			if top == a {
				break
			}
		}
		return true
	}
	block := func() {
		d.body.block()
		d.main.block()
		if nArticle > 0 {
			d.articles[len(d.articles)-1].block()
		}
	}
	for {
		tt := z.Next()
		if tt == html.ErrorToken {
			break
		}
		prevRaw := raw
		raw = 0
		switch tt {
		case html.TextToken:
			text := z.Text()
			if prevRaw != 0 && prevRaw != atom.Plaintext {
				switch {
				case prevRaw == atom.Title && !d.gotTi && nSkip == 0:
					d.title, d.gotTi = string(text), true
				case prevRaw == atom.Script && rawLD && (d.ldDate == "" || d.ldOutlet == ""):
					date, outlet := jsonLD(text)
					d.ldDate, d.ldOutlet = cmp.Or(d.ldDate, date), cmp.Or(d.ldOutlet, outlet)
				}
				continue
			}
			if nHead > 0 && len(bytes.TrimSpace(text)) > 0 {
				popTo(atom.Head)
			}
			if nH1 > 0 && !d.gotH1 {
				h1.text(text)
			}
			if nSkip > 0 || nHead > 0 {
				continue
			}
			d.body.text(text)
			if nMain > 0 {
				d.main.text(text)
			}
			if nArticle > 0 {
				d.articles[len(d.articles)-1].text(text)
			}
		case html.StartTagToken, html.SelfClosingTagToken:
			name, hasAttr := z.TagName()
			a := atom.Lookup(name)
			if nHead > 0 && !headContent(a) {
				popTo(atom.Head)
			}
			switch a {
			case atom.Title, atom.Script, atom.Style, atom.Textarea, atom.Xmp, atom.Iframe,
				atom.Noembed, atom.Noframes, atom.Noscript, atom.Plaintext:
				// The tokenizer returns their content as one raw text token;
				// they are not pushed, their end tag is then ignored.
				raw = a
				rawLD = false
				if a == atom.Script && hasAttr {
					rawLD = strings.EqualFold(strings.TrimSpace(attr(z, "type")), "application/ld+json")
				}
				continue
			case atom.Meta:
				if hasAttr {
					d.meta(z)
				}
			case atom.Link:
				if hasAttr && d.canonical == "" {
					href, rel := attrs2(z, "href", "rel")
					if strings.EqualFold(strings.TrimSpace(rel), "canonical") {
						d.canonical = href
					}
				}
			case atom.Time:
				if hasAttr && d.timeDate == "" {
					d.timeDate = metaDate(attr(z, "datetime"))
				}
			case atom.Body:
				popTo(atom.Head)
			}
			k := kindOf(a)
			if k == kindBlock || k == kindH1 || k == kindArticle || k == kindMain {
				block()
			} else if k == kindCell {
				d.body.space()
			}
			if tt == html.StartTagToken && !isVoid(a) && len(stack) < maxHTMLDepth {
				stack = append(stack, a)
				count(a, 1)
			}
		case html.EndTagToken:
			name, _ := z.TagName()
			a := atom.Lookup(name)
			k := kindOf(a)
			if k == kindBlock || k == kindH1 || k == kindArticle || k == kindMain {
				block()
			}
			popTo(a)
		}
	}
	if !d.gotH1 && len(h1.b) > 0 {
		d.gotH1 = true
	}
	d.h1 = string(h1.b)
	return d
}

func (d *htmlDoc) meta(z *html.Tokenizer) {
	var key, content string
	for {
		k, v, more := z.TagAttr()
		switch string(k) {
		case "property", "name", "itemprop":
			if key == "" || !htmlMetaKeys[key] {
				key = strings.ToLower(strings.TrimSpace(string(v)))
			}
		case "content":
			content = string(v)
		}
		if !more {
			break
		}
	}
	if htmlMetaKeys[key] && content != "" {
		if _, ok := d.metas[key]; !ok {
			d.metas[key] = content
		}
	}
}

func attr(z *html.Tokenizer, name string) string {
	v, _ := attrs2(z, name, "")
	return v
}

// attrs2 returns the values of up to two attributes of the current tag.
func attrs2(z *html.Tokenizer, n1, n2 string) (v1, v2 string) {
	for {
		k, v, more := z.TagAttr()
		switch string(k) {
		case n1:
			v1 = string(v)
		case n2:
			if n2 != "" {
				v2 = string(v)
			}
		}
		if !more {
			return v1, v2
		}
	}
}

// jsonLD decodes a JSON-LD block once for the two things the parser takes
// from it: datePublished and the outlet (both possibly inside @graph or a
// list; keys in sorted order, for determinism).
func jsonLD(b []byte) (date, outlet string) {
	if jsonTooDeep(b, maxJSONDepth) {
		return "", ""
	}
	var v any
	if json.Unmarshal(b, &v) != nil {
		return "", ""
	}
	return findLDDate(v, 0), findLDOutlet(v, 0)
}

func findLDDate(v any, depth int) string {
	if depth > maxJSONDepth {
		return ""
	}
	switch t := v.(type) {
	case map[string]any:
		if s, ok := t["datePublished"].(string); ok {
			if d := metaDate(s); d != "" {
				return d
			}
		}
		keys := make([]string, 0, len(t))
		for k := range t {
			keys = append(keys, k)
		}
		sort.Strings(keys)
		for _, k := range keys {
			if d := findLDDate(t[k], depth+1); d != "" {
				return d
			}
		}
	case []any:
		for _, e := range t {
			if d := findLDDate(e, depth+1); d != "" {
				return d
			}
		}
	}
	return ""
}

// fromHTML fills the article fields from an HTML document. Body text comes
// from the longest <article>, else <main>, else the whole body: the first
// with preferWords words, else the first with MinWords.
func fromHTML(data []byte) (title, date, source, url string, body []string) {
	d := parseHTMLDoc(data)
	var best []byte
	for _, a := range d.articles {
		if len(a.b) > len(best) {
			best = a.b
		}
	}
	for _, least := range []int{preferWords, MinWords} {
		for _, cand := range [][]byte{best, d.main.b, d.body.b} {
			if body == nil && textWords(string(cand), least) >= least {
				body = cleanLines(string(cand))
			}
		}
	}
	if body == nil {
		body = cleanLines(string(d.body.b))
	}
	h1 := cleanLine(d.h1)
	title = cleanLine(d.metas["og:title"])
	if title == "" {
		title = cleanLine(d.title)
	}
	if title == "" {
		title = h1
	}
	for _, k := range htmlMetaDateKeys {
		if date = metaDate(d.metas[k]); date != "" {
			break
		}
	}
	if date == "" {
		date = d.ldDate
	}
	if date == "" {
		date = d.timeDate
	}
	url = cleanURL(d.metas["og:url"])
	if url == "" {
		url = cleanURL(d.canonical)
	}
	source = cmp.Or(cleanLine(d.metas["og:site_name"]), d.ldOutlet) // else the text or URL: see outletOf
	title = stripSiteSuffix(title, cmp.Or(source, hostOf(url)))
	// The headline usually opens the article body too; it is the title, not text.
	if len(body) > 0 && (strings.EqualFold(body[0], title) || (h1 != "" && strings.EqualFold(body[0], h1))) {
		body = body[1:]
	}
	return title, date, source, url, body
}

// stripSiteSuffix removes " | Site" or " - Site" from a <title> when Site is
// the known source.
func stripSiteSuffix(title, source string) string {
	if source == "" {
		return title
	}
	for _, sep := range []string{" | ", " - ", " :: "} {
		if i := strings.LastIndex(title, sep); i > 0 && strings.EqualFold(title[i+len(sep):], source) {
			return title[:i]
		}
	}
	return title
}

// htmlText extracts the visible text of an HTML fragment (a JSON "content"
// field holding markup), one line per block.
func htmlText(s string) string {
	d := parseHTMLDoc([]byte(s))
	return string(d.body.b)
}
