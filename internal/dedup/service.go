package dedup

import (
	"bytes"
	"context"
	"errors"
	"fmt"
	"io"
	"log/slog"
	"sort"
	"strings"
	"time"
	"unicode/utf8"

	"github.com/newsdedup/newsdedup/internal/article"
	"github.com/newsdedup/newsdedup/internal/cluster"
	"github.com/newsdedup/newsdedup/internal/report"
	"github.com/newsdedup/newsdedup/internal/signature"
	"github.com/zeebo/xxh3"
	"golang.org/x/sync/errgroup"
)

// Service runs newsdedup's two jobs over its stores: Ingest (one article
// in, one record out) and Report (all records in, one report out). The CLI
// and both Lambda functions are thin wrappers around it.
type Service struct {
	Articles BlobStore      // where uploaded articles are read from
	Store    SignatureStore // one record per article key
	Limits   article.Limits
	Params   cluster.Params
	Log      *slog.Logger
	Now      func() time.Time // for tests; nil means time.Now
}

func (s *Service) now() time.Time {
	if s.Now != nil {
		return s.Now().UTC()
	}
	return time.Now().UTC()
}

func (s *Service) log() *slog.Logger {
	if s.Log != nil {
		return s.Log
	}
	return slog.Default()
}

// Sign turns one file's bytes into the record to store: a signature, or a
// rejection with its reason. It does no I/O. Seq is left to the caller.
func (s *Service) Sign(key string, data []byte) Record {
	rec := Record{Key: key, ETag: ContentTag(data), Date: s.now().Format("2006-01-02")}
	if !utf8.ValidString(key) {
		// A signature carries its key, and signatures hold UTF-8 only: a
		// file name in another encoding would be stored, then fail every
		// later read of the store. S3 keys are always UTF-8; local file
		// names need not be.
		rec.Status, rec.Reason = StatusRejected, "file name is not valid UTF-8"
		return rec
	}
	a, err := article.Parse(key, data, s.Limits)
	if err != nil {
		var rej *article.RejectError
		reason := err.Error()
		if errors.As(err, &rej) {
			reason = rej.Reason
		}
		rec.Status, rec.Reason = StatusRejected, reason
		return rec
	}
	rec.Status = StatusOK
	rec.Sig = signature.Compute(&a)
	if a.Date != "" {
		rec.Date = a.Date
	}
	return rec
}

// ContentTag identifies a file's content, to skip files that did not change.
func ContentTag(data []byte) string {
	return fmt.Sprintf("xxh3:%016x", xxh3.Hash(data))
}

// Ingest reads the article at key and stores its record at version seq. A
// file that cannot be used is stored as rejected (retrying cannot help);
// storage errors are returned so that the caller retries. written is false
// when a record as new or newer was already there (a duplicate or late event).
func (s *Service) Ingest(ctx context.Context, key, seq string) (rec Record, written bool, err error) {
	data, err := s.read(ctx, key)
	if errors.Is(err, ErrNotFound) {
		// Deleted after the event was sent: its removal event will follow.
		s.log().Info("object gone before ingest", "key", key, "seq", seq)
		return Record{}, false, nil
	}
	if err != nil {
		return Record{}, false, err
	}
	rec = s.Sign(key, data)
	rec.Seq = seq
	written, err = s.Store.Put(ctx, rec)
	if err != nil {
		return rec, false, fmt.Errorf("store record for %q: %w", key, err)
	}
	if rec.Status == StatusRejected {
		s.log().Warn("article rejected", "key", key, "reason", rec.Reason)
	}
	return rec, written, nil
}

// read fetches an object, refusing to buffer more than the size limit (the
// parser rejects anything over it; one byte more is enough to know).
func (s *Service) read(ctx context.Context, key string) ([]byte, error) {
	r, err := s.Articles.Get(ctx, key)
	if err != nil {
		return nil, err
	}
	defer r.Close()
	limit := s.Limits.MaxBytes
	if limit <= 0 {
		limit = article.DefaultMaxBytes
	}
	data, err := io.ReadAll(io.LimitReader(r, limit+1))
	if err != nil {
		return nil, fmt.Errorf("read %q: %w", key, err)
	}
	return data, nil
}

// Remove records that the object at key was deleted, as a tombstone at
// version seq, so that a late creation event for an older version cannot
// bring it back.
func (s *Service) Remove(ctx context.Context, key, seq string) (bool, error) {
	ok, err := s.Store.Put(ctx, Record{Key: key, Seq: seq, Status: StatusDeleted, Date: s.now().Format("2006-01-02")})
	if err != nil {
		return false, fmt.Errorf("store tombstone for %q: %w", key, err)
	}
	return ok, nil
}

// Window selects the records a report covers by Record.Date (the article's
// date, or the day it was ingested when it has none). Empty bounds are open.
type Window struct {
	From, To string // YYYY-MM-DD, inclusive
}

