// Command benchscale measures newsdedup at scale in one process, the way the
// cluster job runs: articles streamed in, signed on every core, fed one by
// one to the clustering Builder (whole signatures are never all in memory),
// then clustered. It prints one JSON object with the seconds and the peak
// resident memory of the whole process.
//
//	benchscale -generate 1000000 -out /tmp/a1m.bin   # synthetic articles + /tmp/a1m.bin.truth.csv (untimed)
//	benchscale -in /tmp/a1m.bin                      # the measurement
//
// Generating articles costs more than signing them, so it happens before,
// in its own process, and the measured run reads a binary stream (page
// cache, not resident memory).
package main

import (
	"bufio"
	"crypto/sha256"
	"encoding/binary"
	"encoding/csv"
	"encoding/hex"
	"encoding/json"
	"errors"
	"flag"
	"fmt"
	"io"
	"os"
	"runtime"
	"runtime/pprof"
	"slices"
	"strconv"
	"sync"
	"syscall"
	"time"

	"github.com/newsdedup/newsdedup/internal/article"
	"github.com/newsdedup/newsdedup/internal/cluster"
	"github.com/newsdedup/newsdedup/internal/eval"
	"github.com/newsdedup/newsdedup/internal/procstat"
	"github.com/newsdedup/newsdedup/internal/signature"
	"github.com/newsdedup/newsdedup/internal/synth"
)

func main() {
	if err := run(); err != nil {
		fmt.Fprintln(os.Stderr, "benchscale:", err)
		os.Exit(1)
	}
}

func run() error {
	gen := flag.Int("generate", 0, "write this many synthetic articles to -out and exit")
	out := flag.String("out", "", "with -generate: article stream `file` (truth beside it as FILE.truth.csv)")
	seed := flag.Int64("seed", 1, "seed for -generate")
	days := flag.Int("days", 30, "with -generate: days the corpus spans")
	in := flag.String("in", "", "article stream `file` to sign and cluster")
	noEval := flag.Bool("no-eval", false, "skip scoring against the truth file")
	flag.StringVar(&dumpPath, "dump", "", "write the whole result to `file`, one line per story, copy group, copy pair and rewrite, for diffing two builds")
	cpuProfile := flag.String("cpuprofile", "", "write a CPU profile of the clustering step to `file`")
	flag.Parse()
	profile = *cpuProfile
	switch {
	case *gen > 0 && *out != "":
		return generate(*gen, *seed, *days, *out)
	case *in != "":
		return measure(*in, !*noEval)
	}
	flag.Usage()
	return errors.New("need -generate N -out FILE, or -in FILE")
}

func generate(n int, seed int64, days int, path string) error {
	f, err := os.Create(path)
	if err != nil {
		return err
	}
	defer f.Close()
	tf, err := os.Create(path + ".truth.csv")
	if err != nil {
		return err
	}
	defer tf.Close()
	w := bufio.NewWriterSize(f, 1<<20)
	tw := csv.NewWriter(tf)
	tw.Write([]string{"article", "story", "copy_of"})
	var b []byte
	err = synth.Each(synth.Config{Articles: n, Seed: seed, DaysSpan: days}, func(a article.Article, story, copyOf string) error {
		b = b[:0]
		for _, s := range []string{a.Key, a.Title, a.Date, a.Source, a.Text} {
			b = binary.AppendUvarint(b, uint64(len(s)))
			b = append(b, s...)
		}
		w.Write(b)
		return tw.Write([]string{a.Key, story, copyOf})
	})
	if err != nil {
		return err
	}
	tw.Flush()
	if err := tw.Error(); err != nil {
		return err
	}
	return w.Flush()
}

type result struct {
	Articles       int     `json:"articles"`
	Procs          int     `json:"procs"`
	SignSeconds    float64 `json:"sign_seconds"` // read + sign + Builder.Add, all cores
	ClusterSeconds float64 `json:"cluster_seconds"`
	// ClusterCPUSeconds is user+system time of the clustering step: on a
	// shared machine it varies less than the wall clock.
	ClusterCPUSeconds float64 `json:"cluster_cpu_seconds"`
	TotalSeconds      float64 `json:"total_seconds"`
	PeakRSSMB         float64 `json:"peak_rss_mb"` // VmHWM of the whole process
	Stories           int     `json:"stories"`
	CopyGroups        int     `json:"copy_groups"`
	Rewrites          int     `json:"rewrites"`
	// ResultDigest hashes the whole result (stories, centrals, copy groups
	// and pairs, rewrites): a speed change must leave it as it was.
	ResultDigest  string  `json:"result_digest"`
	StoryARI      float64 `json:"story_ari,omitempty"`
	StoryBCubedF1 float64 `json:"story_bcubed_f1,omitempty"`
	CopyPrecision float64 `json:"copy_precision,omitempty"`
	CopyRecall    float64 `json:"copy_recall,omitempty"`
}

var profile, dumpPath string // -cpuprofile, -dump

