// Package signature computes the compact, serialisable record newsdedup keeps
// per article: a MinHash over word shingles outside quoted speech (copy
// evidence), fuzzy fingerprints of the article's own sentences, its salient
// terms and names, and its metadata. Clustering needs nothing else.
package signature

// Version is the layout version written into every encoded signature.
// Bump it when the meaning of a field changes; Decode rejects other versions
// so that stale signatures are recomputed instead of misread.
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
	// MaxContentSentences bounds the sentences whose content is kept for
	// rewrite evidence, and MaxContentUnits the units kept per sentence:
	// at most 40 × (1 + 12 × 2) = 1,000 bytes per article. Forty sentences
	// are a 900-word article's; a rewrite shows in its first ones.
	MaxContentSentences = 40
	MaxContentUnits     = 12
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
	// Content is the rewrite evidence: for each of the first
	// MaxContentSentences sentences that have a fingerprint in Sentences,
	// the 16-bit hashes of its content units (words outside quotes that are
	// neither stop words nor single letters, numbers included, stemmed),
	// distinct, ascending, the MaxContentUnits smallest when there are more.
	// Stored flat to keep one allocation: a count, then that many hashes,
	// sentence after sentence (see ContentSentences).
	Content []uint16
}

// ContentSentences splits Content into its sentences' unit sets (slices of
// Content). A malformed tail (a count past the end) is dropped.
func (s *Signature) ContentSentences() [][]uint16 {
	return s.AppendContentSentences(nil)
}

// AppendContentSentences is ContentSentences appending to dst, for callers
// that reuse one slice over many signatures.
func (s *Signature) AppendContentSentences(dst [][]uint16) [][]uint16 {
	for c := s.Content; len(c) > 0; {
		n := int(c[0])
		if n >= len(c) {
			break
		}
		dst = append(dst, c[1:1+n])
		c = c[1+n:]
	}
	return dst
}
