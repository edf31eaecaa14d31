package cluster

import (
	"math"
	"runtime"
	"slices"
	"strings"

	"github.com/newsdedup/newsdedup/internal/signature"
	"github.com/zeebo/xxh3"
)

// Builder gathers signatures one at a time and keeps only what clustering
// reads: MinHash and sentence fingerprints (shared, not copied), interned
// term weights and the date. A caller streaming a large store through Add
// never holds whole signatures: titles, URLs and term texts are dropped.
//
// The result does not depend on the order of Add: Run clusters in key order
// and reports indices in Add order.
type Builder struct {
	p     Params
	ids   map[uint64]int32 // term text hash → term id
	df    []int32          // articles per term id
	name  []bool           // term id is a name somewhere: boosted in every article (see corpus)
	raw   [][]entry        // per article: term id and raw weight
	days  []int32
	keys  []string
	views []*signature.Signature // copy and rewrite evidence only: MinHash, Shingles, Flags, Sentences, Words, Content; run consumes them
}

// NewBuilder returns an empty Builder clustering with p.
func NewBuilder(p Params) *Builder {
	if p.Workers <= 0 {
		p.Workers = runtime.GOMAXPROCS(0)
	}
	return &Builder{p: p, ids: make(map[uint64]int32)}
}

// Len is the number of signatures added.
func (b *Builder) Len() int { return len(b.raw) }

// Add appends a signature; its index in the Result is the count of earlier Adds.
func (b *Builder) Add(s *signature.Signature) {
	v := make([]entry, 0, len(s.Terms))
	for _, t := range s.Terms {
		// Terms are interned by a 64-bit hash of their text: a map keyed by
		// integers is several times faster than one keyed by strings, and
		// collisions among a corpus's few million terms are negligible.
		h := xxh3.HashString(t.Text)
		id, ok := b.ids[h]
		if !ok {
			id = int32(len(b.df))
			b.ids[h] = id
			b.df = append(b.df, 0)
			b.name = append(b.name, false)
		}
		b.df[id]++
		if t.Name {
			b.name[id] = true
		}
		v = append(v, entry{term: id, w: t.Weight})
	}
	b.raw = append(b.raw, v)
	day := int32(noDate)
	if s.Flags&signature.FlagDateFromText == 0 && !b.p.IgnoreDates {
		day = parseDay(s.Date)
	}
	b.days = append(b.days, day)
	b.keys = append(b.keys, s.Key)
	b.views = append(b.views, &signature.Signature{
		Shingles: s.Shingles, Flags: s.Flags, MinHash: s.MinHash, Sentences: s.Sentences,
		Words: s.Words, Content: s.Content, Lang: s.Lang, // two known languages are never copies
	})
}

// Run clusters everything added. It may be called once.
func (b *Builder) Run() Result {
	// Cluster in key order, so that the same articles give the same result
	// whatever order a store scanned them in.
	order := identity(len(b.keys))
	slices.SortStableFunc(order, func(x, y int32) int { return strings.Compare(b.keys[x], b.keys[y]) })
	b.keys = nil
	c := b.corpus(order)
	views := make([]*signature.Signature, len(order))
	for i, o := range order {
		views[i] = b.views[o]
	}
	b.views = nil
	res := run(c, views, b.p)
	return res.renumber(order)
}

// corpus weights every stored term by (1 + ln tf) · idf, idf taken from the
// corpus being clustered (smoothed: ln((1+N)/(1+df)) + 1), with names
// boosted, and normalises each vector to unit length. A term written as a
// name in any article is boosted in all: both sides of a pair then weigh
// it alike, where one article may not show its capitals (title only,
// sentence starts). A flag per article measured worse (undated BASIL,
// ECB+, follow-ups; docs/QUALITY.md). Article i of the corpus is article
// order[i] of the Adds. The raw weights are consumed.
func (b *Builder) corpus(order []int32) *corpus {
	p := b.p
	n := float64(len(b.raw))
	idf := make([]float64, len(b.df))
	for id, df := range b.df {
		idf[id] = math.Log((1+n)/(1+float64(df))) + 1
		if b.name[id] {
			idf[id] *= p.NameBoost
		}
	}
	c := &corpus{vecs: make([][]entry, len(order)), days: make([]int32, len(order)), df: b.df}
	for i, o := range order {
		v := b.raw[o]
		var norm float64
		for k := range v {
			w := (1 + math.Log(float64(v[k].w))) * idf[v[k].term]
			v[k].w = float32(w)
			norm += w * w
		}
		norm = math.Sqrt(norm)
		for k := range v {
			v[k].w = float32(float64(v[k].w) / norm)
		}
		slices.SortFunc(v, func(x, y entry) int { return int(x.term - y.term) })
		c.vecs[i] = v
		c.days[i] = b.days[o]
	}
	b.raw = nil
	return c
}

// renumber maps indices of the key-ordered run back to Add order.
func (r Result) renumber(order []int32) Result {
	m := func(i int) int { return int(order[i]) }
	for k := range r.Stories {
		st := &r.Stories[k]
		for j := range st.Members {
			st.Members[j] = m(st.Members[j])
		}
		slices.Sort(st.Members)
		st.Central = m(st.Central)
	}
	for _, g := range r.CopyGroups {
		for j := range g {
			g[j] = m(g[j])
		}
		slices.Sort(g)
	}
	for k := range r.CopyPairs {
		a, b := m(r.CopyPairs[k].A), m(r.CopyPairs[k].B)
		if a > b {
			a, b = b, a
		}
		r.CopyPairs[k].A, r.CopyPairs[k].B = a, b
	}
	for k := range r.Rewrites {
		rw := &r.Rewrites[k]
		rw.Original, rw.Rewrite = m(rw.Original), m(rw.Rewrite)
	}
	slices.SortFunc(r.Rewrites, func(x, y RewritePair) int {
		if x.Original != y.Original {
			return x.Original - y.Original
		}
		return x.Rewrite - y.Rewrite
	})
	slices.SortFunc(r.Stories, func(x, y Story) int { return x.Members[0] - y.Members[0] })
	slices.SortFunc(r.CopyGroups, func(x, y []int) int { return x[0] - y[0] })
	slices.SortFunc(r.CopyPairs, func(x, y CopyPair) int {
		if x.A != y.A {
			return x.A - y.A
		}
		return x.B - y.B
	})
	return r
}
