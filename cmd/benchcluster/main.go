// Command benchcluster measures newsdedup's clustering: it loads signatures
// (written by benchsig -sigs, or by its own -synth mode), runs cluster.Run
// with the default parameters and prints JSON with the seconds, CPU seconds
// and peak resident memory, and, given the ground truth, the quality of the
// stories and copy groups it found.
//
//	benchcluster -sigs FILE [-labels DIR.labels.csv -copies DIR.copies.csv]
//	benchcluster -synth 100000 -write FILE   # generate, sign, write FILE and FILE.truth.csv, exit
//	benchcluster -sigs FILE -truth FILE.truth.csv
//
// cluster_peak_rss_mb is the peak resident memory while clustering (VmHWM,
// reset just before cluster.Run): the signatures held in memory plus
// everything clustering allocates. process_peak_rss_mb is the peak of the
// whole process, loading included. Both come from /proc/self/status, not
// getrusage: on Linux ru_maxrss survives exec, so a child forked from a big
// parent (a Python harness) reports the parent's size. Run each size in a
// fresh process.
package main

import (
	"bufio"
	"encoding/csv"
	"encoding/json"
	"errors"
	"flag"
	"fmt"
	"io"
	"os"
	"runtime"
	"strconv"
	"sync"
	"time"

	"github.com/newsdedup/newsdedup/internal/article"
	"github.com/newsdedup/newsdedup/internal/cluster"
	"github.com/newsdedup/newsdedup/internal/eval"
	"github.com/newsdedup/newsdedup/internal/procstat"
	"github.com/newsdedup/newsdedup/internal/signature"
	"github.com/newsdedup/newsdedup/internal/synth"
)

type result struct {
	Articles         int     `json:"articles"`
	Procs            int     `json:"procs"`
	LoadSeconds      float64 `json:"load_seconds"`
	Seconds          float64 `json:"cluster_seconds"`
	CPUSeconds       float64 `json:"cluster_cpu_seconds"`
	RSSBeforeMB      float64 `json:"rss_before_mb"`
	PeakRSSMB        float64 `json:"cluster_peak_rss_mb"` // VmHWM reset before clustering: signatures + clustering
	ProcessPeakRSSMB float64 `json:"process_peak_rss_mb"` // ru_maxrss: the whole process, loading included
	AllocMB          float64 `json:"cluster_alloc_mb"`
	Stories          int     `json:"stories"`
	CopyGroups       int     `json:"copy_groups"`
	CopyPairs        int     `json:"copy_pairs"`
	StoryARI         float64 `json:"story_ari,omitempty"`
	StoryF1          float64 `json:"story_f1,omitempty"`
	StoryBCubedF1    float64 `json:"story_bcubed_f1,omitempty"`
	CopyPrecision    float64 `json:"copy_pair_precision,omitempty"`
	CopyRecall       float64 `json:"copy_pair_recall,omitempty"`
	CopyF1           float64 `json:"copy_pair_f1,omitempty"`
}

func main() {
	if err := run(); err != nil {
		fmt.Fprintln(os.Stderr, "benchcluster:", err)
		os.Exit(1)
	}
}

func run() error {
	sigsPath := flag.String("sigs", "", "signatures `file` (uvarint length + MarshalBinary each)")
	labels := flag.String("labels", "", "gencorpus labels CSV (article,story)")
	copies := flag.String("copies", "", "gencorpus copies CSV (article,copy_of)")
	truthPath := flag.String("truth", "", "truth CSV written by -synth (article,story,copy_of)")
	synthN := flag.Int("synth", 0, "generate and sign this many articles (seed -seed) instead of reading -sigs")
	seed := flag.Int64("seed", 1, "seed for -synth")
	write := flag.String("write", "", "with -synth: write signatures to this `file` and truth to FILE.truth.csv, then exit")
	procs := flag.Int("procs", 0, "GOMAXPROCS (0: all cores)")
	flag.Parse()
	if *procs > 0 {
		runtime.GOMAXPROCS(*procs)
	}
	truth := synth.NewTruth()
	var sigs []*signature.Signature
	t0 := time.Now()
	switch {
	case *synthN > 0:
		sigs = generate(*synthN, *seed, truth)
		if *write != "" {
			if err := writeSigs(*write, sigs); err != nil {
				return err
			}
			return writeTruth(*write+".truth.csv", sigs, truth)
		}
	case *sigsPath != "":
		var err error
		if sigs, err = readSigs(*sigsPath); err != nil {
			return err
		}
		if *truthPath != "" {
			if err := readCSV(*truthPath, func(r []string) {
				truth.Add(r[0], r[1], r[2])
			}); err != nil {
				return err
			}
		}
		if *labels != "" {
			if err := readCSV(*labels, func(r []string) { truth.Add(r[0], r[1], "") }); err != nil {
				return err
			}
		}
		if *copies != "" {
			if err := readCSV(*copies, func(r []string) { truth.CopyOf[r[0]] = r[1] }); err != nil {
				return err
			}
		}
	default:
		flag.Usage()
		return errors.New("need -sigs FILE or -synth N")
	}
	res := result{Articles: len(sigs), Procs: runtime.GOMAXPROCS(0), LoadSeconds: time.Since(t0).Seconds()}

	runtime.GC()
	res.RSSBeforeMB = statusMB("VmRSS")
	// Reset the peak RSS (VmHWM) so that it measures clustering only.
	loadPeak := statusMB("VmHWM")
	peakReset := procstat.ResetPeak()
	var ms0, ms1 runtime.MemStats
	runtime.ReadMemStats(&ms0)
	cpu0 := procstat.CPUSeconds()
	w0 := time.Now()
	out := cluster.Run(sigs, cluster.DefaultParams())
	res.Seconds = time.Since(w0).Seconds()
	res.CPUSeconds = procstat.CPUSeconds() - cpu0
	runtime.ReadMemStats(&ms1)
	res.AllocMB = float64(ms1.TotalAlloc-ms0.TotalAlloc) / 1e6
	res.PeakRSSMB = statusMB("VmHWM")
	res.ProcessPeakRSSMB = max(loadPeak, res.PeakRSSMB)
	if !peakReset {
		res.PeakRSSMB = 0 // unknown: VmHWM still covers loading
	}
	res.Stories, res.CopyGroups, res.CopyPairs = len(out.Stories), len(out.CopyGroups), len(out.CopyPairs)

	if len(truth.Story) > 0 {
		story, cp := eval.Partition{}, eval.Partition{}
		for k, s := range out.Stories {
			for _, m := range s.Members {
				story[sigs[m].Key] = strconv.Itoa(k)
			}
		}
		for k, g := range out.CopyGroups {
			for _, m := range g {
				cp[sigs[m].Key] = strconv.Itoa(k)
			}
		}
		ss, err := eval.Score(story, truth.Story)
		if err != nil {
			return err
		}
		cs, err := eval.Score(cp, truth.CopyGroups())
		if err != nil {
			return err
		}
		res.StoryARI, res.StoryF1, res.StoryBCubedF1 = ss.ARI, ss.F1, ss.BCubedF1
		res.CopyPrecision, res.CopyRecall, res.CopyF1 = cs.Precision, cs.Recall, cs.F1
	}
	enc := json.NewEncoder(os.Stdout)
	enc.SetIndent("", "  ")
	return enc.Encode(res)
}

