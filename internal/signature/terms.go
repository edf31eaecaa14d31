package signature

import (
	"math/bits"
	"slices"

	"github.com/newsdedup/newsdedup/internal/article"
)

// Salient terms: the body's content words and two-word names, then the
// title's words, are counted in one table keyed by word hash; the MaxTerms
// heaviest are kept, with their text recovered from the text itself.

// termEntry accumulates one term of the article being signed. Entries are
// kept in order of first occurrence, which breaks ties between equal
// weights; the term's text is recovered from its token only if it is kept.
type termEntry struct {
	weight  int32
	capital int32 // occurrences capitalised mid-sentence
	title   int32 // the part of weight that comes from the title
	tok     int32 // a token of the term (for a pair, its second word); in the title's tokens if fromTitle
	slot    uint32
	flags   uint8
}

const (
	termFromTitle uint8 = 1 << iota // seen in the title only
	termPair                        // a two-word name: tok-1 and tok
)

// A term event is a token index shifted left by evShift, with its kind in
// the low bits.
const (
	evWord  = iota // a content word of the body
	evPair         // a name: the body's tokens i-1 and i
	evTitle        // a content word of the title
	evShift = 2
)

// salientTerms counts content words and capitalised name pairs of the body
// and title and keeps the MaxTerms heaviest. Weights are raw counts: inverse
// document frequency depends on the corpus and is applied when clustering.
func (c *Computer) salientTerms(a *article.Article, s *Signature) {
	body, title := c.body.toks, c.title.toks
	events := c.termEvents()
	tt := &c.terms
	tt.reset(len(events))
	for _, ev := range events {
		i := int32(ev >> evShift)
		switch ev & (1<<evShift - 1) {
		case evWord:
			t := &body[i]
			e := tt.add(t.h, i, 0)
			e.weight++
			e.capital += int32(bit(t.flags&(tCapital|tStart) == tCapital))
		case evPair:
			e := tt.add(mix64(body[i-1].h^bits.RotateLeft64(body[i].h, 31)), i, termPair)
			e.weight++
			e.capital++
		default: // evTitle: new entries rank after body words of equal weight
			e := tt.add(title[i].h, i, termFromTitle)
			e.weight += TitleWeight
			e.title += TitleWeight
		}
	}

	top := c.topTerms()
	// One allocation for every term's text: the terms slice it.
	c.text = c.text[:0]
	ends := c.ends[:0]
	for _, k := range top {
		e := &c.terms.ents[k]
		src, stoks := a.Text, c.body.toks
		if e.flags&termFromTitle != 0 {
			src, stoks = a.Title, c.title.toks
		}
		if e.flags&termPair != 0 {
			c.text = append(termText(c.text, src, &stoks[e.tok-1]), ' ')
		}
		c.text = termText(c.text, src, &stoks[e.tok])
		ends = append(ends, len(c.text))
	}
	c.ends = ends
	all := string(c.text)
	s.Terms = make([]Term, len(top))
	from := 0
	for i, k := range top {
		e := &c.terms.ents[k]
		text := all[from:ends[i]]
		from = ends[i]
		// A name is a word written with a capital mid-sentence at least as
		// often as not; words seen only in the title cannot tell.
		name := e.flags&termPair != 0 || (e.capital > 0 && 2*e.capital >= e.weight-e.title)
		s.Terms[i] = Term{Text: text, Weight: float32(e.weight), Name: name}
	}
}

// topTerms returns the MaxTerms heaviest terms, ties going to the earlier
// first occurrence, in linear time: the table holds entries in order of
// first occurrence, so a weight cut-off plus a stable insertion sort of the
// few survivors gives the same order as a full stable sort.
func (c *Computer) topTerms() []int32 {
	ents := c.terms.ents
	// Find the weight cut such that at most MaxTerms entries weigh more.
	var hist [64]int
	for i := range ents {
		hist[min(int(ents[i].weight), len(hist)-1)]++
	}
	cut, above := 0, 0 // keep weight > cut fully, weight == cut in order
	for w := len(hist) - 1; w > 0; w-- {
		if above+hist[w] > MaxTerms {
			cut = w
			break
		}
		above += hist[w]
	}
	top := c.top[:0]
	if cap(c.sorted) < MaxTerms {
		c.sorted = make([]int32, MaxTerms)
	}
	room := MaxTerms - above
	for i := range ents {
		w := min(int(ents[i].weight), len(hist)-1)
		switch {
		case w > cut:
			top = append(top, int32(i))
		case w == cut && room > 0:
			top = append(top, int32(i))
			room--
		}
	}
	// Stable counting sort by weight, heaviest first: equal weights keep
	// first-occurrence order.
	var start [len(hist) + 1]int
	for _, k := range top {
		start[len(hist)-1-min(int(ents[k].weight), len(hist)-1)+1]++
	}
	for b := 1; b < len(start); b++ {
		start[b] += start[b-1]
	}
	sorted := c.sorted[:len(top)]
	for _, k := range top {
		b := len(hist) - 1 - min(int(ents[k].weight), len(hist)-1)
		sorted[start[b]] = k
		start[b]++
	}
	// Weights past the histogram share its last bucket (very long texts
	// only): order the whole selection exactly instead.
	if hist[len(hist)-1] > 0 {
		return c.topTermsSorted()
	}
	top, c.sorted = sorted, top
	c.top = top
	return top
}

