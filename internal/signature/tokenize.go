package signature

import (
	"encoding/binary"
	"math/bits"
	"unicode"
	"unicode/utf8"
)

// token flags
const (
	tQuoted  uint8 = 1 << iota // inside quotation marks
	tCapital                   // first letter upper case in the text
	tStart                     // first word of a sentence
	tStop                      // stop word: not a term
	tDigit                     // all digits: not a term
)

// token is one word of the text: the hash of its lower-cased, stemmed form
// and where it stands, so the word itself is only materialised for the few
// terms that are kept.
type token struct {
	h         uint64
	at, atEnd int32 // bytes of the word in the text
	n         uint8 // length of the normalised form, capped at 255
	flags     uint8
	sentEnd   bool // the last word of a sentence
}

// tokenizer splits normalised text into words and sentences in one pass,
// without regular expressions: letters and digits form words, apostrophes
// inside a word are dropped ("don't" → "dont", "Israel's" → "israel"), '"'
// toggles quoted speech, and a line break ends both a sentence and any open
// quotation (reporters reopen a quote on every new paragraph).
type tokenizer struct {
	toks    []token
	scratch []byte
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

func (z *tokenizer) run(text string) {
	inQuote := false
	sentStart := true
	n := len(text)
	for i := 0; i < n; {
		c := text[i]
		if c < utf8.RuneSelf {
			if asciiClass[c] == cOther {
				switch c {
				case '"':
					inQuote = !inQuote
				case '\n':
					inQuote = false
					z.endSentence()
					sentStart = true
				case '.', '!', '?':
					// A sentence ends at terminal punctuation followed by space,
					// a quote or the end; "U.S." and "3.5" stay whole because a
					// letter or digit follows the dot.
					if i+1 >= n || text[i+1] == ' ' || text[i+1] == '"' || text[i+1] == '\n' || text[i+1] == ')' {
						if c != '.' || !z.lastIsAbbrev() {
							z.endSentence()
							sentStart = true
						}
					}
				}
				i++
				continue
			}
		} else {
			r, size := utf8.DecodeRuneInString(text[i:])
			if !isWordRune(r) {
				i += size
				continue
			}
		}
		i = z.word(text, i, inQuote, sentStart)
		sentStart = false
	}
	z.endSentence()
}

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

// word reads the word starting at text[i] and returns the index after it.
// ASCII words, nearly all of them in English news, are folded to lower case
// in a stack buffer as they are scanned; others go through normWord.
func (z *tokenizer) word(text string, i int, quoted, start bool) int {
	if useSWAR && i+8 <= len(text) {
		if next, ok := z.shortWord(text, i, quoted, start); ok {
			return next
		}
	}
	at := i
	var buf [maxFast]byte
	nb := 0
	ascii := true
	n := len(text)
	var seen byte // OR of the folded bytes: no 0x40 bit means digits only
	for i < n {
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
	allDigits := seen&0x40 == 0
	var w []byte
	if ascii && nb <= maxFast {
		w = stem(buf[:nb])
	} else {
		z.scratch = normWord(z.scratch[:0], text[at:i])
		w = z.scratch
	}
	var flags uint8
	if quoted {
		flags |= tQuoted
	}
	if start {
		flags |= tStart
	}
	if allDigits {
		flags |= tDigit
	}
	if c := text[at]; c < utf8.RuneSelf {
		if asciiClass[c] == cUpper {
			flags |= tCapital
		}
	} else if r, _ := utf8.DecodeRuneInString(text[at:]); unicode.IsUpper(r) {
		flags |= tCapital
	}
	h := wordHash(w)
	if stopSet.has(h) {
		flags |= tStop
	}
	z.toks = append(z.toks, token{h: h, at: int32(at), atEnd: int32(i), n: uint8(min(len(w), 255)), flags: flags})
	return i
}

// useSWAR switches the word-at-a-time path on; tests turn it off to check
// that both paths give the same tokens.
var useSWAR = true

const (
	lanes01 = 0x0101010101010101
	lanes80 = 0x8080808080808080
)

// inRange marks with 0x80 each byte of x (all bytes < 0x80) that lies in
// [lo, hi]. No byte borrows from its neighbour: (b|0x80)-lo and
// (hi|0x80)-b are both positive for 7-bit b, lo and hi.
func inRange(x uint64, lo, hi byte) uint64 {
	ge := ((x | lanes80) - lanes01*uint64(lo)) & lanes80
	le := ((lanes01*uint64(hi) | lanes80) - x) & lanes80
	return ge & le
}

// shortWord handles the common case of a word in at most two 8-byte loads:
// an ASCII word of at most 15 letters or digits, ended by an ASCII byte
// other than an apostrophe. Loads classify, fold and hash it, with the same
// token as the byte-at-a-time path. ok is false in every other case.
func (z *tokenizer) shortWord(text string, i int, quoted, start bool) (int, bool) {
	x0 := binary.LittleEndian.Uint64([]byte(text[i : i+8]))
	w0, n0, end := foldChunk(x0)
	n := n0
	var w1 uint64
	if n0 == 8 {
		if i+16 > len(text) {
			return 0, false
		}
		var n1 int
		w1, n1, end = foldChunk(binary.LittleEndian.Uint64([]byte(text[i+8 : i+16])))
		if n1 == 8 {
			return 0, false // sixteen bytes or more: the byte path
		}
		n += n1
	}
	if end >= utf8.RuneSelf || end == '\'' {
		return 0, false // may continue with a letter outside ASCII, or an apostrophe
	}
	next := i + n
	// stem, as in stem(), on the folded bytes held in w0 (0..7) and w1 (8..15)
	get := func(k int) byte {
		if k < 8 {
			return byte(w0 >> (8 * k))
		}
		return byte(w1 >> (8 * (k - 8)))
	}
	switch {
	case n > 4 && get(n-1) == 's' && get(n-2) == 'e' && get(n-3) == 'i':
		if k := n - 3; k < 8 {
			w0 = w0&^(0xff<<(8*k)) | uint64('y')<<(8*k)
		} else {
			w1 = w1&^(0xff<<(8*(k-8))) | uint64('y')<<(8*(k-8))
		}
		n -= 2
	case n > 3 && get(n-1) == 's':
		switch get(n - 2) {
		case 's', 'a', 'i', 'o', 'u', '\'':
		default:
			n--
		}
	}
	// wordHash of the n bytes, unrolled for at most two chunks.
	var h uint64
	switch {
	case n < 8:
		h = mix64(uint64(n)*0x9e3779b97f4a7c15 ^ w0&(1<<(8*n)-1))
	default:
		h = bits.RotateLeft64(uint64(n)*0x9e3779b97f4a7c15^w0, 29) * 0xff51afd7ed558ccd
		h = mix64(h ^ w1&(1<<(8*(n-8))-1))
	}
	var flags uint8
	if quoted {
		flags |= tQuoted
	}
	if start {
		flags |= tStart
	}
	if (w0|w1)&0x4040404040404040 == 0 {
		flags |= tDigit // no letter: letters have the 0x40 bit, digits do not
	}
	if c := byte(x0); c >= 'A' && c <= 'Z' {
		flags |= tCapital
	}
	if stopSet.has(h) {
		flags |= tStop
	}
	z.toks = append(z.toks, token{h: h, at: int32(i), atEnd: int32(next), n: uint8(n), flags: flags})
	return next, true
}

// foldChunk takes eight bytes of text and returns the leading run of ASCII
// letters and digits, folded to lower case (other bytes zero), its length,
// and the byte that ended it (0 when all eight belong to the run).
func foldChunk(x uint64) (w uint64, n int, end byte) {
	ascii := ^x & lanes80 // 0x80 on bytes below 0x80
	y := x | 0x2020202020202020
	alnum := (inRange(x, '0', '9') | inRange(y, 'a', 'z')) & ascii
	n = bits.TrailingZeros64(^alnum&lanes80) / 8
	if n == 8 {
		return y, 8, 0
	}
	return y & (1<<(8*n) - 1), n, byte(x >> (8 * n))
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
	return append(dst[:from], stem(dst[from:])...)
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
		z.toks[k-1].sentEnd = true
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
	t := z.toks[k-1]
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

// hashSet is an open-addressing set of word hashes: a stop-word lookup costs
// a few nanoseconds, where a map[string] would dominate tokenising.
type hashSet struct {
	slots []uint64
	mask  uint64
}

func newHashSet(words []string) hashSet {
	size := 1
	for size < 4*len(words) {
		size <<= 1
	}
	s := hashSet{slots: make([]uint64, size), mask: uint64(size - 1)}
	for _, w := range words {
		h := wordHash(normWord(nil, w))
		for i := h & s.mask; ; i = (i + 1) & s.mask {
			if s.slots[i] == 0 || s.slots[i] == h {
				s.slots[i] = h
				break
			}
		}
	}
	return s
}

func (s hashSet) has(h uint64) bool {
	for i := h & s.mask; ; i = (i + 1) & s.mask {
		switch s.slots[i] {
		case h:
			return true
		case 0:
			return false
		}
	}
}

var stopSet = newHashSet(stopwords)