func measure(path string, score bool) error {
	f, err := os.Open(path)
	if err != nil {
		return err
	}
	defer f.Close()
	r := bufio.NewReaderSize(f, 1<<20)

	start := time.Now()
	jobs := make(chan article.Article, 1024)
	sigs := make(chan *signature.Signature, 1024)
	var rerr error
	go func() {
		defer close(jobs)
		for {
			a, err := readArticle(r)
			if err != nil {
				if !errors.Is(err, io.EOF) {
					rerr = err
				}
				return
			}
			jobs <- a
		}
	}()
	var wg sync.WaitGroup
	for w := 0; w < runtime.GOMAXPROCS(0); w++ {
		wg.Add(1)
		go func() {
			defer wg.Done()
			c := signature.NewComputer()
			for a := range jobs {
				sigs <- c.Compute(&a)
			}
		}()
	}
	go func() { wg.Wait(); close(sigs) }()
	b := cluster.NewBuilder(cluster.DefaultParams())
	var keys []string // in Add order, for scoring
	for s := range sigs {
		b.Add(s)
		keys = append(keys, s.Key)
	}
	if rerr != nil {
		return rerr
	}
	signed := time.Now()
	if profile != "" {
		pf, err := os.Create(profile)
		if err != nil {
			return err
		}
		pprof.StartCPUProfile(pf)
		defer pf.Close()
	}
	cpu0 := cpuSeconds()
	res := b.Run()
	cpu := cpuSeconds() - cpu0
	if profile != "" {
		pprof.StopCPUProfile()
	}
	done := time.Now()
	out := result{
		Articles: len(keys), Procs: runtime.GOMAXPROCS(0),
		SignSeconds: signed.Sub(start).Seconds(), ClusterSeconds: done.Sub(signed).Seconds(), ClusterCPUSeconds: cpu,
		TotalSeconds: done.Sub(start).Seconds(), PeakRSSMB: procstat.StatusKB("VmHWM") / 1024,
		Stories: len(res.Stories), CopyGroups: len(res.CopyGroups), Rewrites: len(res.Rewrites),
	}
	lines := resultLines(res, keys)
	out.ResultDigest = digest(lines)
	if dumpPath != "" {
		if err := dump(dumpPath, lines); err != nil {
			return err
		}
	}
	if score {
		if err := scoreAgainst(path+".truth.csv", keys, res, &out); err != nil {
			return err
		}
	}
	return json.NewEncoder(os.Stdout).Encode(out)
}

// resultLines is the whole result by article key, one sorted line per
// story, copy group, copy pair and rewrite: indices follow the order in
// which the signing workers finish, keys do not.
func resultLines(res cluster.Result, keys []string) []string {
	names := func(ix []int) []string {
		out := make([]string, len(ix))
		for k, i := range ix {
			out[k] = keys[i]
		}
		slices.Sort(out)
		return out
	}
	var lines []string
	for _, s := range res.Stories {
		lines = append(lines, fmt.Sprint("story ", keys[s.Central], names(s.Members)))
	}
	for _, g := range res.CopyGroups {
		lines = append(lines, fmt.Sprint("copies ", names(g)))
	}
	for _, c := range res.CopyPairs {
		a, b := keys[c.A], keys[c.B]
		if a > b {
			a, b = b, a
		}
		lines = append(lines, fmt.Sprint("pair ", a, " ", b, " ", c.Containment, " ", c.SharedSentences))
	}
	for _, r := range res.Rewrites {
		lines = append(lines, fmt.Sprint("rewrite ", keys[r.Original], " ", keys[r.Rewrite], " ", r.Dated, r.Aligned, r.Coverage, r.Sentences))
	}
	slices.Sort(lines)
	return lines
}

// digest is a SHA-256 of the result's lines.
func digest(lines []string) string {
	h := sha256.New()
	for _, l := range lines {
		fmt.Fprintln(h, l)
	}
	return hex.EncodeToString(h.Sum(nil))[:16]
}

func dump(path string, lines []string) error {
	f, err := os.Create(path)
	if err != nil {
		return err
	}
	w := bufio.NewWriter(f)
	for _, l := range lines {
		fmt.Fprintln(w, l)
	}
	if err := w.Flush(); err != nil {
		f.Close()
		return err
	}
	return f.Close()
}

// cpuSeconds is the process's user and system time so far.
func cpuSeconds() float64 {
	var ru syscall.Rusage
	if err := syscall.Getrusage(syscall.RUSAGE_SELF, &ru); err != nil {
		return 0
	}
	return time.Duration(ru.Utime.Nano() + ru.Stime.Nano()).Seconds()
}

func readArticle(r *bufio.Reader) (article.Article, error) {
	var f [5]string
	for i := range f {
		n, err := binary.ReadUvarint(r)
		if err != nil {
			if i > 0 && errors.Is(err, io.EOF) {
				err = io.ErrUnexpectedEOF
			}
			return article.Article{}, err
		}
		buf := make([]byte, n)
		if _, err := io.ReadFull(r, buf); err != nil {
			return article.Article{}, err
		}
		f[i] = string(buf)
	}
	return article.Article{Key: f[0], Title: f[1], Date: f[2], Source: f[3], Text: f[4]}, nil
}

func scoreAgainst(truthPath string, keys []string, res cluster.Result, out *result) error {
	tf, err := os.Open(truthPath)
	if err != nil {
		return err
	}
	defer tf.Close()
	rows, err := csv.NewReader(tf).ReadAll()
	if err != nil {
		return err
	}
	truth := synth.NewTruth()
	for _, row := range rows[1:] {
		truth.Add(row[0], row[1], row[2])
	}
	story, copies := eval.Partition{}, eval.Partition{}
	for k, s := range res.Stories {
		for _, m := range s.Members {
			story[keys[m]] = strconv.Itoa(k)
		}
	}
	for k, g := range res.CopyGroups {
		for _, m := range g {
			copies[keys[m]] = strconv.Itoa(k)
		}
	}
	ss, err := eval.Score(story, truth.Story)
	if err != nil {
		return err
	}
	cs, err := eval.Score(copies, truth.CopyGroups())
	if err != nil {
		return err
	}
	out.StoryARI, out.StoryBCubedF1, out.CopyPrecision, out.CopyRecall = ss.ARI, ss.BCubedF1, cs.Precision, cs.Recall
	return nil
}
