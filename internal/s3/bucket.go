// Package s3 implements dedup.BlobStore on an Amazon S3 bucket (or MinIO
// locally), with aws-sdk-go-v2. The SDK's package of the same name is
// imported here as awss3; callers of this package need not import it.
package s3

import (
	"bytes"
	"context"
	"errors"
	"fmt"
	"io"
	"time"

	"github.com/aws/aws-sdk-go-v2/aws"
	awss3 "github.com/aws/aws-sdk-go-v2/service/s3"
	"github.com/aws/aws-sdk-go-v2/service/s3/types"

	"github.com/newsdedup/newsdedup/internal/awsnet"
	"github.com/newsdedup/newsdedup/internal/dedup"
)

// AttemptTimeout bounds one attempt while S3 does not answer (see
// awsnet.HTTPClient): no response headers that long after a request was
// sent. S3's first byte usually arrives within 100-200 ms; a PutObject of a
// report answers once S3 has stored the body, a few seconds at most for the
// largest reports.
const AttemptTimeout = 10 * time.Second

// NewClient returns an S3 client for cfg. The endpoint comes from the SDK's
// standard settings (AWS_ENDPOINT_URL_S3 or AWS_ENDPOINT_URL); when one is
// set, requests use path-style addressing (http://host/bucket/key), which
// MinIO and other S3 emulators need. Against AWS itself (no override) the
// SDK's virtual-hosted style is kept. It keeps the SDK's standard retryer
// (3 attempts), each bounded by AttemptTimeout.
func NewClient(cfg aws.Config) *awss3.Client {
	return awss3.NewFromConfig(cfg, func(o *awss3.Options) {
		if o.BaseEndpoint != nil {
			o.UsePathStyle = true
		}
		o.HTTPClient = awsnet.HTTPClient(AttemptTimeout)
	})
}

// Bucket is a dedup.BlobStore over one S3 bucket; keys are object keys. It
// is safe for concurrent use.
type Bucket struct {
	client *awss3.Client
	name   string
}

var _ dedup.BlobStore = (*Bucket)(nil)

// NewBucket returns the bucket called name, reached through client.
func NewBucket(client *awss3.Client, name string) *Bucket {
	return &Bucket{client: client, name: name}
}

// Name returns the bucket's name.
func (b *Bucket) Name() string { return b.name }

func (b *Bucket) url(key string) string { return "s3://" + b.name + "/" + key }

// Get opens the object at key. A missing object gives an error wrapping
// dedup.ErrNotFound (S3 answers NoSuchKey only if the caller may list the
// bucket; without s3:ListBucket it answers AccessDenied, which is returned
// as an ordinary error). The caller closes the body.
func (b *Bucket) Get(ctx context.Context, key string) (io.ReadCloser, error) {
	if key == "" {
		return nil, fmt.Errorf("s3: get from bucket %s: empty key", b.name)
	}
	out, err := b.client.GetObject(ctx, &awss3.GetObjectInput{Bucket: aws.String(b.name), Key: aws.String(key)})
	if err != nil {
		var nsk *types.NoSuchKey
		if errors.As(err, &nsk) {
			return nil, fmt.Errorf("s3: get %s: %w", b.url(key), dedup.ErrNotFound)
		}
		return nil, fmt.Errorf("s3: get %s: %w", b.url(key), err)
	}
	return out.Body, nil
}

// Put writes body to key with one PutObject: S3 makes the object visible
// whole, so readers see the old content or the new, never a part.
func (b *Bucket) Put(ctx context.Context, key string, body []byte, contentType string) error {
	if key == "" {
		return fmt.Errorf("s3: put into bucket %s: empty key", b.name)
	}
	in := &awss3.PutObjectInput{
		Bucket:        aws.String(b.name),
		Key:           aws.String(key),
		Body:          bytes.NewReader(body),
		ContentLength: aws.Int64(int64(len(body))),
	}
	if contentType != "" {
		in.ContentType = aws.String(contentType)
	}
	if _, err := b.client.PutObject(ctx, in); err != nil {
		return fmt.Errorf("s3: put %s (%d bytes): %w", b.url(key), len(body), err)
	}
	return nil
}