// generate streams synthetic articles and signs them on all cores, keeping
// only signatures and labels.
func generate(n int, seed int64, truth *synth.Truth) []*signature.Signature {
	sigs := make([]*signature.Signature, n)
	type job struct {
		i int
		a article.Article
	}
	jobs := make(chan job, 256)
	var wg sync.WaitGroup
	for w := 0; w < runtime.GOMAXPROCS(0); w++ {
		wg.Add(1)
		go func() {
			defer wg.Done()
			c := signature.NewComputer()
			for j := range jobs {
				sigs[j.i] = c.Compute(&j.a)
			}
		}()
	}
	i := 0
	err := synth.Each(synth.Config{Articles: n, Seed: seed}, func(a article.Article, story, copyOf string) error {
		truth.Add(a.Key, story, copyOf)
		jobs <- job{i, a}
		i++
		return nil
	})
	close(jobs)
	wg.Wait()
	if err != nil {
		fmt.Fprintln(os.Stderr, "benchcluster:", err)
		os.Exit(1)
	}
	return sigs
}

// statusMB reads a "kB" field (VmRSS, VmHWM) of /proc/self/status in MB.
func statusMB(field string) float64 { return procstat.StatusKB(field) * 1024 / 1e6 }

func readSigs(path string) ([]*signature.Signature, error) {
	f, err := os.Open(path)
	if err != nil {
		return nil, err
	}
	defer f.Close()
	var sigs []*signature.Signature
	err = signature.ReadStream(f, func(s *signature.Signature) error { sigs = append(sigs, s); return nil })
	if err != nil {
		return nil, fmt.Errorf("%s: %w", path, err)
	}
	return sigs, nil
}

func writeSigs(path string, sigs []*signature.Signature) error {
	f, err := os.Create(path)
	if err != nil {
		return err
	}
	if err := signature.WriteStream(f, sigs); err != nil {
		f.Close()
		return err
	}
	return f.Close()
}

func writeTruth(path string, sigs []*signature.Signature, t *synth.Truth) error {
	f, err := os.Create(path)
	if err != nil {
		return err
	}
	w := csv.NewWriter(f)
	w.Write([]string{"article", "story", "copy_of"})
	for _, s := range sigs {
		w.Write([]string{s.Key, t.Story[s.Key], t.CopyOf[s.Key]})
	}
	w.Flush()
	if err := w.Error(); err != nil {
		f.Close()
		return err
	}
	return f.Close()
}

// readCSV calls fn for every record after the header.
func readCSV(path string, fn func([]string)) error {
	f, err := os.Open(path)
	if err != nil {
		return err
	}
	defer f.Close()
	r := csv.NewReader(bufio.NewReader(f))
	r.FieldsPerRecord = -1
	if _, err := r.Read(); err != nil {
		return fmt.Errorf("%s: %w", path, err)
	}
	for {
		rec, err := r.Read()
		if errors.Is(err, io.EOF) {
			return nil
		}
		if err != nil {
			return fmt.Errorf("%s: %w", path, err)
		}
		if len(rec) < 2 {
			return fmt.Errorf("%s: short record %q", path, rec)
		}
		if len(rec) == 2 {
			rec = append(rec, "")
		}
		fn(rec)
	}
}
