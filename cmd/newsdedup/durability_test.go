package main

import (
	"bytes"
	"context"
	"errors"
	"fmt"
	"math/rand/v2"
	"os"
	"os/exec"
	"path/filepath"
	"reflect"
	"regexp"
	"slices"
	"strconv"
	"strings"
	"syscall"
	"testing"
	"time"

	"github.com/newsdedup/newsdedup/internal/dedup"
	"github.com/newsdedup/newsdedup/internal/local"
	"github.com/newsdedup/newsdedup/internal/report"
)

// killRuns is how many times TestSIGKILLDuringRun kills a run: 10 in the
// normal suite (about 10 s), 50 with -tags soak (durability_soak_test.go).
var killRuns = 10

// killCorpus is the seeds, BASIL and 900 generated filler articles: 1,205
// files, so Sync commits two batches (batchSize is 1000) and a kill can
// land before, between or after them, or in the report phase.
func killCorpus(t *testing.T) (dir string, files int) {
	t.Helper()
	dir = t.TempDir()
	copyTree(t, seedsDir, dir)
	copyTree(t, "../../testdata/basil/articles", filepath.Join(dir, "basil"))
	rng := rand.New(rand.NewPCG(1, 2))
	syllables := strings.Fields("ka lo mi ne ru sa ti vo ba de fi go hu je pa qu ro su ta we")
	vocab := make([]string, 20000)
	for i := range vocab {
		var w strings.Builder
		for range 2 + rng.IntN(3) {
			w.WriteString(syllables[rng.IntN(len(syllables))])
		}
		vocab[i] = w.String()
	}
	const fillers = 900
	for i := range fillers {
		var b strings.Builder
		fmt.Fprintf(&b, "Filler %d\n\n", i)
		for s := range 10 {
			for w := range 12 {
				word := vocab[rng.IntN(len(vocab))]
				if w == 0 {
					word = strings.ToUpper(word[:1]) + word[1:]
				}
				b.WriteString(word)
				b.WriteByte(" ."[(w+1)/12])
			}
			if s%3 == 2 {
				b.WriteString("\n")
			}
		}
		p := filepath.Join(dir, "filler", fmt.Sprintf("f%04d.txt", i))
		if err := os.MkdirAll(filepath.Dir(p), 0o755); err != nil {
			t.Fatal(err)
		}
		if err := os.WriteFile(p, []byte(b.String()), 0o644); err != nil {
			t.Fatal(err)
		}
	}
	return dir, 5 + 300 + fillers
}

// buildCLI compiles this command into a temporary folder.
func buildCLI(t *testing.T) string {
	t.Helper()
	goBin, err := exec.LookPath("go")
	if err != nil {
		t.Fatalf("the go command is needed to build the CLI: %v", err)
	}
	bin := filepath.Join(t.TempDir(), "newsdedup")
	cmd := exec.Command(goBin, "build", "-o", bin, ".")
	if out, err := cmd.CombinedOutput(); err != nil {
		t.Fatalf("go build: %v\n%s", err, out)
	}
	return bin
}

var syncLine = regexp.MustCompile(`files (\d+): (\d+) signed, (\d+) unchanged, (\d+) rejected, (\d+) removed`)

