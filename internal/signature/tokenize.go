package signature

import (
	"encoding/binary"
	"math"
	"math/bits"
	"slices"
	"strings"
	"unicode"
	"unicode/utf8"
)

// token flags
const (
	tQuoted    uint8 = 1 << iota // inside quotation marks
	tCapital                     // first letter upper case in the text
	tStart                       // first word of a sentence
	tDigit                       // all digits (on the Unicode path, or a stop word): not a term
	tShort                       // at most 15 ASCII letters and digits: the fast path's words (see termText)
	tSentEnd                     // the last word of a sentence; the next word has tStart
	tSpaceless                   // a unit of a script written without spaces (Unicode path only)
	tStop                        // no content unit: the Unicode path's stop words (with tDigit); the term pass adds English stop words and single letters
)

// token is one word of the text: the hash of its lower-cased, stemmed form
// and where it stands, so the word itself is only materialised for the few
// terms that are kept.
type token struct {
	h     uint64
	at    int32  // the word's first byte in the text
	size  uint16 // its bytes in the text (see maxWordBytes)
	n     uint8  // length of the normalised form, capped at 255
	flags uint8
}

// atEnd is where the word ends in the text.
func (t *token) atEnd() int32 { return t.at + int32(t.size) }

// maxWordBytes bounds a word's bytes in the text: token.size is 16 bits,
// which keeps a token at 16 bytes for the passes over every token.
const maxWordBytes = math.MaxUint16

// tokenizer splits normalised text into words and sentences in one pass,
// without regular expressions: letters and digits form words, apostrophes
// inside a word are dropped ("don't" → "dont", "Israel's" → "israel"), '"'
// toggles quoted speech, and a line break ends both a sentence and any open
// quotation (reporters reopen a quote on every new paragraph).
type tokenizer struct {
	toks    []token
	scratch []byte
	text    string   // the text of the tokens
	buf     []byte   // the text between pad zero bytes: loads may run past either end
	words   []uint64 // bit i set: text byte i is an ASCII letter or digit
	dots    []int32  // tokens run's fast path saw followed by ". " and a word (see endDots)
	flags   uint8    // tQuoted and tStart where the scan stands
	// nonASCII: the text has a byte outside ASCII (set on the paths that
	// already handle one, so ASCII text pays nothing for it).
	nonASCII bool
	unicodeState
}

func (z *tokenizer) reset() {
	z.toks = z.toks[:0]
}

// ascii classes
const (
	cOther = iota
	cLower
	cUpper
	cDigit
)

var asciiClass = func() (t [128]uint8) {
	for c := 'a'; c <= 'z'; c++ {
		t[c] = cLower
		t[c-'a'+'A'] = cUpper
	}
	for c := '0'; c <= '9'; c++ {
		t[c] = cDigit
	}
	return
}()

