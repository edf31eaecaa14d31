package local

import (
	"context"
	"errors"
	"fmt"
	"io"
	"io/fs"
	"os"
	"runtime"
	"strconv"
	"sync"
	"time"

	"github.com/newsdedup/newsdedup/internal/article"
	"github.com/newsdedup/newsdedup/internal/dedup"
)

// Dirs is a read-only BlobStore over several input folders: a key is
// looked up in each folder in turn. It lets the report re-read articles for
// copy evidence when a run names several paths.
type Dirs []*Folder

// Get opens key in the first folder that has it.
func (d Dirs) Get(ctx context.Context, key string) (io.ReadCloser, error) {
	for _, f := range d {
		r, err := f.Get(ctx, key)
		if err == nil || !errors.Is(err, dedup.ErrNotFound) {
			return r, err
		}
	}
	return nil, fmt.Errorf("%q: %w", key, dedup.ErrNotFound)
}

// Put is refused: input folders are never written.
func (d Dirs) Put(context.Context, string, []byte, string) error {
	return errors.New("input folders are read-only")
}

// SyncStats counts what a Sync did.
type SyncStats struct {
	Files, Ingested, Unchanged, Rejected, Removed int
	// Duplicates are keys found again under a later folder; they are not
	// ingested (the first folder's file wins) and should be reported.
	Duplicates []string
}

// Progress is called now and then during a Sync with files done and found.
type Progress func(done, total int)

// batchSize bounds one bbolt transaction: large enough to amortise fsync,
// small enough to keep the file compact.
const batchSize = 1000

// Sync makes the store mirror the folders, as S3 events make DynamoDB mirror
// the bucket: every new or changed file is signed and stored, unchanged ones
// (same content tag) are skipped unless their signature is of an earlier
// format (signature.Stale), and keys no longer present get a tombstone.
// A key found in two folders is taken from the first (see SyncStats.Duplicates).
func Sync(ctx context.Context, svc *dedup.Service, store *Store, dirs Dirs, progress Progress) (SyncStats, error) {
	type file struct {
		key  string
		root *Folder
	}
	var files []file
	seen := map[string]bool{}
	var dupes []string
	for _, d := range dirs {
		err := d.Walk(ctx, func(key string, _ fs.FileInfo) error {
			if seen[key] {
				dupes = append(dupes, key)
				return nil
			}
			seen[key] = true
			files = append(files, file{key, d})
			return nil
		})
		if err != nil {
			return SyncStats{}, fmt.Errorf("list %s: %w", d.Root(), err)
		}
	}
	st := SyncStats{Files: len(files)}

	// Versions only need to grow from run to run: nanoseconds since the
	// epoch, zero-padded so that they compare as strings.
	seq := fmt.Sprintf("%020d", time.Now().UnixNano())

	known := map[string]dedup.Record{}
	if err := store.Scan(ctx, func(r dedup.Record) error {
		if r.Sig != nil && r.Sig.Stale() {
			r.ETag = "" // signed by an earlier format: sign it again, the file is at hand
		}
		r.Sig = nil // only status and tag are needed here
		known[r.Key] = r
		return nil
	}); err != nil {
		return st, fmt.Errorf("read state: %w", err)
	}

	limit := svc.Limits.MaxBytes
	if limit <= 0 {
		limit = article.DefaultMaxBytes
	}
	jobs := make(chan file)
	results := make(chan dedup.Record)
	var wg sync.WaitGroup
	for w := 0; w < runtime.GOMAXPROCS(0); w++ {
		wg.Add(1)
		go func() {
			defer wg.Done()
			for f := range jobs {
				data, err := readFile(f.root, f.key, limit)
				if err != nil {
					// Unreadable now (permissions, vanished): record why, and
					// try again on the next run since the tag stays empty.
					results <- dedup.Record{Key: f.key, Seq: seq, Status: dedup.StatusRejected,
						Reason: err.Error(), Date: time.Now().UTC().Format("2006-01-02")}
					continue
				}
				tag := dedup.ContentTag(data)
				if old, ok := known[f.key]; ok && old.ETag == tag && old.Status != dedup.StatusDeleted {
					results <- dedup.Record{Key: f.key, ETag: tag, Status: old.Status, Seq: ""}
					continue
				}
				rec := svc.Sign(f.key, data)
				rec.Seq = seq
				results <- rec
			}
		}()
	}
	go func() {
		defer close(jobs)
		for _, f := range files {
			select {
			case jobs <- f:
			case <-ctx.Done():
				return
			}
		}
	}()
	go func() { wg.Wait(); close(results) }()

	var batch []dedup.Record
	flush := func() error {
		if len(batch) == 0 {
			return nil
		}
		_, err := store.Batch(ctx, batch)
		batch = batch[:0]
		return err
	}
	done := 0
	last := time.Now()
	var werr error
	for rec := range results {
		done++
		switch {
		case rec.Seq == "":
			st.Unchanged++
		default:
			st.Ingested++
			if rec.Status == dedup.StatusRejected {
				st.Rejected++
			}
			batch = append(batch, rec)
			if len(batch) >= batchSize && werr == nil {
				werr = flush()
			}
		}
		if progress != nil && time.Since(last) > time.Second {
			progress(done, len(files))
			last = time.Now()
		}
	}
	if werr == nil {
		werr = flush()
	}
	if werr != nil {
		return st, fmt.Errorf("store signatures: %w", werr)
	}
	if err := ctx.Err(); err != nil {
		return st, err
	}
	st.Duplicates = dupes
	for k, r := range known {
		if !seen[k] && r.Status != dedup.StatusDeleted {
			batch = append(batch, dedup.Record{Key: k, Seq: seq, Status: dedup.StatusDeleted, Date: r.Date})
			st.Removed++
		}
	}
	if err := flush(); err != nil {
		return st, fmt.Errorf("store tombstones: %w", err)
	}
	if progress != nil {
		progress(done, len(files))
	}
	return st, nil
}

// readFile reads at most limit+1 bytes: enough for the parser to reject an
// oversized file without loading it whole.
func readFile(f *Folder, key string, limit int64) ([]byte, error) {
	r, err := f.Get(context.Background(), key)
	if err != nil {
		return nil, fmt.Errorf("open %s: %w", strconv.Quote(key), err)
	}
	defer r.Close()
	data, err := io.ReadAll(io.LimitReader(r, limit+1))
	if err != nil && !errors.Is(err, os.ErrClosed) {
		return nil, fmt.Errorf("read %s: %w", strconv.Quote(key), err)
	}
	return data, nil
}
