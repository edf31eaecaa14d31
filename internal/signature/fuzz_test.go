package signature

import (
	"bytes"
	"errors"
	"os"
	"path/filepath"
	"slices"
	"strings"
	"testing"
	"unicode/utf8"

	"github.com/newsdedup/newsdedup/internal/article"
)

// FuzzUnmarshalBinary: decoding never panics, and whatever decodes is the
// canonical encoding of what it decodes to.
func FuzzUnmarshalBinary(f *testing.F) {
	full, err := fullSignature().MarshalBinary()
	if err != nil {
		f.Fatal(err)
	}
	f.Add(full)
	empty, _ := Compute(art("", "", "")).MarshalBinary()
	f.Add(empty)
	paths, _ := filepath.Glob(filepath.Join(seedDir, "*.txt"))
	for _, p := range paths {
		data, err := os.ReadFile(p)
		if err != nil {
			f.Fatal(err)
		}
		a, err := article.Parse(filepath.Base(p), data, article.Limits{})
		if err != nil {
			f.Fatal(err)
		}
		b, _ := Compute(&a).MarshalBinary()
		f.Add(b)
	}
	// Near misses: a name flag of 2, an over-long varint.
	nameByte := bytes.Clone(full)
	nameByte[len(nameByte)-contentBytes(fullSignature())-1] = 2
	f.Add(append(bytes.Clone(full[:len(full)-contentBytes(fullSignature())]), 2, 2, 9, 0, 5, 0, 0)) // units out of order
	f.Add(append(bytes.Clone(full[:len(full)-contentBytes(fullSignature())]), 1, 13))               // too many units
	f.Add(nameByte)
	f.Add(append([]byte{full[0], full[1], full[2], full[3], full[4] | 0x80, 0}, full[5:]...))
	f.Add([]byte("NS"))
	f.Add([]byte{'N', 'S', Version + 1, 0})
	f.Fuzz(func(t *testing.T, data []byte) {
		var s Signature
		if err := s.UnmarshalBinary(data); err != nil {
			if len(data) >= 4 && data[0] == 'N' && data[1] == 'S' && data[2] != Version && data[2] != 1 && !errors.Is(err, ErrVersion) {
				t.Fatalf("version %d not reported as ErrVersion: %v", data[2], err)
			}
			return
		}
		if len(s.MinHash) != K || len(s.Sentences) > MaxSentences || len(s.Terms) > MaxTerms || checkContent(s.Content) != nil {
			t.Fatalf("decoded out of bounds: %d minhash, %d sentences, %d terms, content %v", len(s.MinHash), len(s.Sentences), len(s.Terms), s.Content)
		}
		for _, str := range []string{s.Key, s.Title, s.Source, s.URL, s.Date} {
			if !utf8.ValidString(str) {
				t.Fatalf("decoded invalid UTF-8 %q", str)
			}
		}
		again, err := s.MarshalBinary()
		if err != nil {
			t.Fatalf("decoded signature does not encode: %v", err)
		}
		if !bytes.Equal(again, data) {
			t.Fatalf("re-encoding differs:\n in % x\nout % x", data, again)
		}
	})
}