// run tokenises text. Nearly every word of English news takes the fast
// path below, which does what word does for an ASCII word of at most 15
// letters and digits, in registers and with few branches: eight-byte loads
// find the word's end, one OR folds it to lower case, its last three bytes
// decide the stemming, and the digit and capital flags are set by
// arithmetic. The commonest gaps to the next word (" ", "-", ", ", ". ", a
// quotation mark beside a space) are stepped over in place: punctuation is
// where branches go wrong on varied text. Everything else (apostrophes,
// bytes outside ASCII, long words, line breaks, the rest of the punctuation
// that ends sentences and quotes) goes through the byte-at-a-time code,
// which is also the reference the fast path is tested against (runBytes).
func (z *tokenizer) run(text string) {
	z.text, z.uni, z.nonASCII = text, false, false
	buf := z.padded(text) // also for termText
	if !useFast {
		z.runBytes(text)
		return
	}
	words := z.markWords(buf, len(text))
	// At most one token per two bytes: a word and the byte that ends it.
	toks := slices.Grow(z.toks[:0], len(text)/2+1)
	toks = toks[:cap(toks)]
	// z.toks shares toks' array from here on, and the byte-at-a-time code
	// appends to it within its capacity, so only lengths pass between the
	// two: storing a slice (a pointer) would run the GC's write barrier.
	z.toks = toks[:0]
	nt := 0
	flags := tStart // tQuoted and tStart where the scan stands
	n := len(text)
	for i := 0; i < n; {
		switch byteClass[buf[pad+i]] {
		case bInert:
			i++
			continue
		case bOther: // punctuation with a meaning, or outside ASCII
			z.toks, z.flags = z.toks[:nt], flags
			i = z.stepBytes(text, i)
			nt, flags = len(z.toks), z.flags
			continue
		}
	words:
		for {
			// An ASCII letter or digit starts a word. w holds the eight bytes
			// before it and 24 from it.
			w := (*[32]byte)(buf[pad+i-8:])
			x0 := binary.LittleEndian.Uint64(w[8:16])
			x1 := binary.LittleEndian.Uint64(w[16:24])
			// The run of letters and digits from i, as bits.
			off := uint(i & 63)
			run := words[i>>6]>>off | words[i>>6+1]<<1<<(63-off)
			wl := bits.TrailingZeros64(^run) // its length
			if wl > maxASCIIWord || w[8+wl] == '\'' || w[8+wl] >= utf8.RuneSelf {
				// The word is longer, or goes on with an apostrophe or a
				// letter outside ASCII.
				z.toks, z.flags = z.toks[:nt], flags
				i = z.word(text, i)
				nt, flags = len(z.toks), z.flags
				break
			}
			w0 := (x0 | lanes20) & lowBytes[(wl+8)&31] // lower case; digits have the bit already
			w1 := (x1 | lanes20) & lowBytes[wl&31]
			f := flags | tShort |
				bit((w0|w1)&lanes40 == 0)*tDigit | // no letter: letters have the 0x40 bit, digits do not
				bit(byte(x0)-'A' < 26)*tCapital

			// stem, as stem() does, from the word's last three bytes.
			last := binary.LittleEndian.Uint64(w[wl&15:]) | lanes20
			k := wl
			if last>>40 == 'i'|'e'<<8|'s'<<16 && wl > 4 { // rare: "-ies" → "-y"
				k = wl - 2
				if at := uint(k - 1); at < 8 {
					w0 ^= ('i' ^ 'y') << (8 * at)
				} else {
					w1 ^= ('i' ^ 'y') << (8 * (at - 8))
				}
			} else {
				k -= int(bit(byte(last>>56) == 's') & bit(wl > 3) & pluralBefore[byte(last>>48)])
			}
			w0 &= lowBytes[(k+8)&31]
			w1 &= lowBytes[k&31]

			// wordHash of the k bytes in w0 (0..7) and w1 (8..15).
			h := uint64(k)*0x9e3779b97f4a7c15 ^ w0
			long := bits.RotateLeft64(h, 29)*0xff51afd7ed558ccd ^ w1
			h = mix64(h ^ (h^long)&-uint64(k>>3)) // long when k >= 8 (k <= 15)

			t := &toks[nt]
			t.h, t.at, t.size, t.n, t.flags = h, int32(i), uint16(wl), uint8(k), f
			nt++
			flags &^= tStart
			i += wl
			// One or two bytes to the next word that need no trip through
			// the switch: inert ones (" ", "-", ", "), a quotation mark
			// before or after a space, or ". ".
			if c := w[8+wl]; byteClass[c] != bInert {
				if w[9+wl] != ' ' || run>>(wl+2)&1 == 0 {
					break
				}
				switch c {
				case '.':
					z.dots = append(z.dots, int32(nt-1))
				case '"':
					flags ^= tQuoted
				default:
					break words
				}
				i += 2
				continue
			}
			if run>>(wl+1)&1 != 0 {
				i++
				continue
			}
			c := w[9+wl]
			if run>>(wl+2)&1 == 0 || byteClass[c] != bInert && c != '"' {
				break
			}
			flags ^= bit(c == '"') * tQuoted
			i += 2
		}
	}
	z.toks, z.flags = z.toks[:nt], flags
	z.closeStray(text, len(text))
	z.endSentence()
	z.endDots()
}

