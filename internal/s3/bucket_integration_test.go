//go:build integration

package s3

import (
	"bytes"
	"context"
	"errors"
	"fmt"
	"io"
	"strings"
	"sync"
	"sync/atomic"
	"testing"
	"time"

	"github.com/aws/aws-sdk-go-v2/aws"
	awss3 "github.com/aws/aws-sdk-go-v2/service/s3"

	"github.com/newsdedup/newsdedup/internal/dedup"
	"github.com/newsdedup/newsdedup/internal/e2e"
)

// These tests run against MinIO: `make integration`, or
//
//	infra/local/up.sh && source ~/.cache/newsdedup/state/env.sh
//	go test -tags integration ./internal/s3/
//
// Without AWS_ENDPOINT_URL_S3 (on loopback) they fail; they never skip.

var bucketSeq atomic.Int64

func localClient(t *testing.T) *awss3.Client {
	t.Helper()
	cfg, err := e2e.LocalConfig(context.Background(), e2e.EnvS3)
	if err != nil {
		t.Fatalf("MinIO is required for -tags integration: %v", err)
	}
	return NewClient(cfg)
}

// newBucket creates an empty bucket with a unique name and removes it and
// its objects when t ends.
func newBucket(t *testing.T, client *awss3.Client) *Bucket {
	t.Helper()
	ctx := context.Background()
	name := fmt.Sprintf("it-%d-%d", time.Now().UnixNano(), bucketSeq.Add(1))
	if _, err := client.CreateBucket(ctx, &awss3.CreateBucketInput{Bucket: aws.String(name)}); err != nil {
		t.Fatalf("create bucket %s: %v", name, err)
	}
	t.Cleanup(func() { emptyAndDelete(t, client, name) })
	return NewBucket(client, name)
}

// emptyAndDelete removes every object of bucket name, then the bucket.
func emptyAndDelete(t testing.TB, client *awss3.Client, name string) {
	ctx := context.Background()
	p := awss3.NewListObjectsV2Paginator(client, &awss3.ListObjectsV2Input{Bucket: aws.String(name)})
	for p.HasMorePages() {
		page, err := p.NextPage(ctx)
		if err != nil {
			t.Errorf("list bucket %s: %v", name, err)
			return
		}
		for _, o := range page.Contents {
			if _, err := client.DeleteObject(ctx, &awss3.DeleteObjectInput{Bucket: aws.String(name), Key: o.Key}); err != nil {
				t.Errorf("delete s3://%s/%s: %v", name, aws.ToString(o.Key), err)
			}
		}
	}
	if _, err := client.DeleteBucket(ctx, &awss3.DeleteBucketInput{Bucket: aws.String(name)}); err != nil {
		t.Errorf("delete bucket %s: %v", name, err)
	}
}

func read(t *testing.T, b *Bucket, key string) []byte {
	t.Helper()
	r, err := b.Get(context.Background(), key)
	if err != nil {
		t.Fatalf("Get(%q): %v", key, err)
	}
	defer r.Close()
	data, err := io.ReadAll(r)
	if err != nil {
		t.Fatalf("read %q: %v", key, err)
	}
	return data
}

