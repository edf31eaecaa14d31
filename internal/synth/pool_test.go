package synth

import (
	"reflect"
	"testing"
)

func TestSplitSentences(t *testing.T) {
	tests := []struct {
		in   string
		want []string
	}{
		{"Mr. Smith went to Washington. He met Gen. Lee there.", []string{"Mr. Smith went to Washington.", "He met Gen. Lee there."}},
		{"The U.S. Army said so. It was 3.5 miles.", []string{"The U.S. Army said so.", "It was 3.5 miles."}},
		{`"We will win. We always do," he said. Then he left.`, []string{`"We will win."`, `"We always do," he said.`, "Then he left."}},
		{`He said "yes." She agreed!`, []string{`He said "yes."`, "She agreed!"}},
		{"Is it? no, it is not.", []string{"Is it? no, it is not."}},
	}
	for _, tt := range tests {
		if got := splitSentences(tt.in); !reflect.DeepEqual(got, tt.want) {
			t.Errorf("splitSentences(%q)\n got %q\nwant %q", tt.in, got, tt.want)
		}
	}
}

func TestFold(t *testing.T) {
	got := fold("“Quote” — it’s  here\u00a0now\r\nnext")
	want := `"Quote" - it's here now` + "\nnext"
	if got != want {
		t.Errorf("fold = %q, want %q", got, want)
	}
}

func TestPerm(t *testing.T) {
	for _, n := range []int{1, 2, 10, 1000, 997, 1024} {
		p := newPerm(n, 42)
		seen := make([]bool, n)
		for i := 0; i < n; i++ {
			j := p.at(i)
			if j < 0 || j >= n || seen[j] {
				t.Fatalf("n=%d: perm(%d)=%d repeats or is out of range", n, i, j)
			}
			seen[j] = true
		}
	}
}

func TestQuotedWords(t *testing.T) {
	in, out := quotedWords(`"We will not back down, not now," she said.`)
	if in != 7 || out != 2 {
		t.Errorf("quotedWords = %d in, %d out; want 7, 2", in, out)
	}
}
