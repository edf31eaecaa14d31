package signature

import (
	"math/bits"
	"unicode"
	"unicode/utf8"

	"github.com/clipperhouse/uax29/v2/words"
)

// The Unicode path tokenises every text that is not English (see
// Computer.tokenize): words are the UAX #29 word segments (so combining
// marks stay inside their word, as in Devanagari and Arabic), and scripts
// written without spaces become overlapping bigrams of characters, as
// Lucene's CJK analyser does: a bigram is the smallest unit that usually
// carries meaning in Chinese and Japanese, and one edited character changes
// only the two bigrams that touch it (docs/QUALITY.md, "Languages"). The
// tokens carry the same flags as the English path's, so shingles, sentence
// fingerprints and terms are computed by the same code.

// unicodeState is the Unicode path's part of the tokenizer.
type unicodeState struct {
	uni           bool       // the tokens come from runUnicode
	rules         *langRules // the article's language
	seg           *words.Iterator[string]
	units         []int32 // starts of the pending spaceless run's units
	unitsEnd      int     // where the pending run ends
	lastSpaceless bool    // the last token is from a spaceless run
	spacelessSeen bool    // some token is
	quoteTok      int     // the first token of the open quotation
	depth         int     // quotations open, one inside the other
	singleOpen    bool    // a quotation with a single mark is open
	// termH holds each token's hash for terms (stemmed), which
	// useTermHashes puts in place once the copy evidence is computed from
	// the unstemmed ones.
	termH []uint64
}

// useTermHashes gives the Unicode path's tokens their stemmed hashes, for
// the terms: shingles and sentence fingerprints are computed before, from
// hashes that do not depend on the language identified.
func (z *tokenizer) useTermHashes() {
	if !z.uni {
		return
	}
	for i := range z.toks {
		z.toks[i].h = z.termH[i]
	}
}

// runUnicode tokenises text on the Unicode path, with the normalisation
// and stop words of rules.
func (z *tokenizer) runUnicode(text string, rules *langRules) {
	z.text, z.uni, z.rules = text, true, rules
	z.toks = z.toks[:0]
	z.termH = z.termH[:0]
	z.flags = tStart
	z.units = z.units[:0]
	z.lastSpaceless, z.spacelessSeen, z.singleOpen, z.depth = false, false, false, 0
	if z.seg == nil {
		z.seg = words.FromString(text)
	} else {
		z.seg.SetText(text)
	}
	for z.seg.Next() {
		seg, at := z.seg.Value(), z.seg.Start()
		r, _ := utf8.DecodeRuneInString(seg)
		if isWordRune(r) {
			if spaceless(r) {
				z.addUnits(seg, at)
				continue
			}
			z.flushUnits()
			z.uniWord(seg, at)
			continue
		}
		z.flushUnits()
		for i, r := range seg {
			z.punct(text, at+i, r)
		}
	}
	z.flushUnits()
	z.boundQuote(len(text))
	z.endSentence()
}

// spaceless tells whether r belongs to a script written without spaces
// between words.
func spaceless(r rune) bool {
	if r < 0x0e00 {
		return false
	}
	return unicode.In(r, unicode.Han, unicode.Hiragana, unicode.Katakana, unicode.Thai, unicode.Lao,
		unicode.Khmer, unicode.Myanmar)
}

// addUnits appends the characters of a segment of a spaceless script to
// the pending run: a unit is a letter with the combining marks after it.
func (z *tokenizer) addUnits(seg string, at int) {
	for i, r := range seg {
		if len(z.units) > 0 && unicode.In(r, unicode.Mn, unicode.Mc, unicode.Me) {
			continue // the mark stays with the letter before it
		}
		z.units = append(z.units, int32(at+i))
	}
	z.unitsEnd = at + len(seg)
}

// spacelessGram is how many units a token of a spaceless script spans:
// bigrams (docs/QUALITY.md, "Languages", measures 1 to 3). A variable
// only so that the measurement can vary it.
var spacelessGram = 2

// spacelessShingle is how many tokens of a spaceless script a shingle
// spans: eight bigrams, nine characters, about the five words of an
// English shingle (a Chinese word averages under two characters). Five
// bigrams, six characters, are shared by independent reports through
// names and stock phrases twice as often (docs/QUALITY.md, "Languages").
var spacelessShingle = 8

// flushUnits emits the pending run of a spaceless script as overlapping
// n-grams of its units (n = spacelessGram), or one token of the whole run
// if it is shorter.
func (z *tokenizer) flushUnits() {
	u := z.units
	if len(u) == 0 {
		return
	}
	z.units = append(u, int32(z.unitsEnd)) // the end of the last unit
	u = z.units
	n := spacelessGram
	for k := 0; k+n < len(u) || k == 0; k++ {
		to := u[min(k+n, len(u)-1)]
		z.emitUnicode(int(u[k]), int(u[min(k+1, len(u)-1)]), int(to), false)
	}
	z.units = z.units[:0]
	z.lastSpaceless, z.spacelessSeen = true, true
}

