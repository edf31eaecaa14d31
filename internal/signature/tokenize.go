package signature

import (
	"unicode"
	"unicode/utf8"

	"github.com/zeebo/xxh3"
)

// token flags
const (
	tQuoted  uint8 = 1 << iota // inside quotation marks
	tCapital                   // first letter upper case in the text
	tStart                     // first word of a sentence
	tStop                      // stop word: not a term
	tDigit                     // all digits: not a term
)

// token is one word of the text: its hash (of the lower-cased, stemmed
// form) and where it stands, so the word itself is only materialised for the
// few terms that are kept.
type token struct {
	h          uint64
	start, end int32 // bytes of the stemmed lower-case form in tokenizer.words
	at, atEnd  int32 // bytes of the word in the original text
	flags      uint8
	sentEnd    bool // the last word of a sentence
}

// tokenizer splits normalised text into words and sentences in one pass,
// without regular expressions: letters and digits form words, apostrophes
// inside a word are dropped ("don't" → "dont") and a possessive "'s" is cut,
// '"' toggles quoted speech, and a line break ends both a sentence and any
// open quotation (reporters reopen a quote on every new paragraph).
type tokenizer struct {
	words []byte // lower-cased stemmed words, back to back
	toks  []token
}

func (z *tokenizer) reset() {
	z.words = z.words[:0]
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
			cls := asciiClass[c]
			if cls == cOther {
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
			if !unicode.IsLetter(r) && !unicode.IsDigit(r) {
				i += size
				continue
			}
		}
		i = z.word(text, i, inQuote, sentStart)
		sentStart = false
	}
	z.endSentence()
}

// word reads the word starting at text[i] and returns the index after it.
func (z *tokenizer) word(text string, i int, quoted, start bool) int {
	begin, at := len(z.words), i
	var flags uint8
	if quoted {
		flags |= tQuoted
	}
	if start {
		flags |= tStart
	}
	allDigits := true
	first := true
	n := len(text)
	for i < n {
		c := text[i]
		if c < utf8.RuneSelf {
			cls := asciiClass[c]
			switch cls {
			case cLower:
				z.words = append(z.words, c)
				allDigits = false
			case cUpper:
				if first {
					flags |= tCapital
				}
				z.words = append(z.words, c+('a'-'A'))
				allDigits = false
			case cDigit:
				z.words = append(z.words, c)
			default:
				// An apostrophe between letters stays inside the word.
				if c == '\'' && i+1 < n && i > 0 && isWordByte(text[i+1]) {
					i++
					continue
				}
				goto done
			}
			i++
		} else {
			r, size := utf8.DecodeRuneInString(text[i:])
			if !unicode.IsLetter(r) && !unicode.IsDigit(r) && !unicode.Is(unicode.Mn, r) {
				goto done
			}
			if first && unicode.IsUpper(r) {
				flags |= tCapital
			}
			if !unicode.IsDigit(r) {
				allDigits = false
			}
			z.words = utf8.AppendRune(z.words, unicode.ToLower(r))
			i += size
		}
		first = false
	}
done:
	w := z.words[begin:]
	w = stem(w)
	z.words = z.words[:begin+len(w)]
	if allDigits {
		flags |= tDigit
	}
	h := xxh3.Hash(w)
	if stopSet.has(h) {
		flags |= tStop
	}
	z.toks = append(z.toks, token{h: h, start: int32(begin), end: int32(len(z.words)), at: int32(at), atEnd: int32(i), flags: flags})
	return i
}

func isWordByte(c byte) bool { return c >= utf8.RuneSelf || asciiClass[c] != cOther }

func (z *tokenizer) endSentence() {
	if k := len(z.toks); k > 0 {
		z.toks[k-1].sentEnd = true
	}
}

// abbreviations that end with a dot but not a sentence.
var abbrevSet = newHashSet([]string{"mr", "mrs", "ms", "dr", "st", "jr", "sr", "gen", "gov", "sen", "rep",
	"lt", "col", "sgt", "capt", "prof", "inc", "co", "corp", "ltd", "vs", "no", "jan", "feb", "mar", "apr",
	"aug", "sept", "sep", "oct", "nov", "dec", "rev", "ft", "mt"})

func (z *tokenizer) lastIsAbbrev() bool {
	k := len(z.toks)
	if k == 0 {
		return false
	}
	t := z.toks[k-1]
	return t.end-t.start <= 5 && abbrevSet.has(t.h)
}

// stem drops a possessive "'s" (already "s" after apostrophe removal is not
// distinguishable, so only plural-like endings are handled) and folds the
// commonest English plural forms, so that "missiles" and "missile" are one
// term. Endings after a vowel other than e ("Hamas", "Texas", "Paris") stay.
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
		b := stem([]byte(w))
		h := xxh3.Hash(b)
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