func TestPutGet(t *testing.T) {
	client := localClient(t)
	b := newBucket(t, client)
	ctx := context.Background()
	big := bytes.Repeat([]byte("0123456789abcdef"), 6<<20/16) // 6 MiB: one PutObject, above the article limit
	tests := []struct {
		key, ctype string
		body       []byte
	}{
		{"incoming/2024-01-02/plain.txt", "text/plain; charset=utf-8", []byte("hello")},
		{"incoming/2024-01-02/wire copy+update.txt", "", []byte("space and plus")},
		{"incoming/ünïcödé/新闻 статья.json", "application/json", []byte(`{"title":"x"}`)},
		{"incoming/empty.txt", "text/plain", []byte{}},
		{"reports/2024-01-03/report.html", "text/html; charset=utf-8", []byte("<!doctype html>")},
		{"incoming/big.bin", "application/octet-stream", big},
		{"incoming/a%20b.txt", "", []byte("a literal percent sign")},
	}
	for _, tc := range tests {
		if err := b.Put(ctx, tc.key, tc.body, tc.ctype); err != nil {
			t.Fatalf("Put(%q): %v", tc.key, err)
		}
	}
	for _, tc := range tests {
		if got := read(t, b, tc.key); !bytes.Equal(got, tc.body) {
			t.Errorf("Get(%q) = %d bytes, want %d", tc.key, len(got), len(tc.body))
		}
		head, err := client.HeadObject(ctx, &awss3.HeadObjectInput{Bucket: aws.String(b.Name()), Key: aws.String(tc.key)})
		if err != nil {
			t.Fatalf("HeadObject(%q): %v", tc.key, err)
		}
		if tc.ctype != "" && aws.ToString(head.ContentType) != tc.ctype {
			t.Errorf("%q: content type %q, want %q", tc.key, aws.ToString(head.ContentType), tc.ctype)
		}
	}
	// Keys are exact: no decoding of '+' or '%20' on the way.
	if got := string(read(t, b, "incoming/a%20b.txt")); got != "a literal percent sign" {
		t.Errorf("key with %%20 read back %q", got)
	}
	if _, err := b.Get(ctx, "incoming/a b.txt"); !errors.Is(err, dedup.ErrNotFound) {
		t.Errorf("Get of the decoded twin of a %%20 key: err = %v, want ErrNotFound", err)
	}
}

func TestGetErrors(t *testing.T) {
	client := localClient(t)
	b := newBucket(t, client)
	ctx := context.Background()
	for _, key := range []string{"missing.txt", "incoming/", "incoming/2024-01-02/wire+copy.txt"} {
		_, err := b.Get(ctx, key)
		if !errors.Is(err, dedup.ErrNotFound) {
			t.Errorf("Get(%q) err = %v, want ErrNotFound", key, err)
		}
		if err != nil && !strings.Contains(err.Error(), "s3://"+b.Name()+"/"+key) {
			t.Errorf("Get(%q) err = %v, want it to name the object", key, err)
		}
	}
	if _, err := b.Get(ctx, ""); err == nil {
		t.Error("Get(\"\") succeeded")
	}
	if err := b.Put(ctx, "", []byte("x"), ""); err == nil {
		t.Error("Put(\"\") succeeded")
	}
	gone := NewBucket(client, "newsdedup-no-such-bucket")
	_, err := gone.Get(ctx, "k")
	if err == nil || errors.Is(err, dedup.ErrNotFound) {
		t.Errorf("Get from a missing bucket: err = %v, want an error that is not ErrNotFound", err)
	}
	if err != nil && !strings.Contains(err.Error(), "NoSuchBucket") {
		t.Errorf("Get from a missing bucket: err = %v, want S3's NoSuchBucket in it", err)
	}
	if err := gone.Put(ctx, "k", []byte("x"), ""); err == nil || !strings.Contains(err.Error(), "newsdedup-no-such-bucket") {
		t.Errorf("Put into a missing bucket: err = %v", err)
	}
	cctx, cancel := context.WithCancel(ctx)
	cancel()
	if err := b.Put(cctx, "k", []byte("x"), ""); !errors.Is(err, context.Canceled) {
		t.Errorf("Put with cancelled context: err = %v", err)
	}
}

// TestPutIsWhole rewrites one key while readers read it: every read must be
// one complete version.
func TestPutIsWhole(t *testing.T) {
	client := localClient(t)
	b := newBucket(t, client)
	ctx := context.Background()
	const key = "reports/latest.json"
	version := func(i int) []byte { return bytes.Repeat([]byte{byte('a' + i%26)}, 256<<10+i) }
	if err := b.Put(ctx, key, version(0), "application/json"); err != nil {
		t.Fatal(err)
	}
	var wg sync.WaitGroup
	stop := make(chan struct{})
	for range 4 {
		wg.Go(func() {
			for {
				select {
				case <-stop:
					return
				default:
				}
				got := read(t, b, key)
				i := len(got) - 256<<10
				if i < 0 || !bytes.Equal(got, version(i)) {
					t.Errorf("read a mixed or partial object of %d bytes", len(got))
					return
				}
			}
		})
	}
	for i := 1; i <= 20; i++ {
		if err := b.Put(ctx, key, version(i), "application/json"); err != nil {
			t.Error(err)
		}
	}
	close(stop)
	wg.Wait()
}
