package signature

import (
	"math"
	"math/bits"

	"github.com/newsdedup/newsdedup/internal/article"
)

const (
	// minSentenceWords: shorter sentences ("He declined.") are too common to
	// prove anything about copying.
	minSentenceWords = 6
	// minOwnShingles: below this many shingles outside quotes an article is
	// mostly quotation, and the MinHash covers all of it instead.
	minOwnShingles = 16
)

// Computer computes signatures, reusing its buffers between calls. It is not
// safe for concurrent use: give each goroutine its own.
type Computer struct {
	body, title tokenizer
	terms       termTable
	events      []uint32
	mins        [K]uint32
	filled      [K]bool
	sentences   []uint64
	content     []uint16
	units       []uint16 // appendContent's buffer
	seen        distinctShingles
	top, sorted []int32 // topTerms
	text        []byte
	ends        []int
	bodyTerms   int     // term events of the body in the last termEvents
	wide        []token // widen's copy of the body's tokens
	caseless    bool    // the body's script has no capitals (see termList)
}

// NewComputer returns a Computer ready for use.
func NewComputer() *Computer {
	return &Computer{}
}

// Compute returns the signature of a parsed article.
func (c *Computer) Compute(a *article.Article) *Signature {
	lang, events := c.tokenize(a.Title, a.Text)

	s := &Signature{
		Key: a.Key, Title: a.Title, Source: a.Source, URL: a.URL, Date: a.Date,
		Words: len(c.body.toks), Lang: lang,
	}
	if a.DateFromText {
		s.Flags |= FlagDateFromText
	}
	c.minhash(s)
	c.sentenceFingerprints(s)
	c.body.useTermHashes()
	c.title.useTermHashes()
	c.salientTerms(s, events)
	return s
}

// tokenize splits the body and title into words and returns their
// language and term events. Every text goes through the English path
// first: it is what English needs, and its term pass counts the English
// stop words that decide English for free. Text in another language, if
// it has anything outside ASCII, is tokenised again on the Unicode path
// (unicode.go); ASCII text stays on the English path whatever its
// language, which tokenises it as the Unicode path would but for
// apostrophes.
func (c *Computer) tokenize(title, text string) (lang string, events []uint32) {
	c.body.reset()
	c.body.run(text)
	c.title.reset()
	c.title.run(title)
	events = c.termEvents()
	lang, guess := c.language(title, text)
	if lang != "en" && (c.body.nonASCII || c.title.nonASCII) {
		r := rulesFor(guess)
		c.body.reset()
		c.body.runUnicode(text, r)
		c.title.reset()
		c.title.runUnicode(title, r)
		events = c.termEvents()
	}
	c.caseless = c.body.uni && !anyCapital(c.body.toks)
	return lang, events
}

// anyCapital tells whether a token starts with a capital letter.
func anyCapital(toks []token) bool {
	for i := range toks {
		if toks[i].flags&tCapital != 0 {
			return true
		}
	}
	return false
}

// minEnglishWords: below this many words the stop-word share says little.
const minEnglishWords = 8

// language decides English when at least a quarter of the body's words
// are English stop words, and asks the identifier otherwise (guess is its
// best guess even when too unsure for lang; see identify). What
// termEvents did not count as content (stop words, but also numbers and
// single letters) decides ASCII text for free; text with letters outside
// ASCII must also show the share in true stop words among its first
// stopSample words: a Thai article full of figures reaches 23 % of
// non-content "words" on the English path.
func (c *Computer) language(title, text string) (lang, guess string) {
	n := len(c.body.toks)
	if n >= minEnglishWords && 4*(n-c.bodyTerms) >= n && (!c.body.nonASCII || englishStops(c.body.toks)) {
		return "en", "en"
	}
	return identify(title, text)
}

const stopSample = 64

// englishStops tells whether at least a quarter of the first stopSample
// words are English stop words.
func englishStops(toks []token) bool {
	toks = toks[:min(len(toks), stopSample)]
	stops := 0
	for i := range toks {
		stops += int(stopSet.contains(toks[i].h))
	}
	return 4*stops >= len(toks)
}

