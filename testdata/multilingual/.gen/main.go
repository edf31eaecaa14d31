//go:build ignore

// Command gen derives the planted copies of testdata/multilingual from the
// hand-written originals: every LANG-03.json (a syndicated, lightly edited
// copy) and the legacy-encoded copies under encoded/. Each edit is checked
// against its original, so a change to an original that breaks a planted
// relation fails here instead of silently weakening the corpus.
//
// Run from the repository root:
//
//	go run testdata/multilingual/.gen/main.go         # regenerate
//	go run testdata/multilingual/.gen/main.go -check  # verify, write nothing
package main

import (
	"bytes"
	"encoding/json"
	"flag"
	"fmt"
	"io/fs"
	"log"
	"os"
	"path/filepath"
	"slices"
	"strings"

	"golang.org/x/text/encoding"
	"golang.org/x/text/encoding/charmap"
	"golang.org/x/text/encoding/japanese"
	"golang.org/x/text/encoding/simplifiedchinese"
)

type article struct {
	Title  string `json:"title"`
	Date   string `json:"date"`
	Source string `json:"source"`
	URL    string `json:"url"`
	Text   string `json:"text"`
}

// copySpec is one planted copy: the original, what the republisher changed,
// and how the copy is stored.
type copySpec struct {
	src, out                 string
	title, date, source, url string // "" keeps the original's title
	replace                  [][2]string
	drop                     []string // exact sentences (with their separating space) removed
	footer                   string   // appended as a last paragraph
	format                   string   // json, txt or html
	lang                     string   // html lang attribute
	charset                  string   // html <meta charset>; "" for undeclared text
	enc                      encoding.Encoding
}

