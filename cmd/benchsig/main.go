// Command benchsig measures how fast newsdedup signs articles: it loads a
// gencorpus folder (JSON articles) into memory, then times
// signature.(*Computer).Compute over all of them on one core and prints
// JSON. bench/compare.py runs it beside datasketch and rensa on the same
// articles.
//
//	benchsig -dir DIR [-rounds 3] [-procs 1] [-minhash FILE] [-sigs FILE]
//
// -minhash writes the MinHash values, little-endian uint32, K per article in
// key order, and FILE.json with the keys, shingle counts and flags, so the
// harness can measure estimate accuracy. -sigs writes every signature
// (uvarint length + MarshalBinary) for benchcluster.
package main

import (
	"bufio"
	"encoding/binary"
	"encoding/json"
	"flag"
	"fmt"
	"io/fs"
	"os"
	"path/filepath"
	"runtime"
	"sort"
	"syscall"
	"time"

	"github.com/newsdedup/newsdedup/internal/article"
	"github.com/newsdedup/newsdedup/internal/signature"
)

type fileArticle struct {
	Title  string `json:"title"`
	Date   string `json:"date"`
	Source string `json:"source"`
	URL    string `json:"url"`
	Text   string `json:"text"`
}

type result struct {
	Articles        int     `json:"articles"`
	Bytes           int64   `json:"bytes"`
	Rounds          int     `json:"rounds"`
	Procs           int     `json:"procs"`
	Seconds         float64 `json:"seconds"`     // best round, wall clock
	CPUSeconds      float64 `json:"cpu_seconds"` // best round, CPU time of the signing thread
	SigPerS         float64 `json:"sig_per_s"`
	SigPerSCPU      float64 `json:"sig_per_s_cpu"`
	NsPerArticle    float64 `json:"ns_per_article"`
	MBPerS          float64 `json:"mb_per_s"`
	AllocsBytesPerA float64 `json:"alloc_bytes_per_article"`
	LoadSeconds     float64 `json:"load_seconds"`
}

func main() {
	if err := run(); err != nil {
		fmt.Fprintln(os.Stderr, "benchsig:", err)
		os.Exit(1)
	}
}

func run() error {
	dir := flag.String("dir", "", "gencorpus output `folder` (required)")
	rounds := flag.Int("rounds", 3, "timed passes over the corpus; the best is reported")
	procs := flag.Int("procs", 1, "GOMAXPROCS")
	mhOut := flag.String("minhash", "", "write MinHash values to this `file` (and FILE.json)")
	sigsOut := flag.String("sigs", "", "write encoded signatures to this `file`")
	flag.Parse()
	if *dir == "" {
		flag.Usage()
		return fmt.Errorf("need -dir")
	}
	runtime.GOMAXPROCS(*procs)
	t0 := time.Now()
	arts, bytes, err := load(*dir)
	if err != nil {
		return err
	}
	if len(arts) == 0 {
		return fmt.Errorf("no *.json articles in %s", *dir)
	}
	load := time.Since(t0).Seconds()

	runtime.LockOSThread()
	c := signature.NewComputer()
	for i := range min(200, len(arts)) { // warm up
		c.Compute(&arts[i])
	}
	res := result{Articles: len(arts), Bytes: bytes, Rounds: *rounds, Procs: *procs, LoadSeconds: load}
	var ms0, ms1 runtime.MemStats
	for r := 0; r < *rounds; r++ {
		runtime.GC()
		runtime.ReadMemStats(&ms0)
		cpu0 := threadCPU()
		w0 := time.Now()
		for i := range arts {
			c.Compute(&arts[i])
		}
		wall := time.Since(w0).Seconds()
		cpu := threadCPU() - cpu0
		runtime.ReadMemStats(&ms1)
		if r == 0 || wall < res.Seconds {
			res.Seconds = wall
		}
		if r == 0 || cpu < res.CPUSeconds {
			res.CPUSeconds = cpu
		}
		res.AllocsBytesPerA = float64(ms1.TotalAlloc-ms0.TotalAlloc) / float64(len(arts))
	}
	n := float64(len(arts))
	res.SigPerS = n / res.Seconds
	res.SigPerSCPU = n / res.CPUSeconds
	res.NsPerArticle = res.Seconds / n * 1e9
	res.MBPerS = float64(bytes) / res.Seconds / 1e6

	if *mhOut != "" || *sigsOut != "" {
		sigs := make([]*signature.Signature, len(arts))
		for i := range arts {
			sigs[i] = c.Compute(&arts[i])
		}
		if *mhOut != "" {
			if err := writeMinHash(*mhOut, sigs); err != nil {
				return err
			}
		}
		if *sigsOut != "" {
			if err := writeSigs(*sigsOut, sigs); err != nil {
				return err
			}
		}
	}
	enc := json.NewEncoder(os.Stdout)
	enc.SetIndent("", "  ")
	return enc.Encode(res)
}

// threadCPU is the user+system CPU time of the calling OS thread.
func threadCPU() float64 {
	var ru syscall.Rusage
	const rusageThread = 1
	if err := syscall.Getrusage(rusageThread, &ru); err != nil {
		return 0
	}
	return float64(ru.Utime.Nano()+ru.Stime.Nano()) / 1e9
}

// load reads every *.json under dir, keyed by slash path relative to dir,
// in key order.
func load(dir string) ([]article.Article, int64, error) {
	var paths []string
	err := filepath.WalkDir(dir, func(p string, d fs.DirEntry, err error) error {
		if err != nil {
			return err
		}
		if !d.IsDir() && filepath.Ext(p) == ".json" {
			paths = append(paths, p)
		}
		return nil
	})
	if err != nil {
		return nil, 0, err
	}
	sort.Strings(paths)
	arts := make([]article.Article, 0, len(paths))
	var bytes int64
	for _, p := range paths {
		data, err := os.ReadFile(p)
		if err != nil {
			return nil, 0, err
		}
		var f fileArticle
		if err := json.Unmarshal(data, &f); err != nil {
			return nil, 0, fmt.Errorf("%s: %w", p, err)
		}
		rel, _ := filepath.Rel(dir, p)
		arts = append(arts, article.Article{Key: filepath.ToSlash(rel), Title: f.Title, Date: f.Date, Source: f.Source, URL: f.URL, Text: f.Text})
		bytes += int64(len(f.Text))
	}
	return arts, bytes, nil
}

func writeMinHash(path string, sigs []*signature.Signature) error {
	f, err := os.Create(path)
	if err != nil {
		return err
	}
	w := bufio.NewWriter(f)
	meta := struct {
		K        int      `json:"k"`
		Keys     []string `json:"keys"`
		Shingles []int    `json:"shingles"`
		Flags    []int    `json:"flags"`
	}{K: signature.K}
	for _, s := range sigs {
		if err := binary.Write(w, binary.LittleEndian, s.MinHash); err != nil {
			f.Close()
			return err
		}
		meta.Keys = append(meta.Keys, s.Key)
		meta.Shingles = append(meta.Shingles, s.Shingles)
		meta.Flags = append(meta.Flags, int(s.Flags))
	}
	if err := w.Flush(); err != nil {
		f.Close()
		return err
	}
	if err := f.Close(); err != nil {
		return err
	}
	data, err := json.Marshal(meta)
	if err != nil {
		return err
	}
	return os.WriteFile(path+".json", data, 0o644)
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
