package signature

import (
	"fmt"
	"slices"
	"strings"
	"testing"
)

// unitsOf is the content units Compute keeps for these words, as a set.
func unitsOf(words ...string) []uint16 {
	var z tokenizer
	z.run(strings.Join(words, " "))
	var out []uint16
	for _, t := range z.toks {
		out = append(out, uint16(t.h>>48))
	}
	slices.Sort(out)
	return slices.Compact(out)
}

func TestContentUnits(t *testing.T) {
	tests := []struct {
		name string
		text string
		want [][]uint16 // per fingerprinted sentence
	}{
		{"content words and numbers, stop words dropped",
			"The minister said the budget of 2024 would rise by 5 billion dollars.",
			[][]uint16{unitsOf("minister", "budget", "2024", "rise", "5", "billion", "dollars")}},
		{"stemmed and distinct",
			"Missiles hit the city and a missile hit the port of the city again.",
			[][]uint16{unitsOf("missiles", "hit", "city", "port")}},
		{"quoted words left out",
			`The senator warned on Monday that "taxes will rise sharply" in the coming decade.`,
			[][]uint16{unitsOf("senator", "warned", "coming", "decade")}},
		{"sentences in order, each its own",
			"Rescuers pulled eleven survivors from the rubble overnight. Engineers inspected the damaged bridge near Pisa.",
			[][]uint16{unitsOf("rescuers", "pulled", "eleven", "survivors", "rubble", "overnight"), unitsOf("engineers", "inspected", "damaged", "bridge", "pisa")}},
		{"short sentences have no fingerprint and no content",
			"He declined. Rescuers pulled eleven survivors from the rubble overnight.",
			[][]uint16{unitsOf("rescuers", "pulled", "eleven", "survivors", "rubble", "overnight")}},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			s := Compute(art("k", "", tt.text))
			got := s.ContentSentences()
			if fmt.Sprint(got) != fmt.Sprint(tt.want) {
				t.Errorf("content %v, want %v", got, tt.want)
			}
			if len(got) != len(s.Sentences) {
				t.Errorf("%d content sentences for %d fingerprints", len(got), len(s.Sentences))
			}
		})
	}
}

// A sentence with more content words than MaxContentUnits keeps the
// smallest unit hashes (a bottom-k sample), and an article with more
// sentences than MaxContentSentences keeps its first ones.
func TestContentCaps(t *testing.T) {
	var words []string
	for i := 0; i < 3*MaxContentUnits; i++ {
		words = append(words, fmt.Sprintf("word%c%c", 'a'+i%26, 'a'+i/26))
	}
	all := unitsOf(words...)
	var text strings.Builder
	for i := 0; i < MaxContentSentences+10; i++ {
		text.WriteString(strings.Join(words, " ") + ". ")
	}
	s := Compute(art("k", "", text.String()))
	got := s.ContentSentences()
	if len(got) != MaxContentSentences || len(s.Sentences) != MaxContentSentences+10 {
		t.Fatalf("%d content sentences, %d fingerprints", len(got), len(s.Sentences))
	}
	if want := all[:MaxContentUnits]; fmt.Sprint(got[0]) != fmt.Sprint(want) {
		t.Errorf("units %v, want the smallest %v", got[0], want)
	}
	if n := len(s.Content); n != MaxContentSentences*(1+MaxContentUnits) {
		t.Errorf("%d content values", n)
	}
}

// sort16 and sort8 sort every input: by the 0-1 principle, a comparator network that
// sorts all 2^16 inputs of zeros and ones sorts every input.
func TestSort16(t *testing.T) {
	for x := 0; x < 1<<16; x++ {
		var v sortBuf
		for i := range v {
			v[i] = uint16(x >> i & 1)
		}
		sort16(&v)
		if !slices.IsSorted(v[:]) {
			t.Fatalf("sort16 of %016b: %v", x, v)
		}
		if x < 1<<8 {
			var w [8]uint16
			for i := range w {
				w[i] = uint16(x >> i & 1)
			}
			sort8(&w)
			if !slices.IsSorted(w[:]) {
				t.Fatalf("sort8 of %08b: %v", x, w)
			}
		}
	}
}