var specs = []copySpec{
	{src: "zh-01.json", out: "zh-03.json", title: "大瑞铁路全线贯通 昆明至瑞丽最快5小时",
		date: "2026-11-28", source: "滇西在线", url: "https://www.dianxi-online.example.cn/news/2026/1128/dali-ruili-copy.html",
		replace: [][2]string{{"本报昆明11月28日电（记者 李志强）", "滇西在线11月28日讯 "}, {"比原来缩短近3个小时", "较以往缩短近3小时"}, {"极为复杂", "十分复杂"}},
		drop:    []string{"铁路部门还在芒市站、瑞丽站开设了货运服务，主要承运咖啡、水果和边贸商品。"},
		footer:  "（来源：南方铁道报　责任编辑：周敏）", format: "json"},
	{src: "zh-02.json", out: "encoded/zh-06.txt", date: "2026-11-29",
		replace: [][2]string{{"经过十多年建设，", "（边城晚报转载）经过十多年建设，"}, {"记者在首发列车上看到，", "首发列车上，"}},
		drop:    []string{"\n\n不少旅客表示，打算趁着年底去瑞丽和芒市看看边境风光。"},
		footer:  "本文来源：西南都市快讯", format: "txt", enc: simplifiedchinese.GBK},
	{src: "ja-01.json", out: "ja-03.json",
		date: "2026-12-02", source: "道東タイムズ", url: "https://www.doto-times.example.jp/national/20261202/snow-chitose-kyodo.html",
		replace: [][2]string{{"発達した低気圧の影響で、北海道では１２月１日、", "【札幌】発達した低気圧の影響で、北海道では１日、"}, {"全面運休とし", "終日運休とし"}},
		drop:    []string{"空港ターミナルには足止めされた利用客があふれ、航空会社は毛布や飲料水を配布した。"},
		footer:  "（配信）© 北日本新報", format: "json"},
	{src: "ja-02.json", out: "encoded/ja-06.html", title: "北海道大雪　空の便や鉄道が大混乱",
		source: "みなと新聞", url: "https://www.minato-shimbun.example.jp/news/20261201-hokkaido-snow.html",
		replace: [][2]string{{"強い冬型の気圧配置と低気圧の接近が重なり、", "【東京】強い冬型の気圧配置と低気圧の接近が重なり、"}, {"深刻だった", "大きかった"}},
		drop:    []string{"市内の歩道は膝の高さまで雪に埋まり、通勤客がスコップで雪をかき分けながら駅に向かう姿が見られた。"},
		footer:  "Copyright 東都日報　無断転載を禁じます", format: "html", lang: "ja", charset: "Shift_JIS", enc: japanese.ShiftJIS},
	{src: "ko-02.json", out: "ko-03.json",
		date: "2026-11-27", source: "한빛통신", url: "https://www.hanbit-news.example.kr/wire/20261127/subway-strike-repost",
		replace: [][2]string{{"서울 지하철 1~8호선을 운영하는", "[서울=한빛통신] 서울 지하철 1~8호선을 운영하는"}, {"눈에 띄게", "크게"}},
		drop:    []string{" 퇴근 시간대에도 혼잡이 우려되자 일부 기업은 직원들에게 유연근무를 권고했다."},
		footer:  "ⓒ 중앙경제신문 무단전재 및 재배포 금지", format: "json"},
	{src: "th-01.json", out: "th-03.json",
		source: "สยามนิวส์ออนไลน์", url: "https://www.siamnews-online.example.co.th/bangkok/2026-12-02/pm25-schools",
		replace: [][2]string{{"กรุงเทพมหานครประกาศปิดโรงเรียน", "กรุงเทพฯ 2 ธ.ค. - กรุงเทพมหานครประกาศปิดโรงเรียน"}, {"พุ่งสูงเกินมาตรฐาน", "สูงเกินมาตรฐาน"}},
		drop:    []string{" ขณะที่กรมควบคุมมลพิษเตรียมตรวจรถควันดำและสั่งหยุดการเผาในที่โล่งในจังหวัดปริมณฑล"},
		footer:  "ที่มา: ข่าวเช้าไทย", format: "json"},
	{src: "hi-01.json", out: "hi-03.json",
		date: "2026-11-26", source: "पहाड़ टाइम्स", url: "https://www.pahad-times.example.in/news/2026/11/26/chamoli-tunnel-all-safe",
		replace: [][2]string{{"देहरादून, 25 नवंबर।", "गोपेश्वर/देहरादून, 26 नवंबर (हिंस)।"}, {"रातभर", "पूरी रात"}},
		drop:    []string{" स्थानीय लोगों का कहना है कि इलाके में पिछले कुछ महीनों में भूस्खलन की घटनाएं बढ़ी हैं।"},
		footer:  "— हिंद समाचार सेवा", format: "json"},
	{src: "hi-01.json", out: "hi-05.json",
		source: "गढ़वाल न्यूज़", url: "https://garhwal-news.example.in/rajya/20261125-surang-majdoor",
		// A stray opening quotation mark in a one-paragraph article: it is
		// never closed, and no line break ends it before the text does.
		replace: [][2]string{{"देहरादून, 25 नवंबर।", "\"देहरादून, 25 नवंबर (हिंस)।"}, {"रातभर बचाव अभियान चलाया", "रातभर राहत और बचाव अभियान चलाया"}},
		drop:    []string{" मुख्यमंत्री ने बचाव दल की सराहना करते हुए हादसे की जांच के आदेश दिए हैं।"},
		footer:  "(हिंद समाचार सेवा से साभार)", format: "json"},
	{src: "ar-01.json", out: "ar-03.json",
		source: "بوابة الجنوب الإخبارية", url: "https://www.aljanoub-portal.example.com/local/2026/11/30/maan-solar-plant",
		replace: [][2]string{{"عمّان – افتتح الأردن", "معان (الأردن) – افتتح الأردن"}, {"حتى الآن", "حتى اليوم"}},
		drop:    []string{" كما وفّر المشروع خلال مرحلة الإنشاء أكثر من 1500 فرصة عمل، معظمها لأبناء المنطقة."},
		footer:  "المصدر: وكالة المشرق للأنباء", format: "json"},
	{src: "ru-01.json", out: "ru-03.json",
		source: "Обская лента", url: "https://obskaya-lenta.example.ru/society/2026/12/01/sportivnaya-open",
		replace: [][2]string{{"НОВОСИБИРСК, 1 декабря.", "НОВОСИБИРСК, 1 дек — РИА «Обь»."}, {"обошлось бюджету", "обошлось городскому бюджету"}},
		drop:    []string{" Вестибюли оборудованы лифтами для маломобильных пассажиров, а на стенах платформы размещены мозаики, посвящённые сибирским спортсменам."},
		footer:  "© Сибирский вестник. Перепечатка с разрешения редакции.", format: "json"},
	{src: "ru-02.json", out: "encoded/ru-06.txt", date: "2026-12-02",
		replace: [][2]string{{"Новосибирское метро впервые", "Как сообщают «Новости Оби», новосибирское метро впервые"}, {"несколько раз", "неоднократно"}},
		drop:    []string{" А вот владельцы киосков у соседней остановки опасаются, что поток покупателей уйдёт под землю."},
		footer:  "Источник: Новости Оби", format: "txt", enc: charmap.Windows1251},
	{src: "es-01.json", out: "es-03.json",
		source: "Agencia Ibérica", url: "https://www.agenciaiberica.example.es/nacional/20261127/temporal-galicia-puerto",
		// The stray opening quotation mark is planted on purpose: it is never closed.
		replace: [][2]string{{"A CORUÑA, 27 de noviembre. La borrasca", "\"A CORUÑA, 27 nov. (Agencia Ibérica) - La borrasca"}, {"ha azotado este viernes", "azotó este viernes"}},
		drop:    []string{" En el paseo marítimo de Riazor, las olas arrastraron mobiliario urbano y varias jardineras de hormigón."},
		footer:  "© Agencia Ibérica. Fuente: Diario del Noroeste", format: "json"},
	{src: "fr-01.json", out: "fr-03.json",
		date: "2026-11-27", source: "Agence Rhône-Presse", url: "https://www.rhone-presse.example.fr/depeches/2026-11-27/lyon-croix-rousse-immeuble",
		replace: [][2]string{{"LYON, 26 novembre.", "LYON, 27 nov. (ARP) -"}, {"personne n’a été blessé", "aucun blessé n’est à déplorer"}},
		drop:    []string{" Une cinquantaine de pompiers ont été mobilisés, ainsi qu’une équipe cynotechnique chargée de vérifier qu’aucune personne ne se trouvait dans les décombres."},
		footer:  "© Agence Rhône-Presse – Source : Le Courrier du Rhône", format: "json"},
	{src: "fr-02.json", out: "encoded/fr-06.html",
		source: "Le Petit Journal de Savoie", url: "https://www.petitjournal-savoie.example.fr/france/20261126-lyon-effondrement.html",
		replace: [][2]string{{"Ils ont tout perdu, mais ils sont vivants.", "LYON, 26 novembre - Ils ont tout perdu, mais ils sont vivants."}, {"a résumé", "a déclaré"}},
		drop:    []string{" Elle a appelé les pompiers, qui ont fait sortir tout le monde dans la soirée."},
		footer:  "Source : Lyon Matin", format: "html", lang: "fr", charset: "iso-8859-1", enc: charmap.ISO8859_1},
	{src: "de-01.json", out: "de-03.json",
		source: "Kieler Abendpost", url: "https://www.kieler-abendpost.example.de/norddeutschland/2026/12/02/sturmflut-hamburg",
		replace: [][2]string{{"HAMBURG, 2. Dezember.", "Hamburg (nrd) –"}, {"zu mehr als 400 Einsätzen", "zu über 400 Einsätzen"}},
		drop:    []string{" Der Wind drückte das Wasser der Nordsee in die Elbmündung."},
		footer:  "© Norddeutsche Rundschau / Quelle: nrd", format: "json"},
	{src: "el-02.json", out: "el-03.json",
		date: "2026-11-30", source: "Νέα των Χανίων", url: "https://nea-chanion.example.gr/kriti/2026-11-30/seismos-nyxta-agonias",
		replace: [][2]string{{"Λίγο μετά τις τέσσερις", "ΗΡΑΚΛΕΙΟ (Κρητικός Τύπος). Λίγο μετά τις τέσσερις"}, {"δυνατός βρυχηθμός", "υπόκωφος βρυχηθμός"}},
		drop:    []string{" Η Πυροσβεστική δέχθηκε δεκάδες κλήσεις, κυρίως για πτώσεις σοβάδων και κεραμιδιών."},
		footer:  "Πηγή: Κρητικός Τύπος", format: "json"},
	{src: "vi-01.json", out: "vi-03.json",
		source: "Cổng Tin Tây Nguyên", url: "https://congtintaynguyen.example.vn/thoi-su/2026/11/24/da-nang-mua-lon",
		replace: [][2]string{{"ĐÀ NẴNG, ngày 24 tháng 11 năm 2026.", "Đà Nẵng (Báo Miền Trung) -"}, {"cao nhất từ trước đến nay", "mức cao kỷ lục"}},
		drop:    []string{" Sân bay quốc tế Đà Nẵng vẫn hoạt động bình thường, nhưng một số chuyến bay bị chậm do thời tiết xấu."},
		footer:  "Nguồn: Báo Miền Trung", format: "json"},
}