// widen gives each token of a spaceless script the hash of itself and the
// spacelessShingle-ShingleWords tokens of its script before it, so that
// ShingleWords of them span spacelessShingle: the MinHash code stays the
// one English uses. It returns toks itself when nothing is spaceless.
func (c *Computer) widen(toks []token) []token {
	if !c.body.uni || !c.body.spacelessSeen {
		return toks
	}
	c.wide = append(c.wide[:0], toks...)
	extra := spacelessShingle - ShingleWords
	for i := range c.wide {
		if toks[i].flags&tSpaceless == 0 {
			continue
		}
		h := toks[i].h
		for k := 1; k <= extra && i-k >= 0 && toks[i-k].flags&tSpaceless != 0; k++ {
			h = mix64(bits.RotateLeft64(h, 17) ^ toks[i-k].h)
		}
		c.wide[i].h = h
	}
	return c.wide
}

// uniWord emits one UAX #29 word segment.
func (z *tokenizer) uniWord(seg string, at int) {
	z.emitUnicode(at, at+len(seg), at+len(seg), true)
	z.lastSpaceless = false
}

// emitUnicode emits the token of text[from:to]: a word, or a bigram of
// the units text[from:mid] and text[mid:to]. Cased words may carry a
// capital. A stop word, or a bigram of two one-character stop words
// ("在了"), is not a term. (A bigram with one of them mostly straddles two
// words, "国的", but the lists hold content characters too, 中 and 人, and
// "中国" must stay a term.)
func (z *tokenizer) emitUnicode(from, mid, to int, cased bool) {
	if to-from > maxWordBytes { // garbage only: cut at a rune
		to = from + maxWordBytes
		for to > from+1 && !utf8.RuneStart(z.text[to]) {
			to--
		}
	}
	w := z.text[from:to]
	z.scratch = foldWord(z.scratch[:0], w)
	h := wordHash(z.scratch) // copy evidence
	n := len(z.scratch)
	th := h // terms: stemmed
	if z.rules.stem != nil && n > 0 {
		z.scratch = append(z.scratch[:0], z.rules.stemOf(z.scratch)...)
		th = wordHash(z.scratch)
	}
	z.termH = append(z.termH, th)
	flags := z.flags
	stop := z.rules.stops[th]
	if !cased && mid < to && !stop {
		stop = z.rules.stops[wordHash(z.rules.norm(z.scratch[:0], z.text[from:mid]))] &&
			z.rules.stops[wordHash(z.rules.norm(z.scratch[:0], z.text[mid:to]))]
	}
	digits := true
	for _, r := range w {
		if !unicode.IsDigit(r) && r != '.' && r != ',' {
			digits = false
			break
		}
	}
	if digits {
		flags |= tDigit
	}
	if stop {
		flags |= tDigit | tStop
	}
	if r, _ := utf8.DecodeRuneInString(w); cased && unicode.IsUpper(r) {
		flags |= tCapital
	}
	if !cased {
		flags |= tSpaceless
	}
	z.emit(token{h: h, at: int32(from), size: uint16(to - from), n: uint8(min(n, 255)), flags: flags})
}

// Quotation marks. After article.Parse's normalisation most arrive as '"';
// the others are read here too, so that any text gets the same treatment.
func quoteKind(r rune) int {
	switch r {
	case '"', '«', '»', '„', '“', '”', '‟', '‹', '›', '＂', '〝', '〞':
		return quoteToggle // which way they face differs between languages
	case '「', '『', '﹁', '﹃':
		return quoteOpen
	case '」', '』', '﹂', '﹄':
		return quoteClose
	case '‘', '‚':
		return quoteSingleOpen
	case '’':
		return quoteSingleClose // or an apostrophe: only after an opening one
	}
	return quoteNone
}

const (
	quoteNone = iota
	quoteToggle
	quoteOpen
	quoteClose
	quoteSingleOpen
	quoteSingleClose
)

// sentenceEnd: 1 for marks that end a sentence wherever they stand, 2 for
// the ASCII ones, which end it only before a space, a quote, a bracket, a
// line break, the end or a letter of another script ("3.5", "U.S." stay).
func sentenceEnd(r rune) int {
	switch r {
	case '。', '！', '？', '．', '｡', '।', '॥', '؟', '۔', '‼', '⁇', '⁈', '⁉', '…':
		return 1
	case '.', '!', '?':
		return 2
	}
	return 0
}

