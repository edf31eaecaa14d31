package cluster

import (
	"math"
	"sort"
	"time"

	"github.com/newsdedup/newsdedup/internal/signature"
	"github.com/zeebo/xxh3"
)

// entry is one weighted term of an article's vector.
type entry struct {
	term int32
	w    float32
}

// corpus holds what clustering derives from the signatures as a whole: term
// ids, document frequencies, and each article's unit-length TF-IDF vector.
type corpus struct {
	vecs [][]entry // sorted by term id
	days []int32   // days since 1970, or noDate
	df   []int32
}

const noDate = math.MinInt32

// buildCorpus weights every stored term by (1 + ln tf) · idf, idf taken from
// the corpus being clustered (smoothed: ln((1+N)/(1+df)) + 1), with names
// boosted, and normalises each vector to unit length.
func buildCorpus(sigs []*signature.Signature, p Params) *corpus {
	// Terms are interned by a 64-bit hash of their text: a map keyed by
	// integers is several times faster than one keyed by strings, and
	// collisions among a corpus's few million distinct terms are negligible.
	ids := make(map[uint64]int32)
	c := &corpus{vecs: make([][]entry, len(sigs)), days: make([]int32, len(sigs))}
	raw := make([][]entry, len(sigs))
	name := []bool{}
	for i, s := range sigs {
		v := make([]entry, 0, len(s.Terms))
		for _, t := range s.Terms {
			h := xxh3.HashString(t.Text)
			id, ok := ids[h]
			if !ok {
				id = int32(len(ids))
				ids[h] = id
				c.df = append(c.df, 0)
				name = append(name, false)
			}
			c.df[id]++
			if t.Name {
				name[id] = true
			}
			v = append(v, entry{term: id, w: t.Weight})
		}
		raw[i] = v
		c.days[i] = noDate
		if s.Flags&signature.FlagDateFromText == 0 {
			c.days[i] = parseDay(s.Date)
		}
	}
	n := float64(len(sigs))
	idf := make([]float64, len(c.df))
	for id, df := range c.df {
		idf[id] = math.Log((1+n)/(1+float64(df))) + 1
		if name[id] {
			idf[id] *= p.NameBoost
		}
	}
	for i, v := range raw {
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
		sort.Slice(v, func(a, b int) bool { return v[a].term < v[b].term })
		c.vecs[i] = v
	}
	return c
}

func parseDay(s string) int32 {
	if s == "" {
		return noDate
	}
	t, err := time.Parse("2006-01-02", s)
	if err != nil {
		return noDate
	}
	return int32(t.Unix() / 86400)
}

// cosine of two unit vectors sorted by term id.
func cosine(a, b []entry) float64 {
	var dot float32
	i, j := 0, 0
	for i < len(a) && j < len(b) {
		switch {
		case a[i].term < b[j].term:
			i++
		case a[i].term > b[j].term:
			j++
		default:
			dot += a[i].w * b[j].w
			i++
			j++
		}
	}
	return float64(dot)
}

// timeFactor scales text similarity by how far apart two articles were
// published: 1 within FullWeightDays, a Gaussian decay after, 0 past
// MaxDays. When either date is unknown, the pair has lost one of its two
// kinds of evidence and gets UndatedFactor.
func timeFactor(a, b int32, p Params) float64 {
	if a == noDate || b == noDate {
		return p.UndatedFactor
	}
	d := a - b
	if d < 0 {
		d = -d
	}
	if int(d) <= p.FullWeightDays {
		return 1
	}
	if int(d) > p.MaxDays {
		return 0
	}
	x := float64(int(d)-p.FullWeightDays) / p.DecayDays
	return math.Exp(-x * x / 2)
}
