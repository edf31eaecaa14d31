package signature

import (
	"fmt"
	"math/rand/v2"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/newsdedup/newsdedup/internal/article"
)

const seedDir = "../../testdata/seeds"

// tok is a token as the tests see it: the hash of its normalised form, the
// text it came from, and its flags.
type tok struct {
	h       uint64
	orig    string
	flags   uint8
	sentEnd bool
}

// tokenize runs the tokenizer over text and returns its tokens.
func tokenize(text string) []tok {
	var z tokenizer
	z.run(text)
	out := make([]tok, len(z.toks))
	for i, t := range z.toks {
		out[i] = tok{h: t.h, orig: text[t.at:t.atEnd()], flags: t.flags, sentEnd: t.flags&tSentEnd != 0}
	}
	return out
}

// hashWord is the hash of the one word w normalises to.
func hashWord(w string) uint64 {
	toks := tokenize(w)
	if len(toks) != 1 {
		panic(fmt.Sprintf("%q is %d words", w, len(toks)))
	}
	return toks[0].h
}

func origs(toks []tok) []string {
	out := make([]string, len(toks))
	for i, t := range toks {
		out[i] = t.orig
	}
	return out
}

// sentences groups the original words of toks by sentence, lower-cased
// and space-separated.
func sentences(toks []tok) []string {
	var out, cur []string
	for _, t := range toks {
		cur = append(cur, strings.ToLower(t.orig))
		if t.sentEnd {
			out = append(out, strings.Join(cur, " "))
			cur = nil
		}
	}
	if cur != nil {
		out = append(out, strings.Join(cur, " ")+" <unclosed>")
	}
	return out
}

type shingle [ShingleWords]uint64

// shingleSet is an independent reimplementation of what the MinHash
// covers: the runs of ShingleWords consecutive word hashes that touch no
// quoted word, or all of them when ownOnly is false.
func shingleSet(text string, ownOnly bool) map[shingle]bool {
	set := map[shingle]bool{}
	var run []uint64
	for _, t := range tokenize(text) {
		if ownOnly && t.flags&tQuoted != 0 {
			run = run[:0]
			continue
		}
		run = append(run, t.h)
		if len(run) >= ShingleWords {
			set[shingle(run[len(run)-ShingleWords:])] = true
		}
	}
	return set
}

func exactJaccard(a, b map[shingle]bool) float64 {
	inter := 0
	for s := range a {
		if b[s] {
			inter++
		}
	}
	union := len(a) + len(b) - inter
	if union == 0 {
		return 0
	}
	return float64(inter) / float64(union)
}

func exactContainment(a, b map[shingle]bool) float64 {
	inter := 0
	for s := range a {
		if b[s] {
			inter++
		}
	}
	small := min(len(a), len(b))
	if small == 0 {
		return 0
	}
	return float64(inter) / float64(small)
}

// vocab is a deterministic vocabulary of made-up lower-case words that are
// distinct after stemming and are no stop words.
type vocab struct {
	words []string
	rng   *rand.Rand
}

func newVocab(seed uint64, n int) *vocab {
	rng := rand.New(rand.NewPCG(seed, seed^0x9e3779b97f4a7c15))
	seen := map[string]bool{}
	v := &vocab{rng: rng}
	const letters = "bcdfghjklmnpqrtvwxz" // no vowels' plural rules, no trailing s
	const vowels = "aeiou"
	for len(v.words) < n {
		var b strings.Builder
		l := 2 + rng.IntN(3)
		for k := 0; k < l; k++ {
			b.WriteByte(letters[rng.IntN(len(letters))])
			b.WriteByte(vowels[rng.IntN(len(vowels))])
		}
		w := b.String()
		if seen[w] || stopSet.has(hashWord(w)) {
			continue
		}
		seen[w] = true
		v.words = append(v.words, w)
	}
	return v
}

// seq returns n random words.
func (v *vocab) seq(n int) []string {
	out := make([]string, n)
	for i := range out {
		out[i] = v.words[v.rng.IntN(len(v.words))]
	}
	return out
}

// sentence returns n random words as one sentence: capitalised first word,
// closing full stop.
func (v *vocab) sentence(n int) string {
	return sentenceOf(v.seq(n))
}

func sentenceOf(ws []string) string {
	s := strings.Join(ws, " ")
	return strings.ToUpper(s[:1]) + s[1:] + "."
}

// art wraps a body text into an article.
func art(key, title, text string) *article.Article {
	return &article.Article{Key: key, Title: title, Text: text}
}

// seed reads and parses the seed article whose file name starts with prefix.
func seed(t testing.TB, prefix string) article.Article {
	t.Helper()
	paths, err := filepath.Glob(filepath.Join(seedDir, prefix+"_*.txt"))
	if err != nil || len(paths) != 1 {
		t.Fatalf("seed %s: found %v (%v)", prefix, paths, err)
	}
	data, err := os.ReadFile(paths[0])
	if err != nil {
		t.Fatal(err)
	}
	a, err := article.Parse(filepath.Base(paths[0]), data, article.Limits{})
	if err != nil {
		t.Fatalf("parse %s: %v", paths[0], err)
	}
	return a
}
