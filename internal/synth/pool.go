package synth

import (
	"encoding/json"
	"errors"
	"fmt"
	"os"
	"path/filepath"
	"sort"
	"strings"
	"unicode"
	"unicode/utf8"
)

// Pool is the material articles are made of: real sentences and titles,
// the vocabulary of their content words, and statistics that tell a name
// ("Putin", "Moscow") from an ordinary word.
type Pool struct {
	sents  []string // quote-balanced sentences, 6 to 60 words
	quoted []int    // indices of the sentences that are mostly a quotation
	titles []string
	vocab  []string // distinct content words, sorted
	stream []int32  // every content-word occurrence as an index into vocab: sampling it is frequency-weighted
	// counts of each lower-cased word written with a capital mid-sentence
	// (capMid) and in lower case (low), over sentences and titles
	capMid map[string]int32
	low    map[string]int32
	files  int
}

// Sentences is the number of distinct sentences in the pool.
func (p *Pool) Sentences() int { return len(p.sents) }

// Files is the number of article files the pool was read from.
func (p *Pool) Files() int { return p.files }

// Words is the number of distinct content words in the pool.
func (p *Pool) Words() int { return len(p.vocab) }

// FindRoot returns the module root (the folder holding go.mod and
// testdata/) found by walking up from dir.
func FindRoot(dir string) (string, error) {
	dir, err := filepath.Abs(dir)
	if err != nil {
		return "", err
	}
	for {
		if fileExists(filepath.Join(dir, "go.mod")) && fileExists(filepath.Join(dir, "testdata", "seeds")) {
			return dir, nil
		}
		parent := filepath.Dir(dir)
		if parent == dir {
			return "", errors.New("synth: no folder with go.mod and testdata/seeds above the working directory")
		}
		dir = parent
	}
}

func fileExists(p string) bool { _, err := os.Stat(p); return err == nil }

// DefaultDirs lists the folders LoadPool reads by default, given the module
// root: the seeds, BASIL when copied into testdata, and, when present, the
// BASIL articles of the shared folder beside the repository (optional: the
// project works without it).
func DefaultDirs(root string) []string {
	dirs := []string{filepath.Join(root, "testdata", "seeds")}
	for _, d := range []string{
		filepath.Join(root, "testdata", "basil", "articles"),
		filepath.Join(root, "..", "shared", "datasets", "basil", "articles"),
	} {
		if fileExists(d) {
			dirs = append(dirs, d)
		}
	}
	return dirs
}

// DefaultPool loads the pool from DefaultDirs of the module root above the
// working directory or, failing that, above the running executable (a
// binary built into the repository's out/bin works from anywhere).
func DefaultPool() (*Pool, error) {
	var starts []string
	if wd, err := os.Getwd(); err == nil {
		starts = append(starts, wd)
	}
	if exe, err := os.Executable(); err == nil {
		starts = append(starts, filepath.Dir(exe))
	}
	for _, dir := range starts {
		if root, err := FindRoot(dir); err == nil {
			return LoadPool(DefaultDirs(root)...)
		}
	}
	return nil, errors.New("synth: no repository (go.mod and testdata/seeds) above the working directory or the executable: run inside the repository or name the sentence folders")
}

// LoadPool reads every *.txt and *.json article in the folders (JSON: the
// "title" and "text" fields; text: the first line is a title when it does not
// end a sentence) and splits it into sentences. Identical sentences from
// different folders (BASIL in testdata and in shared) are kept once.
func LoadPool(dirs ...string) (*Pool, error) {
	p := &Pool{capMid: map[string]int32{}, low: map[string]int32{}}
	seen := map[string]bool{}
	seenTitle := map[string]bool{}
	var files []string
	for _, d := range dirs {
		for _, pat := range []string{"*.txt", "*.json"} {
			m, err := filepath.Glob(filepath.Join(d, pat))
			if err != nil {
				return nil, err
			}
			sort.Strings(m)
			files = append(files, m...)
		}
	}
	for _, f := range files {
		data, err := os.ReadFile(f)
		if err != nil {
			return nil, fmt.Errorf("synth: read pool file: %w", err)
		}
		title, paras, err := parseFile(f, data)
		if err != nil {
			return nil, fmt.Errorf("synth: pool file %s: %w", f, err)
		}
		p.files++
		if title != "" && !seenTitle[title] && len(strings.Fields(title)) >= 3 {
			seenTitle[title] = true
			p.titles = append(p.titles, title)
		}
		for _, para := range paras {
			for _, s := range splitSentences(para) {
				if !usableSentence(s) || seen[s] {
					continue
				}
				seen[s] = true
				p.sents = append(p.sents, s)
			}
		}
	}
	if len(p.sents) < 20 {
		return nil, fmt.Errorf("synth: only %d usable sentences in %s: need at least 20", len(p.sents), strings.Join(dirs, ", "))
	}
	for i, s := range p.sents {
		if in, out := quotedWords(s); in >= 8 && in >= 3*out {
			p.quoted = append(p.quoted, i)
		}
	}
	p.countWords()
	return p, nil
}

