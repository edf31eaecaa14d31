package signature

import (
	"strings"
	"sync"
	"unicode/utf8"

	"github.com/newsdedup/newsdedup/internal/article"
)

var pool = sync.Pool{New: func() any { return NewComputer() }}

// Compute returns the signature of a, using a pooled Computer: safe for
// concurrent use.
func Compute(a *article.Article) *Signature {
	c := pool.Get().(*Computer)
	defer pool.Put(c)
	return c.Compute(a)
}

// MaxPassageBytes bounds one passage shown as evidence.
const MaxPassageBytes = 600

// SharedPassages returns, in a's order, the runs of a's own sentences
// (outside quotes) that reappear exactly or lightly edited in b: the
// evidence a person reads to trust a copy verdict. At most max passages.
func SharedPassages(a, b string, max int) []string {
	c := pool.Get().(*Computer)
	defer pool.Put(c)
	bs := c.sentenceSpans(b)
	fps := make([]uint64, len(bs))
	for i, s := range bs {
		fps[i] = s.fp
	}
	as := c.sentenceSpans(a)
	var out []string
	var cur strings.Builder
	last := -2
	flush := func() {
		if cur.Len() > 0 && len(out) < max {
			p := cur.String()
			if len(p) > MaxPassageBytes {
				p = truncate(p, MaxPassageBytes)
			}
			out = append(out, p)
		}
		cur.Reset()
	}
	for _, s := range as {
		matched := false
		for _, f := range fps {
			if SentenceLanesMatching(s.fp, f) >= SentenceMatchLanes {
				matched = true
				break
			}
		}
		if !matched {
			continue
		}
		if s.ord != last+1 {
			flush() // not next to the previous shared sentence in the text
		}
		if cur.Len() > 0 {
			cur.WriteByte(' ')
		}
		cur.WriteString(strings.TrimSpace(a[s.from:s.to]))
		last = s.ord
	}
	flush()
	return out
}

// ContentSentenceTexts returns the text of each sentence that Compute
// keeps content units for (Signature.Content), in order, each cut to
// MaxPassageBytes: positions in a RewritePair's alignment index it.
func ContentSentenceTexts(text string) []string {
	c := pool.Get().(*Computer)
	defer pool.Put(c)
	spans := c.sentenceSpans(text)
	out := make([]string, 0, min(len(spans), MaxContentSentences))
	for _, s := range spans[:min(len(spans), MaxContentSentences)] {
		p := strings.TrimSpace(text[s.from:s.to])
		if len(p) > MaxPassageBytes {
			p = truncate(p, MaxPassageBytes)
		}
		out = append(out, p)
	}
	return out
}

type sentenceSpan struct {
	from, to int
	ord      int // position among all the text's sentences, fingerprinted or not
	fp       uint64
}

// sentenceSpans tokenises text and returns its fingerprinted sentences with
// their byte ranges, the closing punctuation included.
func (c *Computer) sentenceSpans(text string) []sentenceSpan {
	c.tokenize("", text)
	toks := c.body.toks
	var out []sentenceSpan
	eachSentence(toks, c.unitBuf(), func(begin, end, ord int, fp uint64, _ []uint16) {
		to := int(toks[end-1].atEnd())
		for to < len(text) {
			r, size := utf8.DecodeRuneInString(text[to:])
			if !closesSentence(r) {
				break
			}
			to += size
		}
		out = append(out, sentenceSpan{from: int(toks[begin].at), to: to, ord: ord, fp: fp})
	})
	return out
}

// truncate cuts s to at most n bytes at a space, adding an ellipsis.
func truncate(s string, n int) string {
	cut := strings.LastIndexByte(s[:n], ' ')
	if cut < n/2 {
		cut = n
		for cut > 0 && s[cut]&0xc0 == 0x80 { // not inside a UTF-8 sequence
			cut--
		}
	}
	return s[:cut] + " …"
}

// closesSentence tells whether r may follow a sentence's last word as part
// of it: ending punctuation, closing quotation marks and brackets.
func closesSentence(r rune) bool {
	k := quoteKind(r)
	return sentenceEnd(r) != 0 || k == quoteToggle || k == quoteClose || r == '\'' || r == '’' || r == ')'
}
