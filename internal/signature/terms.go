package signature

import (
	"encoding/binary"
	"math/bits"
	"slices"
	"strconv"
)

// Salient terms: the body's content words and two-word names, then the
// title's words, are counted in one table keyed by word hash; the MaxTerms
// heaviest are kept, with their text recovered from the text itself.

// termEntry accumulates one term of the article being signed. Entries are
// kept in order of first occurrence, which breaks ties between equal
// weights; the term's text is recovered from its token only if it is kept.
type termEntry struct {
	// counts holds the weight in its low 32 bits and the occurrences
	// capitalised mid-sentence in its high 32 bits, so that one addition
	// counts both.
	counts uint64
	title  int32 // the part of weight that comes from the title
	tok    int32 // a token of the term (for a pair, its second word); in the title's tokens if fromTitle
	flags  uint8
}

func (e *termEntry) weight() int32  { return int32(e.counts) }
func (e *termEntry) capital() int32 { return int32(e.counts >> 32) }

// capitalMid is 1<<32, a count of one capital in termEntry.counts, for a
// word capitalised mid-sentence or a figure, and 0 otherwise. A figure that
// is a term (see specificNumber) names its event as a name does.
func capitalMid(f uint8) uint64 {
	return uint64((f/tCapital&^(f/tStart)|f/tDigit)&1) << 32
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
func (c *Computer) salientTerms(s *Signature, events []uint32) {
	c.countTerms(events)
	s.Terms = c.termList(c.topTerms())
}

// termList returns the Terms of the selected entries, their text recovered
// from the article.
func (c *Computer) termList(top []int32) []Term {
	// One allocation for every term's text: the terms slice it.
	text := c.text[:0] // a local: storing the slice in c each time would run the GC's write barrier
	ends := c.ends[:0]
	ents := c.terms.used()
	for _, k := range top {
		e := &ents[k]
		z := &c.body
		if e.flags&termFromTitle != 0 {
			z = &c.title
		}
		if e.flags&termPair != 0 {
			text = append(z.termText(text, &z.toks[e.tok-1]), ' ')
		}
		text = z.termText(text, &z.toks[e.tok])
		ends = append(ends, len(text))
	}
	c.text, c.ends = text, ends
	all := string(text)
	terms := make([]Term, len(top))
	from := 0
	for i, k := range top {
		e := &ents[k]
		text := all[from:ends[i]]
		from = ends[i]
		z := &c.body
		if e.flags&termFromTitle != 0 {
			z = &c.title
		}
		// A name is a word written with a capital mid-sentence at least as
		// often as not; words seen only in the title cannot tell. Scripts
		// without capitals (Han, kana, Thai, Devanagari, Arabic, Hangul)
		// have no such sign: there a unit of the title that the body
		// repeats is what the story is named by, and counts as a name.
		name := e.flags&termPair != 0 || (e.capital() > 0 && 2*e.capital() >= e.weight()-e.title &&
			(z.uni || !dateWords.has(z.toks[e.tok].h))) ||
			c.caseless && e.title > 0 && e.weight()-e.title >= 2
		terms[i] = Term{Text: text, Weight: float32(e.weight()), Name: name}
	}
	return terms
}

// topTerms returns the MaxTerms heaviest terms, ties going to the earlier
// first occurrence, in linear time. A histogram of weights gives the cut:
// every entry above the cut weight is kept, and at the cut weight the
// first ones while there is room. The entries are in order of first
// occurrence, so one pass keeps the right ones, without a branch on the
// weight, and a stable counting sort of the few kept ones orders them.
func (c *Computer) topTerms() []int32 {
	ents := c.terms.used()
	const buckets = 64 // weights 63 and more share the last one
	var hist [buckets]int32
	for i := range ents {
		hist[min(ents[i].weight(), buckets-1)]++
	}
	// Weights past the histogram share its last bucket (very long texts
	// only): order the whole selection exactly instead. From here on every
	// weight is below buckets-1.
	if hist[buckets-1] > 0 {
		return c.topTermsSorted()
	}
	cut, room := int32(0), int32(MaxTerms) // keep weight > cut, and room more at cut
	for w := int32(buckets - 1); w > 0; w-- {
		if hist[w] > room {
			cut = w
			break
		}
		room -= hist[w]
	}
	if cap(c.top) < MaxTerms+1 {
		c.top = make([]int32, MaxTerms+1)
	}
	if cap(c.sorted) < MaxTerms {
		c.sorted = make([]int32, MaxTerms)
	}
	top := c.top[:MaxTerms+1] // and a spare slot for entries not kept
	n, atCut := 0, int32(0)   // kept, and entries at the cut weight met so far
	for i := range ents {
		w := ents[i].weight()
		eq := bit(w == cut)
		top[n] = int32(i)
		n += int(bit(w > cut) | eq&bit(atCut < room))
		atCut += int32(eq) // only an addition carries from one entry to the next
	}
	// Stable counting sort by weight, heaviest first.
	var start [buckets + 1]int32
	for _, k := range top[:n] {
		start[buckets-ents[k].weight()]++
	}
	for b := 1; b < len(start); b++ {
		start[b] += start[b-1]
	}
	sorted := c.sorted[:n]
	for _, k := range top[:n] {
		b := buckets - 1 - ents[k].weight()
		sorted[start[b]] = k
		start[b]++
	}
	return sorted
}

// topTermsSorted is topTerms by a full stable sort, for the rare article in
// which terms occur 63 times or more.
func (c *Computer) topTermsSorted() []int32 {
	ents := c.terms.used()
	all := c.top[:0]
	for i := range ents {
		all = append(all, int32(i))
	}
	slices.SortStableFunc(all, func(a, b int32) int { return int(ents[b].weight() - ents[a].weight()) })
	c.top = all
	return all[:min(len(all), MaxTerms)]
}

// countTerms adds the term events to the table. Body words are most of
// them: their insertion is written out here, on local copies of the table,
// where a call would cost more than the work, and without a branch on
// whether the word is new, a coin toss in running text. Names, title words
// and the rare collisions at a word's home slot go through add.
func (c *Computer) countTerms(events []uint32) {
	body, title := c.body.toks, c.title.toks
	tt := &c.terms
	tt.reset(len(events))
	slots, mask, ents, n, gen := tt.slots, tt.mask, tt.ents, tt.n, tt.gen
	for _, ev := range events {
		i := int32(ev >> evShift)
		kind := ev & (1<<evShift - 1)
		if kind == evWord {
			t := &body[i]
			k := max(t.h, 1)
			at := k & mask
			s := &slots[at]
			cur, idx := s.key, s.idx
			cur &= -uint64(bit(s.gen == gen)) // written for an earlier article: empty
			var e *termEntry
			if bit(cur != k)&bit(cur != 0) == 0 { // found or new at home
				// A new entry's token and slot are written at n either
				// way; n advances only if the key is new.
				isNew := int32(bit(cur == 0))
				idx ^= (idx ^ int32(n)) & -isNew // n if new
				s.key, s.idx, s.gen = k, idx, gen
				ents[n].tok = i
				n += int(isNew)
				e = &ents[idx]
			} else { // another key at home: rare in a sparse table
				tt.n = n
				e = tt.add(t.h, i, 0)
				n = tt.n
			}
			e.counts += 1 | capitalMid(t.flags)
			continue
		}
		tt.n = n
		switch kind {
		case evPair:
			tt.add(mix64(body[i-1].h^bits.RotateLeft64(body[i].h, 31)), i, termPair).counts += 1 | 1<<32
		default: // evTitle: new entries rank after body words of equal weight
			e := tt.add(title[i].h, i, termFromTitle)
			e.counts += TitleWeight
			e.title += TitleWeight
		}
		n = tt.n
	}
	tt.n = n
}

// termEvents lists, in order of first occurrence, what the body and the
// title add to the term table: content words, which are neither stop words
// nor digits and longer than one letter, specific figures, and names. Every token is written
// and the count only advances past content words: whether a word is one is
// a coin toss a branch would often get wrong. Names and figures are rare
// enough for a branch. The stop-word lookups, independent of each other here, overlap.
func (c *Computer) termEvents() []uint32 {
	body, title := c.body.toks, c.title.toks
	if need := 2*len(body) + len(title) + 1; cap(c.events) < need {
		c.events = make([]uint32, need)
	}
	ev := c.events[:cap(c.events)]
	n, figures := bodyEvents(ev, body)
	c.bodyTerms = n - figures // the language test counts words only, as before figures were terms
	for i := range title {
		t := &title[i]
		ev[n] = uint32(i)<<evShift | evTitle
		n += int(termWord(t) & bit(t.n > 1))
	}
	return ev[:n]
}

// bodyEvents writes the body's term events to ev and returns how many, and
// how many of them are figures. It is a function of its own so that the
// loop has only its own values to keep in registers.
func bodyEvents(ev []uint32, body []token) (n, figures int) {
	// Two capitalised words in a row, the first not opening a sentence,
	// form a name: "Vladimir Putin", "Saudi Arabia". The second must not
	// open one either, so that no sentence ends between them: both are
	// capitalised words, neither stop words nor digits, without tStart.
	prev := uint8(0) // 1 if the previous token is such a word
	for i := range body {
		t := &body[i]
		f := t.flags
		stop, digit, long := stopSet.contains(t.h), f/tDigit&1, bit(t.n > 1)
		fig := uint8(0)
		if digit != 0 { // a few tokens in a hundred: a branch costs less than a lookup for every word
			fig = specificNumber(t)
		}
		word := (stop | digit) ^ 1 | fig // termWord
		// No content unit (see appendContent): stop words and single letters.
		t.flags = f | (stop|^(long|digit))<<7 // tStop: the shift drops all but bit 0
		ev[n] = uint32(i) << evShift          // evWord is 0
		n += int(word & long)
		figures += int(fig)
		cur := word & bit(f&(tCapital|tStart) == tCapital)
		if prev&cur != 0 {
			ev[n] = uint32(i)<<evShift | evPair
			n++
		}
		prev = cur
	}
	return n, figures
}

// bodyEvents sets tStop by a shift of 7.
var _ [tStop - 1<<7]struct{} // does not compile unless tStop == 1<<7

// termWord is 1 for a word that is neither a stop word nor digits, or a
// specific figure: a term if it is longer than one letter, part of a name
// if capitalised.
func termWord(t *token) uint8 {
	d := t.flags / tDigit & 1
	return (stopSet.contains(t.h) | d) ^ 1 | d&specificNumber(t)
}

// specificNumber is 1 for a token of digits that tells one event from
// another of its kind (a toll of 140, $180 million, patch 078, the 1200
// block), 0 for a plain number that unrelated stories share: a year
// (1900–2099) or a value up to 31 (counts, days of the month, hours, and
// the "000" of "25,000"), and for the Unicode path's stop words, which
// carry tDigit too. Only a digit token (tDigit) is asked.
func specificNumber(t *token) uint8 {
	return (plainNumbers.contains(t.h)|t.flags/tStop)&1 ^ 1
}

// plainNumbers holds the years 1900–2099 and the values 0–31 as written:
// "7", "07", "000".
var plainNumbers = func() hashSet {
	var nums []string
	for y := 1900; y <= 2099; y++ {
		nums = append(nums, strconv.Itoa(y))
	}
	for v := 0; v <= 31; v++ {
		nums = append(nums, strconv.Itoa(v))
	}
	for v := 0; v <= 9; v++ {
		nums = append(nums, "0"+strconv.Itoa(v))
	}
	return newHashSet(append(nums, "000"))
}()

// dateWords are the English month names, as written and as news writes
// them short ("Sept."). Capitalised mid-sentence like names, they name no
// entity: every story of a month shares them. On the English path such a
// word alone is never a name; it stays a term of ordinary weight, a little
// evidence of when. A two-word name keeps it ("Jan Brewer"). "May" and the
// weekdays are stop words there already. Other languages write them in
// lower case (French, Spanish) or capitalise every noun alike (German).
var dateWords = newHashSet([]string{"january", "february", "march", "april", "june", "july", "august",
	"september", "october", "november", "december", "jan", "feb", "aug", "sep", "sept", "oct", "nov", "dec"})

// termTable is an open-addressing hash table of termEntry keyed by word
// hash, sized per article to stay at most 1/8 full, so that a key's home
// slot is nearly always empty or its own. A slot holds the key and its
// entry's index side by side, so a probe reads one cache line. A slot
// written for an earlier article counts as empty (see termSlot.gen), so
// that emptying the table writes nothing into it: clearing the slots used
// was a store to a random line of a 64 KB table per term, 2-3% of signing.
type termTable struct {
	slots []termSlot
	mask  uint64
	// ents has room for every addition and a spare; the first n are in
	// use, in order of first occurrence. Entries past n are all zero but
	// for the token countTerms writes there.
	ents []termEntry
	n    int
	gen  uint32 // the current article's, never 0
}

type termSlot struct {
	key uint64 // a hash of 0 is stored as 1 here
	idx int32  // index into ents
	gen uint32 // the termTable.gen the slot was written for; others are empty
}

// used returns the entries in use.
func (t *termTable) used() []termEntry { return t.ents[:t.n] }

// reset empties the table and makes room for n additions.
func (t *termTable) reset(n int) {
	clear(t.used())
	t.n = 0
	if t.gen++; t.gen == 0 { // once in 2^32 articles: the old slots could look current
		clear(t.slots)
		t.gen = 1
	}
	size := 64
	for size < 8*n {
		size <<= 1
	}
	if len(t.slots) < size {
		t.slots = make([]termSlot, size)
	}
	t.mask = uint64(size - 1)
	if len(t.ents) < n+1 {
		t.ents = make([]termEntry, n+1)
	}
}

// add returns the entry of hash h, creating it with tok and flags if new.
func (t *termTable) add(h uint64, tok int32, flags uint8) *termEntry {
	k := max(h, 1)
	for i := k & t.mask; ; i = (i + 1) & t.mask {
		s := &t.slots[i]
		switch {
		case s.gen != t.gen: // empty
			s.key, s.idx, s.gen = k, int32(t.n), t.gen
			e := &t.ents[t.n]
			e.tok, e.flags = tok, flags
			t.n++
			return e
		case s.key == k:
			return &t.ents[s.idx]
		}
	}
}

// termText appends the normalised text of token t to dst. A short ASCII
// word needs only folding to lower case, eight bytes at a time from the
// padded text, and its stemming, which the token's length tells: "-ies"
// became "-y" if it lost two bytes.
func (z *tokenizer) termText(dst []byte, t *token) []byte {
	if t.flags&tShort == 0 {
		if z.uni {
			return z.rules.norm(dst, z.text[t.at:t.atEnd()])
		}
		return normWord(dst, z.text[t.at:t.atEnd()])
	}
	w := z.buf[pad+t.at:][:16]
	// Letters and digits only: one OR folds letters to lower case, and
	// digits have the bit already.
	lo := binary.LittleEndian.Uint64(w) | lanes20
	hi := binary.LittleEndian.Uint64(w[8:]) | lanes20
	n := len(dst)
	dst = slices.Grow(dst, 16)[:n+16]
	binary.LittleEndian.PutUint64(dst[n:], lo)
	binary.LittleEndian.PutUint64(dst[n+8:], hi)
	dst = dst[:n+int(t.n)]
	if int(t.size)-int(t.n) == 2 {
		dst[len(dst)-1] = 'y'
	}
	return dst
}