// parseFile returns the title and paragraphs of a pool file.
func parseFile(name string, data []byte) (string, []string, error) {
	if strings.HasSuffix(name, ".json") {
		var v struct {
			Title string `json:"title"`
			Text  string `json:"text"`
		}
		if err := json.Unmarshal(data, &v); err != nil {
			return "", nil, err
		}
		return fold(strings.TrimSpace(v.Title)), paragraphs(fold(v.Text)), nil
	}
	lines := paragraphs(fold(string(data)))
	var title string
	var body []string
	for _, l := range lines {
		l = strings.TrimSpace(strings.TrimPrefix(strings.TrimSpace(l), "date "))
		if len(l) >= 10 && isISODate(l[:10]) {
			l = strings.TrimSpace(l[10:])
		}
		if l == "" || strings.Trim(l, "-=*_ ") == "" {
			continue
		}
		if title == "" && len(body) == 0 && !endsSentence(l) {
			title = l
			continue
		}
		body = append(body, l)
	}
	return title, body, nil
}

func isISODate(s string) bool {
	for i := 0; i < 10; i++ {
		c := s[i]
		if i == 4 || i == 7 {
			if c != '-' {
				return false
			}
		} else if c < '0' || c > '9' {
			return false
		}
	}
	return true
}

func endsSentence(l string) bool {
	l = strings.TrimRight(l, "\"') ")
	return strings.HasSuffix(l, ".") || strings.HasSuffix(l, "!") || strings.HasSuffix(l, "?")
}

// paragraphs splits on line breaks and drops empty lines.
func paragraphs(s string) []string {
	var out []string
	for _, l := range strings.Split(s, "\n") {
		if l = strings.TrimSpace(l); l != "" {
			out = append(out, l)
		}
	}
	return out
}

// fold maps typographic quotes, dashes and spaces to ASCII, as article
// normalisation does, so quoted speech is marked by '"' alone.
func fold(s string) string {
	var b strings.Builder
	b.Grow(len(s))
	for _, r := range s {
		switch r {
		case '“', '”', '„', '‟', '«', '»':
			b.WriteByte('"')
		case '‘', '’', '‚', '‛', 'ʼ', '`':
			b.WriteByte('\'')
		case '‐', '‒', '–', '−':
			b.WriteByte('-')
		case '—', '―':
			b.WriteString(" - ")
		case '\u00a0', '\t', '\u2009', '\u202f':
			b.WriteByte(' ')
		case '\r', '\u200b', '\ufeff', '\u00ad':
		default:
			b.WriteRune(r)
		}
	}
	lines := strings.Split(b.String(), "\n")
	for i, l := range lines {
		lines[i] = strings.Join(strings.Fields(l), " ")
	}
	return strings.Join(lines, "\n")
}

// splitSentences splits a paragraph at terminal punctuation followed by a
// space and a capital, digit or quote, except after an abbreviation or an
// initial. Quotation marks are balanced per sentence: a sentence that opens
// or closes inside a quotation spanning several sentences gets the missing
// mark, so every pool sentence can stand alone.
func splitSentences(para string) []string {
	var out []string
	quoted := false
	start := 0
	emit := func(end int) {
		s := strings.TrimSpace(para[start:end])
		start = end
		if s == "" {
			return
		}
		open := quoted
		if strings.Count(s, "\"")%2 == 1 {
			quoted = !quoted
		}
		if open {
			s = "\"" + s
		}
		if strings.Count(s, "\"")%2 == 1 {
			s += "\""
		}
		out = append(out, s)
	}
	for i := 0; i < len(para); i++ {
		c := para[i]
		if c != '.' && c != '!' && c != '?' {
			continue
		}
		j := i + 1
		for j < len(para) && (para[j] == '"' || para[j] == '\'' || para[j] == ')') {
			j++
		}
		if j+1 >= len(para) || para[j] != ' ' {
			continue
		}
		next, _ := utf8.DecodeRuneInString(para[j+1:])
		if !unicode.IsUpper(next) && !unicode.IsDigit(next) && next != '"' {
			continue
		}
		if c == '.' && abbrevBefore(para, i) {
			continue
		}
		emit(j)
	}
	emit(len(para))
	return out
}

var abbrevs = toSet("mr mrs ms dr st jr sr gen gov sen rep lt col sgt capt prof inc co corp ltd vs no jan feb mar apr aug sept sep oct nov dec rev ft mt u.s a.m p.m")

// abbrevBefore reports whether the word ending at para[i] (a dot) is an
// abbreviation or a single-letter initial.
func abbrevBefore(para string, i int) bool {
	k := i
	for k > 0 && para[k-1] != ' ' && para[k-1] != '"' && para[k-1] != '(' {
		k--
	}
	w := strings.ToLower(para[k:i])
	return utf8.RuneCountInString(w) <= 1 || abbrevs[w] || strings.Contains(w, ".")
}

