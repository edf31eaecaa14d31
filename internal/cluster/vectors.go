package cluster

import (
	"math"
	"time"

	"github.com/newsdedup/newsdedup/internal/signature"
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

// buildCorpus is the corpus of sigs, in order.
func buildCorpus(sigs []*signature.Signature, p Params) *corpus {
	b := NewBuilder(p)
	for _, s := range sigs {
		b.Add(s)
	}
	return b.corpus(identity(len(sigs)))
}

func identity(n int) []int32 {
	ix := make([]int32, n)
	for i := range ix {
		ix[i] = int32(i)
	}
	return ix
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
// published: 1 within FullWeightDays, a Gaussian decay after down to
// FarFactor, which holds up to FarDays; 0 past FarDays. A missing date
// tells nothing either way: the pair compares on text alone.
func timeFactor(a, b int32, p Params) float64 {
	if a == noDate || b == noDate {
		return 1
	}
	d := a - b
	if d < 0 {
		d = -d
	}
	switch {
	case int(d) <= p.FullWeightDays:
		return 1
	case int(d) > p.FarDays:
		return 0
	}
	x := float64(int(d)-p.FullWeightDays) / p.DecayDays
	return max(math.Exp(-x*x/2), p.FarFactor)
}
