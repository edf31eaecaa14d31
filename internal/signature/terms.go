package signature

// termEntry accumulates one term of the article being signed.
type termEntry struct {
	h       uint64
	weight  int
	capital int
	first   int      // token index of the first occurrence: ties go to the earlier word
	span    [2]int32 // where its (first) word lies in the text
	span2   [2]int32 // a name pair's second word
	src     uint8    // 0 body, 1 title
	pair    bool
	title   int // the part of weight that comes from the title
	slot    uint64
}

// termTable is an open-addressing hash table of termEntry keyed by word
// hash, cleared in O(used) between articles.
type termTable struct {
	slots []int32 // index+1 into entries, 0 = empty
	mask  uint64
	ents  []termEntry
}

func newTermTable(size int) termTable {
	return termTable{slots: make([]int32, size), mask: uint64(size - 1)}
}

func (t *termTable) reset() {
	for _, e := range t.ents {
		t.slots[e.slot] = 0
	}
	t.ents = t.ents[:0]
}

func (t *termTable) add(h uint64, pos int) *termEntry {
	if 2*(len(t.ents)+1) > len(t.slots) {
		t.grow()
	}
	for i := h & t.mask; ; i = (i + 1) & t.mask {
		s := t.slots[i]
		if s == 0 {
			t.ents = append(t.ents, termEntry{h: h, first: pos, slot: i})
			t.slots[i] = int32(len(t.ents))
			return &t.ents[len(t.ents)-1]
		}
		if t.ents[s-1].h == h {
			return &t.ents[s-1]
		}
	}
}

func (t *termTable) grow() {
	ents := t.ents
	*t = newTermTable(2 * len(t.slots))
	for _, e := range ents {
		ne := t.add(e.h, e.first)
		slot := ne.slot
		*ne = e
		ne.slot = slot
	}
}
