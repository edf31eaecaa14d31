package article

import (
	"bytes"
	"fmt"
	"math/rand"
	"strings"
	"testing"
	"unicode/utf8"

	"github.com/saintfish/chardet"
	"golang.org/x/text/encoding"
	"golang.org/x/text/encoding/charmap"
	"golang.org/x/text/encoding/japanese"
	"golang.org/x/text/encoding/simplifiedchinese"
)

// legacySample is a short article written for these tests, with the legacy
// encoding it is stored in and the label a page would declare.
type legacySample struct {
	name   string
	enc    encoding.Encoding
	label  string // as declared in <meta charset> or <?xml encoding?>
	detect string // the charset (WHATWG name) detection must find
	title  string
	body   string
}

var legacySamples = []legacySample{
	{"french windows-1252", charmap.Windows1252, "windows-1252", "windows-1252",
		"Les cafés contre la redevance",
		"Les propriétaires des cafés de la vieille place ont signé mardi une lettre contre le projet du conseil municipal. " +
			"Selon eux, la saison est déjà bien assez courte et la redevance annuelle pour les terrasses menacerait des dizaines d’emplois. " +
			"« Nous ne pouvons pas payer davantage », a déclaré le président de l’association."},
	{"german iso-8859-1", charmap.ISO8859_1, "iso-8859-1", "windows-1252",
		"Erdbeben vor Sumatra",
		"Ein Erdbeben der Stärke 6,4 hat am Dienstag die Küste vor Sumatra erschüttert. Nach Angaben der Behörden wurde keine " +
			"Tsunami-Warnung ausgegeben. Über Schäden in der Stadt Padang war zunächst nichts bekannt; die Bewohner verließen jedoch " +
			"vorsorglich ihre Häuser und versammelten sich auf den Straßen."},
	{"spanish windows-1252", charmap.Windows1252, "windows-1252", "windows-1252",
		"Terremoto frente a Sumatra",
		"Un terremoto de magnitud 6,4 sacudió el martes la costa de Sumatra, cerca de Padang. Las autoridades no emitieron ninguna " +
			"alerta de tsunami. Según los primeros informes, no hubo víctimas, aunque muchos vecinos salieron a la calle por precaución."},
	{"english windows-1252", charmap.Windows1252, "windows-1252", "windows-1252",
		"Café owners protest new terrace rules",
		"The owners of every café on the old square signed a letter on Tuesday against the council’s plan to charge a yearly fee " +
			"for tables on the pavement. “The season is short enough,” their spokesman said."},
	{"japanese shift_jis", japanese.ShiftJIS, "Shift_JIS", "shift_jis",
		"スマトラ島沖で地震",
		"火曜日、インドネシアのスマトラ島沖でマグニチュード6.4の地震が発生した。気象当局によると、津波の心配はないという。" +
			"パダン市内では建物が揺れ、多くの住民が一時的に屋外へ避難したが、現在のところ被害の報告はない。"},
	{"japanese euc-jp", japanese.EUCJP, "EUC-JP", "euc-jp",
		"給食費を無償化",
		"東京都は月曜日、来年度から公立の小中学校の給食費を無償化すると発表した。対象となる児童と生徒はおよそ六十万人で、" +
			"年間の費用は約三百億円に上る見込みだ。知事は記者会見で、子育て世帯の負担を減らすことが目的だと説明した。"},
	{"chinese gbk", simplifiedchinese.GBK, "gbk", "gb18030",
		"苏门答腊岛附近发生地震",
		"星期二，印度尼西亚苏门答腊岛附近海域发生里氏6.4级地震。气象部门表示，此次地震不会引发海啸。" +
			"巴东市部分建筑物出现摇晃，许多居民跑到街上避险，目前尚无人员伤亡的报告。"},
	{"chinese gb18030", simplifiedchinese.GB18030, "GB18030", "gb18030",
		"北京公立学校将提供免费午餐",
		"北京市政府周一宣布，从明年起将为全市公立中小学生提供免费午餐。这项政策预计惠及约一百二十万名学生，每年费用约为四十亿元。" +
			"市长在新闻发布会上表示，此举旨在减轻家庭负担，改善儿童营养状况。"},
	{"russian windows-1251", charmap.Windows1251, "windows-1251", "windows-1251",
		"Землетрясение у Суматры",
		"Во вторник у побережья Суматры произошло землетрясение магнитудой 6,4. По данным властей, угрозы цунами нет. " +
			"В городе Паданг здания раскачивались, и многие жители выбежали на улицы, однако сообщений о пострадавших пока не поступало."},
	{"russian koi8-r", charmap.KOI8R, "koi8-r", "koi8-r",
		"Бесплатные школьные обеды",
		"Мэрия Москвы в понедельник объявила, что со следующего года школьные обеды в государственных школах станут бесплатными. " +
			"Мера коснётся примерно миллиона учеников, а ежегодные расходы составят около тридцати миллиардов рублей."},
	{"polish iso-8859-2", charmap.ISO8859_2, "iso-8859-2", "iso-8859-2",
		"Trzęsienie ziemi u wybrzeży Sumatry",
		"We wtorek u wybrzeży Sumatry doszło do trzęsienia ziemi o sile 6,4. Według władz nie ma zagrożenia tsunami. " +
			"Wielu mieszkańców wybiegło na ulice, ale nie ma doniesień o ofiarach."},
}

