package signature

import (
	_ "embed"
	"encoding/json"
	"sync"
	"sync/atomic"
	"unicode"
	"unicode/utf8"

	"github.com/abadojack/whatlanggo"
	"github.com/kljensen/snowball/french"
	"github.com/kljensen/snowball/hungarian"
	"github.com/kljensen/snowball/norwegian"
	"github.com/kljensen/snowball/russian"
	"github.com/kljensen/snowball/spanish"
	"github.com/kljensen/snowball/swedish"
	"golang.org/x/text/unicode/norm"
)

// Language identification. English is decided without the identifier: a
// text whose words are at least a quarter English stop words is English
// (English news runs at 40–50 %, other languages written in Latin letters
// under 10 %: docs/PERFORMANCE.md, "Languages"), and the count comes for
// free from the term pass. Everything else asks whatlanggo, restricted to
// the languages below, on the title and the first detectSample letters.

// detectSample bounds the text the identifier reads, in characters: about
// a hundred words decide a language as well as a whole article, at a
// fraction of the cost (whatlanggo's cost grows with the text). On the
// multilingual corpus 600 identify every article, surely; 250 to 400 left
// Russian ones unsure or called Ukrainian (docs/PERFORMANCE.md).
const detectSample = 600

// minDetectRunes: below this many letters an identification is a guess,
// and Lang stays "" unless the script alone tells.
const minDetectRunes = 50

// languages lists what the identifier may answer (ISO 639-1): the
// languages with a stop-word list, English, and Chinese, Japanese, Korean
// and Thai. A restricted set is both faster and more accurate.
var languages = func() map[whatlanggo.Lang]bool {
	m := map[whatlanggo.Lang]bool{}
	for l := range whatlanggo.Langs {
		code := isoCode(l)
		if _, ok := stopLists[code]; ok || code == "en" {
			m[l] = true
		}
	}
	return m
}()

// isoCode is the ISO 639-1 code of l, with Norwegian Bokmål as "no".
func isoCode(l whatlanggo.Lang) string {
	code := l.Iso6391()
	if code == "nb" {
		code = "no"
	}
	return code
}

// identify returns the ISO 639-1 code of the language of title and text,
// or "" when it cannot tell with confidence, and its best guess either way.
// The language is a fact the signature keeps (two known languages are
// never copies), so it must be sure; the guess only picks the stop words
// and stemmer of a short text, where a wrong one costs little and none
// would keep a brief's words from meeting its story's stemmed ones.
func identify(title, text string) (lang, guess string) {
	sample, n := text, 0
	for i := range text {
		if n == detectSample {
			sample = text[:i]
			break
		}
		n++
	}
	sample = title + "\n" + sample
	letters, kana, han := 0, 0, 0
	for _, r := range sample {
		switch {
		case unicode.In(r, unicode.Hiragana, unicode.Katakana):
			kana++
		case unicode.Is(unicode.Han, r):
			han++
		}
		if unicode.IsLetter(r) {
			letters++
		}
	}
	// Japanese often writes more kanji than kana, and whatlanggo would
	// call it Chinese; kana are Japanese only.
	if kana > 0 && 10*kana >= kana+han {
		return "ja", "ja"
	}
	info := whatlanggo.DetectWithOptions(sample, whatlanggo.Options{Whitelist: languages})
	// Confidence 0 is a tie between the two best languages, which
	// whatlanggo breaks in map order, differently from call to call: no
	// guess, so that signatures stay deterministic.
	if info.Lang < 0 || !languages[info.Lang] || info.Confidence == 0 {
		return "", ""
	}
	guess = isoCode(info.Lang)
	// Scripts of one language are identified with confidence 1 at any
	// length; in shared scripts short texts are guesses.
	if info.Confidence < 1 && (letters < minDetectRunes || !info.IsReliable()) {
		return "", guess
	}
	return guess, guess
}

//go:embed stopwords/stopwords-iso.json
var stopJSON []byte

// stopLists maps a language to its stop words (stopwords/README.md), still
// as JSON: rulesFor decodes a language's list the first time it is needed.
// Decoded at start, the lists were 15,100 strings (1.1 MB) that stayed live
// for good, and the garbage collector marked all of them at every cycle,
// English text or not: 465 µs a collection in the signature tests'
// process, 235 µs without them.
// Every list is decoded once here, so that a broken file still fails at
// start, and then dropped.
var stopLists = func() map[string]json.RawMessage {
	var m map[string]json.RawMessage
	if err := json.Unmarshal(stopJSON, &m); err != nil {
		panic("signature: stop words: " + err.Error())
	}
	for lang := range m {
		stopList(m, lang)
	}
	return m
}()

// stopList decodes the stop words of lang from lists.
func stopList(lists map[string]json.RawMessage, lang string) []string {
	var words []string
	if raw, ok := lists[lang]; ok {
		if err := json.Unmarshal(raw, &words); err != nil {
			panic("signature: stop words of " + lang + ": " + err.Error())
		}
	}
	return words
}

// stemmers are the Snowball stemmers of the languages that have one in
// kljensen/snowball (English keeps its own light stemmer).
var stemmers = map[string]func(string, bool) string{
	"es": spanish.Stem, "fr": french.Stem, "ru": russian.Stem, "sv": swedish.Stem,
	"no": norwegian.Stem, "hu": hungarian.Stem,
}

