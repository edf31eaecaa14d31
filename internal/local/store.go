package local

import (
	"context"
	"errors"
	"fmt"
	"time"

	bolt "go.etcd.io/bbolt"
	bolterrors "go.etcd.io/bbolt/errors"

	"github.com/newsdedup/newsdedup/internal/dedup"
)

// LockTimeout is how long Open waits for another process to release the
// state file before giving up.
const LockTimeout = 2 * time.Second

// ErrLocked is wrapped by Open's error when another process holds the file.
var ErrLocked = errors.New("state file is in use by another process")

var recordsBucket = []byte("records")

// scanChunk bounds how many records Scan reads per read transaction; see Scan.
const scanChunk = 256

// Store is a dedup.SignatureStore in a bbolt file. bbolt commits with fsync
// and a copy-on-write B+tree, so a crash or SIGKILL at any point leaves a
// file that opens with every committed write in it. Only one process can
// have the file open at a time; within the process Store is safe for
// concurrent use.
type Store struct {
	db *bolt.DB
}

var _ dedup.SignatureStore = (*Store)(nil)

// Open opens or creates the state file at path. If another process holds it,
// Open fails after LockTimeout with an error wrapping ErrLocked.
func Open(path string) (*Store, error) {
	return open(path, LockTimeout)
}

func open(path string, timeout time.Duration) (*Store, error) {
	db, err := bolt.Open(path, 0o600, &bolt.Options{Timeout: timeout})
	if errors.Is(err, bolterrors.ErrTimeout) {
		return nil, fmt.Errorf("local: open %s: %w (waited %s for its lock)", path, ErrLocked, timeout)
	}
	if err != nil {
		return nil, fmt.Errorf("local: open %s: %w", path, err)
	}
	err = db.Update(func(tx *bolt.Tx) error {
		_, err := tx.CreateBucketIfNotExists(recordsBucket)
		return err
	})
	if err != nil {
		db.Close()
		return nil, fmt.Errorf("local: open %s: %w", path, err)
	}
	return &Store{db: db}, nil
}

// Close releases the file and its lock.
func (s *Store) Close() error { return s.db.Close() }

// Path returns the file name of the store.
func (s *Store) Path() string { return s.db.Path() }

func validate(rec dedup.Record) error {
	if rec.Key == "" {
		return errors.New("local: put: empty key")
	}
	if len(rec.Key) > bolt.MaxKeySize {
		return fmt.Errorf("local: put: key of %d bytes is longer than %d", len(rec.Key), bolt.MaxKeySize)
	}
	return nil
}

// putTx is the conditional write shared by Put and Batch: rec is written
// only if the key is absent or its stored Seq is less than rec.Seq.
func putTx(b *bolt.Bucket, rec dedup.Record) (bool, error) {
	key := []byte(rec.Key)
	if old := b.Get(key); old != nil {
		seq, err := decodeSeq(old)
		if err != nil {
			return false, fmt.Errorf("local: put %q: stored record: %w", rec.Key, err)
		}
		if !SeqLess(seq, rec.Seq) {
			return false, nil
		}
	}
	v, err := encodeRecord(rec)
	if err != nil {
		return false, fmt.Errorf("local: put %q: %w", rec.Key, err)
	}
	if err := b.Put(key, v); err != nil {
		return false, fmt.Errorf("local: put %q: %w", rec.Key, err)
	}
	return true, nil
}

// Put stores rec unless a record with a Seq >= rec.Seq (see SeqLess) is
// already there, and reports whether it was written. Each written Put is
// one fsynced transaction; use Batch for bulk loads. A delete is a Put of a
// StatusDeleted record.
func (s *Store) Put(ctx context.Context, rec dedup.Record) (bool, error) {
	if err := ctx.Err(); err != nil {
		return false, err
	}
	if err := validate(rec); err != nil {
		return false, err
	}
	err := s.db.Update(func(tx *bolt.Tx) error {
		written, err := putTx(tx.Bucket(recordsBucket), rec)
		if err == nil && !written {
			err = errNoWrite
		}
		return err
	})
	if errors.Is(err, errNoWrite) {
		return false, nil
	}
	return err == nil, err
}

// errNoWrite makes Update roll back a transaction that changed nothing:
// committing it would still cost an fsync.
var errNoWrite = errors.New("no write")