func main() {
	dir := flag.String("dir", "testdata/multilingual", "corpus folder")
	check := flag.Bool("check", false, "write nothing: fail if a derived file or label file differs from what the originals and specs give")
	flag.Parse()
	for _, s := range specs {
		out, err := build(*dir, s)
		if err != nil {
			log.Fatalf("%s: %v", s.out, err)
		}
		emit(filepath.Join(*dir, s.out), out, *check)
	}
	// Labels last: they list the copies just written.
	labels, err := buildLabels(*dir)
	if err != nil {
		log.Fatal(err)
	}
	for name, b := range labels {
		emit(filepath.Join(*dir, name), b, *check)
	}
}

// emit writes b to p, or with check only verifies that p already holds b.
func emit(p string, b []byte, check bool) {
	if check {
		if old, err := os.ReadFile(p); err != nil || !bytes.Equal(old, b) {
			log.Fatalf("%s is not what the originals and specs give: run without -check to regenerate", p)
		}
		return
	}
	if err := os.MkdirAll(filepath.Dir(p), 0o755); err != nil {
		log.Fatal(err)
	}
	if err := os.WriteFile(p, b, 0o644); err != nil {
		log.Fatal(err)
	}
}

// buildLabels derives both label files from the article files of dir
// (everything but hidden names, README.md and the labels) and the specs:
//   - story: LANG-04 is the unrelated story "LANG-other", every other article
//     of LANG (reports, copies, briefs) the event "LANG-event";
//   - copy: an original and the copies made from it form "LANG-copyN"
//     (numbered in order of the original's name); every other article is a
//     group of its own.
func buildLabels(dir string) (map[string][]byte, error) {
	var files []string
	err := filepath.WalkDir(dir, func(p string, d fs.DirEntry, err error) error {
		if err != nil {
			return err
		}
		if p != dir && strings.HasPrefix(d.Name(), ".") {
			if d.IsDir() {
				return filepath.SkipDir
			}
			return nil
		}
		rel, _ := filepath.Rel(dir, p)
		if !d.IsDir() && rel != "README.md" && !strings.HasPrefix(rel, "labels-") {
			files = append(files, filepath.ToSlash(rel))
		}
		return nil
	})
	if err != nil {
		return nil, err
	}
	original := map[string]string{} // file -> the original it belongs with
	for _, s := range specs {
		original[s.src], original[s.out] = s.src, s.src
	}
	var originals []string
	for _, s := range specs {
		if !slices.Contains(originals, s.src) {
			originals = append(originals, s.src)
		}
	}
	slices.Sort(originals)
	group, n := map[string]string{}, map[string]int{}
	for _, o := range originals {
		lang := o[:2]
		n[lang]++
		group[o] = fmt.Sprintf("%s-copy%d", lang, n[lang])
	}
	var story, copies bytes.Buffer
	story.WriteString("article,story\n")
	copies.WriteString("article,story\n")
	for _, f := range files {
		base := strings.TrimSuffix(filepath.Base(f), filepath.Ext(f))
		lang, kind := base[:2], "event"
		if strings.HasSuffix(base, "-04") {
			kind = "other"
		}
		fmt.Fprintf(&story, "%s,%s-%s\n", f, lang, kind)
		g := "single-" + base
		if o, ok := original[f]; ok {
			g = group[o]
		}
		fmt.Fprintf(&copies, "%s,%s\n", f, g)
	}
	return map[string][]byte{"labels-story.csv": story.Bytes(), "labels-copy.csv": copies.Bytes()}, nil
}