// punct applies one rune outside words at text[i] to the quotation and
// sentence state.
func (z *tokenizer) punct(text string, i int, r rune) {
	switch quoteKind(r) {
	case quoteToggle:
		switch quoteFacing(text, i, r) {
		case quoteOpen:
			z.openQuote()
		case quoteClose:
			z.closeQuote()
		default:
			if z.depth > 0 {
				z.closeQuote()
			} else {
				z.openQuote()
			}
		}
		return
	case quoteOpen:
		z.openQuote()
		return
	case quoteClose:
		z.closeQuote()
		return
	case quoteSingleOpen:
		z.singleOpen = true
		z.openQuote()
		return
	case quoteSingleClose:
		if z.singleOpen {
			z.singleOpen = false
			z.closeQuote()
		}
		return
	}
	switch {
	case r == '\n':
		z.boundQuote(i)
		z.flags |= tStart
		z.endSentence()
	case r == ' ' || unicode.IsSpace(r):
		// Thai marks the end of a sentence with a space.
		if z.lastSpaceless && len(z.toks) > 0 && isThaiLike(z.text, int(z.toks[len(z.toks)-1].at)) {
			z.endSentence()
			z.flags |= tStart
		}
	default:
		switch sentenceEnd(r) {
		case 1:
			z.endSentence()
			z.flags |= tStart
		case 2:
			next := i + 1
			if next < len(text) {
				c, _ := utf8.DecodeRuneInString(text[next:])
				if c < utf8.RuneSelf && c != ' ' && c != '"' && c != '\n' && c != ')' {
					return
				}
				if c >= utf8.RuneSelf && isWordRune(c) && !spaceless(c) && !unicode.IsSpace(c) {
					return // a letter of a spaced script right after: not an end
				}
			}
			if r != '.' || !z.lastIsAbbrevUnicode() {
				z.endSentence()
				z.flags |= tStart
			}
		}
	}
	if !unicode.IsSpace(r) {
		z.lastSpaceless = false
	}
}

// isThaiLike tells whether the token at text[at:] is in a script that
// separates sentences, not words, by spaces.
func isThaiLike(text string, at int) bool {
	r, _ := utf8.DecodeRuneInString(text[at:])
	return unicode.In(r, unicode.Thai, unicode.Lao, unicode.Khmer, unicode.Myanmar)
}

// lastIsAbbrevUnicode: a dot after an initial, a known abbreviation or a
// word with dots inside ("U.S") ends no sentence.
func (z *tokenizer) lastIsAbbrevUnicode() bool {
	k := len(z.toks)
	if k == 0 {
		return false
	}
	t := &z.toks[k-1]
	w := z.text[t.at:t.atEnd()]
	if utf8.RuneCountInString(w) == 1 && t.flags&tDigit == 0 && !z.lastSpaceless {
		return true
	}
	for i := 0; i < len(w); i++ {
		if w[i] == '.' {
			return true
		}
	}
	return t.n <= 5 && abbrevSet.has(t.h)
}

// quoteFacing tells which way a mark that may open or close (text[i] is r)
// faces, from its neighbours, as typesetters' smart quotes do: after a
// space or the start and before a letter it opens, after a letter or
// punctuation and before a space, punctuation or the end it closes;
// otherwise quoteToggle.
func quoteFacing(text string, i int, r rune) int {
	before, _ := utf8.DecodeLastRuneInString(text[:i])
	after, _ := utf8.DecodeRuneInString(text[i+utf8.RuneLen(r):])
	spaceBefore := i == 0 || unicode.IsSpace(before) || unicode.In(before, unicode.Ps, unicode.Pd)
	spaceAfter := i+utf8.RuneLen(r) >= len(text) || unicode.IsSpace(after) || unicode.IsPunct(after)
	switch {
	case spaceBefore && !spaceAfter:
		return quoteOpen
	case !spaceBefore && spaceAfter:
		return quoteClose
	}
	return quoteToggle
}

// openQuote opens a quotation, or one inside the open one.
func (z *tokenizer) openQuote() {
	if z.depth == 0 {
		z.flags |= tQuoted
		z.quoteTok = len(z.toks)
	}
	z.depth++
}

// closeQuote closes the innermost quotation; a closing mark with none open
// is stray and ignored.
func (z *tokenizer) closeQuote() {
	if z.depth == 0 {
		return
	}
	z.depth--
	if z.depth == 0 {
		z.flags &^= tQuoted
	}
}

// boundQuote ends, at a paragraph end (text byte i), a quotation opened in
// the paragraph and never closed. Reporters leave a quotation open at the
// end of a paragraph when the next one goes on with it, opening with a
// quotation mark; otherwise the opening mark was unmatched (a stray '"' at
// the start of an article), and its words are the writer's own: they
// count again, so that one stray mark cannot take an article's evidence.
func (z *tokenizer) boundQuote(i int) {
	if z.depth == 0 {
		return
	}
	if !continuesQuote(z.text, i) {
		for k := z.quoteTok; k < len(z.toks); k++ {
			z.toks[k].flags &^= tQuoted
		}
	}
	z.flags &^= tQuoted
	z.depth, z.singleOpen = 0, false
}

// continuesQuote tells whether the paragraph after text byte i opens with
// a quotation mark.
func continuesQuote(text string, i int) bool {
	for _, r := range text[min(i, len(text)):] {
		if r == '\n' || r == ' ' {
			continue
		}
		k := quoteKind(r)
		return k == quoteToggle || k == quoteOpen || k == quoteSingleOpen
	}
	return false
}
