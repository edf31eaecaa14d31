package report

import (
	"cmp"
	"errors"
	"fmt"
	"io"
	"slices"
)

// Story status against the previous report.
const (
	StatusNew        = "new"        // no story of the previous report continues in it
	StatusContinuing = "continuing" // it carries the id of a story of the previous report
)

// Previous is what a run needs of the previous report: when it was made,
// and which articles each story had. Passages and titles are not read.
type Previous struct {
	GeneratedAt string
	Compared    string              // the previous report's own Previous field: its predecessor's generated_at
	Stories     map[string][]string // story id → article keys
}

// ReadPrevious reads the previous report's story membership. It refuses
// another schema (a v1 report has no stable ids to continue) and anything
// that is not one report.
func ReadPrevious(r io.Reader) (*Previous, error) {
	var raw struct {
		Schema      string `json:"schema"`
		GeneratedAt string `json:"generated_at"`
		Previous    string `json:"previous"`
		Stories     []struct {
			ID       string `json:"id"`
			Articles []struct {
				Key string `json:"key"`
			} `json:"articles"`
		} `json:"stories"`
	}
	if err := decodeOne(r, &raw, &raw.Schema); err != nil {
		return nil, err
	}
	p := &Previous{GeneratedAt: raw.GeneratedAt, Compared: raw.Previous, Stories: make(map[string][]string, len(raw.Stories))}
	for _, s := range raw.Stories {
		if s.ID == "" {
			return nil, errors.New("report: a story without an id")
		}
		if _, dup := p.Stories[s.ID]; dup {
			return nil, fmt.Errorf("report: story id %q twice", s.ID)
		}
		keys := make([]string, len(s.Articles))
		for i, a := range s.Articles {
			keys[i] = a.Key
		}
		p.Stories[s.ID] = keys
	}
	return p, nil
}

// Track marks each story of r as new or continuing against prev (nil: no
// previous report, every story is new) and lists its new articles: those in
// no story of prev. Stories keep their ids across reports:
//
//   - a story continues the previous story it shares the most articles
//     with, and takes its id; the pairs (story, previous story) are matched
//     greedily, most shared articles first, ties by previous id then by the
//     story's own id, so each previous id goes to one story at most;
//   - a previous story whose id no story took merged into the story holding
//     most of its articles (ties by id): it is listed in that story's
//     MergedFrom;
//   - a story that took no id but holds articles of a previous story split
//     off it (SplitFrom, the previous story it shares most with) and is new;
//   - a new story keeps the id it was built with unless that id is already
//     taken (by a continuing story, or by a story of prev), in which case it
//     is named after its next article (Story.Articles order) whose name is free.
//
// Stories are then ordered as before (the order is not Track's business).
func Track(r *Report, prev *Previous) {
	owner := map[string]string{} // article key → previous story id
	if prev != nil {
		r.Previous = prev.GeneratedAt
		for id, keys := range prev.Stories {
			for _, k := range keys {
				owner[k] = id
			}
		}
	}
	type link struct {
		story  int
		prevID string
		shared int
	}
	var links []link
	overlap := make([]map[string]int, len(r.Stories))
	for i := range r.Stories {
		s := &r.Stories[i]
		s.NewArticles = []string{}
		s.MergedFrom, s.SplitFrom = nil, ""
		ov := map[string]int{}
		for _, a := range s.Articles {
			if id, ok := owner[a.Key]; ok {
				ov[id]++
			} else {
				s.NewArticles = append(s.NewArticles, a.Key)
			}
		}
		overlap[i] = ov
		for id, n := range ov {
			links = append(links, link{i, id, n})
		}
	}
	slices.SortFunc(links, func(a, b link) int {
		return cmp.Or(b.shared-a.shared, cmp.Compare(a.prevID, b.prevID), cmp.Compare(r.Stories[a.story].ID, r.Stories[b.story].ID))
	})
	carried := map[string]int{} // previous id → story that took it
	took := make([]string, len(r.Stories))
	for _, l := range links {
		if _, done := carried[l.prevID]; done || took[l.story] != "" {
			continue
		}
		carried[l.prevID] = l.story
		took[l.story] = l.prevID
	}

	// Where did each untaken previous story go? To the story holding most
	// of its articles (links are sorted, so the first one seen wins).
	mergedInto := map[string]int{}
	for _, l := range links {
		if _, ok := carried[l.prevID]; ok {
			continue
		}
		if _, ok := mergedInto[l.prevID]; !ok {
			mergedInto[l.prevID] = l.story
			r.Stories[l.story].MergedFrom = append(r.Stories[l.story].MergedFrom, l.prevID)
		}
	}

	used := map[string]bool{}
	if prev != nil {
		for id := range prev.Stories {
			used[id] = true
		}
	}
	for i := range r.Stories {
		if took[i] != "" {
			used[took[i]] = true
		}
	}
	for i := range r.Stories {
		s := &r.Stories[i]
		slices.Sort(s.MergedFrom)
		if took[i] != "" {
			s.ID, s.Status = took[i], StatusContinuing
			continue
		}
		s.Status = StatusNew
		best := ""
		for id, n := range overlap[i] {
			if best == "" || n > overlap[i][best] || (n == overlap[i][best] && id < best) {
				best = id
			}
		}
		s.SplitFrom = best
		s.ID = freeID(s, used)
		used[s.ID] = true
	}
}

// freeID keeps a new story's id unless it is taken; then it names the
// story after the first of its articles, in order, whose name is free.
func freeID(s *Story, used map[string]bool) string {
	if !used[s.ID] {
		return s.ID
	}
	for _, a := range s.Articles {
		if id := StoryID(a.Key); !used[id] {
			return id
		}
	}
	for n := 2; ; n++ { // every article's name is taken: number the first
		if id := fmt.Sprintf("%s-%d", s.ID, n); !used[id] {
			return id
		}
	}
}
