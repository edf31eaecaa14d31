package cluster

import (
	"fmt"
	"testing"

	"github.com/newsdedup/newsdedup/internal/signature"
)

// sent is a sentence of content units: the given ones, ascending.
func sent(units ...uint16) []uint16 { return units }

// fact k is a sentence with four units of its own, 10k+1 … 10k+4.
func fact(k uint16) []uint16 { return sent(10*k+1, 10*k+2, 10*k+3, 10*k+4) }

func TestAlignSentences(t *testing.T) {
	p := DefaultParams() // 3 shared units, 0.4 of the smaller sentence
	tests := []struct {
		name string
		a, b [][]uint16
		want string
	}{
		{"empty", nil, [][]uint16{fact(1)}, "[]"},
		{"same sentences in order", [][]uint16{fact(1), fact(2), fact(3)}, [][]uint16{fact(1), fact(2), fact(3)}, "[[0 0] [1 1] [2 2]]"},
		{"reversed: only one in order", [][]uint16{fact(1), fact(2), fact(3)}, [][]uint16{fact(3), fact(2), fact(1)}, "[[0 2]]"},
		{"dropped and added sentences", [][]uint16{fact(1), fact(2), fact(3), fact(4)}, [][]uint16{fact(9), fact(1), fact(3), fact(4), fact(8)}, "[[0 1] [2 2] [3 3]]"},
		{"reworded: three of four units kept", [][]uint16{fact(1), fact(2)}, [][]uint16{sent(11, 12, 13, 99), sent(21, 22, 24, 98)}, "[[0 0] [1 1]]"},
		{"two shared units are not enough", [][]uint16{fact(1)}, [][]uint16{sent(11, 12, 97, 98)}, "[]"},
		{"three shared units of a long sentence are not enough",
			[][]uint16{sent(1, 2, 3, 4, 5, 6, 7, 8)}, [][]uint16{sent(1, 2, 3, 91, 92, 93, 94, 95)}, "[]"},
		// A sentence merged from two keeps most units of each: the merged
		// one matches both, but aligns with the one it matches best.
		{"merged sentence aligns once", [][]uint16{fact(1), sent(21, 22, 23)}, [][]uint16{sent(11, 12, 13, 14, 21, 22, 23)}, "[[0 0]]"},
		// Independent reports: a sentence naming the event's people matches
		// several sentences of the other; only mutual best matches anchor.
		{"not the best match of either side",
			[][]uint16{sent(1, 2, 3, 50, 51), sent(1, 2, 3, 4, 60)},
			[][]uint16{sent(1, 2, 3, 4, 70), sent(1, 2, 3, 80, 81, 82)},
			"[[1 0]]"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			got := alignSentences(tt.a, tt.b, p)
			if s := fmt.Sprint(got); s != tt.want && !(s == "[]" && tt.want == "[]") {
				t.Errorf("alignment %s, want %s", s, tt.want)
			}
			// The alignment is the same read from either side.
			back := alignSentences(tt.b, tt.a, p)
			if len(back) != len(got) {
				t.Errorf("from b's side %d aligned, from a's %d", len(back), len(got))
			}
		})
	}
}

// rewriteSigs builds signatures with the given words and content sentences.
func rewriteSigs(words []int, content ...[][]uint16) []*signature.Signature {
	sigs := make([]*signature.Signature, len(content))
	for i, c := range content {
		s := &signature.Signature{Key: fmt.Sprintf("k%d", i), Words: words[i]}
		for _, units := range c {
			s.Content = append(append(s.Content, uint16(len(units))), units...)
		}
		sigs[i] = s
	}
	return sigs
}

func facts(ks ...uint16) [][]uint16 {
	var out [][]uint16
	for _, k := range ks {
		out = append(out, fact(k))
	}
	return out
}

