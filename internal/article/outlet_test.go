package article

import (
	"strings"
	"testing"
)

func TestOutletFromText(t *testing.T) {
	body := "Russian President Vladimir Putin hosted Iranian President Ebrahim Raisi in Moscow on Thursday, a day after visiting the UAE and Saudi Arabia for talks."
	tests := []struct{ name, text, want string }{
		{"source line with agencies", body + "\n\nSOURCE:TRTWorld and agencies", "TRT World"},
		{"source line, first of several", body + "\n\nSources: Reuters, AFP", "Reuters"},
		{"source line, slash list", body + "\n\nSource: AP/Reuters", "AP"},
		{"via line", body + "\n\nVia: Al Jazeera", "Al Jazeera"},
		{"dateline credit", "WASHINGTON (Reuters) - " + body, "Reuters"},
		{"dateline with date", "GENEVA, March 3 (AFP) — " + body, "AFP"},
		{"bare credit", "(CNN) — " + body, "CNN"},
		{"title-case dateline after a repeated headline", "Colorado's top cop defends pot law\n\nDenver (AP) – " + body, "AP"},
		{"two-word dateline", "New York (Reuters) - " + body, "Reuters"},
		{"sign-off", body + " He left on Friday. — AP", "AP"},
		{"sign-off paragraph", body + "\n\n— The Associated Press", "The Associated Press"},
		// Not credits: a sentence after "Source:", a parenthesis inside the
		// text, a dash inside a sentence, an abbreviation in brackets.
		{"source sentence", body + "\n\nSource: the ministry said it would publish figures later this week", ""},
		{"ticker in brackets", "Microsoft (NSDQ : MSFT) has released a patch. " + body, ""},
		{"score in brackets", "The Colts (10-5) - who won again - " + body, ""},
		{"lower-case sign-off", body + " It was over - for now", ""},
		{"none", body, ""},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			a := mustParse(t, "a.txt", []byte(tc.text))
			if a.Source != tc.want {
				t.Errorf("Source = %q, want %q", a.Source, tc.want)
			}
		})
	}
}

func TestOutletOrder(t *testing.T) {
	body := `"Russian President Vladimir Putin hosted Iranian President Ebrahim Raisi in Moscow on Thursday, a day after visiting the UAE and Saudi Arabia for talks.\n\nSOURCE: Wire Daily"`
	para := "<p>" + strings.Repeat("Putin and Raisi met in Moscow to talk about Gaza. ", 3) + "</p>"
	ld := func(s string) string { return `<script type="application/ld+json">` + s + `</script>` }
	tests := []struct{ name, file, data, want string }{
		{"JSON source beats the text", "a.json", `{"source":"Meta News","url":"https://www.example.co.uk/x","text":` + body + `}`, "Meta News"},
		{"text beats the URL", "a.json", `{"url":"https://www.example.co.uk/x","text":` + body + `}`, "Wire Daily"},
		{"registrable domain", "a.json", `{"url":"https://news.world.example.co.uk:8080/x","text":"` + strings.Repeat("word ", 25) + `"}`, "example.co.uk"},
		{"private suffix is its own outlet", "a.json", `{"url":"https://someone.blogspot.com/x","text":"` + strings.Repeat("word ", 25) + `"}`, "someone.blogspot.com"},
		{"IP address names no outlet", "a.json", `{"url":"http://192.0.2.7/x","text":"` + strings.Repeat("word ", 25) + `"}`, ""},
		{"og:site_name", "a.html", `<meta property="og:site_name" content="Site"><meta property="og:url" content="https://a.example.com/">` + ld(`{"publisher":{"name":"LD"}}`) + para, "Site"},
		{"JSON-LD publisher in @graph", "a.html", ld(`{"@graph":[{"@type":"WebPage"},{"@type":"NewsArticle","publisher":{"@type":"NewsMediaOrganization","name":"LD News"}}]}`) + para, "LD News"},
		{"JSON-LD organisation author", "a.html", ld(`[{"@type":"NewsArticle","author":[{"@type":"Person","name":"Jane Doe"},{"@type":"Organization","name":"Org Wire"}]}]`) + para, "Org Wire"},
		{"JSON-LD person author is not an outlet", "a.html", ld(`{"@type":"NewsArticle","author":{"@type":"Person","name":"Jane Doe"}}`) + `<link rel="canonical" href="https://www.paper.example.org/a">` + para, "example.org"},
		{"corrupt JSON-LD ignored", "a.html", ld(`{"publisher":`) + para, ""},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			if a := mustParse(t, tc.file, []byte(tc.data)); a.Source != tc.want {
				t.Errorf("Source = %q, want %q", a.Source, tc.want)
			}
		})
	}
}

func TestNormalizeOutlet(t *testing.T) {
	for in, want := range map[string]string{
		"TRTWorld and agencies":             "TRT World",
		"NBCNews":                           "NBC News",
		"HuffPost":                          "HuffPost",
		"BBC News.":                         "BBC News",
		"Reuters with wires":                "Reuters",
		"Agence France-Presse":              "Agence France-Presse",
		"Channel 4 News":                    "Channel 4 News",
		"agencies":                          "",
		"the ministry":                      "",
		"One Two Three Four Five Six Seven": "",
	} {
		if got := normalizeOutlet(in); got != want {
			t.Errorf("normalizeOutlet(%q) = %q, want %q", in, got, want)
		}
	}
}
