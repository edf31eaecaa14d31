// Command sweepstory measures story quality on every labelled set for each
// value of one clustering parameter: the sweeps behind docs/QUALITY.md.
// Every set is signed once; each value then clusters the same signatures.
//
//	sweepstory -param CoherenceRatio -values 0,0.6,0.7,0.8
//	sweepstory -param StoryThreshold -values 0.14,0.18,0.22 -synth 0
//
// Sets: BASIL, BASIL without dates, BASIL with one report of every event
// re-dated 14 days later (a stand-in for follow-ups), ECB+, and a synthetic
// corpus (internal/synth, seed 1), as generated and with every second article
// of each story 30 days later (follow-ups reported by several articles).
// Only the articles that sign are scored (all 982 of ECB+ sign now; `make
// eval` would count a rejected one as a miss). Each cell is story ARI
// (pairwise precision / recall).
package main

import (
	"errors"
	"flag"
	"fmt"
	"os"
	"path/filepath"
	"reflect"
	"slices"
	"strconv"
	"strings"
	"time"

	"github.com/newsdedup/newsdedup/internal/article"
	"github.com/newsdedup/newsdedup/internal/cluster"
	"github.com/newsdedup/newsdedup/internal/eval"
	"github.com/newsdedup/newsdedup/internal/signature"
	"github.com/newsdedup/newsdedup/internal/synth"
)

type set struct {
	name  string
	sigs  []*signature.Signature
	truth eval.Partition
}

func main() {
	if err := run(); err != nil {
		fmt.Fprintln(os.Stderr, "sweepstory:", err)
		os.Exit(1)
	}
}

func run() error {
	data := flag.String("data", "../shared/datasets", "`folder` holding basil/ and ecbplus/")
	n := flag.Int("synth", 10000, "synthetic `articles` (0: none)")
	param := flag.String("param", "StoryThreshold", "`name` of a float or int field of cluster.Params")
	values := flag.String("values", "", "comma-separated `values` to try; empty: the default only")
	flag.Parse()

	var sets []set
	for _, v := range []struct {
		name, dir string
		edit      func(*article.Article, bool)
	}{
		{"BASIL", "basil", nil},
		{"BASIL undated", "basil", func(a *article.Article, _ bool) { a.Date = "" }},
		{"BASIL +14 d", "basil", redate(14)},
		{"ECB+", "ecbplus", nil},
	} {
		s, err := load(v.name, filepath.Join(*data, v.dir), v.edit)
		if err != nil {
			return err
		}
		sets = append(sets, s)
	}
	if *n > 0 {
		for _, later := range []int{0, 30} {
			s, err := generate(*n, later)
			if err != nil {
				return fmt.Errorf("synthetic corpus: %w", err)
			}
			sets = append(sets, s)
		}
	}

	head := "| " + *param + " |"
	for _, s := range sets {
		head += " " + s.name + " |"
	}
	fmt.Println(head)
	fmt.Println("|---" + strings.Repeat("|---", len(sets)) + "|")
	vals := strings.Split(*values, ",")
	if *values == "" {
		vals = []string{""}
	}
	for _, v := range vals {
		p := cluster.DefaultParams()
		if v != "" {
			if err := setField(&p, *param, v); err != nil {
				return err
			}
		}
		row := "| " + cmpOr(v, "default") + " |"
		for _, s := range sets {
			res := cluster.Run(s.sigs, p)
			pred := eval.Partition{}
			for k, st := range res.Stories {
				for _, m := range st.Members {
					pred[s.sigs[m].Key] = strconv.Itoa(k)
				}
			}
			sc, err := eval.Score(pred, s.truth)
			if err != nil {
				return fmt.Errorf("%s: %w", s.name, err)
			}
			row += fmt.Sprintf(" %.3f (%.2f / %.2f) |", sc.ARI, sc.Precision, sc.Recall)
		}
		fmt.Println(row)
	}
	return nil
}

func cmpOr(s, or string) string {
	if s == "" {
		return or
	}
	return s
}

// redate moves the last report of every event (by key) days later.
func redate(days int) func(*article.Article, bool) {
	return func(a *article.Article, last bool) {
		if last {
			a.Date = later(a.Date, days)
		}
	}
}

// later returns date (YYYY-MM-DD) days later; a missing or unreadable date
// stays as it is.
func later(date string, days int) string {
	t, err := time.Parse("2006-01-02", date)
	if err != nil {
		return date
	}
	return t.AddDate(0, 0, days).Format("2006-01-02")
}

// load signs the labelled articles of dir (labels.csv: article,story),
// applying edit (told whether the article is its story's last by key).
func load(name, dir string, edit func(*article.Article, bool)) (set, error) {
	f, err := os.Open(filepath.Join(dir, "labels.csv"))
	if err != nil {
		return set{}, err
	}
	labels, err := eval.ReadLabels(f)
	f.Close()
	if err != nil {
		return set{}, fmt.Errorf("%s: %w", dir, err)
	}
	keys := make([]string, 0, len(labels))
	for k := range labels {
		keys = append(keys, k)
	}
	slices.Sort(keys)
	last := map[string]string{}
	for _, k := range keys {
		last[labels[k]] = k
	}
	c := signature.NewComputer()
	s := set{name: name, truth: eval.Partition{}}
	for _, k := range keys {
		b, err := os.ReadFile(filepath.Join(dir, k))
		if err != nil {
			return set{}, err
		}
		a, err := article.Parse(k, b, article.Limits{})
		var rej *article.RejectError
		if errors.As(err, &rej) {
			continue // not signed: not scored
		}
		if err != nil {
			return set{}, err
		}
		if edit != nil {
			edit(&a, last[labels[k]] == k)
		}
		s.sigs = append(s.sigs, c.Compute(&a))
		s.truth[k] = labels[k]
	}
	return s, nil
}

// generate signs n synthetic articles. With days > 0 it stands in for
// follow-ups reported by several articles: every second article of each
// story (in the order generated) is dated days after its date, so a
// story is two groups weeks apart, each of several articles.
func generate(n, days int) (set, error) {
	name := fmt.Sprintf("synthetic %d", n)
	if days > 0 {
		name = fmt.Sprintf("synthetic, halves +%d d", days)
	}
	s := set{name: name, truth: eval.Partition{}}
	c := signature.NewComputer()
	seen := map[string]int{}
	err := synth.Each(synth.Config{Articles: n, Seed: 1}, func(a article.Article, story, _ string) error {
		s.truth[a.Key] = story
		if seen[story]++; days > 0 && seen[story]%2 == 0 {
			a.Date = later(a.Date, days)
		}
		s.sigs = append(s.sigs, c.Compute(&a))
		return nil
	})
	return s, err
}

// setField sets the float64 or int field name of p from text.
func setField(p *cluster.Params, name, text string) error {
	f := reflect.ValueOf(p).Elem().FieldByName(name)
	switch {
	case !f.IsValid():
		return fmt.Errorf("cluster.Params has no field %q", name)
	case f.Kind() == reflect.Float64:
		x, err := strconv.ParseFloat(text, 64)
		if err != nil {
			return fmt.Errorf("%s: %w", name, err)
		}
		f.SetFloat(x)
	case f.Kind() == reflect.Int:
		x, err := strconv.Atoi(text)
		if err != nil {
			return fmt.Errorf("%s: %w", name, err)
		}
		f.SetInt(int64(x))
	default:
		return fmt.Errorf("%s is a %s, not a number", name, f.Kind())
	}
	return nil
}