// langRules is how the Unicode path treats the words of one language.
type langRules struct {
	stem  func(string, bool) string // nil: no stemming
	stops map[uint64]bool           // hashes of normalised stop words
	// stems caches stem's results (word → stem), the first maxStems
	// words met: the Snowball stemmers allocate and cost microseconds a
	// word, and news repeats its words.
	stems  sync.Map
	nStems atomic.Int32
}

// maxStems bounds each stemmed language's cache: 165 bytes a word measured
// in a sync.Map, 3 MB a language, 18 MB for the six, in a 256 MB Lambda.
const maxStems = 20_000

var (
	rulesMu sync.Mutex
	rules   = map[string]*langRules{}
)

// stemOf returns the stem of the lower-cased word w.
func (r *langRules) stemOf(w []byte) string {
	if s, ok := r.stems.Load(string(w)); ok {
		return s.(string)
	}
	word := string(w)
	s := r.stem(word, true)
	if r.nStems.Load() < maxStems {
		if _, loaded := r.stems.LoadOrStore(word, s); !loaded {
			r.nStems.Add(1)
		}
	}
	return s
}

// appendGreek appends the lower case of Greek letter c without its accents
// and breathings: Greek writes capitals without them, so a title in capitals
// ("ΗΡΑΚΛΕΙΟ") must meet the body's "Ηράκλειο".
func appendGreek(dst []byte, c rune) []byte {
	for _, d := range norm.NFD.String(string(unicode.ToLower(c))) {
		if !unicode.Is(unicode.Mn, d) {
			dst = utf8.AppendRune(dst, d)
		}
	}
	return dst
}

// rulesFor returns the rules of a language ("" for unknown: no stop words,
// no stemming), built on first use.
func rulesFor(lang string) *langRules {
	rulesMu.Lock()
	defer rulesMu.Unlock()
	if r, ok := rules[lang]; ok {
		return r
	}
	r := &langRules{stem: stemmers[lang], stops: map[uint64]bool{}}
	var buf []byte
	for _, w := range stopList(stopLists, lang) {
		buf = r.norm(buf[:0], w)
		r.stops[wordHash(buf)] = true
	}
	rules[lang] = r
	return r
}

// norm appends the normalised form of a word of the Unicode path to dst:
// folded (see foldWord) and stemmed. Terms use it.
func (r *langRules) norm(dst []byte, word string) []byte {
	from := len(dst)
	dst = foldWord(dst, word)
	if r.stem != nil && len(dst) > from {
		dst = append(dst[:from], r.stemOf(dst[from:])...)
	}
	return dst
}

// foldWord appends the form of a word of the Unicode path that copy evidence
// (shingles, sentence fingerprints) uses: lower case, without apostrophes,
// a leading elision of up to four letters dropped ("l'homme", "dell'anno"
// → "homme", "anno"), Greek without accents, decimal digits of every script
// as ASCII digits (see asciiDigit). It does not depend on the
// language identified, so that a copy identified otherwise than its
// original (Russian and Ukrainian are close) still shares its shingles.
func foldWord(dst []byte, word string) []byte {
	from := len(dst)
	letters := 0
	for _, c := range word {
		if c == '\'' || c == '’' {
			if letters <= 4 {
				dst, letters = dst[:from], 0 // elision: the word starts after it
			}
			continue
		}
		if c > unicode.MaxASCII && mayBeDigit(c) {
			c = asciiDigit(c)
		}
		if c >= 0x0370 && c <= 0x1fff && unicode.Is(unicode.Greek, c) {
			dst = appendGreek(dst, c)
		} else {
			dst = utf8.AppendRune(dst, unicode.ToLower(c))
		}
		letters++
	}
	return dst
}

// asciiDigit returns the ASCII digit of the same value as a decimal digit of
// any script, and any other rune as it is: Arabic-Indic ٢٠٢٤, Devanagari
// २०२४, the full-width ２０２４ of Chinese and Japanese text. A figure then
// compares across the ways it is written, and a year written so is still a
// year, not a specific figure (specificNumber). Unicode encodes every decimal
// digit (category Nd) in a run of ten, zero first, and the standard
// library's table lists those runs, adjacent ones merged: a digit's value is
// its offset in its range, modulo ten (TestASCIIDigit checks the table's
// shape).
func asciiDigit(r rune) rune {
	for _, rg := range unicode.Nd.R16 {
		if lo, hi := rune(rg.Lo), rune(rg.Hi); r <= hi {
			if r < lo {
				return r
			}
			return '0' + (r-lo)%10
		}
	}
	for _, rg := range unicode.Nd.R32 {
		if lo, hi := rune(rg.Lo), rune(rg.Hi); r <= hi {
			if r < lo {
				return r
			}
			return '0' + (r-lo)%10
		}
	}
	return r
}

// digitBlocks marks the 16-rune blocks of the Basic Multilingual Plane
// that hold a decimal digit, read from unicode.Nd: a letter outside them
// (nearly every one) is told apart from a digit by one load instead of a
// search of the digit table, which cost Japanese and Thai signing 9-11%.
var digitBlocks = func() (b [0x10000 >> 4]bool) {
	for _, rg := range unicode.Nd.R16 {
		for r := uint32(rg.Lo); r <= uint32(rg.Hi); r += uint32(rg.Stride) {
			b[r>>4] = true
		}
	}
	return b
}()

// mayBeDigit is false for a rune that is no decimal digit, and true for
// every digit (and for the other runes of their blocks, and past the BMP).
func mayBeDigit(r rune) bool {
	return r > 0xFFFF || digitBlocks[r>>4]
}
