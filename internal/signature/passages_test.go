package signature

import (
	"reflect"
	"strings"
	"testing"
	"unicode"
	"unicode/utf8"
)

// located maps passages back to their text: it collapses white space (the
// passages join sentences with one space where the text may have a
// paragraph break) and records, for every byte of the collapsed text, its
// offset in the original and whether it lay inside quotation marks there
// (an independent reimplementation of the tokenizer's rule: '"' toggles,
// a line break closes).
type located struct {
	text   string
	orig   []int
	quoted []bool
}

func locate(text string) located {
	var l located
	var b strings.Builder
	in := false
	space := true
	for i := 0; i < len(text); i++ {
		c := text[i]
		switch c {
		case '"':
			in = !in
		case '\n':
			in = false
		}
		if c == ' ' || c == '\n' || c == '\t' {
			if space {
				continue
			}
			c, space = ' ', true
		} else {
			space = false
		}
		b.WriteByte(c)
		l.orig = append(l.orig, i)
		l.quoted = append(l.quoted, in && c != '"')
	}
	l.text = b.String()
	return l
}

// ownWords counts the words of l.text[from:to] outside and inside quotes.
func (l located) ownWords(from, to int) (own, quoted int) {
	inWord := false
	for i, r := range l.text[from:to] {
		w := unicode.IsLetter(r) || unicode.IsDigit(r)
		if w && !inWord {
			if l.quoted[from+i] {
				quoted++
			} else {
				own++
			}
		}
		inWord = w || (inWord && r == '\'')
	}
	return own, quoted
}

// checkPassages asserts that the passages of a against b lie in a, in a's
// order, without overlap, and that every one is mostly the article's own
// text, not quotation.
func checkPassages(t *testing.T, a string, passages []string) {
	t.Helper()
	l := locate(a)
	last := -1
	for k, p := range passages {
		if !utf8.ValidString(p) || p != strings.TrimSpace(p) || p == "" {
			t.Errorf("passage %d %q: empty, untrimmed or not UTF-8", k, p)
		}
		body := strings.TrimSuffix(p, " …")
		if len(p) > MaxPassageBytes+len(" …") {
			t.Errorf("passage %d is %d bytes, more than MaxPassageBytes=%d", k, len(p), MaxPassageBytes)
		}
		at := strings.Index(l.text[last+1:], body)
		if at < 0 {
			t.Errorf("passage %d %q is not in the text after the previous passage", k, body)
			continue
		}
		from := last + 1 + at
		to := from + len(body)
		own, quoted := l.ownWords(from, to)
		if own < minSentenceWords || own < quoted {
			t.Errorf("passage %d %q: %d own words, %d quoted: quotation is no copy evidence", k, body, own, quoted)
		}
		last = to - 1
	}
}

func TestSharedPassagesSeeds(t *testing.T) {
	s000, s001, s002, s003, s004 := seed(t, "000"), seed(t, "001"), seed(t, "002"), seed(t, "003"), seed(t, "004")

	for _, pair := range [][2]string{{s001.Text, s003.Text}, {s003.Text, s001.Text}} {
		ps := SharedPassages(pair[0], pair[1], 10)
		if len(ps) < 3 {
			t.Errorf("001/003 share %d passages, want at least 3: %q", len(ps), ps)
		}
		checkPassages(t, pair[0], ps)
		// The passages are the shared sentences SharedSentences counts.
		words := 0
		for _, p := range ps {
			words += len(strings.Fields(p))
		}
		if words < 60 {
			t.Errorf("passages hold %d words, expected several sentences", words)
		}
	}
	if got := SharedPassages(s001.Text, s003.Text, 1); len(got) != 1 {
		t.Errorf("max 1: %d passages", len(got))
	}
	if got := SharedPassages(s001.Text, s003.Text, 0); len(got) != 0 {
		t.Errorf("max 0: %d passages", len(got))
	}
	// Independent reports share no passage.
	for _, pair := range [][2]string{{s000.Text, s002.Text}, {s002.Text, s000.Text}, {s002.Text, s004.Text}, {s002.Text, s003.Text}} {
		if ps := SharedPassages(pair[0], pair[1], 10); len(ps) != 0 {
			t.Errorf("independent reports share passages %q", ps)
		}
	}
	// A text shares all its own sentences with itself.
	ps := SharedPassages(s001.Text, s001.Text, 100)
	checkPassages(t, s001.Text, ps)
	if len(ps) == 0 {
		t.Error("a text shares no passage with itself")
	}
}

