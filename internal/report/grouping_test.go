package report

import "testing"

func TestGrouping(t *testing.T) {
	a := &Report{Stories: []Story{
		{ID: "s-1", Articles: []Article{{Key: "b"}, {Key: "a"}, {Key: "c"}}, Copies: [][]string{{"c", "a"}}},
		{ID: "s-2", Articles: []Article{{Key: "d"}}},
	}}
	// Same grouping, other IDs and order.
	b := &Report{Stories: []Story{
		{ID: "x", Articles: []Article{{Key: "d"}}},
		{ID: "y", Articles: []Article{{Key: "c"}, {Key: "a"}, {Key: "b"}}, Copies: [][]string{{"a", "c"}}},
	}}
	// Other grouping: the copy group differs.
	c := &Report{Stories: []Story{
		{Articles: []Article{{Key: "a"}, {Key: "b"}, {Key: "c"}}, Copies: [][]string{{"a", "b"}}},
		{Articles: []Article{{Key: "d"}}},
	}}
	want := "story [a, b, c] copies {a, c}\nstory [d] copies "
	if got := a.Grouping(); got != want {
		t.Errorf("Grouping = %q, want %q", got, want)
	}
	if a.Grouping() != b.Grouping() {
		t.Error("same grouping, different text")
	}
	if a.Grouping() == c.Grouping() {
		t.Error("different copy groups, same text")
	}
}