// FuzzCompute: any text and title give a well-formed signature, and the
// passage finder survives them too.
func FuzzCompute(f *testing.F) {
	for _, p := range []string{"000", "001"} {
		a := seed(f, p)
		f.Add(a.Text, a.Title)
	}
	f.Add("", "")
	f.Add(`"unclosed quote and U.S. Mr. 3.5 don't Israel's`, "T")
	f.Add("a\n\"b\"\n\n'c'd' é\u0301 Москва 2023-12-07", "\xff\xfe")
	f.Add(strings.Repeat("word ", 300), strings.Repeat("Title ", 50))
	f.Fuzz(func(t *testing.T, text, title string) {
		var fast, slow tokenizer
		fast.run(text)
		slow.runBytes(text)
		if !slices.Equal(fast.toks, slow.toks) {
			t.Fatalf("the fast path's tokens differ from the byte path's:\n fast %+v\n slow %+v", fast.toks, slow.toks)
		}
		s := Compute(&article.Article{Key: "k", Title: title, Text: text})
		if len(s.MinHash) != K {
			t.Fatalf("MinHash has %d values", len(s.MinHash))
		}
		if s.Words < 0 || s.Shingles < 0 || s.Shingles > s.Words || len(s.Sentences) > MaxSentences || len(s.Terms) > MaxTerms {
			t.Fatalf("out of bounds: %+v", s)
		}
		if err := checkContent(s.Content); err != nil || len(s.ContentSentences()) != min(len(s.Sentences), MaxContentSentences) {
			t.Fatalf("content %v (%v) for %d sentences", s.Content, err, len(s.Sentences))
		}
		if s.Flags&FlagEmpty != 0 && s.Shingles != 0 || s.Flags&FlagEmpty == 0 && s.Shingles == 0 {
			t.Fatalf("FlagEmpty %v with %d shingles", s.Flags&FlagEmpty != 0, s.Shingles)
		}
		prev := float32(0)
		for i, tm := range s.Terms {
			if !utf8.ValidString(tm.Text) || tm.Text == "" || tm.Weight < 1 {
				t.Fatalf("bad term %+v", tm)
			}
			if i > 0 && tm.Weight > prev {
				t.Fatalf("terms not sorted by weight: %v", s.Terms)
			}
			prev = tm.Weight
		}
		if _, err := s.MarshalBinary(); err != nil {
			t.Fatalf("computed signature does not encode: %v", err)
		}
		if j := Jaccard(s, s); s.Flags&FlagEmpty == 0 && j != 1 {
			t.Fatalf("Jaccard with itself %v", j)
		}
		ps := SharedPassages(text, text, 3)
		if len(ps) > 3 {
			t.Fatalf("%d passages, max 3", len(ps))
		}
		for _, p := range ps {
			if len(p) > MaxPassageBytes+len(" …") {
				t.Fatalf("passage of %d bytes", len(p))
			}
			if utf8.ValidString(text) && !utf8.ValidString(p) {
				t.Fatalf("passage %q of valid text is not UTF-8", p)
			}
		}
	})
}

// FuzzUnicode: the Unicode path, under the rules of any language, never
// panics, gives the same tokens twice, and every token is a span of the
// text in order, cut at rune boundaries of valid text; signing the text
// (which may route it there) gives a well-formed signature.
func FuzzUnicode(f *testing.F) {
	f.Add("大理至瑞丽铁路今天开通。“这是一个好消息，”他说。", uint8(0))
	f.Add("「安全を最優先にする」と述べた。１３０便", uint8(1))
	f.Add("ปิดโรงเรียน 437 แห่ง \"ฝุ่นเกิน\" ผู้ว่าฯ กล่าว", uint8(2))
	f.Add("\"यह गलत है। उन्होंने \"ठीक है\" कहा॥", uint8(3))
	f.Add("«Станция открыта», — сказал мэр.\n\n\"Дальше", uint8(4))
	f.Add("L'État „réagit“ ‘vite’ l’eau… EE.UU. 3.5", uint8(5))
	f.Add("\xff\"\n\u0e31\u0301a'", uint8(6))
	langs := []string{"zh", "ja", "th", "hi", "ru", "fr", "", "ar", "es", "ko"}
	f.Fuzz(func(t *testing.T, text string, li uint8) {
		rules := rulesFor(langs[int(li)%len(langs)])
		var a, b tokenizer
		a.runUnicode(text, rules)
		b.runUnicode(text, rules)
		if !slices.Equal(a.toks, b.toks) {
			t.Fatal("two runs gave different tokens")
		}
		prev := int32(0)
		for _, tk := range a.toks {
			end := int(tk.atEnd())
			if tk.at < prev || end > len(text) || tk.size == 0 {
				t.Fatalf("token [%d,%d) out of order or outside the text of %d bytes", tk.at, end, len(text))
			}
			if utf8.ValidString(text) && !utf8.ValidString(text[tk.at:end]) {
				t.Fatalf("token %q cut inside a rune", text[tk.at:end])
			}
			prev = tk.at
		}
		s := Compute(&article.Article{Key: "k", Text: text})
		if len(s.MinHash) != K || len(s.Sentences) > MaxSentences || len(s.Terms) > MaxTerms {
			t.Fatalf("malformed signature %+v", s)
		}
		for _, tm := range s.Terms {
			if tm.Text == "" || !utf8.ValidString(tm.Text) && utf8.ValidString(text) {
				t.Fatalf("bad term %q", tm.Text)
			}
		}
		SharedPassages(text, text, 3)
	})
}
