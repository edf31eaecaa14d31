package signature

// termEntry accumulates one term of the article being signed. Entries are
// kept in order of first occurrence, which breaks ties between equal
// weights; the term's text is recovered from its token only if it is kept.
type termEntry struct {
	h       uint64
	weight  int32
	capital int32 // occurrences capitalised mid-sentence
	title   int32 // the part of weight that comes from the title
	tok     int32 // a token of the term (for a pair, its second word); in the title's tokens if fromTitle
	flags   uint8
	slot    uint32
}

const (
	termFromTitle uint8 = 1 << iota // seen in the title only
	termPair                        // a two-word name: tok-1 and tok
)

// termTable is an open-addressing hash table of termEntry keyed by word
// hash. Keys sit in their own array, so a probe reads one cache line; the
// table is cleared in O(used) between articles.
type termTable struct {
	keys []uint64 // 0 = empty; a hash of 0 is stored as 1 here (entries keep the true hash)
	idx  []int32  // index into ents of the key in the same slot
	mask uint64
	ents []termEntry
}

func newTermTable(size int) termTable {
	return termTable{keys: make([]uint64, size), idx: make([]int32, size), mask: uint64(size - 1)}
}

func (t *termTable) reset() {
	for _, e := range t.ents {
		t.keys[e.slot] = 0
	}
	t.ents = t.ents[:0]
}

func (t *termTable) add(h uint64) *termEntry {
	if 2*(len(t.ents)+1) > len(t.keys) {
		t.grow()
	}
	k := max(h, 1)
	for i := k & t.mask; ; i = (i + 1) & t.mask {
		switch t.keys[i] {
		case k:
			return &t.ents[t.idx[i]]
		case 0:
			t.keys[i] = k
			t.idx[i] = int32(len(t.ents))
			t.ents = append(t.ents, termEntry{h: h, slot: uint32(i)})
			return &t.ents[len(t.ents)-1]
		}
	}
}

func (t *termTable) grow() {
	ents := t.ents
	*t = newTermTable(2 * len(t.keys))
	for _, e := range ents {
		ne := t.add(e.h)
		slot := ne.slot
		*ne = e
		ne.slot = slot
	}
}
