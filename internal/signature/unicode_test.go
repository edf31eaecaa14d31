package signature

import (
	"math/rand/v2"
	"reflect"
	"slices"
	"strings"
	"testing"
)

// uniTokens runs the Unicode path over text with the rules of lang and
// renders each token as its text, prefixed "q:" when quoted and "C:" when
// capitalised, suffixed " |" when it ends a sentence, "-" first when it is
// no term (digits or a stop word).
func uniTokens(lang, text string) []string {
	var z tokenizer
	z.runUnicode(text, rulesFor(lang))
	out := make([]string, len(z.toks))
	for i, t := range z.toks {
		s := text[t.at:t.atEnd()]
		if t.flags&tQuoted != 0 {
			s = "q:" + s
		}
		if t.flags&tCapital != 0 {
			s = "C:" + s
		}
		if t.flags&tSentEnd != 0 {
			s += " |"
		}
		out[i] = s
	}
	return out
}

// TestUnicodeTokens: words, sentences and quotations per script. Spaceless
// scripts give overlapping bigrams of letters with their marks; other
// scripts UAX #29 words, marks inside; sentence ends and quotation marks of
// each language count.
func TestUnicodeTokens(t *testing.T) {
	tests := []struct {
		name, lang, text string
		want             []string
	}{
		{"zh bigrams, “” quote, 。 ends", "zh", "大理至瑞丽铁路今天开通。“这是一个好消息，”他说。",
			[]string{"大理", "理至", "至瑞", "瑞丽", "丽铁", "铁路", "路今", "今天", "天开", "开通 |",
				"q:这是", "q:是一", "q:一个", "q:个好", "q:好消", "q:消息", "他说 |"}},
		{"zh digits break the run; a lone character is a unigram", "zh", "北京11月28日电",
			[]string{"北京", "11", "月", "28", "日电 |"}},
		{"ja kanji and kana in one run, 「」 quote", "ja", "大雪となり、欠航した。「安全を最優先にする」と述べた。",
			[]string{"大雪", "雪と", "とな", "なり", "欠航", "航し", "した |",
				"q:安全", "q:全を", "q:を最", "q:最優", "q:優先", "q:先に", "q:にす", "q:する", "と述", "述べ", "べた |"}},
		{"ja 『』 quote", "ja", "『速報』札幌で大雪。", []string{"q:速報", "札幌", "幌で", "で大", "大雪 |"}},
		{"th units keep their marks, a space ends a sentence", "th", "ปิดโรงเรียน 437 แห่ง \"ฝุ่นเกิน\" ผู้ว่าฯ กล่าว",
			[]string{"ปิด", "ดโ", "โร", "รง", "งเ", "เรี", "รีย", "ยน |", "437", "แห่", "ห่ง |",
				"q:ฝุ่น", "q:นเ", "q:เกิ", "q:กิน |", "ผู้ว่", "ว่า", "าฯ |", "กล่", "ล่า", "าว |"}},
		{"hi marks stay in words, danda ends", "hi", "बचाव दल ने काम किया। मजदूर सुरक्षित हैं॥ ठीक",
			[]string{"बचाव", "दल", "ने", "काम", "किया |", "मजदूर", "सुरक्षित", "हैं |", "ठीक |"}},
		{"ar « » quote, ؟ ends", "ar", "«الطاقة نظيفة» قال الوزير. افتتحت المحطة يوم الأحد؟ نعم.",
			[]string{"q:الطاقة", "q:نظيفة", "قال", "الوزير |", "افتتحت", "المحطة", "يوم", "الأحد |", "نعم |"}},
		{"ur ۔ ends", "ur", "بارش ہوئی۔ سڑکیں بند", []string{"بارش", "ہوئی |", "سڑکیں", "بند |"}},
		{"ru « » quote, capitals", "ru", "«Станция открыта», — сказал мэр. Новосибирск получил станцию.",
			[]string{"C:q:Станция", "q:открыта", "сказал", "мэр |", "C:Новосибирск", "получил", "станцию |"}},
		{"ko words, \" quote", "ko", "서울 지하철 노조가 26일 파업에 들어갔다. \"시민 불편이 크다\"고 말했다.",
			[]string{"서울", "지하철", "노조가", "26일", "파업에", "들어갔다 |", "q:시민", "q:불편이", "q:크다", "고", "말했다 |"}},
		{"fr accents, elision, « » quote", "fr", "Éric Dupont a dit : « c'est fini ». L'État réagit.",
			[]string{"C:Éric", "C:Dupont", "a", "dit", "q:c'est", "q:fini |", "C:L'État", "réagit |"}},
		{"de „“ quote", "de", "„Das Wasser kam“, sagte Müller. Der Markt.",
			[]string{"C:q:Das", "C:q:Wasser", "q:kam", "sagte", "C:Müller |", "C:Der", "C:Markt |"}},
		{"abbreviations, decimals and U.S. end no sentence", "es", "El Sr. Pérez pagó 3.5 euros en EE.UU. ayer.",
			[]string{"C:El", "C:Sr", "C:Pérez", "pagó", "3.5", "euros", "en", "C:EE.UU", "ayer |"}},
		{"a stray quote at the start is bounded by its paragraph", "es", "\"Empieza sin cierre. El puerto cerró.\n\nEl temporal sigue.",
			[]string{"C:Empieza", "sin", "cierre |", "C:El", "puerto", "cerró |", "C:El", "temporal", "sigue |"}},
		{"a quotation continued by the next paragraph stays quoted", "es", "\"Primera parte de la cita.\n\n\"Sigue la cita\", dijo él.",
			[]string{"C:q:Primera", "q:parte", "q:de", "q:la", "q:cita |", "C:q:Sigue", "q:la", "q:cita", "dijo", "él |"}},
		{"a one-paragraph text with a stray quote and a real one", "hi", "\"यह गलत है। उन्होंने \"ठीक है\" कहा। काम जारी है।",
			[]string{"यह", "गलत", "है |", "उन्होंने", "ठीक", "है", "कहा |", "काम", "जारी", "है |"}},
		{"quotations inside quotations", "fr", "\"Il a dit \"non\" hier\", a-t-il ajouté.",
			[]string{"C:q:Il", "q:a", "q:dit", "q:non", "q:hier", "a", "t", "il", "ajouté |"}},
		{"a stray closing mark opens nothing", "de", "Er kam. Dann ging er\" nach Hause.",
			[]string{"C:Er", "kam |", "C:Dann", "ging", "er", "nach", "C:Hause |"}},
		{"‘ ’ single quotes, and ’ as an apostrophe", "en", "He said ‘stop now’ and l’eau ran.",
			[]string{"C:He", "said", "q:stop", "q:now", "and", "l’eau", "ran |"}},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			if got := uniTokens(tt.lang, tt.text); !reflect.DeepEqual(got, tt.want) {
				t.Errorf("tokens\n got %q\nwant %q", got, tt.want)
			}
		})
	}
}

