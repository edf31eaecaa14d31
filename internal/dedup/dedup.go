// Package dedup is the heart of newsdedup: it ingests articles into
// signatures and turns the stored signatures into a report of stories and
// copy groups. Storage sits behind two interfaces, BlobStore and
// SignatureStore, implemented by internal/local (a folder and an embedded
// file), internal/s3 and internal/dynamodb.
package dedup

import (
	"context"
	"errors"
	"io"

	"github.com/newsdedup/newsdedup/internal/signature"
)

// ErrNotFound is returned by stores when a key does not exist.
var ErrNotFound = errors.New("not found")

// BlobStore holds article files and reports: a folder locally, a bucket on AWS.
type BlobStore interface {
	// Get opens the object at key; it returns an error wrapping ErrNotFound if there is none.
	Get(ctx context.Context, key string) (io.ReadCloser, error)
	// Put writes an object whole: readers see the old or the new content, never a part.
	Put(ctx context.Context, key string, body []byte, contentType string) error
}

// Status of a stored record.
type Status string

const (
	StatusOK       Status = "ok"       // parsed; Signature is set
	StatusRejected Status = "rejected" // permanently unusable; Reason says why
	StatusDeleted  Status = "deleted"  // the object was removed; kept as a tombstone so older events cannot revive it
)

// Record is what the signature store keeps per article key.
type Record struct {
	Key    string
	Seq    string // version order: S3 sequencer, or a zero-padded counter locally; larger is newer
	Status Status
	Reason string               // for StatusRejected
	ETag   string               // content identity (hash or S3 ETag) to skip unchanged files
	Date   string               // YYYY-MM-DD or "", copied from the signature for windowed reads
	Sig    *signature.Signature // for StatusOK
}

// SignatureStore keeps one Record per key, newest Seq wins.
type SignatureStore interface {
	// Put stores rec unless a record with a Seq >= rec.Seq is already there;
	// it reports whether rec was written. Equal Seq means a duplicate delivery.
	Put(ctx context.Context, rec Record) (bool, error)
	// Get returns the record for key, or an error wrapping ErrNotFound.
	Get(ctx context.Context, key string) (Record, error)
	// Scan calls fn for every record (any status); order is unspecified.
	Scan(ctx context.Context, fn func(Record) error) error
}