func build(dir string, s copySpec) ([]byte, error) {
	b, err := os.ReadFile(filepath.Join(dir, s.src))
	if err != nil {
		return nil, err
	}
	var a article
	if err := json.Unmarshal(b, &a); err != nil {
		return nil, fmt.Errorf("%s: %w", s.src, err)
	}
	for _, r := range s.replace {
		if n := strings.Count(a.Text, r[0]); n != 1 {
			return nil, fmt.Errorf("replace %q: found %d times in %s, want 1", r[0], n, s.src)
		}
		a.Text = strings.Replace(a.Text, r[0], r[1], 1)
	}
	for _, d := range s.drop {
		if n := strings.Count(a.Text, d); n != 1 {
			return nil, fmt.Errorf("drop %q: found %d times in %s, want 1", d, n, s.src)
		}
		a.Text = strings.Replace(a.Text, d, "", 1)
	}
	a.Text += "\n\n" + s.footer
	for _, f := range []struct {
		dst *string
		v   string
	}{{&a.Title, s.title}, {&a.Date, s.date}, {&a.Source, s.source}, {&a.URL, s.url}} {
		if f.v != "" {
			*f.dst = f.v
		}
	}
	var out []byte
	switch s.format {
	case "json":
		var buf bytes.Buffer
		e := json.NewEncoder(&buf)
		e.SetEscapeHTML(false)
		e.SetIndent("", " ")
		if err := e.Encode(a); err != nil {
			return nil, err
		}
		out = buf.Bytes()
	case "txt":
		// The plain-text layout of testdata/seeds: date line, title, body.
		out = []byte("date " + a.Date + "\n" + a.Title + "\n\n" + a.Text + "\n")
	case "html":
		out = []byte(page(a, s.lang, s.charset))
	default:
		return nil, fmt.Errorf("unknown format %q", s.format)
	}
	if s.enc != nil {
		// Fails on any rune the legacy charset cannot hold, so no file is
		// written with silent replacement characters.
		if out, err = s.enc.NewEncoder().Bytes(out); err != nil {
			return nil, fmt.Errorf("encode: %w", err)
		}
	}
	return out, nil
}

// page renders a minimal news page that declares its charset the way legacy
// sites do.
func page(a article, lang, charset string) string {
	var b strings.Builder
	// Escape only what HTML requires, as legacy pages do: no &#39; for
	// every apostrophe.
	e := strings.NewReplacer("&", "&amp;", "<", "&lt;", ">", "&gt;", `"`, "&quot;").Replace
	fmt.Fprintf(&b, "<!DOCTYPE html>\n<html lang=\"%s\">\n<head>\n<meta charset=\"%s\">\n<title>%s | %s</title>\n", lang, charset, e(a.Title), e(a.Source))
	fmt.Fprintf(&b, "<meta property=\"og:site_name\" content=\"%s\">\n<meta property=\"og:url\" content=\"%s\">\n", e(a.Source), e(a.URL))
	fmt.Fprintf(&b, "<meta property=\"article:published_time\" content=\"%s\">\n</head>\n<body>\n<article>\n<h1>%s</h1>\n", a.Date, e(a.Title))
	for _, p := range strings.Split(a.Text, "\n\n") {
		fmt.Fprintf(&b, "<p>%s</p>\n", e(p))
	}
	b.WriteString("</article>\n</body>\n</html>\n")
	return b.String()
}
