package report

import (
	"bytes"
	"flag"
	"os"
	"path/filepath"
	"testing"
)

var (
	exampleOut = flag.String("example", "", "also write the example report's HTML to this file (to look at it in a browser)")
	update     = flag.Bool("update", false, "rewrite the golden files in testdata/report")
)

// hostileTitle and friends are what a crafted upload could put in a report.
const (
	hostileTitle  = `<script>alert(1)</script> Flood warnings issued along the river`
	hostileSource = `"><img src=x onerror=alert(1)>`
	hostileKey    = `../../etc/passwd"><script>alert(2)</script>.txt`
	hostileURL    = `javascript:alert(3)`
)

// exampleReport is a small but complete report: three stories with two or
// more articles (one with two copy groups and folded passages, one with a
// hostile title, source, key and URL, one with no copies),
// three single-article stories and two rejected files.
func exampleReport() *Report {
	return &Report{
		Schema:      Schema,
		GeneratedAt: "2024-03-21T14:05:09Z",
		Articles:    13,
		Previous:    "2024-03-20T14:05:11Z",
		Stories: []Story{
			{
				ID:          "s-7f3a",
				Title:       "Central bank raises interest rates by half a point to curb inflation",
				FirstSeen:   "2024-03-20",
				LastSeen:    "2024-03-21",
				Sources:     []string{"BBC News", "Daily Gazette", "Metro Herald", "Reuters", "The Northern Echo"},
				Status:      StatusContinuing,
				NewArticles: []string{"2024/03/21/metro-rates.txt", "2024/03/21/echo-rates.json", "2024/03/21/echo-rates-print.txt"},
				MergedFrom:  []string{"s-7f40"},
				Articles: []Article{
					{Key: "2024/03/20/reuters-rates.json", Title: "Central bank raises rates by half a point to curb inflation", Source: "Reuters", Date: "2024-03-20", URL: "https://www.reuters.example/markets/rates-0320", CopyGroup: "c-19", Language: "en"},
					{Key: "2024/03/20/gazette-rates.html", Title: "Bank lifts rates by 0.5 points as prices climb", Source: "Daily Gazette", Date: "2024-03-20", URL: "https://gazette.example/business/bank-lifts-rates", CopyGroup: "c-19"},
					{Key: "2024/03/21/metro-rates.txt", Title: "Rates up again: what it means for your mortgage", Source: "Metro Herald", Date: "2024-03-21", CopyGroup: "c-19"},
					{Key: "2024/03/20/bbc-rates.html", Title: "Interest rates rise to 5.75% in surprise move", Source: "BBC News", Date: "2024-03-20", URL: "https://www.bbc.example/news/business-1"},
					{Key: "2024/03/21/echo-rates.json", Title: "Borrowers face higher costs after rate decision", Source: "The Northern Echo", Date: "2024-03-21", URL: "https://echo.example/news/rates", CopyGroup: "c-20"},
					{Key: "2024/03/21/echo-rates-print.txt", Title: "Borrowers face higher costs after rate decision (print)", Source: "The Northern Echo", Date: "2024-03-21", CopyGroup: "c-20"},
				},
				Copies: [][]string{
					{"2024/03/20/reuters-rates.json", "2024/03/20/gazette-rates.html", "2024/03/21/metro-rates.txt"},
					{"2024/03/21/echo-rates.json", "2024/03/21/echo-rates-print.txt"},
				},
				Evidence: []CopyGroup{
					{
						ID:      "c-19",
						Members: []string{"2024/03/20/reuters-rates.json", "2024/03/20/gazette-rates.html", "2024/03/21/metro-rates.txt"},
						Pairs: []Pair{
							{
								Keys:            [2]string{"2024/03/20/reuters-rates.json", "2024/03/20/gazette-rates.html"},
								Containment:     0.94,
								SharedSentences: 12,
								Passages: []string{
									"The central bank raised its benchmark rate by 50 basis points to 5.75 per cent on Wednesday, its largest increase in more than a year.",
									"Policymakers voted seven to two for the move, with the two dissenters favouring a smaller rise of a quarter point.",
								},
							},
							{
								Keys:            [2]string{"2024/03/20/reuters-rates.json", "2024/03/21/metro-rates.txt"},
								Containment:     0.67,
								SharedSentences: 7,
								Passages: []string{
									"The central bank raised its benchmark rate by 50 basis points to 5.75 per cent on Wednesday, its largest increase in more than a year.",
									"Inflation stood at 6.8 per cent in February, more than three times the bank's target.",
									"Markets had priced in a smaller move, and the currency rose sharply after the announcement.",
									"The governor said further increases could not be ruled out if price pressures persisted.",
									"Mortgage lenders are expected to pass on the rise within days.",
								},
							},
						},
					},
					{
						ID:      "c-20",
						Members: []string{"2024/03/21/echo-rates.json", "2024/03/21/echo-rates-print.txt"},
						Pairs: []Pair{{
							Keys:            [2]string{"2024/03/21/echo-rates.json", "2024/03/21/echo-rates-print.txt"},
							Containment:     1,
							SharedSentences: 15,
							Passages:        []string{"Homeowners on tracker mortgages will see their monthly payments rise from next month."},
						}},
					},
				},
			},
			{
				ID:          "s-2b10",
				Title:       hostileTitle,
				FirstSeen:   "2024-03-18",
				LastSeen:    "2024-03-19",
				Sources:     []string{hostileSource, "Associated Press", "Valley Courier"},
				Status:      StatusContinuing,
				NewArticles: []string{},
				Articles: []Article{
					{Key: "2024/03/18/ap-floods.json", Title: "Flood warnings issued along the river as rain continues", Source: "Associated Press", Date: "2024-03-18", URL: "https://apnews.example/article/floods", CopyGroup: "c-7"},
					{Key: hostileKey, Title: hostileTitle, Source: hostileSource, Date: "2024-03-19", CopyGroup: "c-7"},
					{Key: "2024/03/19/courier-floods.html", Title: "Residents sandbag homes as river rises", Source: "Valley Courier", Date: "2024-03-19"},
				},
				Copies: [][]string{{"2024/03/18/ap-floods.json", hostileKey}},
				Evidence: []CopyGroup{{
					ID:      "c-7",
					Members: []string{"2024/03/18/ap-floods.json", hostileKey},
					Pairs: []Pair{{
						Keys:            [2]string{"2024/03/18/ap-floods.json", hostileKey},
						Containment:     0.88,
						SharedSentences: 1,
						Passages:        []string{`Officials urged residents to "stay away from the banks" <b>until further notice</b> & to follow updates.`},
					}},
				}},
			},
			{
				ID:          "s-0c44",
				Title:       "City council approves new protected cycle lanes on three main roads",
				FirstSeen:   "2024-03-15",
				LastSeen:    "2024-03-15",
				Sources:     []string{"City Times", "Evening Post"},
				Status:      StatusNew,
				NewArticles: []string{"2024/03/15/citytimes-cycle.html", "2024/03/15/post-cycle.json"},
				Articles: []Article{
					{Key: "2024/03/15/citytimes-cycle.html", Title: "Council backs protected cycle lanes", Source: "City Times", Date: "2024-03-15", URL: "https://citytimes.example/cycle-lanes"},
					{Key: "2024/03/15/post-cycle.json", Title: "Three roads to get segregated bike lanes after council vote", Source: "Evening Post", Date: "2024-03-15"},
				},
				Copies:   [][]string{},
				Evidence: []CopyGroup{},
				Rewrites: []Rewrite{{
					Original: "2024/03/15/citytimes-cycle.html", Rewrite: "2024/03/15/post-cycle.json",
					Direction: DirectionUnknown, AlignedSentences: 6, Coverage: 0.75,
					Pairs: [][2]string{
						{"The council voted 9 to 4 on Thursday to build protected cycle lanes on Mill Road, Station Street and the Parade.", "Mill Road, Station Street and the Parade will get segregated bike lanes after councillors backed the plan 9-4 on Thursday."},
						{"Work is due to start in June and cost £2.1 million.", "Construction, budgeted at £2.1m, should begin in June."},
					},
				}},
			},
			singleStory("s-9001", "Local bakery wins national award for sourdough", "Evening Post", "2024-03-12", "2024/03/12/post-bakery.json"),
			singleStory("s-9002", "Museum extends opening hours for spring exhibition", "City Times", "2024-03-14", "2024/03/14/citytimes-museum.html"),
			singleStory("s-9003", "", "", "", "misc/untitled-note.txt"),
		},
		Rejected: []Rejected{
			{Key: "2024/03/20/scan-0042.pdf", Reason: "unsupported format: PDF"},
			{Key: "=cmd|' /C calc'!A0.txt", Reason: "no text left after decoding"},
		},
	}
}

