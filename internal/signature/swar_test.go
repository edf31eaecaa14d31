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
		"abcdefghijklmno", "abcdefghijklmnop", "abcdefghijklmnopq", "addresses", "bodies", "12345678", "123456789s", "\n", "  ", ",", "tabs\tand", "\u00a0",
		// Bytes outside ASCII right before a letter or digit: "»9", "ü2", "º1", an invalid byte.
		"»9", "ü2", "º1a", "\xea9", "\xdbx", "ÿ7",
		// Dots after abbreviations, initials and digits end no sentence.
		"Mr.", "Gen.", "F.", "3.", "no.", "Sept.",
		// Gaps of several marks between words.
		"said.\"", "\n\n", "it?\"", "wow!)", ".\n", ",\"", "\"(", "...", "?!"}
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

// TestAlnumExact: every byte is marked exactly when it is an ASCII letter
// or digit, whatever byte stands before it; markWords relies on every bit,
// not only on the run from a word start.
func TestAlnumExact(t *testing.T) {
	isAlnum := func(c byte) bool { return c < 128 && asciiClass[c] != cOther }
	for pos := 1; pos < 8; pos++ {
		for prev := 0; prev < 256; prev++ {
			for cur := 0; cur < 256; cur++ {
				x := uint64(0x4141414141414141) // 'A's around the pair
				x &^= 0xffff << (8 * (pos - 1))
				x |= uint64(prev)<<(8*(pos-1)) | uint64(cur)<<(8*pos)
				got := alnum(x)>>(8*pos+7)&1 == 1
				if got != isAlnum(byte(cur)) {
					t.Fatalf("byte %#x after %#x at %d: marked %v", cur, prev, pos, got)
				}
			}
		}
	}
}
