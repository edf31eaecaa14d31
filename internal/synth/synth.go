// Package synth generates seeded, deterministic corpora of realistic news
// articles with known ground truth, to measure newsdedup's speed and quality
// at any scale.
//
// Articles are made of real sentences (the seeds and BASIL articles of
// testdata, see LoadPool). Each story is an event with its own synthesised
// names (people, places, organisations) and topic words: an original article
// of a story draws sentences from the pool, puts the story's names in place of
// the real ones, and swaps a share of the content words for the story's topic
// words or other words of the pool, so independent reports of one event share
// names and vocabulary but little running text, and reports of different
// events share almost nothing specific. A copy reuses an earlier article of
// its story the way syndicated wire copy does: trimmed, a new lead sentence,
// a few words edited, boilerplate appended, published by another outlet.
package synth

import (
	"errors"
	"fmt"
	"hash/fnv"
	"math"
	"math/rand/v2"
	"path"
	"strings"
	"time"

	"github.com/newsdedup/newsdedup/internal/article"
)

// Config describes a corpus. Zero fields take the documented defaults.
type Config struct {
	Articles int
	Seed     int64
	// StorySize is the mean number of articles per story (default 5); sizes
	// follow a log-normal law, so many stories have one article and a few
	// have dozens.
	StorySize float64
	// CopyRate is the share of articles that copy another article of their
	// story (default 0.15; negative: none).
	CopyRate float64
	// DaysSpan is how many days the corpus covers (default 30); a story's
	// articles fall within a few days of its start.
	DaysSpan int
	// Start is the first day (default 2024-01-01).
	Start time.Time
	// Words is the mean length of an original article in words (default 700).
	Words int
	// NoDateRate is the share of articles without a date (default 0.02;
	// negative: none).
	NoDateRate float64
	// Pool holds the sentences; nil loads DefaultPool.
	Pool *Pool
}

func (c Config) withDefaults() (Config, error) {
	if c.Articles < 0 {
		return c, errors.New("synth: Articles must not be negative")
	}
	if c.StorySize == 0 {
		c.StorySize = 5
	}
	if c.StorySize < 1 {
		return c, fmt.Errorf("synth: StorySize %g is below 1", c.StorySize)
	}
	if c.CopyRate == 0 {
		c.CopyRate = 0.15
	}
	c.CopyRate = min(max(c.CopyRate, 0), 0.9)
	if c.DaysSpan <= 0 {
		c.DaysSpan = 30
	}
	if c.Start.IsZero() {
		c.Start = time.Date(2024, 1, 1, 0, 0, 0, 0, time.UTC)
	}
	if c.Words <= 0 {
		c.Words = 700
	}
	if c.NoDateRate == 0 {
		c.NoDateRate = 0.02
	}
	c.NoDateRate = max(c.NoDateRate, 0)
	if c.Pool == nil {
		p, err := DefaultPool()
		if err != nil {
			return c, err
		}
		c.Pool = p
	}
	return c, nil
}

// Article is a generated article with its ground truth.
type Article struct {
	article.Article
	Story  string // label of the story (event) it reports
	CopyOf string // Key of the article it copies, "" for an original report
}

// KeyOf is the Key of the article with output index i: the path, relative to
// the output folder, where gencorpus writes it (at most 1000 per folder).
func KeyOf(i int) string { return fmt.Sprintf("%04d/%07d.json", i/1000, i) }

// Generate returns the whole corpus in memory, in generation order (story by
// story). For large corpora use Each.
func Generate(cfg Config) ([]Article, error) {
	var out []Article
	err := Each(cfg, func(a article.Article, story, copyOf string) error {
		out = append(out, Article{Article: a, Story: story, CopyOf: copyOf})
		return nil
	})
	return out, err
}