func encodeSample(t testing.TB, e encoding.Encoding, s string) []byte {
	t.Helper()
	b, err := e.NewEncoder().Bytes([]byte(s))
	if err != nil {
		t.Fatal(err)
	}
	if utf8.Valid(b) {
		t.Fatalf("%q encodes to valid UTF-8: the test would not reach the legacy path", s)
	}
	return b
}

// legacyFiles returns a sample stored three ways: an HTML page declaring
// its charset (once with <meta charset>, once with http-equiv), an XML
// document with an encoding declaration, and plain text declaring nothing.
func legacyFiles(t testing.TB, s legacySample) map[string][]byte {
	t.Helper()
	return map[string][]byte{
		"meta.html": encodeSample(t, s.enc, `<!DOCTYPE html><html><head><meta charset="`+s.label+`"><title>`+s.title+
			`</title></head><body><article><h1>`+s.title+`</h1><p>`+s.body+`</p></article></body></html>`),
		"http-equiv.html": encodeSample(t, s.enc, `<html><head><meta http-equiv="Content-Type" content="text/html; charset=`+s.label+
			`"><title>`+s.title+`</title></head><body><p>`+s.body+`</p></body></html>`),
		"doc.xml": encodeSample(t, s.enc, `<?xml version="1.0" encoding="`+s.label+`"?>`+"\n<article><title>"+s.title+
			"</title><p>"+s.body+"</p></article>"),
		"plain.txt": encodeSample(t, s.enc, s.title+"\n\n"+s.body+"\n"),
	}
}

func TestLegacyEncodings(t *testing.T) {
	for _, s := range legacySamples {
		for key, data := range legacyFiles(t, s) {
			t.Run(s.name+"/"+key, func(t *testing.T) {
				a := mustParse(t, key, data)
				if want := cleanLine(s.title); a.Title != want {
					t.Errorf("title %q, want %q", a.Title, want)
				}
				if want := cleanLine(s.body); a.Text != want {
					t.Errorf("text %q\nwant %q", a.Text, want)
				}
			})
		}
	}
}

// TestDeclaredCharset: the HTML and XML files are decoded by their
// declaration, not by detection, and a declaration decodes what detection
// cannot (Thai TIS-620, for which the detector has no model).
func TestDeclaredCharset(t *testing.T) {
	for _, s := range legacySamples {
		for key, data := range legacyFiles(t, s) {
			enc, _ := declaredCharset(data)
			if (enc != nil) != (key != "plain.txt") {
				t.Errorf("%s/%s: declared encoding %v", s.name, key, enc)
			}
		}
	}
	thai := "เมื่อวันอังคารเกิดแผ่นดินไหวขนาด 6.4 นอกชายฝั่งเกาะสุมาตรา เจ้าหน้าที่ระบุว่าไม่มีการเตือนภัยสึนามิ"
	page := encodeSample(t, charmap.Windows874, `<html><head><meta charset="tis-620"></head><body><p>`+thai+`</p></body></html>`)
	if a := mustParse(t, "th.html", page); a.Text != cleanLine(thai) {
		t.Errorf("text %q, want %q", a.Text, thai)
	}
	if _, err := Parse("th.txt", encodeSample(t, charmap.Windows874, thai), Limits{}); err == nil {
		t.Error("undeclared TIS-620 accepted: the detector has no Thai model, so it must be rejected")
	}
}

// TestDetection checks the detector alone on the undeclared samples, and
// logs the confidence each gets (run with -v for the table in
// docs/QUALITY.md).
func TestDetection(t *testing.T) {
	for _, s := range legacySamples {
		short, _, _ := strings.Cut(firstSentence(s.body), "。")
		for _, text := range []string{s.body, short} {
			data := encodeSample(t, s.enc, text)
			enc, name, reason := detectCharset(data)
			res, _ := detectorResults(data)
			t.Logf("%-22s %4d bytes: %-13s %s", s.name, len(data), name, res)
			if enc == nil || name != s.detect {
				t.Errorf("%s (%d bytes): detected %q (%s), want %q", s.name, len(data), name, reason, s.detect)
			}
		}
	}
}

// detectorResults lists the detector's top three guesses with confidence.
func detectorResults(data []byte) (string, error) {
	rs, err := chardet.NewTextDetector().DetectAll(data)
	var out []string
	for i, r := range rs {
		if i == 3 {
			break
		}
		out = append(out, fmt.Sprintf("%s/%s:%d", r.Charset, r.Language, r.Confidence))
	}
	return strings.Join(out, " "), err
}

