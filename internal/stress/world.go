// Package stress is the harness of the fault and load tests (internal/faults,
// build tag faults; internal/load, build tag load): it runs the real Lambda
// handlers in-process against DynamoDB Local and MinIO (infra/local/up.sh),
// wired exactly as functions/ingest and functions/cluster wire them, each
// simulated Lambda instance with its own SDK clients; it generates articles
// and S3 event plans with duplicates and out-of-order deliveries, delivers
// them with concurrent workers and Lambda-style retries of failed
// invocations, checks the table afterwards, and puts Toxiproxy (in-process)
// between the functions and the servers.
//
// Everything talks to loopback only: the endpoints come from the
// environment infra/local/up.sh writes, checked by e2e.LocalConfig, and
// Toxiproxy listens on and forwards to 127.0.0.1.
package stress

import (
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"log/slog"
	"net"
	"net/url"
	"os"
	"path/filepath"
	"sync"
	"sync/atomic"
	"testing"
	"time"

	"github.com/aws/aws-sdk-go-v2/aws"
	awsddb "github.com/aws/aws-sdk-go-v2/service/dynamodb"
	awss3 "github.com/aws/aws-sdk-go-v2/service/s3"
	s3types "github.com/aws/aws-sdk-go-v2/service/s3/types"
	"github.com/aws/smithy-go/logging"

	"github.com/newsdedup/newsdedup/internal/dedup"
	"github.com/newsdedup/newsdedup/internal/dynamodb"
	"github.com/newsdedup/newsdedup/internal/e2e"
	"github.com/newsdedup/newsdedup/internal/lambda"
	"github.com/newsdedup/newsdedup/internal/s3"
)

// FunctionTimeout is the ingest function's timeout in template.yaml
// (IngestTimeout): the deadline of the context Lambda passes to an
// invocation.
const FunctionTimeout = 30 * time.Second

// LambdaDeliveries is how often Lambda delivers an asynchronous event at
// most: once, then MaximumRetryAttempts (2 in template.yaml) retries.
const LambdaDeliveries = 3

// ModuleRoot returns the directory holding go.mod, searching up from the
// working directory (go test runs in the package's folder).
func ModuleRoot() (string, error) {
	dir, err := os.Getwd()
	if err != nil {
		return "", err
	}
	for {
		if _, err := os.Stat(filepath.Join(dir, "go.mod")); err == nil {
			return dir, nil
		}
		parent := filepath.Dir(dir)
		if parent == dir {
			return "", errors.New("go.mod not found above the working directory")
		}
		dir = parent
	}
}

// Reachable fails unless something accepts TCP connections at the host
// and port of rawURL within two seconds: the tests fail, and say why, when
// the emulators are down instead of waiting on the SDK's retries.
func Reachable(rawURL string) error {
	u, err := url.Parse(rawURL)
	if err != nil {
		return err
	}
	c, err := net.DialTimeout("tcp", u.Host, 2*time.Second)
	if err != nil {
		return fmt.Errorf("%s is not reachable (%v); %s", rawURL, err, e2e.EnvHint)
	}
	return c.Close()
}

// envMu serialises Clients: it points the SDK's endpoint variables at the
// requested addresses while the clients are built.
var envMu sync.Mutex

// Clients returns the DynamoDB and S3 clients one Lambda instance has,
// built by the production constructors (dynamodb.NewClient, s3.NewClient)
// from e2e.LocalConfig, but reaching DynamoDB at ddbURL and S3 at s3URL
// (a Toxiproxy listener or another emulator instance; "" keeps the
// environment's endpoint). Both must be loopback URLs. Each call makes new
// clients with their own connection pools.
func Clients(ctx context.Context, ddbURL, s3URL string) (*awsddb.Client, *awss3.Client, error) {
	envMu.Lock()
	defer envMu.Unlock()
	restore := map[string]string{}
	for name, v := range map[string]string{e2e.EnvDynamoDB: ddbURL, e2e.EnvS3: s3URL} {
		if v == "" {
			continue
		}
		restore[name] = os.Getenv(name)
		if err := os.Setenv(name, v); err != nil {
			return nil, nil, err
		}
	}
	defer func() {
		for name, v := range restore {
			os.Setenv(name, v)
		}
	}()
	// The SDK reads AWS_ENDPOINT_URL_<SERVICE> when a client is built, so
	// both clients are made while the variables hold the requested URLs.
	cfg, err := e2e.LocalConfig(ctx, e2e.EnvS3, e2e.EnvDynamoDB)
	if err != nil {
		return nil, nil, err
	}
	cfg.Logger = sdkLog{}
	return dynamodb.NewClient(cfg), s3.NewClient(cfg), nil
}