func (w Window) contains(day string) bool {
	return (w.From == "" || day >= w.From) && (w.To == "" || day <= w.To)
}

// LastDays is the window of the n days up to and including today.
func LastDays(n int, today time.Time) Window {
	if n <= 0 {
		return Window{}
	}
	return Window{From: today.AddDate(0, 0, -(n - 1)).Format("2006-01-02"), To: today.Format("2006-01-02")}
}

// Report reads every record in the window, clusters the signatures and
// returns the report. Shared passages are read back from the articles
// themselves for copy pairs only; if an article is gone, its pairs keep
// their scores without passages.
func (s *Service) Report(ctx context.Context, w Window) (*report.Report, error) {
	// Stream the records into the clustering builder, keeping per article
	// only what the report shows: a store of millions never sits in memory
	// as whole signatures.
	b := cluster.NewBuilder(s.Params)
	var arts []report.Article
	var rejected []report.Rejected
	err := s.Store.Scan(ctx, func(r Record) error {
		if !w.contains(r.Date) {
			return nil
		}
		switch r.Status {
		case StatusOK:
			if r.Sig != nil {
				b.Add(r.Sig)
				g := r.Sig
				arts = append(arts, report.Article{Key: g.Key, Title: g.Title, Source: g.Source, Date: g.Date, URL: g.URL, Language: g.Lang})
			}
		case StatusRejected:
			rejected = append(rejected, report.Rejected{Key: r.Key, Reason: r.Reason})
		}
		return nil
	})
	if err != nil {
		return nil, fmt.Errorf("read signatures: %w", err)
	}
	sort.Slice(rejected, func(i, j int) bool { return rejected[i].Key < rejected[j].Key })

	res := b.Run() // independent of the store's scan order
	rep := Build(arts, res, s.now())
	rep.Rejected = rejected
	s.addPassages(ctx, rep, rewriteAlignments(arts, res))
	return rep, nil
}

// maxPassages bounds the passages shown per copy pair.
const maxPassages = 3

// rewriteAlignments indexes the aligned sentence positions of each rewrite
// by its original's and rewrite's keys.
func rewriteAlignments(arts []report.Article, res cluster.Result) map[[2]string][][2]int {
	out := make(map[[2]string][][2]int, len(res.Rewrites))
	for _, rw := range res.Rewrites {
		out[[2]string{arts[rw.Original].Key, arts[rw.Rewrite].Key}] = rw.Sentences
	}
	return out
}

// addPassages reads the articles back to show the evidence the signatures
// only hash: the passages copy pairs share, and the first aligned sentences
// of each rewrite and its original (aligned holds their positions).
func (s *Service) addPassages(ctx context.Context, rep *report.Report, aligned map[[2]string][][2]int) {
	if s.Articles == nil {
		return
	}
	texts := map[string]string{}
	text := func(key string) (string, bool) {
		if t, ok := texts[key]; ok {
			return t, t != ""
		}
		data, err := s.read(ctx, key)
		t := ""
		if err == nil {
			if a, perr := article.Parse(key, data, s.Limits); perr == nil {
				t = a.Text
			}
		} else {
			s.log().Warn("cannot read article for copy evidence", "key", key, "err", err)
		}
		texts[key] = t
		return t, t != ""
	}
	sents := map[string][]string{} // an article retold several times is split once
	sentences := func(key string) ([]string, bool) {
		t, ok := text(key)
		if !ok {
			return nil, false
		}
		if _, done := sents[key]; !done {
			sents[key] = signature.ContentSentenceTexts(t)
		}
		return sents[key], true
	}
	for si := range rep.Stories {
		for gi := range rep.Stories[si].Evidence {
			g := &rep.Stories[si].Evidence[gi]
			for pi := range g.Pairs {
				p := &g.Pairs[pi]
				a, okA := text(p.Keys[0])
				b, okB := text(p.Keys[1])
				if okA && okB {
					p.Passages = signature.SharedPassages(a, b, maxPassages)
				}
			}
		}
		for ri := range rep.Stories[si].Rewrites {
			rw := &rep.Stories[si].Rewrites[ri]
			a, okA := sentences(rw.Original)
			b, okB := sentences(rw.Rewrite)
			if okA && okB {
				rw.Pairs = alignedPairs(a, b, aligned[[2]string{rw.Original, rw.Rewrite}])
			}
		}
	}
}

// alignedPairs returns the first report.MaxRewritePairs aligned sentences
// as [original, rewritten] texts, skipping positions the texts lack (an
// article edited since it was signed).
func alignedPairs(orig, rw []string, at [][2]int) [][2]string {
	var out [][2]string
	for _, p := range at {
		if len(out) == report.MaxRewritePairs {
			break
		}
		if p[0] < len(orig) && p[1] < len(rw) {
			out = append(out, [2]string{orig[p[0]], rw[p[1]]})
		}
	}
	return out
}

