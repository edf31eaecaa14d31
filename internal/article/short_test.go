package article

import "testing"

func TestShortItems(t *testing.T) {
	const brief = "A magnitude 6.4 earthquake struck off Sumatra near Padang on Tuesday; no tsunami warning was issued."
	tests := []struct {
		name, key, data string
		title, text     string
	}{
		{"one-sentence brief", "a.txt", brief + "\n",
			"A magnitude 6.4 earthquake struck off Sumatra near Padang on Tuesday; no tsunami warning was issued", brief},
		{"brief with a title line", "a.txt", "Quake off Sumatra\n\n" + brief + "\n", "Quake off Sumatra", brief},
		{"title-only JSON flash", "a.json", `{"title": "Magnitude 6.4 quake strikes off Sumatra", "date": "2024-03-05"}`,
			"Magnitude 6.4 quake strikes off Sumatra", "Magnitude 6.4 quake strikes off Sumatra"},
		{"JSON flash, body under the floor", "a.json", `{"title": "Quake strikes off Sumatra", "text": "More soon."}`,
			"Quake strikes off Sumatra", "Quake strikes off Sumatra\n\nMore soon."},
		{"title-only HTML flash", "a.html", `<html><head><title>Quake strikes off Sumatra</title></head><body><h1>Quake strikes off Sumatra</h1></body></html>`,
			"Quake strikes off Sumatra", "Quake strikes off Sumatra"},
		{"HTML brief in a short <article>", "a.html", `<html><body><nav>Home News Sport</nav><article><h1>Quake off Sumatra</h1><p>` + brief +
			`</p></article><footer>Share this story</footer></body></html>`, "Quake off Sumatra", brief},
		{"three-word headline", "a.txt", "Wellington supermarket fire\n", "Wellington supermarket fire", "Wellington supermarket fire"},
		{"Chinese flash (8 characters)", "a.json", `{"title": "苏门答腊发生地震"}`, "苏门答腊发生地震", "苏门答腊发生地震"},
		{"Japanese flash (6 characters)", "a.txt", "スマトラ沖地震\n", "スマトラ沖地震", "スマトラ沖地震"},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			a := mustParse(t, tc.key, []byte(tc.data))
			if a.Title != tc.title {
				t.Errorf("title %q, want %q", a.Title, tc.title)
			}
			if a.Text != tc.text {
				t.Errorf("text %q, want %q", a.Text, tc.text)
			}
		})
	}
}

func TestTextWords(t *testing.T) {
	tests := []struct {
		s    string
		want int
	}{
		{"", 0},
		{"Read more", 2},
		{"Esther Williams dies at 91.", 5},
		{"- | * • —", 0},
		{"404 Not Found", 3},
		{"Café über naïve", 3},
		{"地震", 1},
		{"苏门答腊发生地震", 4},
		{"G7サミット開幕", 4},   // "G7" and six Katakana/Han letters
		{"แผ่นดินไหว", 4}, // eight Thai letters; the two marks do not count
		{"Москва Париж", 2},
		{"पेरिस में भूकंप", 3}, // Devanagari is written with spaces
	}
	for _, tc := range tests {
		if got := textWords(tc.s, 100); got != tc.want {
			t.Errorf("textWords(%q) = %d, want %d", tc.s, got, tc.want)
		}
	}
	if got := textWords("one two three four five", 3); got != 3 {
		t.Errorf("limit: got %d, want 3", got)
	}
}