func usableSentence(s string) bool {
	n := len(strings.Fields(s))
	if n < 6 || n > 60 {
		return false
	}
	l := strings.ToLower(s)
	for _, bad := range []string{"http", "www.", "@", "©", "click here", "sign up", "follow us", "subscribe"} {
		if strings.Contains(l, bad) {
			return false
		}
	}
	return true
}

// countWords gathers the capitalisation statistics and the content-word
// vocabulary.
func (p *Pool) countWords() {
	ids := map[string]int32{}
	var stream []string
	scan := func(s string, isTitle bool) {
		first := true
		forWords(s, func(w string, _, _ int) {
			r, _ := utf8.DecodeRuneInString(w)
			lw := strings.ToLower(w)
			switch {
			case unicode.IsUpper(r) && !first && !isTitle:
				p.capMid[lw]++
			case unicode.IsLower(r):
				p.low[lw]++
				if !isTitle && isContent(lw) {
					stream = append(stream, lw)
				}
			}
			first = false
		})
	}
	for _, s := range p.sents {
		scan(s, false)
	}
	for _, t := range p.titles {
		scan(t, true)
	}
	for _, w := range stream {
		if _, ok := ids[w]; !ok {
			ids[w] = 0
			p.vocab = append(p.vocab, w)
		}
	}
	sort.Strings(p.vocab)
	for i, w := range p.vocab {
		ids[w] = int32(i)
	}
	p.stream = make([]int32, len(stream))
	for i, w := range stream {
		p.stream[i] = ids[w]
	}
}

// forWords calls fn for every word of s: a run of letters and digits, with
// apostrophes between letters kept inside ("don't", "Putin's").
func forWords(s string, fn func(w string, from, to int)) {
	i := 0
	for i < len(s) {
		r, size := utf8.DecodeRuneInString(s[i:])
		if !isWordRune(r) {
			i += size
			continue
		}
		j := i + size
		for j < len(s) {
			r, size := utf8.DecodeRuneInString(s[j:])
			if isWordRune(r) {
				j += size
				continue
			}
			if r == '\'' && j+1 < len(s) {
				if r2, _ := utf8.DecodeRuneInString(s[j+1:]); unicode.IsLetter(r2) {
					j += size
					continue
				}
			}
			break
		}
		fn(s[i:j], i, j)
		i = j
	}
}

func isWordRune(r rune) bool { return unicode.IsLetter(r) || unicode.IsDigit(r) }

// isContent: a lower-case alphabetic word of three letters or more that is
// not a stop word.
func isContent(w string) bool {
	if len(w) < 3 || stopwords[w] {
		return false
	}
	for _, r := range w {
		if r < 'a' || r > 'z' {
			return false
		}
	}
	return true
}

var stopwords = toSet(`a about above after again against all also am an and any are as at be because been
before being below between both but by can could did do does doing down during each few for from further
had has have having he her here hers herself him himself his how i if in into is it its itself just
more most my myself no nor not now of off on once only or other our ours ourselves out over own said
same says she should so some such than that the their theirs them themselves then there these they
this those through to too under until up very was we were what when where which while who whom why
will with would you your yours yourself yourselves one two three told say according last new year
years people time like many may much even still well since back first made get got way take going`)

// keepCapitals are capitalised words that name no story entity: substituting
// them would read oddly and real coverage of different events shares them.
var keepCapitals = toSet(`i monday tuesday wednesday thursday friday saturday sunday january february march april may june july
august september october november december president sen senator rep representative gov governor mr mrs ms dr
prime minister secretary general chief justice judge house senate congress court supreme white democrat
democrats democratic republican republicans gop state states united national federal department administration
party officials official times news post journal television twitter facebook instagram youtube internet
god christmas easter thanksgiving tv`)

func toSet(s string) map[string]bool {
	m := map[string]bool{}
	for _, w := range strings.Fields(s) {
		m[w] = true
	}
	return m
}

// isName tells whether a capitalised word of the pool names something
// specific: it is written with a capital mid-sentence more often than not.
// At the start of a sentence the evidence must come from elsewhere.
func (p *Pool) isName(w string, sentStart bool) bool {
	r, _ := utf8.DecodeRuneInString(w)
	if !unicode.IsUpper(r) {
		return false
	}
	lw := strings.ToLower(w)
	if keepCapitals[lw] || isAcronym(w) {
		return false
	}
	c, l := p.capMid[lw], p.low[lw]
	if sentStart {
		return c >= 2 && l < c
	}
	return c > l
}

// isAcronym: all capitals ("US", "NATO", "FBI") — institutions common to
// many stories, kept.
func isAcronym(w string) bool {
	if utf8.RuneCountInString(w) < 2 {
		return false
	}
	for _, r := range w {
		if unicode.IsLower(r) {
			return false
		}
	}
	return true
}

// quotedWords counts the words of s inside and outside quotation marks.
func quotedWords(s string) (in, out int) {
	forWords(s, func(_ string, from, _ int) {
		if strings.Count(s[:from], "\"")%2 == 1 {
			in++
		} else {
			out++
		}
	})
	return in, out
}