// SDKLog counts what the SDK clients logged, by message format (in Lambda
// it goes to CloudWatch; here it is counted, not printed). Under faults it
// is mostly "failed to close HTTP response body, this may affect connection
// reuse: %v": an S3 body cut short, caught by the response checksum.
func SDKLog() map[string]int {
	sdkLogMu.Lock()
	defer sdkLogMu.Unlock()
	m := make(map[string]int, len(sdkLogLines))
	for k, v := range sdkLogLines {
		m[k] = v
	}
	return m
}

var (
	sdkLogMu    sync.Mutex
	sdkLogLines = map[string]int{}
	sdkLogFirst = map[string]string{}
)

type sdkLog struct{}

func (sdkLog) Logf(_ logging.Classification, format string, v ...any) {
	sdkLogMu.Lock()
	defer sdkLogMu.Unlock()
	if sdkLogLines[format] == 0 {
		sdkLogFirst[format] = fmt.Sprintf(format, v...)
	}
	sdkLogLines[format]++
}

// SDKLogFirst returns the first line the SDK logged with each format.
func SDKLogFirst() map[string]string {
	sdkLogMu.Lock()
	defer sdkLogMu.Unlock()
	m := make(map[string]string, len(sdkLogFirst))
	for k, v := range sdkLogFirst {
		m[k] = v
	}
	return m
}

// Discard is the functions' logger in the tests: 20,000 JSON lines help nobody.
var Discard = slog.New(slog.DiscardHandler)

// NewIngest returns an ingest handler wired as functions/ingest/main.go
// wires it (configuration from lambda.IngestConfig with TABLE_NAME=table),
// on its own clients reaching DynamoDB at ddbURL and S3 at s3URL ("" = the
// environment's endpoints).
func NewIngest(ctx context.Context, table, ddbURL, s3URL string) (*lambda.IngestHandler, error) {
	cfg, err := lambda.IngestConfig(func(name string) string {
		if name == "TABLE_NAME" {
			return table
		}
		return ""
	})
	if err != nil {
		return nil, err
	}
	ddbc, s3c, err := Clients(ctx, ddbURL, s3URL)
	if err != nil {
		return nil, err
	}
	return &lambda.IngestHandler{
		Svc: &dedup.Service{
			Store:  dynamodb.New(ddbc, cfg.Table, cfg.ScanSegments).WithTombstoneTTL(cfg.TombstoneTTL()),
			Limits: cfg.Limits(),
			Params: cfg.Params,
			Log:    Discard,
		},
		Bucket: func(name string) dedup.BlobStore { return s3.NewBucket(s3c, name) },
	}, nil
}

// NewCluster returns a cluster handler wired as functions/cluster/main.go
// wires it (TABLE_NAME=table, UPLOADS_BUCKET=uploads, REPORTS_BUCKET=reports,
// WINDOW_DAYS=0 so that every record is reported), on its own clients; the
// reports are written through reportsURL ("" = the environment's S3
// endpoint), everything else goes straight to the emulators.
func NewCluster(ctx context.Context, table, uploads, reports, reportsURL string) (*lambda.ClusterHandler, error) {
	env := map[string]string{"TABLE_NAME": table, "UPLOADS_BUCKET": uploads, "REPORTS_BUCKET": reports, "WINDOW_DAYS": "0"}
	cfg, err := lambda.ClusterConfig(func(name string) string { return env[name] })
	if err != nil {
		return nil, err
	}
	ddbc, s3c, err := Clients(ctx, "", "")
	if err != nil {
		return nil, err
	}
	_, reportsS3, err := Clients(ctx, "", reportsURL)
	if err != nil {
		return nil, err
	}
	return &lambda.ClusterHandler{
		Svc: &dedup.Service{
			Articles: s3.NewBucket(s3c, cfg.UploadsBucket),
			Store:    dynamodb.New(ddbc, cfg.Table, cfg.ScanSegments),
			Limits:   cfg.Limits(),
			Params:   cfg.Params,
			Log:      Discard,
		},
		Reports:    s3.NewBucket(reportsS3, cfg.ReportsBucket),
		Prefix:     cfg.ReportsPrefix,
		WindowDays: cfg.WindowDays,
		Log:        Discard,
	}, nil
}

// World is one test's resources on the emulators: a table shaped like the
// deployed one and a bucket, both with unique names and removed when the
// test ends, and direct (unproxied) clients to check them with.
type World struct {
	DDB     *awsddb.Client
	S3      *awss3.Client
	Table   string
	Bucket  string
	Store   *dynamodb.Store // the table, read directly
	Objects *s3.Bucket      // the bucket, read directly
	Root    string          // module root
}

var worldSeq atomic.Int64

