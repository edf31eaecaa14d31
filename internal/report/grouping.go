package report

import (
	"sort"
	"strings"
)

// Grouping renders how the report groups articles: one line per story, its
// member keys and its copy groups, everything sorted. Two reports group the
// same articles the same way exactly when their Groupings are equal, whatever
// their IDs, titles, order or generation time.
func (r *Report) Grouping() string {
	lines := make([]string, 0, len(r.Stories))
	for _, s := range r.Stories {
		keys := make([]string, 0, len(s.Articles))
		for _, a := range s.Articles {
			keys = append(keys, a.Key)
		}
		sort.Strings(keys)
		groups := make([]string, 0, len(s.Copies))
		for _, c := range s.Copies {
			c = append([]string(nil), c...)
			sort.Strings(c)
			groups = append(groups, "{"+strings.Join(c, ", ")+"}")
		}
		sort.Strings(groups)
		lines = append(lines, "story ["+strings.Join(keys, ", ")+"] copies "+strings.Join(groups, " "))
	}
	sort.Strings(lines)
	return strings.Join(lines, "\n")
}