// The hash of a shingle is fold of rotl(w0,4r) ^ rotl(w1,3r) ^ … ^ w4 over
// its word hashes (r = shingleRot): order-sensitive, and it rolls, so each
// new word costs one rotate and two xors instead of rehashing five words.
const shingleRot = 23

// shingleHash hashes one window of ShingleWords word hashes, oldest first.
func shingleHash(h []uint64) uint64 {
	var x uint64
	for _, v := range h {
		x = bits.RotateLeft64(x, shingleRot) ^ v
	}
	return fold(x)
}

// fold breaks the linearity of xor-combined word hashes. The word hashes
// are already uniform, so one multiply and shift suffice where mix64 spends
// five steps: the top bits pick the bin, the low bits carry the value.
func fold(x uint64) uint64 {
	x *= 0x9e3779b97f4a7c15
	return x ^ x>>32
}

// mix64 is the murmur3 finaliser: full avalanche, so any bit range of the
// result is an independent-looking hash.
func mix64(x uint64) uint64 {
	x ^= x >> 33
	x *= 0xff51afd7ed558ccd
	x ^= x >> 33
	x *= 0xc4ceb9fe1a85ec53
	x ^= x >> 33
	return x
}

// minhash fills s.MinHash by one-permutation hashing: each shingle hash
// picks a bin with its top bits and competes for that bin's minimum with its
// low bits, so a signature costs one hash per shingle instead of K.
// Empty bins are filled by optimal densification (Shrivastava, ICML 2017),
// which keeps the estimator unbiased for short texts.
func (c *Computer) minhash(s *Signature) {
	toks := c.widen(c.body.toks)
	own := c.fillBins(toks, true)
	if own < minOwnShingles {
		s.Flags |= FlagQuotesIncluded
		own = c.fillBins(toks, false)
	}
	s.Shingles = own
	if own == 0 {
		s.Flags |= FlagEmpty
	}
	s.MinHash = make([]uint32, K)
	densify(c.mins[:], c.filled[:], s.MinHash)
}

// fillBins hashes every shingle (skipping those touching quoted words when
// ownOnly) into the bins and returns how many distinct shingles it saw.
// A repeated shingle brings its bin the same value again, so the bins are
// updated without asking whether the shingle is new: only the count needs
// the distinct set. The per-shingle work has no data-dependent branch.
func (c *Computer) fillBins(toks []token, ownOnly bool) int {
	for i := range c.mins {
		c.mins[i] = math.MaxUint32
		c.filled[i] = false
	}
	c.seen.reset(len(toks))
	skip := uint8(0) // the flag that breaks a run of words
	if ownOnly {
		skip = tQuoted
	}
	var x uint64 // rolling combination of the window
	count, run := 0, 0
	for i := range toks {
		t := &toks[i]
		if t.flags&skip != 0 { // quotes come in runs: a predictable branch
			run, x = 0, 0
			continue
		}
		// Drop the word that leaves the window, ShingleWords tokens back:
		// its contribution has been rotated ShingleWords-1 times since it
		// entered. While the window fills (run < ShingleWords) none leaves.
		old := toks[max(i-ShingleWords, 0)].h & -uint64(bit(run >= ShingleWords))
		x = bits.RotateLeft64(x^bits.RotateLeft64(old, (ShingleWords-1)*shingleRot), shingleRot) ^ t.h
		run++
		if run < ShingleWords {
			continue
		}
		h := fold(x)
		isNew, ok := c.seen.addHome(h)
		if !ok {
			isNew = c.seen.addProbe(h)
		}
		count += isNew
		bin := h >> (64 - 7) // K = 128 = 2^7 bins
		c.mins[bin] = min(c.mins[bin], uint32(h))
		c.filled[bin] = true
	}
	return count
}

// densify copies each empty bin from a non-empty bin chosen by a hash of
// (bin, attempt), the same choice in every signature.
func densify(mins []uint32, filled []bool, out []uint32) {
	any := false
	for i := range filled {
		if filled[i] {
			any = true
			break
		}
	}
	for i := range out {
		if filled[i] || !any {
			out[i] = mins[i]
			continue
		}
		for attempt := uint64(1); ; attempt++ {
			j := mix64(uint64(i)<<32|attempt) % K
			if filled[j] {
				out[i] = mins[j]
				break
			}
		}
	}
}