// Each generates the corpus story by story and calls fn for every article
// with its story label and the Key of the article it copies ("" for an
// original). Only one story is held in memory at a time, so a million
// articles stream in constant memory. An original is always passed before
// its copies. Keys (KeyOf a pseudo-random permutation of 0..Articles-1) do
// not reveal the story. The same Config gives the same articles.
func Each(cfg Config, fn func(a article.Article, story, copyOf string) error) error {
	cfg, err := cfg.withDefaults()
	if err != nil {
		return err
	}
	g := &gen{cfg: cfg, pool: cfg.Pool}
	sizes := storySizes(cfg)
	perm := newPerm(cfg.Articles, uint64(cfg.Seed))
	next := 0
	for s, size := range sizes {
		st := g.newStory(s)
		for _, d := range g.storyDrafts(st, size, next, perm) {
			if err := fn(d.render(), st.label, d.copyOf); err != nil {
				return err
			}
		}
		next += size
	}
	return nil
}

// storySizes draws log-normal story sizes (σ = 1, mean ≈ StorySize) until
// they add up to Articles.
func storySizes(cfg Config) []int {
	r := rand.New(rand.NewPCG(uint64(cfg.Seed), 0x5701e5))
	mu := math.Log(cfg.StorySize) - 0.5
	maxSize := int(40 * cfg.StorySize)
	var sizes []int
	left := cfg.Articles
	for left > 0 {
		n := int(math.Round(math.Exp(mu + r.NormFloat64())))
		n = min(max(n, 1), maxSize, left)
		sizes = append(sizes, n)
		left -= n
	}
	return sizes
}

// perm is a bijection of 0..n-1: i ↦ (a·i + c) mod n with a coprime to n.
type perm struct{ a, c, n uint64 }

func newPerm(n int, seed uint64) perm {
	if n <= 1 {
		return perm{a: 1, n: max(uint64(n), 1)}
	}
	r := rand.New(rand.NewPCG(seed, 0x9e3779b9))
	p := perm{n: uint64(n), c: r.Uint64N(uint64(n))}
	p.a = uint64(n)/2 + r.Uint64N(uint64(n)/2) + 1
	for gcd(p.a, p.n) != 1 {
		p.a++
	}
	return p
}

func (p perm) at(i int) int { return int((p.a%p.n*uint64(i) + p.c) % p.n) }

func gcd(a, b uint64) uint64 {
	for b != 0 {
		a, b = b, a%b
	}
	return a
}

// Tuning of the text transformations.
const (
	entities      = 8    // names per story
	topicWords    = 12   // topic words per story
	replaceRate   = 0.22 // share of an original's content words swapped
	topicShare    = 0.30 // of those, the share that become a story topic word
	spliceRate    = 0.25 // sentences made of two pool sentences joined at commas
	boilerRate    = 0.30 // originals that carry their outlet's boilerplate
	maxStoryDrift = 10   // days after a story's start its last report may come
	// sharedNamesRate: stories that are follow-ups of an earlier one, with
	// its two main names (different events about the same people).
	sharedNamesRate = 0.3
	// storyQuotes: statements of a story's people that its independent
	// reports quote, each included by an original with quoteRate: quoting is
	// not copying (GUIDE §1), and the copy detector must not say otherwise.
	storyQuotes = 4
	quoteRate   = 0.4
	// heavyCopyRate: copies rewritten like real wire copy (seeds 001/003):
	// three words changed in every sentence, 30% of the sentences replaced.
	heavyCopyRate = 0.3
)

// entityWeights: the first entity of a story is mentioned most.
var entityWeights = func() []float64 {
	w := []float64{0.30, 0.20, 0.14, 0.10, 0.08, 0.07, 0.06, 0.05}
	for i := 1; i < len(w); i++ {
		w[i] += w[i-1]
	}
	return w
}()

type gen struct {
	cfg  Config
	pool *Pool
}

type story struct {
	label  string
	day    int
	ents   [entities]entity
	topics [topicWords]string
	quotes []string
	salt   uint64
	r      *rand.Rand
}

