// Package signature computes the compact, serialisable record newsdedup keeps
// per article: a MinHash over word shingles outside quoted speech (copy
// evidence), fuzzy fingerprints of the article's own sentences, its salient
// terms and names, and its metadata. Clustering needs nothing else.
package signature

// Version is the layout version written into every encoded signature.
// Bump it when the meaning of a field changes; Decode rejects unknown
// versions so that stale signatures are recomputed instead of misread.
// Version 2 appends the language; version-1 records still decode, with
// Lang "" (unknown), which clustering treats as it did before languages.
const Version = 2

const (
	// K is the number of MinHash values (one-permutation hashing bins).
	K = 128
	// ShingleWords is the length of the word shingles the MinHash covers.
	// Five words: long enough that shared shingles between independent reports
	// are rare (GUIDE §1), short enough to survive light edits of wire copy.
	ShingleWords = 5
	// MaxTerms bounds the salient terms kept per article.
	MaxTerms = 64
	// MaxSentences bounds the sentence fingerprints kept per article.
	MaxSentences = 256
)

// Flags describe how a signature was computed.
const (
	// FlagQuotesIncluded: the article had too little text outside quotation
	// marks, so the MinHash covers all of it.
	FlagQuotesIncluded uint8 = 1 << iota
	// FlagEmpty: no shingles at all (very short text); MinHash is meaningless.
	FlagEmpty
	// FlagDateFromText: Date was read from the body, not from metadata. Such
	// dates often name another event ("since Sept. 11, 2001"), so they are
	// shown but not used to link articles.
	FlagDateFromText
)

// Term is a salient word or name of an article.
type Term struct {
	Text   string  // lower-cased, lightly stemmed; names of two words are joined by a space
	Weight float32 // occurrences in the body, plus TitleWeight per occurrence in the title
	Name   bool    // mostly capitalised mid-sentence: a person, place or organisation
}

// TitleWeight is what one occurrence in the title adds to a term's weight:
// a headline states what the story is about, so its words count like
// repeated mentions.
const TitleWeight = 2

// Signature is everything clustering needs to know about one article.
type Signature struct {
	Key    string
	Title  string
	Source string
	URL    string
	Date   string // YYYY-MM-DD or ""

	Words     int // word tokens in the body
	Shingles  int // shingles the MinHash covers (set size for containment estimates)
	Flags     uint8
	MinHash   []uint32 // K values; equal positions estimate Jaccard similarity
	Sentences []uint64 // one fuzzy fingerprint per sentence outside quotes, in order
	Terms     []Term   // up to MaxTerms, heaviest first
	Lang      string   // ISO 639-1 code of the article's language; "" when unknown

	stale bool // decoded from an earlier layout version (see Stale)
}

// Stale tells whether the signature was decoded from a record of an
// earlier layout version: it lacks what the current version adds (the
// language, and for articles outside English their words as this version
// reads them), so a store that still has the article's file signs it again.
func (s *Signature) Stale() bool { return s.stale }