// endDots ends the sentences at the dots the fast path stepped over, as
// stepBytes would have: after any word that is not an abbreviation. Done
// after the scan, the abbreviation lookup costs nothing where the scan's
// branches are, and a dot costs no trip through the switch.
func (z *tokenizer) endDots() {
	for _, k := range z.dots {
		if t := &z.toks[k]; !isAbbrev(t) {
			t.flags |= tSentEnd
			z.toks[k+1].flags |= tStart
		}
	}
	z.dots = z.dots[:0]
}

// markWords returns the bits of the ASCII letters and digits of the n
// bytes of text in buf (see padded), 64 to a word, and a zero word after
// them.
func (z *tokenizer) markWords(buf []byte, n int) []uint64 {
	nw := n/64 + 2
	words := slices.Grow(z.words[:0], nw)[:nw]
	for k := range nw - 1 {
		b := (*[64]byte)(buf[pad+64*k:])
		le := binary.LittleEndian
		// Written out: a loop over the eight words costs a third more.
		words[k] = marks(le.Uint64(b[0:])) | marks(le.Uint64(b[8:]))<<8 |
			marks(le.Uint64(b[16:]))<<16 | marks(le.Uint64(b[24:]))<<24 |
			marks(le.Uint64(b[32:]))<<32 | marks(le.Uint64(b[40:]))<<40 |
			marks(le.Uint64(b[48:]))<<48 | marks(le.Uint64(b[56:]))<<56
	}
	words[nw-1] = 0
	z.words = words
	return words
}

// marks returns alnum's eight marks as the low eight bits: the multiply
// gathers them, moved to bit 0 of each byte, into the top byte.
func marks(x uint64) uint64 {
	return alnum(x) >> 7 * 0x0102040810204080 >> 56
}

// alnum marks with 0x80 the bytes of x that are ASCII letters or digits,
// exactly. A 7-bit byte b is at least lo when b+(0x80-lo) has the 0x80 bit,
// and no such sum carries into the next byte. The bytes' own 0x80 bits are
// cleared for the sums and excluded at the end: a byte outside ASCII must
// neither be marked nor disturb its neighbours ("»9"), since markWords'
// bits are used far from any word start.
func alnum(x uint64) uint64 {
	a := x &^ lanes80 // 7-bit bytes
	y := a | lanes20  // letters in lower case
	digit := (a + lanes01*(0x80-'0')) &^ (a + lanes01*(0x80-'9'-1))
	letter := (y + lanes01*(0x80-'a')) &^ (y + lanes01*(0x80-'z'-1))
	return (digit | letter) &^ x & lanes80
}

// runBytes is run one byte at a time.
func (z *tokenizer) runBytes(text string) {
	z.flags = tStart
	for i := 0; i < len(text); {
		i = z.stepBytes(text, i)
	}
	z.closeStray(text, len(text))
	z.endSentence()
}

// closeStray ends, at a paragraph end (text byte i), a quotation still
// open there. Reporters leave one open when the next paragraph goes on
// with it, opening with a quotation mark; otherwise a mark was unmatched
// (a stray '"' at the start of an article), and the words after the last
// one are the writer's own: they count again, instead of the rest of a
// one-paragraph article going to quotation. Balanced text never gets here.
func (z *tokenizer) closeStray(text string, i int) {
	if z.flags&tQuoted == 0 || continuesQuote(text, i) {
		return
	}
	for k := len(z.toks) - 1; k >= 0 && z.toks[k].flags&tQuoted != 0; k-- {
		z.toks[k].flags &^= tQuoted
	}
}

