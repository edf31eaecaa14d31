package signature

import (
	"math/rand/v2"
	"reflect"
	"strings"
	"testing"
	"unicode/utf8"
)

func TestTokenizeWords(t *testing.T) {
	tests := []struct {
		name, in string
		want     []string
	}{
		{"lower-casing", "Hello, WORLD and Mixed-Case", []string{"hello", "world", "and", "mixed", "case"}},
		{"possessive", "Israel's army and Moscow's profile", []string{"israel", "army", "and", "moscow", "profile"}},
		// The tokenizer promises to cut a possessive 's: the owner is the
		// same term as the bare word whatever letter it ends with.
		{"possessive after a vowel", "Russia's Gaza's Obama's", []string{"russia", "gaza", "obama"}},
		{"possessive after s", "Hamas's Texas's", []string{"hamas", "texas"}},
		// "it's" loses its 's like a possessive: "it", a stop word either way.
		{"contraction", "they don't and it's", []string{"they", "dont", "and", "it"}},
		{"apostrophe between letters", "rock'n'roll", []string{"rocknroll"}},
		{"apostrophes as quotes", "'hello' world'", []string{"hello", "world"}},
		{"hyphens split", "well-known F-16 Israel-Hamas", []string{"well", "known", "f", "16", "israel", "hamas"}},
		{"dashes and slashes", "war—peace 2023/24 and/or", []string{"war", "peace", "2023", "24", "and", "or"}},
		{"digits", "3.5 million 2023 covid19", []string{"3", "5", "million", "2023", "covid19"}},
		{"latin accents", "Über café Ölçü São", []string{"über", "café", "ölçü", "são"}},
		{"combining mark inside word", "nai\u0308ve", []string{"nai\u0308ve"}},
		{"cyrillic", "Москва и Путин", []string{"москва", "и", "путин"}},
		{"greek", "ΑΘΗΝΑ", []string{"αθηνα"}},
		{"symbols are no words", "€ 5 % & @ # ✓", []string{"5"}},
		{"empty", "", nil},
		{"only punctuation", `... "" !? -- `, nil},
		{"invalid utf-8 skipped", "ab\xffcd", []string{"ab", "cd"}},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			got := tokenize(tt.in)
			if len(got) != len(tt.want) {
				t.Fatalf("tokenize(%q) = %q, want %q", tt.in, origs(got), tt.want)
			}
			for i, w := range tt.want {
				if got[i].h != hashWord(w) {
					t.Errorf("tokenize(%q): word %d %q does not normalise to %q", tt.in, i, got[i].orig, w)
				}
			}
		})
	}
}

// TestNormalisationConsistent: however a word is written (case, inner
// apostrophes, length beyond any fast path, non-ASCII letters), it hashes
// like its lower-case form without apostrophes.
func TestNormalisationConsistent(t *testing.T) {
	rng := rand.New(rand.NewPCG(5, 6))
	letters := []rune("abcdefghijklmnopqrtuvwxyzABCDEFGHIJKLMNOPQRTUVWXYZéÉüÜжЖ0123456789")
	for k := 0; k < 2000; k++ {
		n := 1 + rng.IntN(100)
		var b strings.Builder
		for i := 0; i < n; i++ {
			b.WriteRune(letters[rng.IntN(len(letters))])
			if i < n-1 && rng.IntN(10) == 0 {
				b.WriteByte('\'')
			}
		}
		w := b.String()
		plain := strings.ToLower(strings.ReplaceAll(w, "'", ""))
		got, want := tokenize(w), tokenize(plain)
		if len(got) != 1 || len(want) != 1 {
			t.Fatalf("%q: %d tokens, %q: %d tokens", w, len(got), plain, len(want))
		}
		if got[0].h != want[0].h {
			t.Errorf("%q and %q hash differently", w, plain)
		}
		if got[0].orig != w {
			t.Errorf("token text %q, want %q", got[0].orig, w)
		}
	}
}

func TestStem(t *testing.T) {
	tests := []struct{ in, want string }{
		{"missiles", "missile"},
		{"parties", "party"},
		{"cities", "city"},
		{"votes", "vote"},
		{"talks", "talk"},
		{"ties", "tie"}, // too short for the -ies rule
		{"hamas", "hamas"},
		{"texas", "texas"},
		{"paris", "paris"},
		{"status", "status"},
		{"crisis", "crisis"},
		{"boss", "boss"},
		{"kudos", "kudos"},
		{"bus", "bus"}, // too short
		{"gas", "gas"},
		{"is", "is"},
		{"s", "s"},
		{"war", "war"},
		{"", ""},
	}
	for _, tt := range tests {
		if got := string(stem([]byte(tt.in))); got != tt.want {
			t.Errorf("stem(%q) = %q, want %q", tt.in, got, tt.want)
		}
	}
	// The tokenizer stems: plural and singular are one hash, and the
	// endings the stemmer keeps are kept.
	for _, pair := range [][2]string{{"Missiles", "missile"}, {"parties", "Party"}, {"Israel's", "Israel"}, {"Talks", "talk"}} {
		if hashWord(pair[0]) != hashWord(pair[1]) {
			t.Errorf("%q and %q do not hash alike", pair[0], pair[1])
		}
	}
	for _, pair := range [][2]string{{"Hamas", "hama"}, {"Texas", "texa"}, {"crisis", "crisi"}, {"party", "part"}} {
		if hashWord(pair[0]) == hashWord(pair[1]) {
			t.Errorf("%q and %q hash alike", pair[0], pair[1])
		}
	}
}

