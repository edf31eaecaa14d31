//go:build integration

package lambda

import (
	"context"
	"encoding/json"
	"fmt"
	"io"
	"testing"
	"time"

	"github.com/aws/aws-sdk-go-v2/aws"
	awsddb "github.com/aws/aws-sdk-go-v2/service/dynamodb"
	"github.com/aws/aws-sdk-go-v2/service/dynamodb/types"
	awss3 "github.com/aws/aws-sdk-go-v2/service/s3"

	"github.com/newsdedup/newsdedup/internal/dedup"
	"github.com/newsdedup/newsdedup/internal/dynamodb"
	"github.com/newsdedup/newsdedup/internal/e2e"
	"github.com/newsdedup/newsdedup/internal/report"
	"github.com/newsdedup/newsdedup/internal/s3"
)

// TestHandlersOnAWSStores runs the handlers in-process on the AWS adapters
// (MinIO and DynamoDB Local; `make integration`) and on the local ones
// (folder and bbolt) with the same events: the reports must agree. The
// end-to-end test (internal/e2e) does the same through the Lambda emulator.
// Without the emulators' settings this test fails; it never skips.
func TestHandlersOnAWSStores(t *testing.T) {
	ctx := context.Background()
	cfg, err := e2e.LocalConfig(ctx, e2e.EnvS3, e2e.EnvDynamoDB)
	if err != nil {
		t.Fatalf("the emulators are required for -tags integration: %v", err)
	}
	name := fmt.Sprintf("it-lambda-%d", time.Now().UnixNano())
	ddbc := dynamodb.NewClient(cfg)
	if _, err := ddbc.CreateTable(ctx, &awsddb.CreateTableInput{
		TableName:            aws.String(name),
		AttributeDefinitions: []types.AttributeDefinition{{AttributeName: aws.String("pk"), AttributeType: types.ScalarAttributeTypeS}},
		KeySchema:            []types.KeySchemaElement{{AttributeName: aws.String("pk"), KeyType: types.KeyTypeHash}},
		BillingMode:          types.BillingModePayPerRequest,
	}); err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { ddbc.DeleteTable(context.Background(), &awsddb.DeleteTableInput{TableName: aws.String(name)}) })
	s3c := s3.NewClient(cfg)
	if _, err := s3c.CreateBucket(ctx, &awss3.CreateBucketInput{Bucket: aws.String(name)}); err != nil {
		t.Fatal(err)
	}
	bucket := s3.NewBucket(s3c, name)
	t.Cleanup(func() {
		// Everything the run wrote: the articles, the report files and a
		// page per story, whose names the test does not know.
		pages := awss3.NewListObjectsV2Paginator(s3c, &awss3.ListObjectsV2Input{Bucket: aws.String(name)})
		for pages.HasMorePages() {
			page, err := pages.NextPage(context.Background())
			if err != nil {
				t.Errorf("list bucket %s: %v", name, err)
				break
			}
			for _, o := range page.Contents {
				s3c.DeleteObject(context.Background(), &awss3.DeleteObjectInput{Bucket: aws.String(name), Key: o.Key})
			}
		}
		if _, err := s3c.DeleteBucket(context.Background(), &awss3.DeleteBucketInput{Bucket: aws.String(name)}); err != nil {
			t.Errorf("delete bucket %s: %v", name, err)
		}
	})

	// Local twin: the fixture of the unit tests, fed the same files and events.
	f := newFixture(t)
	store := dynamodb.New(ddbc, name, 3)
	svc := *f.svc
	svc.Store, svc.Articles = store, bucket
	remote := &IngestHandler{Svc: &svc, Bucket: func(string) dedup.BlobStore { return bucket }}

	files := map[string][]byte{}
	for i, n := range []string{"000_d3a8f2096fb2671b.txt", "001_185a73e93ce09b0f.txt", "002_8195b0460efe062c.txt", "003_8f73fbdca9dbbaca.txt", "004_06b9509edbdc682e.txt"} {
		key := "incoming/2024-01-02/" + n
		if i == 3 {
			key = keyPlus
		}
		files[key] = seed(t, n)
	}
	files["incoming/scan.pdf"] = []byte(pdfMagic)
	var onAWS, onLocal []e2e.S3Record
	for key, body := range files {
		if err := bucket.Put(ctx, key, body, "text/plain"); err != nil {
			t.Fatal(err)
		}
		f.upload(key, body)
		r := created(key, f.seqs.Next())
		onLocal = append(onLocal, r)
		r.Bucket = name
		onAWS = append(onAWS, r)
	}
	for i, h := range []*IngestHandler{remote, f.ingest} {
		ev := event(t, [][]e2e.S3Record{onAWS, onLocal}[i]...)
		for range 2 { // the second delivery is a duplicate
			if _, err := h.Handle(ctx, ev); err != nil {
				t.Fatal(err)
			}
		}
	}
	for key := range files {
		got, err := store.Get(ctx, key)
		if err != nil {
			t.Fatal(err)
		}
		if want := f.get(key); got.Status != want.Status || got.Seq != want.Seq || got.ETag != want.ETag || got.Date != want.Date {
			t.Errorf("%s: DynamoDB holds %s %s %s %s, bbolt %s %s %s %s", key, got.Status, got.Seq, got.ETag, got.Date, want.Status, want.Seq, want.ETag, want.Date)
		}
	}

	reps := make([]report.Report, 2)
	for i, h := range []*ClusterHandler{
		{Svc: &svc, Reports: bucket, Prefix: "reports/", WindowDays: 30},
		{Svc: f.svc, Reports: f.bucket("reports"), Prefix: "reports/", WindowDays: 30},
	} {
		sum, err := h.Handle(ctx, schedule(t))
		if err != nil {
			t.Fatal(err)
		}
		r, err := h.Reports.Get(ctx, sum.ReportKey)
		if err != nil {
			t.Fatal(err)
		}
		b, err := io.ReadAll(r)
		r.Close()
		if err != nil {
			t.Fatal(err)
		}
		if err := json.Unmarshal(b, &reps[i]); err != nil {
			t.Fatal(err)
		}
	}
	if reps[0].Articles != 5 || len(reps[0].Rejected) != 1 {
		t.Errorf("report on AWS stores: %d articles, %d rejected; want 5 and 1", reps[0].Articles, len(reps[0].Rejected))
	}
	if a, b := reps[0].Grouping(), reps[1].Grouping(); a != b {
		t.Errorf("stories on AWS stores:\n%s\non local stores:\n%s", a, b)
	}
}