// stepBytes reads what starts at text[i]: a word, a rune outside words, or
// an ASCII byte of punctuation, space or control, applied to the quotation
// and sentence state. It returns the index after it.
func (z *tokenizer) stepBytes(text string, i int) int {
	c := text[i]
	if c >= utf8.RuneSelf {
		z.nonASCII = true
		if r, size := utf8.DecodeRuneInString(text[i:]); !isWordRune(r) {
			return i + size
		}
		return z.word(text, i)
	}
	if asciiClass[c] != cOther {
		return z.word(text, i)
	}
	switch c {
	case '"':
		z.flags ^= tQuoted
	case '\n':
		z.closeStray(text, i)
		z.flags = z.flags&^tQuoted | tStart
		z.endSentence()
	case '.', '!', '?':
		// A sentence ends at terminal punctuation followed by space, a
		// quote or the end; "U.S." and "3.5" stay whole because a letter
		// or digit follows the dot.
		if i+1 >= len(text) || text[i+1] == ' ' || text[i+1] == '"' || text[i+1] == '\n' || text[i+1] == ')' {
			if c != '.' || !z.lastIsAbbrev() {
				z.endSentence()
				z.flags |= tStart
			}
		}
	}
	return i + 1
}

// byte classes for run
const (
	bWord  = iota // ASCII letter or digit
	bInert        // ASCII byte with no effect on sentences or quotes: space, comma, ...
	bOther        // '"', '\n', '.', '!', '?', and every byte outside ASCII
)

var byteClass = func() (t [256]uint8) {
	for c := range t {
		switch {
		case c >= utf8.RuneSelf || strings.IndexByte("\"\n.!?", byte(c)) >= 0:
			t[c] = bOther
		case asciiClass[c] == cOther:
			t[c] = bInert
		default:
			t[c] = bWord
		}
	}
	return
}()

// pluralBefore[c] is 1 unless a final 's' after c is part of the word
// ("boss", "Hamas", "Paris", "Texas", "virus"), as in stem.
var pluralBefore = func() (t [256]uint8) {
	for c := range t {
		t[c] = 1
	}
	for _, c := range "saiou'" {
		t[c] = 0
	}
	return
}()

// asciiFold maps an ASCII letter or digit to its lower-case form and any
// other byte to 0: one load both classifies and folds.
var asciiFold = func() (t [128]byte) {
	for c := byte('0'); c < 128; c++ {
		if asciiClass[c] != cOther {
			t[c] = c | 0x20 // lower case; digits have the bit already
		}
	}
	return
}()

func isWordRune(r rune) bool {
	return unicode.IsLetter(r) || unicode.IsDigit(r) || unicode.Is(unicode.Mn, r)
}

// maxFast is the longest ASCII word normalised on the stack.
const maxFast = 48

// word reads the word starting at text[i] byte by byte and returns the
// index after it. ASCII words are folded to lower case in a stack buffer as
// they are scanned; others go through normWord.
func (z *tokenizer) word(text string, i int) int {
	at := i
	var buf [maxFast]byte
	nb := 0
	ascii := true
	n := len(text)
	var seen byte // OR of the folded bytes: no 0x40 bit means digits only
	// A word ends after at most maxWordBytes, so that token.size holds it
	// (no news has such words; garbage input may).
	for lim := min(n, at+maxWordBytes-utf8.UTFMax); i < lim; {
		c := text[i]
		if c < utf8.RuneSelf {
			lc := asciiFold[c]
			if lc == 0 {
				if c == '\'' && i > at && i+1 < n && isWordByte(text[i+1]) {
					// A possessive "'s" ends the word and is dropped:
					// "Russia's" is "russia". Other apostrophes between
					// letters stay inside it: "don't" is "dont".
					if (text[i+1] == 's' || text[i+1] == 'S') && (i+2 >= n || !isWordByte(text[i+2])) {
						i += 2
						break
					}
					i++
					continue
				}
				break
			}
			seen |= lc
			if nb < maxFast {
				buf[nb] = lc
			}
			nb++
			i++
			continue
		}
		r, size := utf8.DecodeRuneInString(text[i:])
		if !isWordRune(r) {
			break
		}
		ascii = false
		if !unicode.IsDigit(r) {
			seen |= 0x40
		}
		i += size
	}
	z.nonASCII = z.nonASCII || !ascii
	var w []byte
	if ascii && nb <= maxFast {
		w = stem(buf[:nb])
	} else {
		z.scratch = normWord(z.scratch[:0], text[at:i])
		w = z.scratch
	}
	flags := z.flags
	if seen&0x40 == 0 {
		flags |= tDigit
	}
	if ascii && nb == i-at && nb <= maxASCIIWord {
		flags |= tShort
	}
	if c := text[at]; c < utf8.RuneSelf {
		if asciiClass[c] == cUpper {
			flags |= tCapital
		}
	} else if r, _ := utf8.DecodeRuneInString(text[at:]); unicode.IsUpper(r) {
		flags |= tCapital
	}
	h := wordHash(w)
	z.emit(token{h: h, at: int32(at), size: uint16(i - at), n: uint8(min(len(w), 255)), flags: flags})
	return i
}

