// Package report is what newsdedup tells its users: stories, the copy groups
// inside them with the passages that prove them, and the files it rejected.
// It renders the same Report as JSON (for programs), one self-contained HTML
// page (for people) and CSV (for spreadsheets).
package report

import (
	_ "embed"
	"fmt"

	"github.com/zeebo/xxh3"
)

// Schema identifies the JSON layout; bump the version on breaking changes.
// Version 2 added story status against the previous report and stable ids.
const Schema = "newsdedup/report/v2"

// Report is one run's result over every stored signature.
type Report struct {
	Schema      string     `json:"schema"`
	GeneratedAt string     `json:"generated_at"`       // RFC 3339, UTC
	Articles    int        `json:"articles"`           // accepted articles clustered
	Previous    string     `json:"previous,omitempty"` // generated_at of the report this one was compared with (see Track)
	Stories     []Story    `json:"stories"`            // largest first, then earliest
	Rejected    []Rejected `json:"rejected"`           // files that could not be used, by key
}

// Story is a set of articles reporting one event.
type Story struct {
	ID        string      `json:"id"`
	Title     string      `json:"title"`      // the title of its most central article
	FirstSeen string      `json:"first_seen"` // earliest article date, YYYY-MM-DD or ""
	LastSeen  string      `json:"last_seen"`
	Sources   []string    `json:"sources"` // distinct outlets, sorted
	Articles  []Article   `json:"articles"`
	Copies    [][]string  `json:"copies"`             // copy groups: keys of articles sharing one text
	Evidence  []CopyGroup `json:"copy_groups"`        // the same groups with their proof, in the same order
	Rewrites  []Rewrite   `json:"rewrites,omitempty"` // pairs where one retells the other sentence by sentence

	// Against the previous report (see Track).
	Status      string   `json:"status"`                // StatusNew or StatusContinuing
	NewArticles []string `json:"new_articles"`          // keys in no story of the previous report
	MergedFrom  []string `json:"merged_from,omitempty"` // ids of previous stories that merged into this one
	SplitFrom   string   `json:"split_from,omitempty"`  // for a new story: the previous story most of its older articles come from
}

// Article is one member of a story.
type Article struct {
	Key       string `json:"key"`
	Title     string `json:"title"`
	Source    string `json:"source"`
	Date      string `json:"date"` // YYYY-MM-DD or ""
	URL       string `json:"url,omitempty"`
	CopyGroup string `json:"copy_group,omitempty"` // ID of its copy group, if any
	Language  string `json:"language,omitempty"`   // ISO 639-1 code of its language; omitted when unknown
}

// CopyGroup is a set of articles that reuse one text, with the evidence.
type CopyGroup struct {
	ID      string   `json:"id"`
	Members []string `json:"members"`
	Pairs   []Pair   `json:"pairs"` // the verified pairs that joined the group
}

// Pair is the evidence that two articles share text.
type Pair struct {
	Keys            [2]string `json:"keys"`
	Containment     float64   `json:"containment"`      // estimated share of the shorter text's own shingles found in the other
	SharedSentences int       `json:"shared_sentences"` // sentences outside quotes found in both, exactly or lightly edited
	Passages        []string  `json:"passages,omitempty"`
}

// Rewrite is an article that retells another sentence by sentence, in
// other words: a spun copy.
type Rewrite struct {
	Original string `json:"original"`
	Rewrite  string `json:"rewrite"`
	// Direction is DirectionByDate when Original is the earlier article,
	// DirectionUnknown when the dates are equal or missing (Original is
	// then the longer article, ties by key).
	Direction        string  `json:"direction"`
	AlignedSentences int     `json:"aligned_sentences"` // the rewrite's sentences aligned, in order, with the original's
	Coverage         float64 `json:"coverage"`          // their share of the rewrite's sentences, 0 to 1
	// Pairs are aligned sentences, [original, rewritten], in order, at most
	// MaxRewritePairs; empty when the articles could not be read back.
	Pairs [][2]string `json:"pairs"`
}

// Directions of a Rewrite.
const (
	DirectionByDate  = "by_date"
	DirectionUnknown = "unknown"
)

// MaxRewritePairs bounds the aligned sentence pairs shown per rewrite.
const MaxRewritePairs = 5

// Rejected is a file that could not be used, and why.
type Rejected struct {
	Key    string `json:"key"`
	Reason string `json:"reason"`
}

// StoryID names a story after one of its articles (the earliest when it is
// built, see Track for later runs), CopyGroupID a copy group.
func StoryID(key string) string { return "s-" + keyName(key) }

// CopyGroupID names a copy group after its earliest article.
func CopyGroupID(key string) string { return "c-" + keyName(key) }

// keyName is 12 hex digits of the key's hash: short in URLs and file
// names, whatever the key holds, and collision-free in practice (48 bits).
func keyName(key string) string { return fmt.Sprintf("%012x", xxh3.HashString(key)>>16) }

// JSONSchema is report.schema.json: the JSON Schema (draft 2020-12) of
// report.json, for programs that read reports and for the tests that check
// every report written against it (see internal/reportschema).
//
//go:embed report.schema.json
var JSONSchema []byte