// sentenceFingerprints keeps, for every sentence with enough words outside
// quotes, a fuzzy fingerprint of its word trigrams: four lanes, each the low
// 16 bits of the smallest trigram hash among those the hash's top two bits
// send to that lane (one-permutation b-bit minwise hashing). Two sentences
// whose trigram sets overlap by Jaccard J agree on a lane with probability
// ≈ J + 2^-16, so a lightly edited sentence still matches on most lanes
// while unrelated ones rarely match on two (see SentenceMatchLanes).
//
// The same pass records each of the first MaxContentSentences sentences'
// content units (see Signature.Content): what survives a paraphrase. It
// reads the tStop flags the term pass sets: call it after termEvents.
func (c *Computer) sentenceFingerprints(s *Signature) {
	c.sentences = c.sentences[:0]
	c.content = c.content[:0]
	eachSentence(c.body.toks, c.unitBuf(), func(_, _, _ int, fp uint64, units []uint16) {
		if len(c.sentences) < MaxContentSentences {
			c.content = appendContent(c.content, units)
		}
		if len(c.sentences) < MaxSentences {
			c.sentences = append(c.sentences, fp)
		}
	})
	if len(c.sentences) > 0 {
		s.Sentences = append([]uint64(nil), c.sentences...)
		s.Content = append([]uint16(nil), c.content...)
	}
}

// unitBuf returns eachSentence's buffer for the body's content units, with
// the room past them that appendContent pads.
func (c *Computer) unitBuf() []uint16 {
	n := len(c.body.toks) + len(sortBuf{})
	if cap(c.units) < n {
		c.units = make([]uint16, n)
	}
	return c.units[:n]
}

// appendContent appends one sentence's content units to dst: their count,
// then the distinct unit hashes ascending, the MaxContentUnits smallest
// when there are more (a bottom-k sketch: two sentences keep comparable
// samples of their sets). The top 16 bits of a word's hash are its unit.
// The units' slice has room for a sortBuf past its length, in its
// capacity, and is sorted in place.
func appendContent(dst []uint16, units []uint16) []uint16 {
	m, buf := len(units), units[:len(units)+len(sortBuf{})]
	// Sorted without a branch, 16 at a time, in place: the first 16,
	// padded with the largest value, which sorts after the units, then the
	// kept ones with as many of the next as fit (83% of sentences have at
	// most 16).
	*(*sortBuf)(buf[m:]) = maxUnits // buf has room past the units
	v := (*sortBuf)(buf)
	k, rest := min(m, len(v)), buf[min(m, len(v)):m]
	n := 0 // distinct units in v
	for {
		if k <= 8 { // the rest is padding already
			sort8((*[8]uint16)(v[:8]))
		} else {
			sort16(v)
		}
		// The distinct ones, in place. Each unit is compared with the one
		// before it, not with the last kept: that load would wait for n.
		n = min(k, 1)
		for i, prev := 1, v[0]; i < k; i++ {
			x := v[i]
			v[n&15] = x
			n += int(bit(x != prev))
			prev = x
		}
		n = min(n, MaxContentUnits)
		if len(rest) == 0 {
			break
		}
		k = n // longer sentences: the kept units and the next ones
		for ; k < len(v) && len(rest) > 0; k++ {
			v[k], rest = rest[0], rest[1:]
		}
		for i := k; i < len(v); i++ {
			v[i] = math.MaxUint16
		}
	}
	dst = append(dst, uint16(n))
	return append(dst, v[:n]...)
}

type sortBuf [16]uint16

var maxUnits = sortBuf{0xffff, 0xffff, 0xffff, 0xffff, 0xffff, 0xffff, 0xffff, 0xffff,
	0xffff, 0xffff, 0xffff, 0xffff, 0xffff, 0xffff, 0xffff, 0xffff}