func (g *gen) newStory(s int) *story {
	r := rand.New(rand.NewPCG(uint64(g.cfg.Seed), uint64(s)+1))
	st := &story{label: fmt.Sprintf("s%06d", s), r: r, salt: r.Uint64()}
	st.day = r.IntN(g.cfg.DaysSpan)
	for i := range st.ents {
		st.ents[i] = newEntity(r)
	}
	// A follow-up event: the same main people as an earlier story, a
	// different event (its other names and topic words are its own).
	if s > 0 && r.Float64() < sharedNamesRate {
		prev := s - 1 - r.IntN(min(s, 30))
		pr := rand.New(rand.NewPCG(uint64(g.cfg.Seed), uint64(prev)+1))
		pr.Uint64() // salt
		pr.IntN(g.cfg.DaysSpan)
		st.ents[0], st.ents[1] = newEntity(pr), newEntity(pr)
	}
	for i := range st.topics {
		st.topics[i] = g.pool.vocab[r.IntN(len(g.pool.vocab))]
	}
	if len(g.pool.quoted) > 0 {
		for range storyQuotes {
			q := g.pool.sents[g.pool.quoted[r.IntN(len(g.pool.quoted))]]
			st.quotes = append(st.quotes, g.rewrite(q, st, 0, false))
		}
	}
	return st
}

// draft is an article before rendering.
type draft struct {
	key, title, url string
	date            string
	day             int
	out             int // outlet
	sents           []string
	boiler          []string
	paras           []int // sentences per paragraph
	copyOf          string
}

func (d *draft) render() article.Article {
	var b strings.Builder
	k := 0
	for _, n := range d.paras {
		if k >= len(d.sents) {
			break
		}
		if b.Len() > 0 {
			b.WriteString("\n\n")
		}
		end := min(k+n, len(d.sents))
		b.WriteString(strings.Join(d.sents[k:end], " "))
		k = end
	}
	if k < len(d.sents) {
		if b.Len() > 0 {
			b.WriteString("\n\n")
		}
		b.WriteString(strings.Join(d.sents[k:], " "))
	}
	for _, l := range d.boiler {
		b.WriteString("\n\n")
		b.WriteString(l)
	}
	return article.Article{Key: d.key, Title: d.title, Date: d.date, Source: outlets[d.out].name, URL: d.url, Text: b.String()}
}

// storyDrafts writes the size articles of a story; the first is always an
// original.
func (g *gen) storyDrafts(st *story, size, first int, p perm) []*draft {
	r := st.r
	copyP := 0.0
	if g.cfg.StorySize > 1 {
		// Only articles after the first can be copies: raise their rate so the
		// corpus-wide share is about CopyRate.
		copyP = min(g.cfg.CopyRate*g.cfg.StorySize/(g.cfg.StorySize-1), 0.95)
	}
	outs := r.Perm(len(outlets))
	var drafts, originals []*draft
	for k := 0; k < size; k++ {
		key := KeyOf(p.at(first + k))
		var d *draft
		if k > 0 && r.Float64() < copyP {
			src := originals[r.IntN(len(originals))]
			d = g.copyDraft(st, src, outs[k%len(outs)])
			d.copyOf = src.key
		} else {
			day := st.day
			if k > 0 {
				day += min(int(r.ExpFloat64()*1.5), maxStoryDrift)
			}
			d = g.original(st, outs[k%len(outs)], day)
			originals = append(originals, d)
		}
		d.key = key
		g.finish(d, r)
		drafts = append(drafts, d)
	}
	return drafts
}

func (g *gen) original(st *story, out, day int) *draft {
	r := st.r
	d := &draft{out: out, day: day}
	target := max(int(float64(g.cfg.Words)*(1+0.25*r.NormFloat64())), g.cfg.Words/3, 60)
	words := 0
	var quotes []string
	for _, q := range st.quotes {
		if r.Float64() < quoteRate {
			quotes = append(quotes, q)
			words += strings.Count(q, " ") + 1
		}
	}
	for words < target {
		s := g.sentence(st)
		d.sents = append(d.sents, s)
		words += strings.Count(s, " ") + 1
	}
	for _, q := range quotes {
		k := r.IntN(len(d.sents) + 1)
		d.sents = append(d.sents[:k], append([]string{q}, d.sents[k:]...)...)
	}
	d.title = g.title(st)
	if r.Float64() < boilerRate {
		d.boiler = []string{outlets[out].boiler}
	}
	return d
}

