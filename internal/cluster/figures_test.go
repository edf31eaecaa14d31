package cluster

import (
	"fmt"
	"slices"
	"strings"
	"testing"

	"github.com/newsdedup/newsdedup/internal/article"
	"github.com/newsdedup/newsdedup/internal/signature"
)

// sign computes the signature of an undated article.
func sign(key, title, text string) *signature.Signature {
	a := article.Article{Key: key, Title: title, Text: text}
	return signature.Compute(&a)
}

// storyOf maps each key to the index of its story.
func storyOf(sigs []*signature.Signature, r Result) map[string]int {
	m := map[string]int{}
	for i, g := range storyGroups(r) {
		for _, k := range g {
			m[sigs[k].Key] = i
		}
	}
	return m
}

// lookAlikeEvents is two undated events of one kind, three reports each,
// written at random from one vocabulary (no two share a sentence, so none
// is a copy): only the figures of each event, given as figures[event] (a
// bulletin number, the users affected, a cost), differ between them.
func lookAlikeEvents(figures [2][3]string) []*signature.Signature {
	topic := strings.Fields("microsoft emergency security patch internet explorer flaw attackers malicious code " +
		"website researchers hackers exploiting vulnerability customers update windows browser schedule")
	rng := newRand(13)
	var sigs []*signature.Signature
	for e, f := range figures {
		for i := range 3 {
			var b strings.Builder
			for range 4 {
				w := func() string { return topic[rng.IntN(len(topic))] }
				fmt.Fprintf(&b, "The %s and the %s %s its %s with %s %s. ", w(), w(), w(), w(), w(), w())
			}
			fmt.Fprintf(&b, "Bulletin %s covers %s million users, report %d says. ", f[0], f[1], i)
			fmt.Fprintf(&b, "Fixing it cost $%s million in %d weeks.", f[2], i+2)
			sigs = append(sigs, sign(fmt.Sprintf("e%d-%d", e, i), "Microsoft bulletin "+f[0]+" patches the browser", b.String()))
		}
	}
	return sigs
}

// TestRunFiguresSeparateLookAlikes: two events of one kind that only their
// figures tell apart (ECB+'s two Internet Explorer patches) stay two
// stories; the same reports with the same figures are one.
func TestRunFiguresSeparateLookAlikes(t *testing.T) {
	for _, tt := range []struct {
		name    string
		figures [2][3]string
		one     bool
	}{
		{"different figures", [2][3]string{{"078", "140", "360"}, {"033", "260", "875"}}, false},
		{"same figures", [2][3]string{{"078", "140", "360"}, {"078", "140", "360"}}, true},
	} {
		t.Run(tt.name, func(t *testing.T) {
			sigs := lookAlikeEvents(tt.figures)
			r := Run(sigs, DefaultParams())
			checkResult(t, len(sigs), r)
			got := byKeys(sigs, storyGroups(r))
			slices.Sort(got)
			want := []string{"e0-0 e0-1 e0-2", "e1-0 e1-1 e1-2"}
			if tt.one {
				want = []string{"e0-0 e0-1 e0-2 e1-0 e1-1 e1-2"}
			}
			if !slices.Equal(got, want) {
				t.Errorf("stories %q, want %q", got, want)
			}
		})
	}
}

// TestRunSharedYearJoinsNothing: two reports of different events in one
// town, among unrelated news, stay apart though both name the same year in
// their title and text; the same reports sharing a figure that is no year
// (a toll, an amount) would be one story, so it is the year that does not
// count.
func TestRunSharedYearJoinsNothing(t *testing.T) {
	topics := [][]string{
		strings.Fields("council budget vote taxes schools deficit mayor spending"),
		strings.Fields("flood river levee rain evacuation rescue damage storm"),
		strings.Fields("election ballot candidate campaign turnout poll senate debate"),
		strings.Fields("match striker goal league coach season transfer stadium"),
		strings.Fields("vaccine clinic doctors patients hospital virus nurses trial"),
	}
	for _, tt := range []struct {
		number string
		one    bool
	}{{"2012", false}, {"4120", true}} {
		t.Run(tt.number, func(t *testing.T) {
			rng := newRand(29)
			var sigs []*signature.Signature
			for e, words := range topics {
				var b strings.Builder
				for range 2 {
					w := func() string { return words[rng.IntN(len(words))] }
					fmt.Fprintf(&b, "The %s and the %s %s its %s with %s %s. ", w(), w(), w(), w(), w(), w())
				}
				title := fmt.Sprintf("Dunmore %s and %s", words[0], words[1])
				if e < 2 { // the two reports that name the number
					fmt.Fprintf(&b, "Since %s the %s has been %s, the %s says.", tt.number, words[2], words[3], words[4])
					title = fmt.Sprintf("Dunmore %s %s %s", words[0], tt.number, words[1])
				}
				sigs = append(sigs, sign(fmt.Sprintf("e%d", e), title, b.String()))
			}
			r := Run(sigs, DefaultParams())
			checkResult(t, len(sigs), r)
			if got := storyOf(sigs, r); (got["e0"] == got["e1"]) != tt.one {
				c := buildCorpus(sigs, DefaultParams())
				t.Errorf("e0 and e1 in one story: %v, want %v (cosine %.3f)", !tt.one, tt.one, cosine(c.vecs[0], c.vecs[1]))
			}
		})
	}
}