// Batch applies Put's condition to each of recs in order within one
// transaction and one fsync, and reports for each whether it was written. A
// later record for the same key is compared with the earlier one's result.
// It is all or nothing: on error (an invalid record, a cancelled ctx) nothing
// is written and the result is nil.
func (s *Store) Batch(ctx context.Context, recs []dedup.Record) ([]bool, error) {
	for _, rec := range recs {
		if err := validate(rec); err != nil {
			return nil, err
		}
	}
	if err := ctx.Err(); err != nil {
		return nil, err
	}
	written := make([]bool, len(recs))
	changed := false
	err := s.db.Update(func(tx *bolt.Tx) error {
		b := tx.Bucket(recordsBucket)
		for i, rec := range recs {
			if i%1024 == 0 {
				if err := ctx.Err(); err != nil {
					return err
				}
			}
			ok, err := putTx(b, rec)
			if err != nil {
				return err
			}
			written[i] = ok
			changed = changed || ok
		}
		if !changed {
			return errNoWrite
		}
		return nil
	})
	if errors.Is(err, errNoWrite) {
		return written, nil
	}
	if err != nil {
		return nil, err
	}
	return written, nil
}

// Get returns the record for key, or an error wrapping dedup.ErrNotFound.
func (s *Store) Get(ctx context.Context, key string) (dedup.Record, error) {
	if err := ctx.Err(); err != nil {
		return dedup.Record{}, err
	}
	var rec dedup.Record
	err := s.db.View(func(tx *bolt.Tx) error {
		v := tx.Bucket(recordsBucket).Get([]byte(key))
		if v == nil {
			return fmt.Errorf("local: get %q: %w", key, dedup.ErrNotFound)
		}
		var err error
		if rec, err = decodeRecord([]byte(key), v); err != nil {
			return fmt.Errorf("local: get %q: %w", key, err)
		}
		return nil
	})
	return rec, err
}

// Scan calls fn for every record, in key order. It reads scanChunk records
// per read transaction and calls fn outside it: a bbolt read transaction
// held across fn would deadlock a Put from fn once the file needs to grow
// (the writer waits to remap while the reader is open). The price is that
// Scan is not a snapshot: a record written during the scan is seen if its
// key sorts after the current position. Each key is visited at most once.
func (s *Store) Scan(ctx context.Context, fn func(dedup.Record) error) error {
	var after []byte // last key handed out; nil before the first chunk
	for {
		if err := ctx.Err(); err != nil {
			return err
		}
		recs := make([]dedup.Record, 0, scanChunk)
		err := s.db.View(func(tx *bolt.Tx) error {
			c := tx.Bucket(recordsBucket).Cursor()
			var k, v []byte
			if after == nil {
				k, v = c.First()
			} else if k, v = c.Seek(after); k != nil && string(k) == string(after) {
				k, v = c.Next()
			}
			for ; k != nil && len(recs) < scanChunk; k, v = c.Next() {
				rec, err := decodeRecord(k, v)
				if err != nil {
					return fmt.Errorf("local: scan %q: %w", k, err)
				}
				recs = append(recs, rec)
			}
			return nil
		})
		if err != nil {
			return err
		}
		for _, rec := range recs {
			if err := ctx.Err(); err != nil {
				return err
			}
			if err := fn(rec); err != nil {
				return err
			}
		}
		if len(recs) < scanChunk {
			return nil
		}
		after = []byte(recs[len(recs)-1].Key)
	}
}

// Count returns how many records the store holds per status, without
// decoding signatures.
func (s *Store) Count(ctx context.Context) (map[dedup.Status]int, error) {
	if err := ctx.Err(); err != nil {
		return nil, err
	}
	counts := map[dedup.Status]int{}
	err := s.db.View(func(tx *bolt.Tx) error {
		return tx.Bucket(recordsBucket).ForEach(func(k, v []byte) error {
			d, err := newDecoder(v)
			if err != nil {
				return fmt.Errorf("local: count %q: %w", k, err)
			}
			rec := decodeHeader(d, k)
			if d.err != nil {
				return fmt.Errorf("local: count %q: %w", k, d.err)
			}
			counts[rec.Status]++
			return nil
		})
	})
	if err != nil {
		return nil, err
	}
	return counts, nil
}
