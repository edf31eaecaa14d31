package main

import (
	"context"
	"flag"
	"fmt"
	"io"
	"log/slog"
	"os"
	"path/filepath"
	"time"

	"github.com/newsdedup/newsdedup/internal/article"
	"github.com/newsdedup/newsdedup/internal/cluster"
	"github.com/newsdedup/newsdedup/internal/dedup"
	"github.com/newsdedup/newsdedup/internal/local"
	"github.com/newsdedup/newsdedup/internal/report"
)

// engineFlags are the flags shared by run and eval.
type engineFlags struct {
	maxBytes        int64
	storyThreshold  float64
	copyContainment float64
	ignoreDates     bool
	quiet           bool
}

func (e *engineFlags) register(fs *flag.FlagSet) {
	d := cluster.DefaultParams()
	fs.Int64Var(&e.maxBytes, "max-bytes", article.DefaultMaxBytes, "reject files (and decompressed contents) larger than this many `bytes`")
	fs.Float64Var(&e.storyThreshold, "story-threshold", d.StoryThreshold, "average similarity two groups of articles need to form one story (0..1; higher splits more)")
	fs.Float64Var(&e.copyContainment, "copy-containment", d.CopyContainment, "share of the shorter article's own text (outside quotes) that must reappear in another for a copy (0..1)")
	fs.BoolVar(&e.ignoreDates, "ignore-dates", false, "cluster as if no article had a date: text alone (measures the undated case)")
	fs.BoolVar(&e.quiet, "quiet", false, "print no progress on stderr")
}

// now is the clock of a run; tests move it.
var now = time.Now

// logger logs warnings on stderr, or only errors with --quiet.
func (e *engineFlags) logger(stderr io.Writer) *slog.Logger {
	level := slog.LevelWarn
	if e.quiet {
		level = slog.LevelError
	}
	return slog.New(slog.NewTextHandler(stderr, &slog.HandlerOptions{Level: level}))
}

func (e *engineFlags) params() (cluster.Params, error) {
	p := cluster.DefaultParams()
	if e.storyThreshold <= 0 || e.storyThreshold > 1 {
		return p, usageError{fmt.Sprintf("--story-threshold must be in (0, 1], got %g", e.storyThreshold)}
	}
	if e.copyContainment <= 0 || e.copyContainment > 1 {
		return p, usageError{fmt.Sprintf("--copy-containment must be in (0, 1], got %g", e.copyContainment)}
	}
	if e.maxBytes <= 0 {
		return p, usageError{fmt.Sprintf("--max-bytes must be positive, got %d", e.maxBytes)}
	}
	p.StoryThreshold, p.CopyContainment = e.storyThreshold, e.copyContainment
	p.IgnoreDates = e.ignoreDates
	return p, nil
}

// pipeline ingests the folders into the store at statePath (a temporary one
// when empty) and returns the report: the local twin of the ingest Lambda
// over every S3 event followed by one run of the cluster Lambda.
func pipeline(ctx context.Context, paths []string, statePath string, e engineFlags, stderr io.Writer) (*report.Report, error) {
	params, err := e.params()
	if err != nil {
		return nil, err
	}
	var dirs local.Dirs
	for _, p := range paths {
		info, err := os.Stat(p)
		if err != nil {
			return nil, fmt.Errorf("input %s: %w", p, err)
		}
		if !info.IsDir() {
			return nil, usageError{fmt.Sprintf("input %s is not a folder", p)}
		}
		dirs = append(dirs, local.NewFolder(p))
	}
	if statePath == "" {
		tmp, err := os.MkdirTemp("", "newsdedup-state-")
		if err != nil {
			return nil, err
		}
		defer os.RemoveAll(tmp)
		statePath = filepath.Join(tmp, "state.db")
	}
	if err := os.MkdirAll(filepath.Dir(statePath), 0o755); err != nil {
		return nil, fmt.Errorf("create state folder: %w", err)
	}
	store, err := local.Open(statePath)
	if err != nil {
		return nil, fmt.Errorf("open state: %w", err)
	}
	defer store.Close()

	svc := &dedup.Service{
		Articles: dirs,
		Store:    store,
		Limits:   article.Limits{MaxBytes: e.maxBytes},
		Params:   params,
		Log:      e.logger(stderr),
		Now:      now,
	}
	progress := func(done, total int) {
		if !e.quiet {
			fmt.Fprintf(stderr, "ingested %d/%d files\n", done, total)
		}
	}
	st, err := local.Sync(ctx, svc, store, dirs, progress)
	if err != nil {
		return nil, err
	}
	if !e.quiet {
		fmt.Fprintf(stderr, "files %d: %d signed, %d unchanged, %d rejected, %d removed\n",
			st.Files, st.Ingested, st.Unchanged, st.Rejected, st.Removed)
	}
	rep, err := svc.Report(ctx, dedup.Window{})
	if err != nil {
		return nil, err
	}
	for _, k := range st.Duplicates {
		rep.Rejected = append(rep.Rejected, report.Rejected{Key: k, Reason: "the same key exists under an earlier input path; that file was used"})
	}
	return rep, nil
}
