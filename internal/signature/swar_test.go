package signature

import (
	"math/rand/v2"
	"slices"
	"strings"
	"testing"
)

// The word-at-a-time path must give exactly the tokens of the byte path.
func TestShortWordMatchesBytePath(t *testing.T) {
	rng := rand.New(rand.NewPCG(7, 11))
	pieces := []string{"a", "I", "the", "U.S.", "Obama's", "don't", "missiles", "parties", "Hamas", "boss",
		"gas", "2023", "9/11", "A1", "x9", "café", "naïve", "Müller", "日本", "e-mail", "rock'n'roll",
		"\"quoted", "words\"", "end.", "Why?", "ok!", "--", "(paren)", "ies", "sies", "abcdefg", "abcdefgh",
		"abcdefghi", "ZZZZZZZ", "x's", "it's", "activities", "categories", "presidents", "Internationals",
		"abcdefghijklmno", "abcdefghijklmnop", "abcdefghijklmnopq", "addresses", "bodies", "12345678", "123456789s", "\n", "  ", ",", "tabs\tand", "\u00a0"}
	tokens := func(text string, swar bool) []token {
		defer func(old bool) { useFast = old }(useFast)
		useFast = swar
		var z tokenizer
		z.run(text)
		return slices.Clone(z.toks)
	}
	for k := 0; k < 20000; k++ {
		var b strings.Builder
		for w := 0; w < 1+rng.IntN(12); w++ {
			b.WriteString(pieces[rng.IntN(len(pieces))])
			if rng.IntN(3) > 0 {
				b.WriteByte(' ')
			}
		}
		text := b.String()
		fast, slow := tokens(text, true), tokens(text, false)
		if !slices.Equal(fast, slow) {
			t.Fatalf("%q:\n fast %+v\n slow %+v", text, fast, slow)
		}
	}
}