// topTermsSorted is topTerms by a full stable sort, for the rare article in
// which terms occur 63 times or more.
func (c *Computer) topTermsSorted() []int32 {
	ents := c.terms.ents
	all := c.top[:0]
	for i := range ents {
		all = append(all, int32(i))
	}
	slices.SortStableFunc(all, func(a, b int32) int { return int(ents[b].weight - ents[a].weight) })
	c.top = all
	return all[:min(len(all), MaxTerms)]
}

// termEvents lists, in order of first occurrence, what the body and the
// title add to the term table. Every token is written and the count only
// advances past content words: whether a word is one is a coin toss a
// branch would often get wrong. Names are rare enough for a branch.
func (c *Computer) termEvents() []uint32 {
	body, title := c.body.toks, c.title.toks
	ev := slices.Grow(c.events[:0], 2*len(body)+len(title)+1)
	ev = ev[:cap(ev)]
	n := 0
	opens := uint8(0) // 1 if the previous token can open a name
	for i := range body {
		t := &body[i]
		f := t.flags
		ev[n] = uint32(i) << evShift // evWord is 0
		n += int(bit(f&(tStop|tDigit) == 0) & bit(t.n > 1))
		// Two capitalised words in a row, the first not opening a
		// sentence, form a name: "Vladimir Putin", "Saudi Arabia".
		if opens&bit(f&(tCapital|tStop|tDigit) == tCapital) != 0 {
			ev[n] = uint32(i)<<evShift | evPair
			n++
		}
		opens = bit(f&(tCapital|tStop|tDigit|tStart) == tCapital) & bit(!t.sentEnd)
	}
	for i := range title {
		t := &title[i]
		ev[n] = uint32(i)<<evShift | evTitle
		n += int(bit(t.flags&(tStop|tDigit) == 0) & bit(t.n > 1))
	}
	c.events = ev
	return ev[:n]
}

// termTable is an open-addressing hash table of termEntry keyed by word
// hash, sized per article to stay at most half full. A slot holds the key
// and its entry's index side by side, so a probe reads one cache line; the
// table is cleared in O(used).
type termTable struct {
	slots []termSlot
	mask  uint64
	ents  []termEntry
}

type termSlot struct {
	key uint64 // 0 = empty; a hash of 0 is stored as 1 here
	idx int32  // index into ents
}

// reset empties the table and makes room for n additions.
func (t *termTable) reset(n int) {
	for _, e := range t.ents {
		t.slots[e.slot].key = 0
	}
	size := 64
	for size < 2*n {
		size <<= 1
	}
	if len(t.slots) < size {
		t.slots = make([]termSlot, size)
	}
	t.mask = uint64(size - 1)
	t.ents = slices.Grow(t.ents[:0], n)
}

// add returns the entry of hash h, creating it with tok and flags if new.
func (t *termTable) add(h uint64, tok int32, flags uint8) *termEntry {
	k := max(h, 1)
	for i := k & t.mask; ; i = (i + 1) & t.mask {
		s := &t.slots[i]
		switch s.key {
		case k:
			return &t.ents[s.idx]
		case 0:
			n := len(t.ents)
			s.key, s.idx = k, int32(n)
			t.ents = t.ents[:n+1]
			e := &t.ents[n]
			*e = termEntry{tok: tok, slot: uint32(i), flags: flags}
			return e
		}
	}
}

// termText appends the normalised text of token t of src to dst. A short
// ASCII word needs only folding to lower case and its stemming, which the
// token's length tells: "-ies" became "-y" if it lost two bytes.
func termText(dst []byte, src string, t *token) []byte {
	if t.flags&tShort == 0 {
		return normWord(dst, src[t.at:t.atEnd])
	}
	word := src[t.at : t.at+int32(t.n)]
	for i := 0; i < len(word); i++ {
		dst = append(dst, word[i]|0x20) // letters and digits only: digits have the bit already
	}
	if t.atEnd-t.at-int32(t.n) == 2 {
		dst[len(dst)-1] = 'y'
	}
	return dst
}