// copyDraft reuses src the way syndicated copy does.
func (g *gen) copyDraft(st *story, src *draft, out int) *draft {
	r := st.r
	if out == src.out {
		out = (out + 1) % len(outlets)
	}
	d := &draft{out: out, day: src.day + []int{0, 0, 0, 1, 2}[r.IntN(5)]}
	keep := max(int(math.Ceil(float64(len(src.sents))*(0.5+0.5*r.Float64()))), 3)
	editP, edits, replaceP := 0.2+0.5*r.Float64(), 1+r.IntN(2), 0.0
	if r.Float64() < heavyCopyRate {
		editP, edits, replaceP = 1, 3, 0.3
	}
	lead := g.sentence(st)
	if r.Float64() < 0.5 {
		lead = strings.ToUpper(st.ents[r.IntN(3)].last) + " - " + lead
	}
	d.sents = append(d.sents, lead)
	for k, s := range src.sents[:min(keep, len(src.sents))] {
		if k > 0 && r.Float64() < 0.1 {
			continue // a dropped paragraph
		}
		if k > 0 && r.Float64() < replaceP {
			s = g.sentence(st)
		} else if r.Float64() < editP {
			s = g.editWords(s, r, edits)
		}
		d.sents = append(d.sents, s)
	}
	if r.Float64() < 0.5 {
		d.title = src.title
	} else {
		d.title = g.title(st)
	}
	d.boiler = []string{strings.Replace(wireLines[r.IntN(len(wireLines))], "%s", outlets[src.out].name, 1)}
	if r.Float64() < boilerRate {
		d.boiler = append(d.boiler, outlets[out].boiler)
	}
	return d
}

// finish sets paragraphs, date and URL.
func (g *gen) finish(d *draft, r *rand.Rand) {
	for n := 0; n < len(d.sents); {
		k := 1 + r.IntN(3)
		d.paras = append(d.paras, k)
		n += k
	}
	day := min(d.day, g.cfg.DaysSpan-1)
	t := g.cfg.Start.AddDate(0, 0, day)
	datePath := ""
	if r.Float64() >= g.cfg.NoDateRate {
		d.date = t.Format("2006-01-02")
		datePath = t.Format("/2006/01/02")
	}
	d.url = "https://" + outlets[d.out].host + datePath + "/" + slug(d.title) + "-" + strings.TrimSuffix(path.Base(d.key), ".json")
}

func slug(title string) string {
	var parts []string
	forWords(title, func(w string, _, _ int) {
		if len(parts) < 8 {
			parts = append(parts, strings.ToLower(strings.ReplaceAll(w, "'", "")))
		}
	})
	return strings.Join(parts, "-")
}

// sentence draws a pool sentence (sometimes two joined at commas) and makes
// it the story's: names substituted, content words partly swapped.
func (g *gen) sentence(st *story) string {
	r := st.r
	s := g.pool.sents[r.IntN(len(g.pool.sents))]
	if r.Float64() < spliceRate && !strings.Contains(s, "\"") {
		t := g.pool.sents[r.IntN(len(g.pool.sents))]
		if a, b := commaAfter(s, 4), commaAfter(t, 4); a > 0 && b > 0 && !strings.Contains(t, "\"") && len(strings.Fields(t[b:])) >= 5 {
			s = s[:a] + t[b:]
		}
	}
	return g.rewrite(s, st, replaceRate, false)
}

