// Command cluster is the cluster Lambda function (bootstrap for
// provided.al2023): on its daily schedule it clusters the stored signatures
// of the window and writes the report (JSON, HTML, CSV) under the reports
// prefix. Only wiring lives here; see internal/lambda.ClusterHandler.
package main

import (
	"context"
	"fmt"
	"os"
	"runtime/debug"

	awslambda "github.com/aws/aws-lambda-go/lambda"
	"github.com/aws/aws-sdk-go-v2/config"

	"github.com/newsdedup/newsdedup/internal/dedup"
	"github.com/newsdedup/newsdedup/internal/dynamodb"
	"github.com/newsdedup/newsdedup/internal/eventbridge"
	"github.com/newsdedup/newsdedup/internal/lambda"
	"github.com/newsdedup/newsdedup/internal/s3"
)

func main() {
	if limit := lambda.MemoryLimit(os.Getenv); limit > 0 {
		debug.SetMemoryLimit(limit) // a million signatures fit in 4 GB only with a collector that keeps up
	}
	cfg, err := lambda.ClusterConfig(os.Getenv)
	if err != nil {
		fmt.Fprintln(os.Stderr, "cluster:", err)
		os.Exit(1)
	}
	log := cfg.Logger(os.Stdout)
	awsCfg, err := config.LoadDefaultConfig(context.Background())
	if err != nil {
		log.Error("load AWS configuration", "err", err)
		os.Exit(1)
	}
	objects := s3.NewClient(awsCfg)
	h := &lambda.ClusterHandler{
		Svc: &dedup.Service{
			Articles: s3.NewBucket(objects, cfg.UploadsBucket), // read back for shared passages
			Store:    dynamodb.New(dynamodb.NewClient(awsCfg), cfg.Table, cfg.ScanSegments),
			Limits:   cfg.Limits(),
			Params:   cfg.Params,
			Log:      log,
		},
		Reports:    s3.NewBucket(objects, cfg.ReportsBucket),
		Prefix:     cfg.ReportsPrefix,
		WindowDays: cfg.WindowDays,
		Metrics:    &lambda.Metrics{W: os.Stdout, Function: os.Getenv("AWS_LAMBDA_FUNCTION_NAME")},
	}
	if cfg.EventBus != "" {
		h.Notify = eventbridge.New(eventbridge.NewClient(awsCfg), cfg.EventBus, cfg.ReportsBucket)
	}
	awslambda.Start(h.Handle)
}