// emit appends a word's token; the next word no longer opens a sentence.
func (z *tokenizer) emit(t token) {
	z.toks = append(z.toks, t)
	z.flags &^= tStart
}

// useFast switches the fast path of run on; tests turn it off to check
// that both paths give the same tokens.
var useFast = true

// pad zero bytes stand before and after the text in tokenizer.buf, so that
// run's fast path loads eight bytes before a word and 24 from its start
// without special cases at the edges of the text.
const pad = 32

// maxASCIIWord is the longest word run's fast path handles: two 8-byte loads.
const maxASCIIWord = 15

const (
	lanes01 = 0x0101010101010101
	lanes20 = 0x2020202020202020
	lanes40 = 0x4040404040404040
	lanes80 = 0x8080808080808080
)

// padded copies text into buf between pad zero bytes and returns it. The
// zeros after the text are 64 more, for markWords' last block.
func (z *tokenizer) padded(text string) []byte {
	size := pad + len(text) + pad + 64
	if cap(z.buf) < size {
		z.buf = make([]byte, size)
	}
	buf := z.buf[:size]
	copy(buf[pad:], text)
	clear(buf[pad+len(text):])
	return buf
}

// lowBytes[i] masks the low i-8 bytes of a word (none below 8, all above
// 16): lowBytes[n+8] and lowBytes[n] cover the first and second eight bytes
// of an n-byte word.
var lowBytes = func() (t [32]uint64) {
	for i := range t {
		if n := i - 8; n >= 8 {
			t[i] = math.MaxUint64
		} else if n > 0 {
			t[i] = 1<<(8*n) - 1
		}
	}
	return
}()

// bit is 1 for true: with it, flags are set by arithmetic instead of
// branches.
func bit(b bool) uint8 {
	if b {
		return 1
	}
	return 0
}

// normWord appends the normalised form of word to dst: lower case, no
// apostrophes, stemmed. It is the slow path of word, and how kept terms get
// their text.
func normWord(dst []byte, word string) []byte {
	if k := len(word); k > 2 && word[k-2] == '\'' && (word[k-1] == 's' || word[k-1] == 'S') {
		word = word[:k-2]
	}
	from := len(dst)
	for k := 0; k < len(word); {
		c := word[k]
		if c < utf8.RuneSelf { // ASCII: letters, digits and apostrophes only
			if c != '\'' {
				dst = append(dst, asciiFold[c])
			}
			k++
			continue
		}
		r, size := utf8.DecodeRuneInString(word[k:])
		dst = utf8.AppendRune(dst, unicode.ToLower(r))
		k += size
	}
	return dst[:from+len(stem(dst[from:]))] // stem keeps a prefix, changed in place
}

