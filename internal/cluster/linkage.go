package cluster

import (
	"math"
	"sort"
)

// averageLinkage merges atoms (copy groups, which must stay together) into
// stories: repeatedly join the two clusters with the highest mean pair
// similarity, counting missing pairs as zero, while that mean reaches
// StoryThreshold. Unlike single linkage, a chain of pairwise-similar
// articles cannot drag two different stories together: every article of one
// must, on average, resemble every article of the other. Two groups that
// each hold several atoms must also be nearly as alike as each is inside
// (CoherenceRatio): average linkage alone joins two events of one kind
// once their shared topic words lift the mean over the threshold. That
// condition is for what text must decide alone: when the known dates of
// both groups fall within one news cycle, time already vouches for them.
// days (nil: none known) gives each article's day or noDate.
func averageLinkage(n int, atoms [][]int, edges []edge, days []int32, p Params) [][]int {
	atomOf := make([]int32, n)
	for k, a := range atoms {
		for _, i := range a {
			atomOf[i] = int32(k)
		}
	}
	cl := make([]cluster, len(atoms))
	for k, a := range atoms {
		cl[k] = cluster{size: len(a), alive: true, members: a, first: math.MaxInt32, last: noDate} // nbr made on first edge: most articles have none
		for _, i := range a {
			if days != nil && days[i] != noDate {
				cl[k].first, cl[k].last = min(cl[k].first, days[i]), max(cl[k].last, days[i])
			}
		}
	}
	// Each map is made at its final size (edges to other atoms bound it):
	// growing millions of maps step by step costs more than counting.
	deg := make([]int32, len(atoms))
	for _, e := range edges {
		if a, b := atomOf[e.i], atomOf[e.j]; a != b && e.sim > 0 {
			deg[a]++
			deg[b]++
		}
	}
	for _, e := range edges {
		a, b := atomOf[e.i], atomOf[e.j]
		if a == b || e.sim <= 0 {
			// Inside an atom: copies, whose likeness says nothing of how
			// coherent the reporting is, so it is not inner similarity.
			continue
		}
		for _, x := range [2]int32{a, b} {
			if cl[x].nbr == nil {
				cl[x].nbr = make(map[int32]float64, deg[x])
			}
		}
		cl[a].nbr[b] += float64(e.sim)
		cl[b].nbr[a] += float64(e.sim)
	}
	// Only merges that reach the threshold enter the heap: the loop stops at
	// the first that does not, so the others would never be looked at, and
	// most edges are weaker than a story. A small heap pops faster.
	var h mergeHeap
	for a := range cl {
		for b, s := range cl[a].nbr {
			if m := newMerge(cl, int32(a), b, s); int32(a) < b && m.avg >= p.StoryThreshold {
				h = append(h, m)
			}
		}
	}
	h.init()
	// live[c] is cluster c's size while it is alive, 0 after: a dense
	// copy of what tells a stale heap entry, checked on every pop (the
	// clusters themselves are too large to stay in cache).
	live := make([]int32, len(cl))
	for c := range cl {
		live[c] = int32(cl[c].size)
	}
	for len(h) > 0 {
		m := h.pop()
		if m.avg < p.StoryThreshold {
			break
		}
		if live[m.a] != m.sizeA || live[m.b] != m.sizeB {
			continue // stale: one side merged since
		}
		a, b := &cl[m.a], &cl[m.b]
		if a.pairs > 0 && b.pairs > 0 && !oneCycle(a, b, p) && m.avg < p.CoherenceRatio*math.Sqrt(a.in/float64(a.pairs)*b.in/float64(b.pairs)) {
			continue // two tight groups only loosely alike: two events of one kind
		}
		// Keep the cluster with more neighbours, so the merge touches fewer maps.
		keep, gone := m.a, m.b
		if len(cl[gone].nbr) > len(cl[keep].nbr) {
			keep, gone = gone, keep
		}
		k, g := &cl[keep], &cl[gone]
		k.in += g.in + k.nbr[gone]
		k.first, k.last = min(k.first, g.first), max(k.last, g.last)
		k.pairs += g.pairs + k.size*g.size
		delete(k.nbr, gone)
		for c, s := range g.nbr {
			if c == keep {
				continue
			}
			k.nbr[c] += s
			oc := &cl[c]
			oc.nbr[keep] += s
			delete(oc.nbr, gone)
		}
		k.size += g.size
		live[keep], live[gone] = int32(k.size), 0
		k.members = append(k.members, g.members...)
		g.alive, g.nbr, g.members = false, nil, nil
		for c, s := range k.nbr {
			a, b := keep, c
			if a > b {
				a, b = b, a
			}
			if m := newMerge(cl, a, b, s); m.avg >= p.StoryThreshold {
				h.push(m)
			}
		}
	}
	var out [][]int
	for _, c := range cl {
		if c.alive {
			m := append([]int(nil), c.members...)
			sort.Ints(m)
			out = append(out, m)
		}
	}
	sort.Slice(out, func(x, y int) bool { return out[x][0] < out[y][0] })
	return out
}

type cluster struct {
	size        int
	alive       bool
	members     []int
	nbr         map[int32]float64 // neighbour cluster → sum of pair similarities
	in          float64           // sum of the similarities between its atoms
	pairs       int               // pairs of its articles in different atoms
	first, last int32             // range of its dated members' days; last is noDate when none is
}

// merge is a heap entry, 24 bytes: the heap holds millions of them.
type merge struct {
	avg          float64
	a, b         int32
	sizeA, sizeB int32
}

func newMerge(cl []cluster, a, b int32, sum float64) merge {
	return merge{avg: sum / float64(cl[a].size*cl[b].size), a: a, b: b, sizeA: int32(cl[a].size), sizeB: int32(cl[b].size)}
}

// mergeHeap pops the highest average first; ties go to the lowest ids so the
// result does not depend on map iteration order. It is a binary heap on a
// typed slice: container/heap would box every entry in an interface.
type mergeHeap []merge

func (h mergeHeap) less(i, j int) bool {
	if h[i].avg != h[j].avg {
		return h[i].avg > h[j].avg
	}
	if h[i].a != h[j].a {
		return h[i].a < h[j].a
	}
	return h[i].b < h[j].b
}

func (h mergeHeap) init() {
	for i := len(h)/2 - 1; i >= 0; i-- {
		h.down(i)
	}
}

func (h *mergeHeap) push(m merge) {
	*h = append(*h, m)
	for i := len(*h) - 1; i > 0; {
		p := (i - 1) / 2
		if !h.less(i, p) {
			break
		}
		(*h)[i], (*h)[p] = (*h)[p], (*h)[i]
		i = p
	}
}

func (h *mergeHeap) pop() merge {
	old := *h
	top := old[0]
	last := len(old) - 1
	old[0] = old[last]
	*h = old[:last]
	h.down(0)
	return top
}

func (h mergeHeap) down(i int) {
	for {
		l := 2*i + 1
		if l >= len(h) {
			return
		}
		c := l
		if r := l + 1; r < len(h) && h.less(r, l) {
			c = r
		}
		if !h.less(c, i) {
			return
		}
		h[i], h[c] = h[c], h[i]
		i = c
	}
}

// oneCycle: a and b each have dated articles, and all of them fall within
// FullWeightDays, one news cycle (missing dates are unknown, not evidence).
func oneCycle(a, b *cluster, p Params) bool {
	return a.last != noDate && b.last != noDate && int(max(a.last, b.last)-min(a.first, b.first)) <= p.FullWeightDays
}