func TestRewritePairs(t *testing.T) {
	p := DefaultParams() // 5 sentences and half of the shorter article's
	day := func(d int32) int32 { return 20000 + d }
	all := func(n int) [][]int { // one story
		m := make([]int, n)
		for i := range m {
			m[i] = i
		}
		return [][]int{m}
	}
	singles := func(n int) [][]int {
		g := make([][]int, n)
		for i := range g {
			g[i] = []int{i}
		}
		return g
	}
	edges := func(cos float32, pairs ...[2]int32) []edge {
		var out []edge
		for _, pr := range pairs {
			out = append(out, edge{i: pr[0], j: pr[1], sim: cos, cos: cos})
		}
		return out
	}
	tests := []struct {
		name    string
		sigs    []*signature.Signature
		days    []int32
		edges   []edge
		groups  [][]int
		stories [][]int
		want    string // original>rewrite dated aligned coverage, per pair
	}{
		{"later article retells the earlier",
			rewriteSigs([]int{300, 400}, facts(1, 2, 3, 4, 5, 6), facts(9, 1, 2, 3, 5, 6, 8, 7)),
			[]int32{day(1), day(0)}, edges(0.6, [2]int32{0, 1}), singles(2), all(2),
			"[1>0 true 5 0.83]"},
		{"same day: the longer is the original, ties by index",
			rewriteSigs([]int{300, 300}, facts(1, 2, 3, 4, 5), facts(1, 2, 3, 4, 5, 6)),
			[]int32{day(0), day(0)}, edges(0.6, [2]int32{0, 1}), singles(2), all(2),
			"[0>1 false 5 0.83]"},
		{"undated: the longer is the original",
			rewriteSigs([]int{200, 300}, facts(1, 2, 3, 4, 5), facts(1, 2, 3, 4, 5, 6)),
			[]int32{noDate, day(0)}, edges(0.6, [2]int32{0, 1}), singles(2), all(2),
			"[1>0 false 5 1.00]"},
		{"four sentences in order are not enough",
			rewriteSigs([]int{300, 300}, facts(1, 2, 3, 4), facts(1, 2, 3, 4)),
			[]int32{day(0), day(1)}, edges(0.6, [2]int32{0, 1}), singles(2), all(2),
			"[]"},
		{"copies are not rewrites",
			rewriteSigs([]int{300, 300}, facts(1, 2, 3, 4), facts(1, 2, 3, 4)),
			[]int32{day(0), day(0)}, edges(0.9, [2]int32{0, 1}), [][]int{{0, 1}}, all(2),
			"[]"},
		{"a text in two copies is retold once, against the copy it aligns with best",
			rewriteSigs([]int{300, 300, 250}, facts(1, 2, 3, 4, 5, 6), facts(1, 2, 3, 4, 5, 7), facts(1, 2, 3, 4, 5, 6)),
			[]int32{day(0), day(0), day(1)}, edges(0.6, [2]int32{0, 1}, [2]int32{0, 2}, [2]int32{1, 2}), [][]int{{0, 1}, {2}}, all(3),
			"[0>2 true 6 1.00]"},
		{"too few sentences in order",
			rewriteSigs([]int{300, 300}, facts(1, 2, 3, 4, 5, 6), facts(6, 5, 4, 3, 2, 1)),
			[]int32{day(0), day(1)}, edges(0.6, [2]int32{0, 1}), singles(2), all(2),
			"[]"},
		{"under half the shorter article",
			rewriteSigs([]int{300, 300}, facts(1, 2, 3, 4, 5, 6, 7, 8, 9, 10, 11, 12), facts(1, 2, 3, 4, 5, 21, 22, 23, 24, 25, 26)),
			[]int32{day(0), day(1)}, edges(0.6, [2]int32{0, 1}), singles(2), all(2),
			"[]"},
		{"other stories are not compared",
			rewriteSigs([]int{300, 300}, facts(1, 2, 3, 4), facts(1, 2, 3, 4)),
			[]int32{day(0), day(1)}, edges(0.6, [2]int32{0, 1}), singles(2), singles(2),
			"[]"},
		{"pairs below the copy candidate similarity are not compared",
			rewriteSigs([]int{300, 300}, facts(1, 2, 3, 4), facts(1, 2, 3, 4)),
			[]int32{day(0), day(1)}, edges(0.2, [2]int32{0, 1}), singles(2), all(2),
			"[]"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			var got []string
			for _, rp := range rewritePairs(tt.sigs, tt.days, tt.edges, tt.groups, tt.stories, p) {
				got = append(got, fmt.Sprintf("%d>%d %v %d %.2f", rp.Original, rp.Rewrite, rp.Dated, rp.Aligned, rp.Coverage))
				if len(rp.Sentences) != rp.Aligned {
					t.Errorf("%d sentence pairs for %d aligned", len(rp.Sentences), rp.Aligned)
				}
				// Positions are (original, rewrite): the units match.
				o, r := tt.sigs[rp.Original].ContentSentences(), tt.sigs[rp.Rewrite].ContentSentences()
				for _, s := range rp.Sentences {
					if unitsShared(o[s[0]], r[s[1]]) < p.RewriteMinUnits {
						t.Errorf("aligned %v do not match: %v, %v", s, o[s[0]], r[s[1]])
					}
				}
			}
			if fmt.Sprint(got) != tt.want {
				t.Errorf("rewrites %v, want %s", got, tt.want)
			}
		})
	}
}

// unitsShared counts the units two ascending sets have in common.
func unitsShared(a, b []uint16) int {
	n, i, j := 0, 0, 0
	for i < len(a) && j < len(b) {
		switch {
		case a[i] < b[j]:
			i++
		case a[i] > b[j]:
			j++
		default:
			n++
			i++
			j++
		}
	}
	return n
}