func TestTokenizeFlags(t *testing.T) {
	toks := tokenize(`The Kremlin said Putin met officials in 2023. Moscow's 12 "Quoted Words" here, ١٢ covid19.`)
	type want struct {
		word                              string // normalised
		quoted, capital, start, stop, dig bool
	}
	wants := []want{
		{"the", false, true, true, true, false},
		{"kremlin", false, true, false, false, false},
		{"said", false, false, false, true, false},
		{"putin", false, true, false, false, false},
		{"met", false, false, false, false, false},
		{"official", false, false, false, false, false},
		{"in", false, false, false, true, false},
		{"2023", false, false, false, false, true},
		{"moscow", false, true, true, false, false},
		{"12", false, false, false, false, true},
		{"quoted", true, true, false, false, false},
		{"word", true, true, false, false, false},
		{"here", false, false, false, true, false},
		{"١٢", false, false, false, false, true}, // Arabic-Indic digits
		{"covid19", false, false, false, false, false},
	}
	if len(toks) != len(wants) {
		t.Fatalf("got %d tokens %q, want %d", len(toks), origs(toks), len(wants))
	}
	for i, w := range wants {
		g := toks[i]
		if g.h != hashWord(w.word) {
			t.Errorf("token %d %q does not normalise to %q", i, g.orig, w.word)
		}
		got := want{w.word, g.flags&tQuoted != 0, g.flags&tCapital != 0, g.flags&tStart != 0, stopSet.has(g.h), g.flags&tDigit != 0}
		if got != w {
			t.Errorf("token %d %q: got %+v, want %+v", i, g.orig, got, w)
		}
	}
}

func TestTokenizeOriginalSpans(t *testing.T) {
	text := `Israel's "well-known" São Paulo`
	got := []string{}
	for _, tk := range tokenize(text) {
		got = append(got, tk.orig)
	}
	want := []string{"Israel's", "well", "known", "São", "Paulo"}
	if !reflect.DeepEqual(got, want) {
		t.Errorf("original spans %q, want %q", got, want)
	}
}

// TestLongWordsSplit: a word longer than maxWordBytes (garbage input)
// becomes several tokens that cover it exactly, cut between runes, so
// that every token's span fits token.size.
func TestLongWordsSplit(t *testing.T) {
	for _, text := range []string{
		strings.Repeat("a", 3*maxWordBytes) + " b",
		strings.Repeat("é", maxWordBytes) + " b",
	} {
		toks := tokenize(text)
		var got strings.Builder
		for _, tk := range toks {
			if len(tk.orig) > maxWordBytes || !utf8.ValidString(tk.orig) {
				t.Fatalf("token of %d bytes, valid UTF-8 %v", len(tk.orig), utf8.ValidString(tk.orig))
			}
			got.WriteString(tk.orig)
		}
		if want := strings.ReplaceAll(text, " ", ""); got.String() != want {
			t.Errorf("tokens cover %d bytes of a %d-byte text", got.Len(), len(want))
		}
	}
}

func TestTokenizeQuotes(t *testing.T) {
	tests := []struct {
		name, in string
		quoted   string // the words inside quotes as written, space-separated
	}{
		{"toggle", `He said "we will go now" and left.`, "we will go now"},
		{"two quotes", `"Yes," he said, "of course."`, "Yes of course"},
		// A quotation open at a paragraph end goes on if the next paragraph
		// opens with a mark; otherwise its mark was stray, and the words
		// after it are the writer's own.
		{"paragraph reopens", "\"First part\n\n\"second part\" and then narrative", "First part second part"},
		{"a stray mark ends with its paragraph", "He said \"we will go\nnow he left", ""},
		{"a stray mark at the start", "\"Stray. Then a real \"quote\" here.\n\nNext paragraph.", "Stray Then a real"},
		{"unterminated at the end", `He said "all of this`, ""},
		{"no quotes", "Nothing quoted at all.", ""},
		{"apostrophes do not quote", "It's 'not' a quote", ""},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			var q []string
			for _, tk := range tokenize(tt.in) {
				if tk.flags&tQuoted != 0 {
					q = append(q, tk.orig)
				}
			}
			if got := strings.Join(q, " "); got != tt.quoted {
				t.Errorf("quoted words of %q = %q, want %q", tt.in, got, tt.quoted)
			}
		})
	}
}

