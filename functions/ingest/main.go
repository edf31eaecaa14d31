// Command ingest is the ingest Lambda function (bootstrap for
// provided.al2023): for each S3 event of the uploads bucket it stores the
// article's signature, a rejection, or a tombstone in DynamoDB. Only wiring
// lives here; see internal/lambda.IngestHandler.
package main

import (
	"context"
	"fmt"
	"os"

	awslambda "github.com/aws/aws-lambda-go/lambda"
	"github.com/aws/aws-sdk-go-v2/config"

	"github.com/newsdedup/newsdedup/internal/dedup"
	"github.com/newsdedup/newsdedup/internal/dynamodb"
	"github.com/newsdedup/newsdedup/internal/lambda"
	"github.com/newsdedup/newsdedup/internal/s3"
)

func main() {
	cfg, err := lambda.IngestConfig(os.Getenv)
	if err != nil {
		fmt.Fprintln(os.Stderr, "ingest:", err)
		os.Exit(1)
	}
	log := cfg.Logger(os.Stdout)
	awsCfg, err := config.LoadDefaultConfig(context.Background())
	if err != nil {
		log.Error("load AWS configuration", "err", err)
		os.Exit(1)
	}
	objects := s3.NewClient(awsCfg)
	h := &lambda.IngestHandler{
		Svc: &dedup.Service{
			Store:  dynamodb.New(dynamodb.NewClient(awsCfg), cfg.Table, cfg.ScanSegments).WithTombstoneTTL(cfg.TombstoneTTL()),
			Limits: cfg.Limits(),
			Params: cfg.Params,
			Log:    log,
		},
		Bucket:  func(name string) dedup.BlobStore { return s3.NewBucket(objects, name) },
		Metrics: &lambda.Metrics{W: os.Stdout, Function: os.Getenv("AWS_LAMBDA_FUNCTION_NAME")},
	}
	awslambda.Start(h.Handle)
}