// TestUnicodeNorm: the normalised forms the Unicode path hashes.
func TestUnicodeNorm(t *testing.T) {
	tests := []struct{ lang, a, b string }{
		{"el", "ΗΡΑΚΛΕΙΟ", "Ηράκλειο"}, // Greek capitals carry no accents
		{"el", "ΰ", "υ"},                      // nor diaeresis with accent
		{"fr", "l'État", "état"},              // elision, case
		{"fr", "présidents", "président"},     // Snowball
		{"ru", "Новосибирске", "новосибирск"}, // Snowball, case
		{"es", "dell’anno", "anno"},           // curly apostrophe
	}
	for _, tt := range tests {
		r := rulesFor(tt.lang)
		if a, b := string(r.norm(nil, tt.a)), string(r.norm(nil, tt.b)); a != b {
			t.Errorf("%s: %q → %q, %q → %q: want the same", tt.lang, tt.a, a, tt.b, b)
		}
	}
}

// TestCaselessNames: without capitals, a unit of the title the body
// repeats is a name; with them, only capitals say so.
func TestCaselessNames(t *testing.T) {
	s := Compute(art("k", "瑞丽铁路开通", "大理至瑞丽铁路今天开通。瑞丽是边境城市。旅客很多，车站很忙，工作人员说一切顺利。"))
	if s.Lang != "zh" {
		t.Fatalf("language %q", s.Lang)
	}
	names := map[string]bool{}
	for _, tm := range s.Terms {
		names[tm.Text] = tm.Name
	}
	if !names["瑞丽"] || names["车站"] {
		t.Errorf("names %v: want 瑞丽 (title, twice in the body) a name, 车站 (body only) not", names)
	}
}