// sort16 sorts v by Batcher's odd-even merge network (63 compare-exchanges,
// generated), without a branch: insertion mispredicts about once a unit.
// Its halves are sorted by sort8, then merged.
func sort16(v *sortBuf) {
	sort8((*[8]uint16)(v[:8]))
	sort8((*[8]uint16)(v[8:]))
	v0, v1, v2, v3, v4, v5, v6, v7, v8, v9, v10, v11, v12, v13, v14, v15 := v[0], v[1], v[2], v[3], v[4], v[5], v[6], v[7], v[8], v[9], v[10], v[11], v[12], v[13], v[14], v[15]
	v0, v8 = min(v0, v8), max(v0, v8)
	v4, v12 = min(v4, v12), max(v4, v12)
	v4, v8 = min(v4, v8), max(v4, v8)
	v2, v10 = min(v2, v10), max(v2, v10)
	v6, v14 = min(v6, v14), max(v6, v14)
	v6, v10 = min(v6, v10), max(v6, v10)
	v2, v4 = min(v2, v4), max(v2, v4)
	v6, v8 = min(v6, v8), max(v6, v8)
	v10, v12 = min(v10, v12), max(v10, v12)
	v1, v9 = min(v1, v9), max(v1, v9)
	v5, v13 = min(v5, v13), max(v5, v13)
	v5, v9 = min(v5, v9), max(v5, v9)
	v3, v11 = min(v3, v11), max(v3, v11)
	v7, v15 = min(v7, v15), max(v7, v15)
	v7, v11 = min(v7, v11), max(v7, v11)
	v3, v5 = min(v3, v5), max(v3, v5)
	v7, v9 = min(v7, v9), max(v7, v9)
	v11, v13 = min(v11, v13), max(v11, v13)
	v1, v2 = min(v1, v2), max(v1, v2)
	v3, v4 = min(v3, v4), max(v3, v4)
	v5, v6 = min(v5, v6), max(v5, v6)
	v7, v8 = min(v7, v8), max(v7, v8)
	v9, v10 = min(v9, v10), max(v9, v10)
	v11, v12 = min(v11, v12), max(v11, v12)
	v13, v14 = min(v13, v14), max(v13, v14)
	// Stored one by one: an array literal is built on the stack and copied
	// in 16-byte loads, which wait for the 2-byte stores to retire (a
	// store-forwarding stall) in every sort.
	v[0], v[1], v[2], v[3], v[4], v[5], v[6], v[7] = v0, v1, v2, v3, v4, v5, v6, v7
	v[8], v[9], v[10], v[11], v[12], v[13], v[14], v[15] = v8, v9, v10, v11, v12, v13, v14, v15
}

// sort8 sorts 8 units by the same network: 19 compare-exchanges.
func sort8(v *[8]uint16) {
	v0, v1, v2, v3, v4, v5, v6, v7 := v[0], v[1], v[2], v[3], v[4], v[5], v[6], v[7]
	v0, v1 = min(v0, v1), max(v0, v1)
	v2, v3 = min(v2, v3), max(v2, v3)
	v0, v2 = min(v0, v2), max(v0, v2)
	v1, v3 = min(v1, v3), max(v1, v3)
	v1, v2 = min(v1, v2), max(v1, v2)
	v4, v5 = min(v4, v5), max(v4, v5)
	v6, v7 = min(v6, v7), max(v6, v7)
	v4, v6 = min(v4, v6), max(v4, v6)
	v5, v7 = min(v5, v7), max(v5, v7)
	v5, v6 = min(v5, v6), max(v5, v6)
	v0, v4 = min(v0, v4), max(v0, v4)
	v2, v6 = min(v2, v6), max(v2, v6)
	v2, v4 = min(v2, v4), max(v2, v4)
	v1, v5 = min(v1, v5), max(v1, v5)
	v3, v7 = min(v3, v7), max(v3, v7)
	v3, v5 = min(v3, v5), max(v3, v5)
	v1, v2 = min(v1, v2), max(v1, v2)
	v3, v4 = min(v3, v4), max(v3, v4)
	v5, v6 = min(v5, v6), max(v5, v6)
	v[0], v[1], v[2], v[3], v[4], v[5], v[6], v[7] = v0, v1, v2, v3, v4, v5, v6, v7 // one by one: see sort16
}