// TestSIGKILLDuringRun starts `newsdedup run --state` killRuns times, kills
// it with SIGKILL after a random delay within an uninterrupted run's
// duration, then checks that the state file opens and reads back, that the
// report left in --out is still whole, and that a rerun completes with the
// same stories as an uninterrupted run, signing exactly the files the
// killed run had not committed.
func TestSIGKILLDuringRun(t *testing.T) {
	start := time.Now()
	bin := buildCLI(t)
	corpus, files := killCorpus(t)
	work := t.TempDir()

	ctx, cancel := context.WithTimeout(context.Background(), 10*time.Minute)
	defer cancel()
	runOnce := func(state, out string) (time.Duration, string, error) {
		rctx, rcancel := context.WithTimeout(ctx, 60*time.Second)
		defer rcancel()
		var stderr bytes.Buffer
		cmd := exec.CommandContext(rctx, bin, "run", "--state", state, "--out", out, corpus)
		cmd.Stderr = &stderr
		t0 := time.Now()
		err := cmd.Run()
		return time.Since(t0), stderr.String(), err
	}

	// The uninterrupted run: the stories to compare with, and its duration
	// (the median of three; reruns that redo everything keep it up to date
	// as the machine's load changes).
	baseOut := filepath.Join(work, "base")
	var times []time.Duration
	for range 3 {
		os.RemoveAll(baseOut)
		d, stderr, err := runOnce(filepath.Join(baseOut, "state.db"), baseOut)
		if err != nil {
			t.Fatalf("uninterrupted run: %v\n%s", err, stderr)
		}
		times = append(times, d)
	}
	slices.Sort(times)
	runTime := times[1]
	base := readReport(t, baseOut)
	baseStories, baseCopies := shape(base)
	if base.Articles != files || len(base.Rejected) != 0 || len(baseCopies) != 1 {
		t.Fatalf("uninterrupted run: %d articles, %d rejected, copies %q", base.Articles, len(base.Rejected), baseCopies)
	}
	baseJSON, err := os.ReadFile(filepath.Join(baseOut, "report.json"))
	if err != nil {
		t.Fatal(err)
	}

	seed := uint64(time.Now().UnixNano())
	if s := os.Getenv("NEWSDEDUP_KILL_SEED"); s != "" {
		if seed, err = strconv.ParseUint(s, 10, 64); err != nil {
			t.Fatalf("NEWSDEDUP_KILL_SEED: %v", err)
		}
	}
	rng := rand.New(rand.NewPCG(seed, 0))
	t.Logf("%d files; uninterrupted run %v; %d kills, seed %d (rerun with NEWSDEDUP_KILL_SEED=%d)",
		files, runTime.Round(time.Millisecond), killRuns, seed, seed)

	var inIngest, inReport, finished, committedSome, leftovers int
	for i := range killRuns {
		dir := filepath.Join(work, fmt.Sprintf("kill-%02d", i))
		state, out := filepath.Join(dir, "state.db"), filepath.Join(dir, "out")
		if err := os.MkdirAll(out, 0o755); err != nil {
			t.Fatal(err)
		}
		// A previous report is in place: the killed run must not spoil it.
		if err := os.WriteFile(filepath.Join(out, "report.json"), baseJSON, 0o644); err != nil {
			t.Fatal(err)
		}
		delay := time.Duration(rng.Int64N(int64(runTime)))

		var stderr bytes.Buffer
		cmd := exec.CommandContext(ctx, bin, "run", "--state", state, "--out", out, corpus)
		cmd.Stderr = &stderr
		if err := cmd.Start(); err != nil {
			t.Fatal(err)
		}
		time.Sleep(delay)
		killed := cmd.Process.Signal(syscall.SIGKILL) == nil
		err := cmd.Wait()
		var exit *exec.ExitError
		switch {
		case killed && errors.As(err, &exit) && exit.Sys().(syscall.WaitStatus).Signaled():
		case err == nil:
			killed = false // it finished before the signal
			finished++
		default:
			t.Fatalf("kill %d: run failed: %v\n%s", i, err, stderr.String())
		}
		phase := "finished"
		if killed {
			phase = "ingest"
			if syncLine.MatchString(stderr.String()) {
				phase = "report"
				inReport++
			} else {
				inIngest++
			}
		}

		// The state file opens (the lock died with the process) and every
		// record in it decodes.
		store, err := local.Open(state)
		if err != nil {
			t.Fatalf("kill %d (after %v, in %s): state file does not open: %v", i, delay, phase, err)
		}
		records := 0
		if err := store.Scan(ctx, func(r dedup.Record) error {
			if r.Status == dedup.StatusOK && r.Sig == nil {
				return fmt.Errorf("record %q without signature", r.Key)
			}
			records++
			return nil
		}); err != nil {
			t.Errorf("kill %d: reading the state after the kill: %v", i, err)
		}
		if err := store.Close(); err != nil {
			t.Errorf("kill %d: close: %v", i, err)
		}
		if records > 0 && records < files {
			committedSome++
		}

		// The report in --out is the previous one or a whole new one.
		if rep, err := readReportFile(filepath.Join(out, "report.json")); err != nil {
			t.Errorf("kill %d: report.json after the kill: %v", i, err)
		} else if s, c := shape(rep); !reflect.DeepEqual(s, baseStories) || !reflect.DeepEqual(c, baseCopies) {
			t.Errorf("kill %d: report.json after the kill has other stories", i)
		}
		tmps, _ := filepath.Glob(filepath.Join(out, ".tmp-*"))
		leftovers += len(tmps)

		// The rerun completes the job: it signs what was not committed,
		// skips what was, and reports the same stories.
		d, rerr, err := runOnce(state, out)
		if err != nil {
			t.Fatalf("kill %d (after %v, in %s, %d records): rerun failed: %v\n%s", i, delay, phase, records, err, rerr)
		}
		m := syncLine.FindStringSubmatch(rerr)
		if m == nil {
			t.Fatalf("kill %d: rerun printed no summary:\n%s", i, rerr)
		}
		want := []string{strconv.Itoa(files), strconv.Itoa(files - records), strconv.Itoa(records), "0", "0"}
		if !reflect.DeepEqual(m[1:], want) {
			t.Errorf("kill %d: rerun %q; want files %s: %s signed, %s unchanged, 0 rejected, 0 removed", i, m[0], want[0], want[1], want[2])
		}
		if records == 0 {
			runTime = (3*runTime + d) / 4
		}
		rep := readReport(t, out)
		if s, c := shape(rep); rep.Articles != files || len(rep.Rejected) != 0 ||
			!reflect.DeepEqual(s, baseStories) || !reflect.DeepEqual(c, baseCopies) {
			t.Errorf("kill %d: rerun report differs from the uninterrupted run (%d articles, %d rejected)", i, rep.Articles, len(rep.Rejected))
		}
		t.Logf("kill %2d: after %4dms in %-8s → %4d records committed; rerun %v: %s", i, delay.Milliseconds(), phase,
			records, d.Round(time.Millisecond), m[0])
	}
	t.Logf("%d kills: %d during ingest (%d with some batches committed), %d in the report phase, %d runs finished first; "+
		"state opened %d/%d, reruns completed %d/%d; %d temporary report files left in --out; %v in all",
		killRuns, inIngest, committedSome, inReport, finished, killRuns, killRuns, killRuns, killRuns, leftovers,
		time.Since(start).Round(time.Millisecond))
	if finished == killRuns {
		t.Error("every run finished before its kill: the kills tested nothing")
	}
}

func readReportFile(path string) (*report.Report, error) {
	f, err := os.Open(path)
	if err != nil {
		return nil, err
	}
	defer f.Close()
	return report.ReadJSON(f)
}