// Build turns a clustering result over arts (indexed as clustered) into a
// report, without rejected files and passages, which need the stores.
func Build(arts []report.Article, res cluster.Result, now time.Time) *report.Report {
	rep := &report.Report{
		Schema:      report.Schema,
		GeneratedAt: now.UTC().Format(time.RFC3339),
		Articles:    len(arts),
		Stories:     make([]report.Story, 0, len(res.Stories)),
		Rejected:    []report.Rejected{},
	}
	groupOf := map[int]int{}
	for g, members := range res.CopyGroups {
		for _, m := range members {
			groupOf[m] = g
		}
	}
	pairsOf := map[int][]cluster.CopyPair{}
	for _, p := range res.CopyPairs {
		g := groupOf[p.A]
		pairsOf[g] = append(pairsOf[g], p)
	}
	rewritesOf := map[int][]cluster.RewritePair{} // by original; both lie in one story
	for _, rw := range res.Rewrites {
		rewritesOf[rw.Original] = append(rewritesOf[rw.Original], rw)
	}
	for _, st := range res.Stories {
		story := report.Story{
			ID:       report.StoryID(earliestKey(arts, st.Members)),
			Title:    arts[st.Central].Title,
			Articles: make([]report.Article, 0, len(st.Members)),
			Copies:   [][]string{},
			Evidence: []report.CopyGroup{},
			Sources:  []string{},
		}
		sources := map[string]bool{}
		groupsHere := map[int]bool{}
		for _, m := range st.Members {
			a := arts[m]
			sg := a
			if g, ok := groupOf[m]; ok {
				a.CopyGroup = report.CopyGroupID(earliestKey(arts, res.CopyGroups[g]))
				groupsHere[g] = true
			}
			story.Articles = append(story.Articles, a)
			if sg.Source != "" && !sources[sg.Source] {
				sources[sg.Source] = true
				story.Sources = append(story.Sources, sg.Source)
			}
			if sg.Date != "" {
				if story.FirstSeen == "" || sg.Date < story.FirstSeen {
					story.FirstSeen = sg.Date
				}
				if sg.Date > story.LastSeen {
					story.LastSeen = sg.Date
				}
			}
		}
		sort.Strings(story.Sources)
		sort.SliceStable(story.Articles, func(i, j int) bool {
			a, b := story.Articles[i], story.Articles[j]
			if a.Date != b.Date {
				return a.Date < b.Date
			}
			return a.Key < b.Key
		})
		// Everything below is ordered by article key, not by the order the
		// store happened to return records in: same articles, same report.
		var groups []report.CopyGroup
		for g := range groupsHere {
			keys := make([]string, len(res.CopyGroups[g]))
			for k, m := range res.CopyGroups[g] {
				keys[k] = arts[m].Key
			}
			sort.Strings(keys)
			cg := report.CopyGroup{ID: report.CopyGroupID(earliestKey(arts, res.CopyGroups[g])), Members: keys, Pairs: []report.Pair{}}
			for _, p := range pairsOf[g] {
				a, b := arts[p.A].Key, arts[p.B].Key
				if b < a {
					a, b = b, a // passages are read from the first key's article
				}
				cg.Pairs = append(cg.Pairs, report.Pair{Keys: [2]string{a, b}, Containment: p.Containment, SharedSentences: p.SharedSentences})
			}
			sort.Slice(cg.Pairs, func(i, j int) bool {
				x, y := cg.Pairs[i].Keys, cg.Pairs[j].Keys
				return x[0] < y[0] || (x[0] == y[0] && x[1] < y[1])
			})
			groups = append(groups, cg)
		}
		sort.Slice(groups, func(i, j int) bool { return groups[i].Members[0] < groups[j].Members[0] })
		for _, cg := range groups {
			story.Copies = append(story.Copies, cg.Members)
			story.Evidence = append(story.Evidence, cg)
		}
		story.Rewrites = storyRewrites(arts, rewritesOf, st.Members)
		rep.Stories = append(rep.Stories, story)
	}
	report.Track(rep, nil) // every story new until the caller compares with a previous report
	sort.SliceStable(rep.Stories, func(i, j int) bool {
		a, b := rep.Stories[i], rep.Stories[j]
		if len(a.Articles) != len(b.Articles) {
			return len(a.Articles) > len(b.Articles)
		}
		if a.FirstSeen != b.FirstSeen {
			return a.FirstSeen < b.FirstSeen
		}
		return a.ID < b.ID
	})
	return rep
}

