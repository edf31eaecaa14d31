package eval

import (
	"maps"
	"strings"
	"testing"
)

func TestReadLabels(t *testing.T) {
	tests := []struct {
		name    string
		in      string
		want    Partition
		wantErr string // substring of the error; "" means success
	}{
		{
			name: "plain",
			in:   "article,story\na.txt,s1\nb.txt,s1\nc.txt,s2\n",
			want: Partition{"a.txt": "s1", "b.txt": "s1", "c.txt": "s2"},
		},
		{
			name: "header with BOM, case and spaces; CRLF",
			in:   "\uFEFF Article , STORY\r\na.txt,s1\r\n",
			want: Partition{"a.txt": "s1"},
		},
		{
			name: "clusters.csv with copy_group column",
			in:   "article,story,copy_group\na.txt,s1,c1\nb.txt,s1,\n",
			want: Partition{"a.txt": "s1", "b.txt": "s1"},
		},
		{
			name: "quoted keys with commas and an empty story",
			in:   "article,story\n\"2024/x, y.txt\",s1\nlone.txt,\n",
			want: Partition{"2024/x, y.txt": "s1", "lone.txt": ""},
		},
		{
			name: "keys are not trimmed",
			in:   "article,story\n a.txt,s1\na.txt,s1\n",
			want: Partition{" a.txt": "s1", "a.txt": "s1"},
		},
		{
			name: "header only",
			in:   "article,story\n",
			want: Partition{},
		},
		{name: "empty input", in: "", wantErr: "missing header article,story"},
		{name: "no header", in: "a.txt,s1\nb.txt,s2\n", wantErr: `line 1: header must start with article,story; got "a.txt,s1"`},
		{name: "swapped header", in: "story,article\ns1,a.txt\n", wantErr: "line 1: header must start with article,story"},
		{name: "one-column header", in: "article\na.txt\n", wantErr: "line 1: header must start with article,story"},
		{name: "duplicate article", in: "article,story\na.txt,s1\nb.txt,s1\na.txt,s2\n", wantErr: `line 4: duplicate article "a.txt" (first on line 2)`},
		{name: "duplicate even with same story", in: "article,story\na.txt,s1\na.txt,s1\n", wantErr: `line 3: duplicate article "a.txt" (first on line 2)`},
		{name: "too many columns", in: "article,story\na.txt,s1\nb.txt,s1,extra\n", wantErr: "line 3: want 2 columns like the header, got 3"},
		{name: "too few columns", in: "article,story,copy_group\na.txt,s1\n", wantErr: "line 2: want 3 columns like the header, got 2"},
		{name: "empty article", in: "article,story\n,s1\n", wantErr: "line 2: empty article key"},
		{name: "line numbers count quoted newlines", in: "article,story\n\"multi\nline.txt\",s1\nb.txt\n", wantErr: "line 4: want 2 columns"},
		{name: "bad quoting", in: "article,story\na\"b.txt,s1\n", wantErr: "line 2"},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			got, err := ReadLabels(strings.NewReader(tc.in))
			if tc.wantErr != "" {
				if err == nil {
					t.Fatalf("ReadLabels = %v, want error containing %q", got, tc.wantErr)
				}
				if !strings.Contains(err.Error(), tc.wantErr) {
					t.Fatalf("error = %q, want it to contain %q", err, tc.wantErr)
				}
				return
			}
			if err != nil {
				t.Fatal(err)
			}
			if !maps.Equal(got, tc.want) {
				t.Fatalf("ReadLabels = %v, want %v", got, tc.want)
			}
		})
	}
}

// The labels a person writes and the clusters.csv newsdedup writes score
// together end to end.
func TestReadLabelsThenScore(t *testing.T) {
	truth, err := ReadLabels(strings.NewReader("article,story\na,1\nb,1\nc,1\nd,2\ne,2\n"))
	if err != nil {
		t.Fatal(err)
	}
	pred, err := ReadLabels(strings.NewReader("article,story,copy_group\na,x,\nb,x,g\nc,y,g\nd,y,\ne,y,\nf,y,\n"))
	if err != nil {
		t.Fatal(err)
	}
	got, err := Score(pred, truth)
	if err != nil {
		t.Fatal(err)
	}
	// Same as "split and merge" in TestScoreHandComputed; f is not labelled and ignored.
	assertScores(t, got, Scores{Items: 5, Precision: 0.5, Recall: 0.5, F1: 0.5, ARI: 1.0 / 6,
		BCubedPrecision: 11.0 / 15, BCubedRecall: 11.0 / 15, BCubedF1: 11.0 / 15})
}
