// Command gencorpus writes a synthetic corpus of news articles with known
// stories and copies (see internal/synth) for benchmarks and quality checks
// at scale.
//
//	gencorpus -n 10000 -seed 1 -out DIR [-labels FILE] [-copies FILE]
//
// Articles are JSON files (title, date, source, url, text) in DIR, at most
// 1000 per subfolder: DIR/0000/0000000.json ... The ground truth goes beside
// DIR, not inside it (every file of DIR is an article to newsdedup):
// DIR.labels.csv (article,story), DIR.copies.csv (article,copy_of) and
// DIR.copygroups.csv (article,story where "story" is the copy group, named by
// its original: the partition newsdedup eval -level copy scores), with
// article paths relative to DIR. Articles are streamed to disk one story at a
// time, so a million of them need little memory.
package main

import (
	"bufio"
	"bytes"
	"encoding/csv"
	"encoding/json"
	"errors"
	"flag"
	"fmt"
	"os"
	"path/filepath"
	"strings"
	"time"

	"github.com/newsdedup/newsdedup/internal/article"
	"github.com/newsdedup/newsdedup/internal/synth"
)

func main() {
	if err := run(os.Args[1:]); err != nil {
		fmt.Fprintln(os.Stderr, "gencorpus:", err)
		os.Exit(1)
	}
}

type fileArticle struct {
	Title  string `json:"title"`
	Date   string `json:"date,omitempty"`
	Source string `json:"source"`
	URL    string `json:"url"`
	Text   string `json:"text"`
}

func run(args []string) error {
	fs := flag.NewFlagSet("gencorpus", flag.ContinueOnError)
	n := fs.Int("n", 10000, "number of `articles`")
	seed := fs.Int64("seed", 1, "random seed: the same seed and flags give the same corpus")
	out := fs.String("out", "", "output `folder` for the article files (required)")
	labels := fs.String("labels", "", "story labels CSV `file` (article,story); default OUT.labels.csv")
	copies := fs.String("copies", "", "copy ground truth CSV `file` (article,copy_of); default OUT.copies.csv")
	groups := fs.String("copy-groups", "", "copy groups as a partition CSV `file` (article,story: the group's original) for newsdedup eval -level copy; default OUT.copygroups.csv")
	storySize := fs.Float64("story-size", 5, "mean articles per story")
	copyRate := fs.Float64("copy-rate", 0.15, "share of articles that copy another of their story (0 for none)")
	days := fs.Int("days", 30, "days the corpus spans")
	start := fs.String("start", "2024-01-01", "first `date` (YYYY-MM-DD)")
	words := fs.Int("words", 700, "mean words of an original article")
	poolDirs := fs.String("pool", "", "comma-separated `folders` of *.txt/*.json articles to draw sentences from; default testdata/seeds, testdata/basil/articles and ../shared/datasets/basil/articles when present")
	quiet := fs.Bool("q", false, "no summary on standard error")
	if err := fs.Parse(args); err != nil {
		return err
	}
	if *out == "" || fs.NArg() > 0 {
		fs.Usage()
		return errors.New("need -out DIR and no other arguments")
	}
	t0, err := time.Parse("2006-01-02", *start)
	if err != nil {
		return fmt.Errorf("-start: %w", err)
	}
	var pool *synth.Pool
	if *poolDirs != "" {
		pool, err = synth.LoadPool(strings.Split(*poolDirs, ",")...)
	} else {
		pool, err = synth.DefaultPool()
	}
	if err != nil {
		return fmt.Errorf("%w (-pool DIR,...)", err)
	}
	dir := filepath.Clean(*out)
	if *labels == "" {
		*labels = dir + ".labels.csv"
	}
	if *copies == "" {
		*copies = dir + ".copies.csv"
	}
	if *groups == "" {
		*groups = dir + ".copygroups.csv"
	}
	cr := *copyRate
	if cr == 0 {
		cr = -1 // synth: negative means none
	}
	cfg := synth.Config{Articles: *n, Seed: *seed, StorySize: *storySize, CopyRate: cr, DaysSpan: *days,
		Start: t0, Words: *words, Pool: pool}

	began := time.Now()
	if err := os.MkdirAll(dir, 0o755); err != nil {
		return err
	}
	lw, err := newCSV(*labels, "article", "story")
	if err != nil {
		return err
	}
	cw, err := newCSV(*copies, "article", "copy_of")
	if err != nil {
		return err
	}
	gw, err := newCSV(*groups, "article", "story")
	if err != nil {
		return err
	}
	made := map[string]bool{}
	stories := map[string]bool{}
	var nCopies, nBytes int
	var buf bytes.Buffer
	enc := json.NewEncoder(&buf)
	enc.SetEscapeHTML(false)
	enc.SetIndent("", " ")
	err = synth.Each(cfg, func(a article.Article, story, copyOf string) error {
		sub := filepath.Dir(filepath.FromSlash(a.Key))
		if !made[sub] {
			if err := os.MkdirAll(filepath.Join(dir, sub), 0o755); err != nil {
				return err
			}
			made[sub] = true
		}
		buf.Reset()
		if err := enc.Encode(fileArticle{Title: a.Title, Date: a.Date, Source: a.Source, URL: a.URL, Text: a.Text}); err != nil {
			return err
		}
		if err := os.WriteFile(filepath.Join(dir, filepath.FromSlash(a.Key)), buf.Bytes(), 0o644); err != nil {
			return err
		}
		nBytes += buf.Len()
		stories[story] = true
		if err := lw.Write([]string{a.Key, story}); err != nil {
			return err
		}
		group := a.Key // synth copies only originals: the group is named by its original
		if copyOf != "" {
			group = copyOf
		}
		if err := gw.Write([]string{a.Key, group}); err != nil {
			return err
		}
		if copyOf != "" {
			nCopies++
			return cw.Write([]string{a.Key, copyOf})
		}
		return nil
	})
	if err != nil {
		return err
	}
	if err := lw.close(); err != nil {
		return err
	}
	if err := cw.close(); err != nil {
		return err
	}
	if err := gw.close(); err != nil {
		return err
	}
	if !*quiet {
		fmt.Fprintf(os.Stderr, "gencorpus: %d articles (%d stories, %d copies, %.1f MB) in %s from %d pool sentences, %.1fs\n  labels %s\n  copies %s\n  copy groups %s\n",
			*n, len(stories), nCopies, float64(nBytes)/1e6, dir, pool.Sentences(), time.Since(began).Seconds(), *labels, *copies, *groups)
	}
	return nil
}

type csvFile struct {
	f *os.File
	b *bufio.Writer
	*csv.Writer
}

func newCSV(path string, header ...string) (*csvFile, error) {
	if err := os.MkdirAll(filepath.Dir(path), 0o755); err != nil {
		return nil, err
	}
	f, err := os.Create(path)
	if err != nil {
		return nil, err
	}
	b := bufio.NewWriterSize(f, 1<<16)
	c := &csvFile{f: f, b: b, Writer: csv.NewWriter(b)}
	return c, c.Write(header)
}

func (c *csvFile) close() error {
	c.Flush()
	if err := c.Error(); err != nil {
		c.f.Close()
		return err
	}
	if err := c.b.Flush(); err != nil {
		c.f.Close()
		return err
	}
	return c.f.Close()
}