// TestShortTextGuess: a text too short to know its language gets no Lang
// (which would bar copies across languages), but the identifier's guess
// still picks its stop words and stemmer, so that a brief's words meet
// those of its story's longer articles.
func TestShortTextGuess(t *testing.T) {
	text := "El temporal cierra los puertos de A Coruña."
	s := Compute(art("k", "", text))
	long := Compute(art("k", "", strings.Repeat("El temporal cierra los puertos de A Coruña y de Vigo, según la Xunta de Galicia. ", 3)))
	if s.Lang != "" || long.Lang != "es" {
		t.Fatalf("languages %q (short) and %q (long), want \"\" and es", s.Lang, long.Lang)
	}
	terms := func(s *Signature) map[string]bool {
		m := map[string]bool{}
		for _, tm := range s.Terms {
			m[tm.Text] = true
		}
		return m
	}
	st, lt := terms(s), terms(long)
	for _, w := range []string{"puert", "cierr"} {
		if !st[w] || !lt[w] {
			t.Errorf("term %q: in the brief %v, in the article %v (brief terms %v)", w, st[w], lt[w], s.Terms)
		}
	}
}

// TestIdentifyDeterministic: the identifier's answer for a text never
// changes from call to call (whatlanggo breaks ties in map order).
func TestIdentifyDeterministic(t *testing.T) {
	pieces := strings.Fields(`café naïve Müller 日本 Ελλάδα Москва ÉCOLE el la de und der le les и в на the of and
		Coruña São Paulo niño año über straße было это été très ça`)
	rng := rand.New(rand.NewPCG(1, 2))
	for range 400 {
		var b strings.Builder
		for w := rng.IntN(12) + 2; w > 0; w-- {
			b.WriteString(pieces[rng.IntN(len(pieces))] + " ")
		}
		text := b.String()
		lang, guess := identify("", text)
		for range 10 {
			if l, g := identify("", text); l != lang || g != guess {
				t.Fatalf("identify(%q) = %q %q, then %q %q", text, lang, guess, l, g)
			}
		}
	}
}

// TestCopyEvidenceIndependentOfLanguage: shingles and sentence fingerprints
// come from words folded the same way whatever language was identified, so
// that a copy identified otherwise than its original (Russian and Ukrainian
// are close) still shares its evidence; only the terms are stemmed.
func TestCopyEvidenceIndependentOfLanguage(t *testing.T) {
	_, text := corpusText(t, "ru-01.json")
	sign := func(lang string) *Signature {
		c := NewComputer()
		c.body.runUnicode(text, rulesFor(lang))
		s := &Signature{}
		c.minhash(s)
		c.sentenceFingerprints(s)
		return s
	}
	ru, uk, none := sign("ru"), sign("uk"), sign("")
	for _, s := range []*Signature{uk, none} {
		if !slices.Equal(ru.MinHash, s.MinHash) || !slices.Equal(ru.Sentences, s.Sentences) || ru.Shingles != s.Shingles {
			t.Errorf("copy evidence of one text differs with the language's rules")
		}
	}
	if len(ru.Sentences) < 5 {
		t.Fatalf("only %d sentences", len(ru.Sentences))
	}
}
