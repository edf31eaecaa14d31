package cluster

import (
	"container/heap"
	"sort"
)

// averageLinkage merges atoms (copy groups, which must stay together) into
// stories: repeatedly join the two clusters with the highest mean pair
// similarity, counting missing pairs as zero, while that mean reaches
// StoryThreshold. Unlike single linkage, a chain of pairwise-similar
// articles cannot drag two different stories together: every article of one
// must, on average, resemble every article of the other.
func averageLinkage(n int, atoms [][]int, edges []edge, p Params) [][]int {
	atomOf := make([]int32, n)
	for k, a := range atoms {
		for _, i := range a {
			atomOf[i] = int32(k)
		}
	}
	cl := make([]cluster, len(atoms))
	for k, a := range atoms {
		cl[k] = cluster{size: len(a), alive: true, members: a} // nbr made on first edge: most articles have none
	}
	for _, e := range edges {
		a, b := atomOf[e.i], atomOf[e.j]
		if a == b || e.sim <= 0 {
			continue
		}
		for _, x := range [2]int32{a, b} {
			if cl[x].nbr == nil {
				cl[x].nbr = map[int32]float64{}
			}
		}
		cl[a].nbr[b] += float64(e.sim)
		cl[b].nbr[a] += float64(e.sim)
	}
	h := &mergeHeap{}
	for a := range cl {
		for b, s := range cl[a].nbr {
			if int32(a) < b {
				h.push(&cl, int32(a), b, s)
			}
		}
	}
	heap.Init(h)
	for h.Len() > 0 {
		m := heap.Pop(h).(merge)
		if m.avg < p.StoryThreshold {
			break
		}
		a, b := &cl[m.a], &cl[m.b]
		if !a.alive || !b.alive || a.size != m.sizeA || b.size != m.sizeB {
			continue // stale: one side merged since
		}
		// Keep the cluster with more neighbours, so the merge touches fewer maps.
		keep, gone := m.a, m.b
		if len(cl[gone].nbr) > len(cl[keep].nbr) {
			keep, gone = gone, keep
		}
		k, g := &cl[keep], &cl[gone]
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
		k.members = append(k.members, g.members...)
		g.alive, g.nbr, g.members = false, nil, nil
		for c, s := range k.nbr {
			a, b := keep, c
			if a > b {
				a, b = b, a
			}
			heap.Push(h, newMerge(cl, a, b, s))
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
	size    int
	alive   bool
	members []int
	nbr     map[int32]float64 // neighbour cluster → sum of pair similarities
}

type merge struct {
	avg          float64
	a, b         int32
	sizeA, sizeB int
}

func newMerge(cl []cluster, a, b int32, sum float64) merge {
	return merge{avg: sum / float64(cl[a].size*cl[b].size), a: a, b: b, sizeA: cl[a].size, sizeB: cl[b].size}
}

// mergeHeap pops the highest average first; ties go to the lowest ids so the
// result does not depend on map iteration order.
type mergeHeap []merge

func (h mergeHeap) Len() int { return len(h) }
func (h mergeHeap) Less(i, j int) bool {
	if h[i].avg != h[j].avg {
		return h[i].avg > h[j].avg
	}
	if h[i].a != h[j].a {
		return h[i].a < h[j].a
	}
	return h[i].b < h[j].b
}
func (h mergeHeap) Swap(i, j int) { h[i], h[j] = h[j], h[i] }
func (h *mergeHeap) Push(x any)   { *h = append(*h, x.(merge)) }
func (h *mergeHeap) Pop() any {
	old := *h
	x := old[len(old)-1]
	*h = old[:len(old)-1]
	return x
}

func (h *mergeHeap) push(cl *[]cluster, a, b int32, sum float64) {
	*h = append(*h, newMerge(*cl, a, b, sum))
}