// commaAfter returns the index of the first comma preceded by at least
// words words, or -1.
func commaAfter(s string, words int) int {
	for i := 0; i < len(s); i++ {
		if s[i] == ',' && strings.Count(s[:i], " ") >= words {
			return i
		}
	}
	return -1
}

// title draws a pool title and substitutes the story's names; a title that
// had none is prefixed with the story's main name.
func (g *gen) title(st *story) string {
	if len(g.pool.titles) == 0 {
		s := g.sentence(st)
		return strings.TrimRight(strings.Join(strings.Fields(s)[:min(10, len(strings.Fields(s)))], " "), ",;:.")
	}
	t := g.pool.titles[st.r.IntN(len(g.pool.titles))]
	out := g.rewrite(t, st, 0, true)
	if out == t {
		out = st.ents[0].last + ": " + out
	}
	return out
}

type span struct {
	w        string
	from, to int
}

// rewrite substitutes names and swaps content words with probability rep.
// In a title every capitalised word is judged as mid-sentence.
func (g *gen) rewrite(s string, st *story, rep float64, isTitle bool) string {
	r := st.r
	var ws []span
	forWords(s, func(w string, from, to int) { ws = append(ws, span{w, from, to}) })
	var b strings.Builder
	b.Grow(len(s) + 16)
	last := 0
	for i := 0; i < len(ws); i++ {
		w := ws[i]
		start := i == 0 && !isTitle
		if g.pool.isName(baseName(w.w), start) {
			// A run of names separated by single spaces is one entity:
			// "Vladimir Putin", "Saudi Arabia".
			j := i
			for j+1 < len(ws) && !strings.HasSuffix(ws[j].w, "'s") && s[ws[j].to:ws[j+1].from] == " " && g.pool.isName(baseName(ws[j+1].w), false) {
				j++
			}
			lastWord := ws[j].w
			base := baseName(lastWord)
			e := st.ents[st.entityFor(strings.ToLower(base))]
			b.WriteString(s[last:w.from])
			if j > i {
				b.WriteString(e.first + " " + e.last)
			} else {
				b.WriteString(e.last)
			}
			b.WriteString(lastWord[len(base):]) // possessive
			last = ws[j].to
			i = j
			continue
		}
		if rep > 0 && isContent(w.w) && r.Float64() < rep {
			b.WriteString(s[last:w.from])
			if r.Float64() < topicShare {
				b.WriteString(st.topics[r.IntN(len(st.topics))])
			} else {
				b.WriteString(g.pool.vocab[g.pool.stream[r.IntN(len(g.pool.stream))]])
			}
			last = w.to
		}
	}
	b.WriteString(s[last:])
	return b.String()
}

func baseName(w string) string {
	if strings.HasSuffix(w, "'s") {
		return w[:len(w)-2]
	}
	return w
}

// entityFor maps a real name to one of the story's entities, the same in
// every article of the story, the main entity most often.
func (st *story) entityFor(name string) int {
	h := fnv.New64a()
	h.Write([]byte(name))
	u := float64((h.Sum64()^st.salt)*0x9e3779b97f4a7c15>>11) / (1 << 53)
	for i, c := range entityWeights {
		if u < c {
			return i
		}
	}
	return len(entityWeights) - 1
}

// editWords makes n small edits, each replacing a content word with a pool
// word or deleting it: what a copy editor does to wire copy.
func (g *gen) editWords(s string, r *rand.Rand, n int) string {
	for ; n > 0; n-- {
		var cands []span
		forWords(s, func(w string, from, to int) {
			if isContent(w) {
				cands = append(cands, span{w, from, to})
			}
		})
		if len(cands) == 0 {
			return s
		}
		c := cands[r.IntN(len(cands))]
		if r.Float64() < 0.7 {
			s = s[:c.from] + g.pool.vocab[g.pool.stream[r.IntN(len(g.pool.stream))]] + s[c.to:]
		} else {
			to := c.to
			if to < len(s) && s[to] == ' ' {
				to++
			}
			s = s[:c.from] + s[to:]
		}
	}
	return s
}
