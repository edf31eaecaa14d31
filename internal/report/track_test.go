package report

import (
	"reflect"
	"strings"
	"testing"
)

// stories builds a report whose stories hold the given keys, each story
// named after its first key as Build would.
func stories(groups ...string) *Report {
	r := &Report{Schema: Schema, GeneratedAt: "2024-01-03T03:00:00Z"}
	for _, g := range groups {
		var s Story
		for _, k := range strings.Fields(g) {
			s.Articles = append(s.Articles, Article{Key: k})
		}
		s.ID = StoryID(s.Articles[0].Key)
		r.Stories = append(r.Stories, s)
	}
	return r
}

func previous(groups map[string]string) *Previous {
	p := &Previous{GeneratedAt: "2024-01-02T03:00:00Z", Stories: map[string][]string{}}
	for id, g := range groups {
		p.Stories[id] = strings.Fields(g)
	}
	return p
}

type tracked struct {
	ID, Status, Split string
	New, Merged       []string
}

func summary(r *Report) []tracked {
	var out []tracked
	for _, s := range r.Stories {
		out = append(out, tracked{s.ID, s.Status, s.SplitFrom, s.NewArticles, s.MergedFrom})
	}
	return out
}

func TestTrack(t *testing.T) {
	tests := []struct {
		name string
		prev map[string]string // nil: no previous report
		cur  []string
		want []tracked
	}{
		{"no previous report: all new", nil, []string{"a b", "c"}, []tracked{
			{StoryID("a"), StatusNew, "", []string{"a", "b"}, nil},
			{StoryID("c"), StatusNew, "", []string{"c"}, nil}}},
		{"a later article joins", map[string]string{"s-A": "a b"}, []string{"a b c"}, []tracked{
			{"s-A", StatusContinuing, "", []string{"c"}, nil}}},
		{"an earlier article joins: the id stays", map[string]string{"s-A": "a b"}, []string{"0 a b"}, []tracked{
			{"s-A", StatusContinuing, "", []string{"0"}, nil}}},
		{"two stories merge: the one with more articles survives", map[string]string{"s-A": "a", "s-B": "b c"}, []string{"a b c d"}, []tracked{
			{"s-B", StatusContinuing, "", []string{"d"}, []string{"s-A"}}}},
		{"merge of equals: ties by id", map[string]string{"s-B": "b", "s-A": "a"}, []string{"b a"}, []tracked{
			{"s-A", StatusContinuing, "", []string{}, []string{"s-B"}}}},
		{"a split: the larger part keeps the id, the other is new", map[string]string{"s-A": "a b c"}, []string{"a", "b c e"}, []tracked{
			{StoryID("a"), StatusNew, "s-A", []string{}, nil},
			{"s-A", StatusContinuing, "", []string{"e"}, nil}}},
		{"a new story whose own name a previous story used is renamed", map[string]string{StoryID("x"): "x y"}, []string{"x z", "y w"}, []tracked{
			{StoryID("z"), StatusNew, StoryID("x"), []string{"z"}, nil},
			{StoryID("x"), StatusContinuing, "", []string{"w"}, nil}}},
		{"a previous story gone from the window is not mentioned", map[string]string{"s-A": "a", "s-G": "g"}, []string{"a n"}, []tracked{
			{"s-A", StatusContinuing, "", []string{"n"}, nil}}},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			r := stories(tc.cur...)
			var p *Previous
			if tc.prev != nil {
				p = previous(tc.prev)
			}
			Track(r, p)
			if got := summary(r); !reflect.DeepEqual(got, tc.want) {
				t.Errorf("got  %+v\nwant %+v", got, tc.want)
			}
			if tc.prev != nil && r.Previous != p.GeneratedAt {
				t.Errorf("Previous = %q", r.Previous)
			}
			ids := map[string]bool{}
			for _, s := range r.Stories {
				if ids[s.ID] {
					t.Errorf("id %s twice", s.ID)
				}
				ids[s.ID] = true
			}
		})
	}
}

func TestReadPrevious(t *testing.T) {
	var b strings.Builder
	r := stories("a b", "c")
	Track(r, nil)
	if err := WriteJSON(&b, r); err != nil {
		t.Fatal(err)
	}
	p, err := ReadPrevious(strings.NewReader(b.String()))
	if err != nil {
		t.Fatal(err)
	}
	want := map[string][]string{StoryID("a"): {"a", "b"}, StoryID("c"): {"c"}}
	if !reflect.DeepEqual(p.Stories, want) || p.GeneratedAt != r.GeneratedAt {
		t.Errorf("got %+v", p)
	}
	for name, in := range map[string]string{
		"v1":         `{"schema":"newsdedup/report/v1","stories":[]}`,
		"empty":      ``,
		"truncated":  b.String()[:b.Len()/2],
		"trailing":   b.String() + "{}",
		"not object": `[1]`,
		"no id":      `{"schema":"newsdedup/report/v2","stories":[{"articles":[]}]}`,
		"same id":    `{"schema":"newsdedup/report/v2","stories":[{"id":"s-1"},{"id":"s-1"}]}`,
	} {
		if _, err := ReadPrevious(strings.NewReader(in)); err == nil {
			t.Errorf("%s: no error", name)
		}
	}
}