// storyRewrites returns the rewrites of a story's members, ordered by keys.
func storyRewrites(arts []report.Article, rewritesOf map[int][]cluster.RewritePair, members []int) []report.Rewrite {
	var out []report.Rewrite
	for _, m := range members {
		for _, rw := range rewritesOf[m] {
			out = append(out, newRewrite(arts, rw))
		}
	}
	sort.Slice(out, func(i, j int) bool {
		if out[i].Original != out[j].Original {
			return out[i].Original < out[j].Original
		}
		return out[i].Rewrite < out[j].Rewrite
	})
	return out
}

func newRewrite(arts []report.Article, rw cluster.RewritePair) report.Rewrite {
	dir := report.DirectionUnknown
	if rw.Dated {
		dir = report.DirectionByDate
	}
	return report.Rewrite{
		Original: arts[rw.Original].Key, Rewrite: arts[rw.Rewrite].Key, Direction: dir,
		AlignedSentences: rw.Aligned, Coverage: rw.Coverage, Pairs: [][2]string{},
	}
}

// earliestKey is the key a group is named after: its earliest member's (by
// date, then key), so the name stays put as later articles join.
func earliestKey(arts []report.Article, members []int) string {
	best := members[0]
	for _, m := range members[1:] {
		a, b := arts[m], arts[best]
		ad, bd := a.Date, b.Date
		if ad == "" {
			ad = "9999"
		}
		if bd == "" {
			bd = "9999"
		}
		if ad < bd || (ad == bd && a.Key < b.Key) {
			best = m
		}
	}
	return arts[best].Key
}

// Files is a rendered report, but for its story pages (see Render).
type Files struct {
	JSON, HTML, CSV []byte
}

// Render renders the report in its three formats. The HTML pages beside
// report.html (stories/…, one per story) go to pages as they are made,
// before Render returns: there can be hundreds of thousands, and they are
// never all held at once.
func Render(rep *report.Report, pages func(path string, page []byte) error) (Files, error) {
	var f Files
	err := report.WriteSite(rep, func(path string, page []byte) error {
		if path == "report.html" {
			f.HTML = page
			return nil
		}
		return pages(path, page)
	})
	if err != nil {
		return Files{}, fmt.Errorf("render HTML: %w", err)
	}
	var j, c bytes.Buffer
	if err := report.WriteJSON(&j, rep); err != nil {
		return Files{}, fmt.Errorf("render JSON: %w", err)
	}
	if err := report.WriteCSV(&c, rep); err != nil {
		return Files{}, fmt.Errorf("render CSV: %w", err)
	}
	f.JSON, f.CSV = j.Bytes(), c.Bytes()
	return f, nil
}

// publishWorkers is how many story pages Publish writes at once.
const publishWorkers = 16

// Publish writes a report under prefix as prefix/YYYY-MM-DD/stories/…html,
// then prefix/YYYY-MM-DD/report.{json,html,csv}, then prefix/latest.json. Each object is written whole, and latest.json
// only after the dated files, so a reader never sees a half-written report
// and a failed run leaves the previous one in place.
func Publish(ctx context.Context, out BlobStore, prefix string, rep *report.Report) error {
	day := rep.GeneratedAt
	if len(day) >= 10 {
		day = day[:10]
	}
	prefix = withPrefix(prefix)
	// The story pages first, as they are rendered: report.html links to
	// them. A day of 50,000 articles has 10,000 stories: one at a time,
	// their round trips to S3 would take minutes.
	g, gctx := errgroup.WithContext(ctx)
	g.SetLimit(publishWorkers) // Go waits for a free worker: pages in memory stay few
	f, err := Render(rep, func(p string, page []byte) error {
		if err := gctx.Err(); err != nil {
			return err // a put failed: stop rendering
		}
		g.Go(func() error {
			if err := out.Put(gctx, prefix+day+"/"+p, page, "text/html; charset=utf-8"); err != nil {
				return fmt.Errorf("publish %s%s/%s: %w", prefix, day, p, err)
			}
			return nil
		})
		return nil
	})
	if werr := g.Wait(); werr != nil {
		return werr
	}
	if err != nil {
		return err
	}
	for _, o := range []struct {
		name, ctype string
		body        []byte
	}{
		{day + "/report.json", "application/json", f.JSON},
		{day + "/report.html", "text/html; charset=utf-8", f.HTML},
		{day + "/report.csv", "text/csv; charset=utf-8", f.CSV},
		{"latest.json", "application/json", f.JSON},
	} {
		if err := out.Put(ctx, prefix+o.name, o.body, o.ctype); err != nil {
			return fmt.Errorf("publish %s%s: %w", prefix, o.name, err)
		}
	}
	return nil
}

// withPrefix turns a key prefix ("reports", "reports/" or "") into the
// start of a key: "reports/" or "".
func withPrefix(prefix string) string {
	prefix = strings.TrimSuffix(prefix, "/")
	if prefix != "" {
		prefix += "/"
	}
	return prefix
}