func TestLegacyRejected(t *testing.T) {
	rnd := rand.New(rand.NewSource(2))
	highNoise := make([]byte, 0, 2048) // printable high bytes: no language, no binary signal
	for len(highNoise) < 2048 {
		if c := byte(rnd.Intn(256)); c >= 0xa0 || c == ' ' {
			highNoise = append(highNoise, c)
		}
	}
	thai := "เมื่อวันอังคารเกิดแผ่นดินไหวขนาด 6.4 นอกชายฝั่งเกาะสุมาตรา เจ้าหน้าที่ระบุว่าไม่มีการเตือนภัยสึนามิ ชาวบ้านจำนวนมากวิ่งออกมาที่ถนน"
	tests := []struct {
		name   string
		data   []byte
		prefix string // of the reason
	}{
		// TIS-620 Thai: the detector has no Thai model and ties three
		// CJK charsets at 33.
		{"thai tis-620 undeclared", encodeSample(t, charmap.Windows874, thai), "unknown text encoding (not UTF-8, none declared"},
		{"high-byte noise", highNoise, "unknown text encoding (not UTF-8, none declared"},
		{"noise declared shift_jis", append([]byte(`<html><head><meta charset="shift_jis"></head><body><p>`), highNoise...), "not decodable as shift_jis (declared)"},
		{"noise declared utf-8", append([]byte(`<?xml version="1.0" encoding="UTF-8"?><p>`), highNoise...), "unknown text encoding"},
		{"random binary", bytes.Repeat([]byte{0x00, 0xff, 0x13}, 200), "binary content"},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			_, err := Parse("a.txt", tc.data, Limits{})
			r := rejectReason(t, err)
			t.Log(r)
			if !strings.HasPrefix(r, tc.prefix) {
				t.Errorf("reason %q, want prefix %q", r, tc.prefix)
			}
		})
	}
}

// TestDamagedUTF8: UTF-8 with a stray byte stays UTF-8 (the bad byte
// becomes U+FFFD), instead of being read as windows-1252 (every "é" an "Ã©").
func TestDamagedUTF8(t *testing.T) {
	fr := legacySamples[0].body
	ja := legacySamples[4].body
	for _, tc := range []struct{ data, want string }{
		{strings.Replace(fr, "déjà", "d\xe9jà", 1), strings.Replace(cleanLine(fr), "déjà", "d\uFFFDjà", 1)},
		{ja + "\xff", cleanLine(ja) + "\uFFFD"},
	} {
		a := mustParse(t, "a.txt", []byte(tc.data))
		if a.Text != tc.want {
			t.Errorf("text %q\nwant %q", a.Text, tc.want)
		}
	}
	// Legacy CJK holds valid UTF-8 sequences by chance, but far more invalid ones.
	for _, s := range legacySamples {
		if _, ok := damagedUTF8(encodeSample(t, s.enc, s.body)); ok {
			t.Errorf("%s taken for damaged UTF-8", s.name)
		}
	}
}

// TestUTF8IgnoresDeclaration: valid UTF-8 is taken as it is, even when the
// page declares another charset (stale declarations are common).
func TestUTF8IgnoresDeclaration(t *testing.T) {
	body := "Les propriétaires des cafés de la vieille place ont signé mardi une lettre contre le projet du conseil municipal."
	page := `<html><head><meta charset="iso-8859-1"><title>Cafés</title></head><body><p>` + body + `</p></body></html>`
	a := mustParse(t, "a.html", []byte(page))
	if a.Text != body {
		t.Errorf("text %q, want %q", a.Text, body)
	}
}

func TestXMLEncoding(t *testing.T) {
	for in, want := range map[string]string{
		`<?xml version="1.0" encoding="EUC-JP"?>`:       "EUC-JP",
		" \n<?xml version='1.0' encoding = 'koi8-r' ?>": "koi8-r",
		`<?xml version="1.0"?>`:                         "",
		`<?xml version="1.0" encoding="`:                "",
		`<?xml encoding=utf-8?>`:                        "",
		`<html><?xml encoding="gbk"?>`:                  "",
	} {
		got, _ := xmlEncoding([]byte(in))
		if got != want {
			t.Errorf("xmlEncoding(%q) = %q, want %q", in, got, want)
		}
	}
}

// FuzzDecode: decoding never panics, what it accepts is valid UTF-8, and
// valid UTF-8 comes back unchanged.
func FuzzDecode(f *testing.F) {
	for _, s := range legacySamples {
		for _, data := range legacyFiles(f, s) {
			f.Add(data)
		}
	}
	f.Add([]byte("\xff\xfeh\x00i\x00"))
	f.Add([]byte(`<meta charset="replacement">` + "\xe9\xe8"))
	f.Add([]byte(`<?xml version="1.0" encoding="utf-16"?>` + "\xe9\xe8"))
	f.Fuzz(func(t *testing.T, data []byte) {
		text, reason := decode(data)
		if reason != "" {
			if text != "" {
				t.Fatalf("rejected (%s) but returned text", reason)
			}
			return
		}
		if !utf8.ValidString(text) {
			t.Fatalf("decode returned invalid UTF-8 for %q", data)
		}
		if utf8.Valid(data) && !bytes.HasPrefix(data, []byte("\xef\xbb\xbf")) && text != string(data) {
			t.Fatalf("valid UTF-8 %q changed to %q", data, text)
		}
	})
}
