package main

import (
	"context"
	"flag"
	"fmt"
	"io"
	"os"
	"path/filepath"

	"github.com/newsdedup/newsdedup/internal/dedup"
	"github.com/newsdedup/newsdedup/internal/local"
	"github.com/newsdedup/newsdedup/internal/report"
)

func runCmd(ctx context.Context, args []string, stdout, stderr io.Writer) error {
	fs := flag.NewFlagSet("run", flag.ContinueOnError)
	fs.SetOutput(stderr)
	out := fs.String("out", "out", "write report.json, report.html and clusters.csv to this `folder`")
	state := fs.String("state", "", "keep signatures in this embedded store `file`: later runs sign only new or changed files, forget removed ones, and re-cluster everything")
	var e engineFlags
	e.register(fs)
	fs.Usage = func() {
		fmt.Fprintf(fs.Output(), "Usage: newsdedup run [flags] PATH...\n\n"+
			"Ingests every article file under each PATH (recursively; an article's key is its\n"+
			"path relative to PATH), clusters all of them into stories and copy groups, and\n"+
			"writes the report. Files that cannot be used are listed in the report with why.\n\nFlags:\n")
		fs.PrintDefaults()
	}
	if err := fs.Parse(args); err != nil {
		return err
	}
	if fs.NArg() == 0 {
		fs.Usage()
		return usageError{"run needs at least one PATH"}
	}
	// What is new is told against the report already in the output folder
	// (read first, as on AWS: its text is freed before the clustering).
	prev, err := dedup.LoadPrevious(ctx, local.NewFolder(*out), "report.json", e.logger(stderr))
	if err != nil {
		return err
	}
	rep, err := pipeline(ctx, fs.Args(), *state, e, stderr)
	if err != nil {
		return err
	}
	report.Track(rep, prev)
	if err := os.MkdirAll(filepath.Join(*out, "stories"), 0o755); err != nil {
		return fmt.Errorf("create output folder: %w", err)
	}
	// A run killed while writing leaves its temporary files behind: sweep them.
	stale, _ := filepath.Glob(filepath.Join(*out, ".tmp-*"))
	more, _ := filepath.Glob(filepath.Join(*out, "stories", ".tmp-*"))
	for _, f := range append(stale, more...) {
		os.Remove(f)
	}
	// The story pages first, as they are rendered (report.html links to
	// them), then the pages of stories gone since the last run go.
	old, _ := filepath.Glob(filepath.Join(*out, "stories", "*.html"))
	written := map[string]bool{}
	files, err := dedup.Render(rep, func(path string, page []byte) error {
		written[filepath.Join(*out, filepath.FromSlash(path))] = true
		return writeAtomic(filepath.Join(*out, filepath.FromSlash(path)), page)
	})
	if err != nil {
		return err
	}
	for _, f := range old {
		if !written[f] {
			os.Remove(f)
		}
	}
	for name, body := range map[string][]byte{"report.json": files.JSON, "report.html": files.HTML, "clusters.csv": files.CSV} {
		if err := writeAtomic(filepath.Join(*out, name), body); err != nil {
			return err
		}
	}
	copies := 0
	for _, s := range rep.Stories {
		copies += len(s.Copies)
	}
	fmt.Fprintf(stdout, "%d articles, %d stories, %d copy groups, %d rejected: %s\n",
		rep.Articles, len(rep.Stories), copies, len(rep.Rejected), filepath.Join(*out, "report.html"))
	return nil
}

// writeAtomic writes through a temporary file and a rename, so a reader
// never sees half a report.
func writeAtomic(path string, body []byte) error {
	tmp, err := os.CreateTemp(filepath.Dir(path), ".tmp-"+filepath.Base(path))
	if err != nil {
		return fmt.Errorf("write %s: %w", path, err)
	}
	defer os.Remove(tmp.Name())
	if _, err := tmp.Write(body); err != nil {
		tmp.Close()
		return fmt.Errorf("write %s: %w", path, err)
	}
	if err := tmp.Close(); err != nil {
		return fmt.Errorf("write %s: %w", path, err)
	}
	// Temporary files are private; a report is for whoever can read the folder.
	if err := os.Chmod(tmp.Name(), 0o644); err != nil {
		return fmt.Errorf("write %s: %w", path, err)
	}
	if err := os.Rename(tmp.Name(), path); err != nil {
		return fmt.Errorf("write %s: %w", path, err)
	}
	return nil
}
