package signature

import (
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

// normWord appends the normalised form of word to dst: lower case, no
// apostrophes, stemmed. It is the slow path of word, and how kept terms get
// their text.
func normWord(dst []byte, word string) []byte {
	if k := len(word); k > 2 && word[k-2] == '\'' && (word[k-1] == 's' || word[k-1] == 'S') {
		word = word[:k-2]
	}
	from := len(dst)
	for _, r := range word {
		if r == '\'' {
			continue
		}
		dst = utf8.AppendRune(dst, unicode.ToLower(r))
	}
	return append(dst[:from], stem(dst[from:])...)
}

// wordHash is FNV-1a over the normalised bytes with a murmur3 finaliser: a
// general-purpose hash costs more than the five bytes of an average word,
// and the finaliser gives the full avalanche MinHash bins rely on.
func wordHash(w []byte) uint64 {
	h := uint64(14695981039346656037)
	for _, c := range w {
		h ^= uint64(c)
		h *= 1099511628211
	}
	return mix64(h)
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