// wordHash hashes a normalised word eight bytes at a time (the last chunk
// zero-padded) with a murmur3 finaliser: a general-purpose hash costs more
// than the six bytes of an average word, and the finaliser gives the full
// avalanche MinHash bins rely on.
func wordHash(w []byte) uint64 {
	h := uint64(len(w)) * 0x9e3779b97f4a7c15
	for len(w) >= 8 {
		h = bits.RotateLeft64(h^binary.LittleEndian.Uint64(w), 29) * 0xff51afd7ed558ccd
		w = w[8:]
	}
	var tail uint64
	for i, c := range w {
		tail |= uint64(c) << (8 * i)
	}
	return mix64(h ^ tail)
}

func isWordByte(c byte) bool { return c >= utf8.RuneSelf || asciiClass[c] != cOther }

func (z *tokenizer) endSentence() {
	if k := len(z.toks); k > 0 {
		z.toks[k-1].flags |= tSentEnd
	}
}

// abbreviations that end with a dot but not a sentence (initials too).
var abbrevSet = newHashSet([]string{"mr", "mrs", "ms", "dr", "st", "jr", "sr", "gen", "gov", "sen", "rep",
	"lt", "col", "sgt", "capt", "prof", "inc", "co", "corp", "ltd", "vs", "no", "jan", "feb", "mar", "apr",
	"aug", "sept", "sep", "oct", "nov", "dec", "rev", "ft", "mt"})

func (z *tokenizer) lastIsAbbrev() bool {
	k := len(z.toks)
	if k == 0 {
		return false
	}
	return isAbbrev(&z.toks[k-1])
}

// isAbbrev tells whether a dot after t ends no sentence.
func isAbbrev(t *token) bool {
	// One letter before a dot is an initial ("John F. Kennedy", "U.S.").
	return (t.n == 1 && t.flags&tDigit == 0) || (t.n <= 5 && abbrevSet.has(t.h))
}

// stem folds the commonest English plural forms, so that "missiles" and
// "missile" are one term. Endings after a vowel other than e ("Hamas",
// "Texas", "Paris") stay. Possessives are cut before, by the tokenizer.
func stem(w []byte) []byte {
	n := len(w)
	if n > 4 && w[n-1] == 's' && w[n-2] == 'e' && w[n-3] == 'i' {
		w[n-3] = 'y'
		return w[:n-2]
	}
	if n > 3 && w[n-1] == 's' {
		switch w[n-2] {
		case 's', 'a', 'i', 'o', 'u', '\'':
			return w
		}
		return w[:n-1]
	}
	return w
}

// hashSet is a set of word hashes with two possible slots per key (cuckoo
// hashing): a lookup is two loads and no loop, so asking whether a word is
// a stop word costs no mispredicted branch. Its size is fixed, so that the
// lookup needs no bounds check either. The hash 0 marks an empty slot.
type hashSet struct {
	slots [hashSetSize]uint64
}

const hashSetSize = 1024 // at most a quarter full: the cuckoo insertions settle at once

// newHashSet builds the set of the words' hashes; it panics when the words
// do not fit, which the tests would show.
func newHashSet(words []string) (s hashSet) {
	for _, w := range words {
		h := wordHash(normWord(nil, w))
		if s.has(h) {
			continue
		}
		// Insert at the first slot; a displaced key moves to its other one.
		i := h % hashSetSize
		for kicks := 0; h != 0; kicks++ {
			if kicks > hashSetSize {
				panic("signature: hash set overfull")
			}
			h, s.slots[i] = s.slots[i], h
			if j := h % hashSetSize; j != i {
				i = j
			} else {
				i = h >> 32 % hashSetSize
			}
		}
	}
	return s
}

func (s *hashSet) has(h uint64) bool { return s.contains(h) != 0 }

// contains is has as a bit, 1 or 0.
func (s *hashSet) contains(h uint64) uint8 {
	return bit(s.slots[h%hashSetSize] == h) | bit(s.slots[h>>32%hashSetSize] == h) // no branch
}

var stopSet = newHashSet(stopwords)