// NewWorld checks that the emulators are configured (loopback) and
// reachable, failing the test otherwise, and creates the table and bucket.
// ddbURL, if not "", is another DynamoDB Local instance to create the table
// in (see DDBLocal).
func NewWorld(t testing.TB, name, ddbURL string) *World {
	t.Helper()
	ctx, cancel := context.WithTimeout(context.Background(), 2*time.Minute)
	defer cancel()
	if err := e2e.CheckLoopback(e2e.EnvS3, e2e.EnvDynamoDB); err != nil {
		t.Fatalf("the emulators are required: %v", err)
	}
	for _, u := range []string{os.Getenv(e2e.EnvS3), os.Getenv(e2e.EnvDynamoDB), ddbURL} {
		if u == "" {
			continue
		}
		if err := Reachable(u); err != nil {
			t.Fatal(err)
		}
	}
	root, err := ModuleRoot()
	if err != nil {
		t.Fatal(err)
	}
	ddbc, s3c, err := Clients(ctx, ddbURL, "")
	if err != nil {
		t.Fatal(err)
	}
	w := &World{DDB: ddbc, S3: s3c, Root: root,
		Table:  fmt.Sprintf("%s-%d-%d", name, time.Now().UnixNano(), worldSeq.Add(1)),
		Bucket: fmt.Sprintf("%s-%d-%d", name, time.Now().UnixNano(), worldSeq.Add(1)),
	}
	var in awsddb.CreateTableInput
	schema, err := os.ReadFile(filepath.Join(root, "infra", "local", "table.json"))
	if err != nil {
		t.Fatal(err)
	}
	if err := json.Unmarshal(schema, &in); err != nil {
		t.Fatalf("infra/local/table.json: %v", err)
	}
	in.TableName = aws.String(w.Table)
	if _, err := ddbc.CreateTable(ctx, &in); err != nil {
		t.Fatalf("create table %s: %v", w.Table, err)
	}
	t.Cleanup(func() {
		ctx, cancel := context.WithTimeout(context.Background(), time.Minute)
		defer cancel()
		if _, err := ddbc.DeleteTable(ctx, &awsddb.DeleteTableInput{TableName: aws.String(w.Table)}); err != nil {
			t.Errorf("delete table %s: %v", w.Table, err)
		}
	})
	if err := awsddb.NewTableExistsWaiter(ddbc).Wait(ctx, &awsddb.DescribeTableInput{TableName: aws.String(w.Table)}, time.Minute); err != nil {
		t.Fatalf("table %s: %v", w.Table, err)
	}
	w.Store = dynamodb.New(ddbc, w.Table, 0)
	w.Bucket = w.NewBucket(t, name)
	w.Objects = s3.NewBucket(s3c, w.Bucket)
	return w
}

// NewBucket creates another bucket, emptied and removed when the test ends.
func (w *World) NewBucket(t testing.TB, name string) string {
	t.Helper()
	b := fmt.Sprintf("%s-%d-%d", name, time.Now().UnixNano(), worldSeq.Add(1))
	ctx, cancel := context.WithTimeout(context.Background(), time.Minute)
	defer cancel()
	if _, err := w.S3.CreateBucket(ctx, &awss3.CreateBucketInput{Bucket: aws.String(b)}); err != nil {
		t.Fatalf("create bucket %s: %v", b, err)
	}
	t.Cleanup(func() {
		ctx, cancel := context.WithTimeout(context.Background(), 5*time.Minute)
		defer cancel()
		if err := emptyBucket(ctx, w.S3, b); err != nil {
			t.Errorf("empty bucket %s: %v", b, err)
			return
		}
		if _, err := w.S3.DeleteBucket(ctx, &awss3.DeleteBucketInput{Bucket: aws.String(b)}); err != nil {
			t.Errorf("delete bucket %s: %v", b, err)
		}
	})
	return b
}

// BucketStore returns the bucket called name, reached directly.
func (w *World) BucketStore(name string) *s3.Bucket { return s3.NewBucket(w.S3, name) }

func emptyBucket(ctx context.Context, c *awss3.Client, bucket string) error {
	p := awss3.NewListObjectsV2Paginator(c, &awss3.ListObjectsV2Input{Bucket: aws.String(bucket)})
	for p.HasMorePages() {
		page, err := p.NextPage(ctx)
		if err != nil {
			return err
		}
		if len(page.Contents) == 0 {
			continue
		}
		ids := make([]s3types.ObjectIdentifier, 0, len(page.Contents))
		for _, o := range page.Contents {
			ids = append(ids, s3types.ObjectIdentifier{Key: o.Key})
		}
		if _, err := c.DeleteObjects(ctx, &awss3.DeleteObjectsInput{Bucket: aws.String(bucket), Delete: &s3types.Delete{Objects: ids, Quiet: aws.Bool(true)}}); err != nil {
			return err
		}
	}
	return nil
}
