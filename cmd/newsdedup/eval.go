package main

import (
	"context"
	"encoding/json"
	"flag"
	"fmt"
	"io"
	"os"

	"github.com/newsdedup/newsdedup/internal/eval"
	"github.com/newsdedup/newsdedup/internal/report"
)

func evalCmd(ctx context.Context, args []string, stdout, stderr io.Writer) error {
	fs := flag.NewFlagSet("eval", flag.ContinueOnError)
	fs.SetOutput(stderr)
	labels := fs.String("labels", "", "CSV `file` with header article,story (paths relative to PATH)")
	level := fs.String("level", "story", "what to score: story (the story partition), copy (copy groups; an article in none is a group of its own) or rewrite (articles derived from one text, joined by copy or rewrite pairs; every other article alone)")
	asJSON := fs.Bool("json", false, "print one JSON object: level, articles, precision, recall, f1, ari, bcubed_f1")
	row := fs.String("row", "", "print one Markdown table row named `SET`: set | level | articles | precision | recall | F1 | ARI | BCubed F1 (scripts/eval.sh prints the table)")
	var e engineFlags
	e.register(fs)
	fs.Usage = func() {
		fmt.Fprintf(fs.Output(), "Usage: newsdedup eval --labels FILE [flags] PATH\n\n"+
			"Runs the same pipeline as run on PATH and scores it against the labels:\n"+
			"pairwise precision, recall and F1, adjusted Rand index, BCubed F1.\n\nFlags:\n")
		fs.PrintDefaults()
	}
	if err := fs.Parse(args); err != nil {
		return err
	}
	if fs.NArg() != 1 {
		fs.Usage()
		return usageError{"eval needs exactly one PATH"}
	}
	if *labels == "" {
		return usageError{"eval needs --labels FILE"}
	}
	if *level != "story" && *level != "copy" && *level != "rewrite" {
		return usageError{fmt.Sprintf("--level must be story, copy or rewrite, got %q", *level)}
	}
	f, err := os.Open(*labels)
	if err != nil {
		return fmt.Errorf("labels: %w", err)
	}
	truth, err := eval.ReadLabels(f)
	f.Close()
	if err != nil {
		return fmt.Errorf("labels %s: %w", *labels, err)
	}
	e.quiet = e.quiet || *asJSON || *row != ""
	rep, err := pipeline(ctx, fs.Args(), "", e, stderr)
	if err != nil {
		return err
	}
	pred := Partition(rep, *level)
	sc, err := eval.Score(pred, truth)
	if err != nil {
		return err
	}
	if *row != "" {
		fmt.Fprintf(stdout, "| %s | %s | %d | %.3f | %.3f | %.3f | %.3f | %.3f |\n",
			*row, *level, sc.Items, sc.Precision, sc.Recall, sc.F1, sc.ARI, sc.BCubedF1)
		return nil
	}
	if *asJSON {
		return json.NewEncoder(stdout).Encode(map[string]any{
			"level": *level, "articles": sc.Items, "precision": sc.Precision, "recall": sc.Recall,
			"f1": sc.F1, "ari": sc.ARI, "bcubed_f1": sc.BCubedF1,
		})
	}
	fmt.Fprintf(stdout, "level      %s\narticles   %d\nprecision  %.4f\nrecall     %.4f\nf1         %.4f\nari        %.4f\nbcubed_f1  %.4f\n",
		*level, sc.Items, sc.Precision, sc.Recall, sc.F1, sc.ARI, sc.BCubedF1)
	return nil
}

// Partition reads a report as item → cluster: stories, copy groups with
// every other article alone, or (level "rewrite") the articles derived
// from one text: copy groups joined by rewrites, every other article alone.
func Partition(rep *report.Report, level string) eval.Partition {
	if level == "rewrite" {
		return derived(rep)
	}
	p := eval.Partition{}
	for _, s := range rep.Stories {
		for _, a := range s.Articles {
			switch {
			case level == "story":
				p[a.Key] = s.ID
			case a.CopyGroup != "":
				p[a.Key] = a.CopyGroup
			default:
				p[a.Key] = "single:" + a.Key
			}
		}
	}
	return p
}

// derived joins the articles of each copy group and of each rewrite pair
// (union-find over keys) and names each set after its smallest key.
func derived(rep *report.Report) eval.Partition {
	parent := map[string]string{}
	var find func(string) string
	find = func(k string) string {
		p, ok := parent[k]
		if !ok || p == k {
			return k
		}
		r := find(p)
		parent[k] = r
		return r
	}
	union := func(a, b string) {
		ra, rb := find(a), find(b)
		if ra != rb {
			if rb < ra {
				ra, rb = rb, ra
			}
			parent[rb] = ra
		}
	}
	for _, s := range rep.Stories {
		byGroup := map[string]string{}
		for _, a := range s.Articles {
			if a.CopyGroup == "" {
				continue
			}
			if first, ok := byGroup[a.CopyGroup]; ok {
				union(first, a.Key)
			} else {
				byGroup[a.CopyGroup] = a.Key
			}
		}
		for _, rw := range s.Rewrites {
			union(rw.Original, rw.Rewrite)
		}
	}
	p := eval.Partition{}
	for _, s := range rep.Stories {
		for _, a := range s.Articles {
			p[a.Key] = "derived:" + find(a.Key)
		}
	}
	return p
}
