package synth

// Truth is the ground truth of a generated corpus, by article Key: its story
// label and, for a copy, the Key of the article it copies.
type Truth struct {
	Story  map[string]string
	CopyOf map[string]string
}

// NewTruth returns an empty Truth.
func NewTruth() *Truth { return &Truth{Story: map[string]string{}, CopyOf: map[string]string{}} }

// Add records one article.
func (t *Truth) Add(key, story, copyOf string) {
	t.Story[key] = story
	if copyOf != "" {
		t.CopyOf[key] = copyOf
	}
}

// CopyGroups returns the partition of articles into copy groups (an
// original with all its copies, and copies of copies), labelled by the
// original's Key; articles with no copy relation are singletons.
func (t *Truth) CopyGroups() map[string]string {
	out := make(map[string]string, len(t.Story))
	var root func(k string) string
	root = func(k string) string {
		if o, ok := t.CopyOf[k]; ok && o != k {
			return root(o)
		}
		return k
	}
	for k := range t.Story {
		out[k] = root(k)
	}
	return out
}