// hostileExample is the example with a javascript: URL on the hostile
// article: the parser never lets one through, so the example report, which
// must follow the schema, has none; the page must still cope.
func hostileExample() *Report {
	r := exampleReport()
	r.Stories[1].Articles[1].URL = hostileURL
	return r
}

func singleStory(id, title, source, date, key string) Story {
	sources := []string{}
	if source != "" {
		sources = append(sources, source)
	}
	return Story{
		ID: id, Title: title, FirstSeen: date, LastSeen: date, Sources: sources,
		Articles: []Article{{Key: key, Title: title, Source: source, Date: date}},
		Copies:   [][]string{}, Evidence: []CopyGroup{},
		Status: StatusNew, NewArticles: []string{key},
	}
}

// TestExampleReport renders the example in all three formats, compares the
// JSON with its golden file, and writes the HTML where -example says.
func TestExampleReport(t *testing.T) {
	r := exampleReport()
	var js, csvOut, page bytes.Buffer
	if err := WriteJSON(&js, r); err != nil {
		t.Fatal(err)
	}
	if err := WriteCSV(&csvOut, r); err != nil {
		t.Fatal(err)
	}
	if err := WriteHTML(&page, r); err != nil {
		t.Fatal(err)
	}
	golden(t, "example.json", js.Bytes())
	golden(t, "example.csv", csvOut.Bytes())
	if *exampleOut != "" {
		if err := os.WriteFile(*exampleOut, page.Bytes(), 0o644); err != nil {
			t.Fatal(err)
		}
		t.Logf("wrote %s", *exampleOut)
	}
	if err := checkSafeHTML(page.String()); err != nil {
		t.Fatal(err)
	}
}

func golden(t *testing.T, name string, got []byte) {
	t.Helper()
	path := filepath.Join("..", "..", "testdata", "report", name)
	if *update {
		if err := os.MkdirAll(filepath.Dir(path), 0o755); err != nil {
			t.Fatal(err)
		}
		if err := os.WriteFile(path, got, 0o644); err != nil {
			t.Fatal(err)
		}
	}
	want, err := os.ReadFile(path)
	if err != nil {
		t.Fatalf("%v (run go test ./internal/report -run TestExampleReport -update to create it)", err)
	}
	if !bytes.Equal(got, want) {
		t.Errorf("%s differs from the golden file %s (rerun with -update if the change is intended)\ngot:\n%s", name, path, got)
	}
}