func TestTokenizeSentences(t *testing.T) {
	tests := []struct {
		name, in string
		want     []string // sentences, words space-separated
	}{
		{"terminators", "One two. Three four! Five six? Seven", []string{"one two", "three four", "five six", "seven"}},
		{"decimal number", "It rose 3.5 percent. Then fell.", []string{"it rose 3 5 percent", "then fell"}},
		{"titles", "Mr. Smith met Dr. Jones and Gen. Lee. They talked.", []string{"mr smith met dr jones and gen lee", "they talked"}},
		{"month abbreviation", "On Jan. 5 the talks began. Nothing more.", []string{"on jan 5 the talks began", "nothing more"}},
		{"dot inside abbreviation", "The U.S.-led force left.", []string{"the u s led force left"}},
		{"U.S. mid-sentence", "The U.S. military said it would respond. Nothing more.", []string{"the u s military said it would respond", "nothing more"}},
		{"initial mid-sentence", "He met John F. Kennedy in Dallas. Nothing more.", []string{"he met john f kennedy in dallas", "nothing more"}},
		{"no space after dot", "He left.Then came back.", []string{"he left then came back"}},
		{"closing quote", `"We will win." He left.`, []string{"we will win", "he left"}},
		{"closing parenthesis", "(He left.) Then came back.", []string{"he left", "then came back"}},
		{"ellipsis", "Wait... what now", []string{"wait", "what now"}},
		{"newline", "Line one\nLine two", []string{"line one", "line two"}},
		{"paragraphs", "Para one\n\nPara two.", []string{"para one", "para two"}},
		{"end of text closes", "no end", []string{"no end"}},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			got := sentences(tokenize(tt.in))
			if !reflect.DeepEqual(got, tt.want) {
				t.Errorf("sentences of %q:\n got %q\nwant %q", tt.in, got, tt.want)
			}
		})
	}
	// tStart marks the first word of every sentence and nothing else.
	toks := tokenize("Alpha beta. Gamma delta! Epsilon")
	for i, tk := range toks {
		start := i == 0 || toks[i-1].sentEnd
		if (tk.flags&tStart != 0) != start {
			t.Errorf("token %q: start flag %v, want %v", tk.orig, tk.flags&tStart != 0, start)
		}
	}
}

func TestStopwords(t *testing.T) {
	for _, w := range stopwords {
		if !stopSet.has(hashWord(w)) {
			t.Errorf("stop word %q not in the set", w)
		}
	}
	for _, w := range []string{"putin", "missile", "gaza", "election", "court"} {
		if stopSet.has(hashWord(w)) {
			t.Errorf("%q is taken for a stop word", w)
		}
	}
	// Stop words are found in any case and inflection the tokenizer folds.
	for _, w := range []string{"The", "SAID", "Says", "Reports"} {
		if tk := tokenize(w); len(tk) != 1 || !stopSet.has(tk[0].h) {
			t.Errorf("%q not flagged as a stop word: %+v", w, tk)
		}
	}
}

func TestTokenizerReuse(t *testing.T) {
	var z tokenizer
	z.run("Some long text with many words in it that fills the buffers.")
	z.reset()
	z.run("Two words")
	if len(z.toks) != 2 || z.toks[0].h != hashWord("two") || z.toks[1].h != hashWord("word") || z.toks[1].flags&tSentEnd == 0 {
		t.Errorf("after reset: %+v", z.toks)
	}
}

// TestStartFollowsSentenceEnd: a word opens a sentence exactly when the word
// before it ends one. Term events rely on it to find names without looking
// back at the previous token's sentence end.
func TestStartFollowsSentenceEnd(t *testing.T) {
	rng := rand.New(rand.NewPCG(9, 10))
	pieces := strings.Fields(`a I the The U.S. Mr. Dr. J. No. 3.5 end. Why? ok! "quoted words" (paren) .) ?" !"
		café Москва don't Obama's , ; : … Vladimir Putin`)
	seps := []string{" ", " ", "\n", "\n\n", "  ", ", ", ". ", ""}
	for k := 0; k < 5000; k++ {
		var b strings.Builder
		for w := rng.IntN(40); w >= 0; w-- {
			b.WriteString(pieces[rng.IntN(len(pieces))])
			b.WriteString(seps[rng.IntN(len(seps))])
		}
		toks := tokenize(b.String())
		for i := 1; i < len(toks); i++ {
			if start, ended := toks[i].flags&tStart != 0, toks[i-1].sentEnd; start != ended {
				t.Fatalf("%q: token %d %q has start %v after a sentence end %v", b.String(), i, toks[i].orig, start, ended)
			}
		}
	}
}
