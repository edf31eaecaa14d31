// Package cluster groups signatures into stories (articles about one event)
// and, inside them, copy groups (articles that reuse one text). It is pure
// computation over signatures: no I/O, same input, same output.
package cluster

import "runtime"

// Params are the knobs of clustering. docs/QUALITY.md says why each default
// has its value; DefaultParams is what every entry point uses unless told.
type Params struct {
	// StoryThreshold is the average-linkage cut: two groups join while the
	// mean similarity over all their cross pairs is at least this.
	StoryThreshold float64
	// NameBoost multiplies the weight of names (people, places, organisations).
	NameBoost float64
	// FullWeightDays: articles dated this many days apart or less compare on
	// text alone; a story's coverage spans a few days.
	FullWeightDays int
	// DecayDays is the scale of the Gaussian decay of similarity beyond
	// FullWeightDays, down to FarFactor; MaxDays is the gap up to which any
	// shared term makes two dated articles candidates.
	DecayDays float64
	MaxDays   int
	// FarFactor is the least time factor of two dated articles up to
	// FarDays apart: a follow-up (the arrest, the trial) links to its story
	// when the text alone is as similar as a typical same-story pair
	// (StoryThreshold / FarFactor), while weaker topical likeness needs
	// closeness in time. Past MaxDays, only terms held by at most
	// RarePosting articles (the story's own names and places) make pairs
	// candidates, which keeps the search linear. A missing date is
	// unknown, not evidence: a pair with one gets the factor 1.
	FarFactor   float64
	FarDays     int
	RarePosting int
	// CoherenceRatio: two groups of several articles join only when their
	// mean cross similarity is at least this share of the geometric mean of
	// their own inner similarities, unless their known dates all fall
	// within FullWeightDays. Two events of one kind (two earthquakes) are
	// each tight and only loosely alike; two halves of one story are about
	// as alike as each is inside.
	CoherenceRatio float64
	// IgnoreDates clusters as if no article had a date (text alone): how
	// the evaluation measures the undated case on a dated set.
	IgnoreDates bool
	// MaxPosting is how many articles a term may appear in before it is too
	// common to make two articles candidates (it still counts in the exact
	// similarity of candidates): such a term cannot tell stories apart, and
	// indexing it would make the work quadratic.
	MaxPosting int
	// EdgeFloor: similarities below it are treated as zero, which keeps the
	// graph sparse; it must stay well under StoryThreshold.
	EdgeFloor float64

	// CopyContainment is the share of the shorter article's own shingles
	// (outside quotes) that must reappear in the other for a copy, and
	// CopyMinSentences how many of its own sentences must reappear, exactly
	// or lightly edited: a passage, not a stock phrase. A heavily edited copy
	// (a few words changed in every sentence) breaks shingles but not
	// sentences: it passes with at least half the containment when the same
	// share of the shorter's sentences, and one more than CopyMinSentences,
	// reappear.
	CopyContainment  float64
	CopyMinSentences int
	// CopyCandidateCosine: story-similar pairs above this are checked for
	// copying even when MinHash LSH did not propose them (short wire copy
	// inside a long article has a low Jaccard similarity).
	CopyCandidateCosine float64
	// LSHBands × LSHRows MinHash values form the banding index.
	LSHBands, LSHRows int
	// MaxBucket: an LSH bucket holding more articles than this is
	// boilerplate shared by an outlet's pages, not copy.
	MaxBucket int

	// A rewrite (see rewrites.go): at least RewriteMinSentences, and
	// RewriteCoverage of the shorter article's sentences, align in order
	// with the other's by content; two sentences can align when they share
	// RewriteMinUnits content units, RewriteUnitShare of the smaller's.
	RewriteMinUnits     int
	RewriteUnitShare    float64
	RewriteMinSentences int
	RewriteCoverage     float64

	Workers int // parallel workers for pair scoring; 0 means GOMAXPROCS
}

// DefaultParams returns the parameters newsdedup ships with.
func DefaultParams() Params {
	return Params{
		StoryThreshold:      0.16,
		NameBoost:           1.5,
		FullWeightDays:      1,
		DecayDays:           2,
		MaxDays:             7,
		FarFactor:           0.6,
		FarDays:             365,
		RarePosting:         32,
		CoherenceRatio:      0.7,
		MaxPosting:          2000,
		EdgeFloor:           0.05,
		CopyContainment:     0.25,
		CopyMinSentences:    2,
		CopyCandidateCosine: 0.30,
		LSHBands:            32,
		LSHRows:             4,
		MaxBucket:           200,
		RewriteMinUnits:     3,
		RewriteUnitShare:    0.4,
		RewriteMinSentences: 5,
		RewriteCoverage:     0.5,
		Workers:             runtime.GOMAXPROCS(0),
	}
}