func TestSharedPassagesSynthetic(t *testing.T) {
	v := newVocab(30, 20000)
	s := randomSentences(v, 8)
	edit := func(sent string) string { // change one word in the middle
		w := strings.Fields(sent)
		w[len(w)/2] = "zzyzx"
		return strings.Join(w, " ")
	}
	long := v.sentence(25)
	quote := `"` + strings.TrimSuffix(v.sentence(20), ".") + `," he said.`
	mixed := strings.Join(v.seq(12), " ") + ` "` + strings.Join(v.seq(4), " ") + `" ` + strings.Join(v.seq(3), " ") + "."
	tests := []struct {
		name string
		a, b string
		max  int
		want []string
	}{
		{
			name: "runs in a's order",
			a:    s[0] + " " + s[1] + "\n\n" + s[2] + " " + s[3],
			b:    s[3] + " " + s[5] + " " + s[0] + "\n\n" + s[1],
			max:  10,
			want: []string{s[0] + " " + s[1], s[3]},
		},
		{
			name: "lightly edited sentence",
			a:    s[0] + " " + s[1] + " " + long,
			b:    edit(long) + " " + s[6],
			max:  10,
			want: []string{long},
		},
		{
			name: "max",
			a:    s[0] + " " + s[4] + " " + s[1] + " " + s[5] + " " + s[2],
			b:    s[0] + " " + s[1] + " " + s[2],
			max:  2,
			want: []string{s[0], s[1]},
		},
		{
			name: "quoted speech is no evidence",
			a:    s[0] + " " + quote + " " + s[1],
			b:    quote + " " + s[2],
			max:  10,
			want: nil,
		},
		{
			name: "quote inside an own sentence comes with it",
			a:    s[0] + " " + mixed,
			b:    mixed + " " + s[2],
			max:  10,
			want: []string{mixed},
		},
		{
			name: "nothing shared",
			a:    s[0] + " " + s[1],
			b:    s[2] + " " + s[3],
			max:  10,
			want: nil,
		},
		{"empty", "", s[0], 10, nil},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			got := SharedPassages(tt.a, tt.b, tt.max)
			if len(got) == 0 && len(tt.want) == 0 {
				return
			}
			if !reflect.DeepEqual(got, tt.want) {
				t.Errorf("SharedPassages:\n got %q\nwant %q", got, tt.want)
			}
		})
	}
}

// TestSharedPassagesAreVerbatim: a passage is shown as one piece of the
// text, so sentences that are not adjacent in the text (a short or quoted
// sentence between them was not fingerprinted) must not be glued together.
func TestSharedPassagesAreVerbatim(t *testing.T) {
	v := newVocab(32, 20000)
	s1, s2 := v.sentence(20), v.sentence(20)
	for _, between := range []string{"He declined.", `"We will not comment on this at all," a spokesman said.`} {
		a := s1 + " " + between + " " + s2
		b := s2 + " " + s1
		ps := SharedPassages(a, b, 10)
		if len(ps) == 0 {
			t.Fatalf("no passages")
		}
		checkPassages(t, a, ps)
	}
}

func TestSharedPassagesTruncated(t *testing.T) {
	v := newVocab(31, 20000)
	var b strings.Builder
	for k := 0; k < 12; k++ {
		b.WriteString(v.sentence(20) + " Ünïcödé wörds hère and thère évérywhere. ")
	}
	text := b.String()
	ps := SharedPassages(text, text, 10)
	if len(ps) != 1 {
		t.Fatalf("%d passages, want one long run", len(ps))
	}
	p := ps[0]
	if !strings.HasSuffix(p, " …") || len(p) > MaxPassageBytes+len(" …") || !utf8.ValidString(p) {
		t.Errorf("long passage not truncated at %d bytes with an ellipsis: %d bytes %q", MaxPassageBytes, len(p), p)
	}
	if !strings.HasPrefix(text, strings.TrimSuffix(p, " …")) {
		t.Error("truncated passage is not a prefix of the run")
	}
}

func TestTruncate(t *testing.T) {
	tests := []struct {
		s    string
		n    int
		want string
	}{
		{"alpha beta gamma delta", 12, "alpha beta …"},
		{"alpha beta gamma delta", 16, "alpha beta …"}, // the space at 16 is not looked at
		{"alpha beta gamma delta", 17, "alpha beta gamma …"},
		{"alphabetagammadelta", 10, "alphabetag …"},                   // no space: hard cut
		{"ab cdefghijklmnopqrstuvwxyz", 20, "ab cdefghijklmnopqrs …"}, // space too early: hard cut
		{"ééééééééééé", 7, "ééé …"},                                   // never inside a UTF-8 sequence
	}
	for _, tt := range tests {
		got := truncate(tt.s, tt.n)
		if got != tt.want {
			t.Errorf("truncate(%q, %d) = %q, want %q", tt.s, tt.n, got, tt.want)
		}
		if !utf8.ValidString(got) || len(strings.TrimSuffix(got, " …")) > tt.n {
			t.Errorf("truncate(%q, %d) = %q: invalid or too long", tt.s, tt.n, got)
		}
	}
}