// eachSentence calls fn for every sentence of toks with enough words outside
// quotes, in order: its tokens [begin, end), its rank among all sentences
// (from 1), its fingerprint and its content units. One pass, and the only
// data-dependent branches are the rare ones: quotes, sentence ends.
//
// A sentence's content units are the top 16 bits of the hashes of its words
// outside quotes that the term pass did not mark tStop, in order, collected
// into units (len(toks) + len(sortBuf{}) long: fn may use the rest of it
// until it returns) where the loop reads the token anyway. Every word is
// written and the count advances past content words only: whether a word is
// one is a coin toss a branch would often get wrong.
func eachSentence(toks []token, units []uint16, fn func(begin, end, ord int, fp uint64, units []uint16)) {
	const none = math.MaxUint64
	mins := [4]uint64{none, none, none, none}
	var a, b uint64 // the sentence's last two own words
	own, begin, ord, m := 0, 0, 0, 0
	for i := range toks {
		t := &toks[i]
		if t.flags&tQuoted == 0 { // quotes come in runs
			units[m] = uint16(t.h >> 48)
			m += int(bit(t.flags&tStop == 0))
			own++
			h := fold(bits.RotateLeft64(a, 42) ^ bits.RotateLeft64(b, 21) ^ t.h)
			h |= -uint64(bit(own < 3)) // no trigram yet: offer the neutral none
			lane := h >> 62
			mins[lane] = min(mins[lane], h)
			a, b = b, t.h
		}
		if t.flags&tSentEnd == 0 {
			continue
		}
		ord++
		if own >= minSentenceWords && 2*own >= i+1-begin {
			var fp uint64
			for l := range mins { // not range mins: its copy's wide loads wait for the stores above
				low := mins[l]
				v := uint64(0) // empty lane
				if low != none {
					v = max(low&0xffff, 1)
				}
				fp |= v << (16 * l)
			}
			fn(begin, i+1, ord, fp, units[:m:len(units)])
		}
		mins = [4]uint64{none, none, none, none}
		a, b, own, begin, m = 0, 0, 0, i+1, 0
	}
}

// SentenceLanesMatching counts the non-empty lanes on which two sentence
// fingerprints agree.
func SentenceLanesMatching(a, b uint64) int {
	n := 0
	for l := 0; l < 4; l++ {
		if x := uint16(a >> (16 * l)); x != 0 && x == uint16(b>>(16*l)) {
			n++
		}
	}
	return n
}

// distinctShingles tells whether a shingle hash was seen before in this
// article: open addressing over a table at most 1/8 full, so that a hash's
// home slot is nearly always empty or its own and the probe loop is rare.
// A slot written for an earlier article counts as empty (see gen), so that
// the table is never cleared: clearing the slots used was a store to a
// random line of the table per distinct shingle, and remembering them a
// store per shingle.
type distinctShingles struct {
	slots []shingleSlot
	gen   uint32 // the current article's, never 0
}

type shingleSlot struct {
	h   uint64
	gen uint32 // the distinctShingles.gen the slot was written for
}

func (s *distinctShingles) reset(toks int) {
	if s.gen++; s.gen == 0 { // once in 2^32 articles: the old slots could look current
		clear(s.slots)
		s.gen = 1
	}
	size := 64
	for size < 8*toks {
		size <<= 1
	}
	if len(s.slots) < size {
		s.slots = make([]shingleSlot, size)
	}
}

// addHome inserts h if its home slot is empty or holds h, which a sparse
// table makes the rule, and returns 1 if h was new, 0 if not; ok is false
// if the slot holds another hash (then call addProbe). Small enough to
// inline, and without a branch on whether h is new. The hash 0 stands for
// an empty slot: a shingle hashing to 0 is counted as new every time.
func (s *distinctShingles) addHome(h uint64) (isNew int, ok bool) {
	sl := &s.slots[h&uint64(len(s.slots)-1)]
	cur := sl.h & -uint64(bit(sl.gen == s.gen)) // an earlier article's: empty
	if cur != h && cur != 0 {
		return 0, false
	}
	sl.h, sl.gen = h, s.gen // either way
	return int(bit(cur == 0)), true
}

// addProbe is addHome's fallback: linear probing from the home slot.
func (s *distinctShingles) addProbe(h uint64) int {
	mask := uint64(len(s.slots) - 1)
	for i := h & mask; ; i = (i + 1) & mask {
		sl := &s.slots[i]
		switch cur := sl.h & -uint64(bit(sl.gen == s.gen)); cur {
		case h:
			return int(bit(h == 0))
		case 0:
			sl.h, sl.gen = h, s.gen
			return 1
		}
	}
}
