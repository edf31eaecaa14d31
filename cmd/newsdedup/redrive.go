package main

import (
	"context"
	"flag"
	"fmt"
	"io"

	"github.com/aws/aws-sdk-go-v2/config"

	"github.com/newsdedup/newsdedup/internal/invoke"
	"github.com/newsdedup/newsdedup/internal/redrive"
	"github.com/newsdedup/newsdedup/internal/sqs"
)

// redriveCmd replays the deployed stack's failure queue (see
// internal/redrive and docs/OPERATIONS.md), with the caller's AWS
// credentials and region (the standard SDK settings: AWS_PROFILE,
// AWS_REGION, ...). The caller needs sqs:ReceiveMessage and
// sqs:DeleteMessage on the queue and lambda:InvokeFunction on the functions.
func redriveCmd(ctx context.Context, args []string, stdout, stderr io.Writer) error {
	fs := flag.NewFlagSet("redrive", flag.ContinueOnError)
	fs.SetOutput(stderr)
	queue := fs.String("queue", "", "`URL` of the failure queue (the stack's FailureQueueUrl output)")
	max := fs.Int("max", 0, "replay at most `N` messages (0: until the queue is empty)")
	dry := fs.Bool("dry-run", false, "list what would be replayed; invoke and delete nothing")
	fs.Usage = func() {
		fmt.Fprintf(fs.Output(), "Usage: newsdedup redrive --queue URL [--max N] [--dry-run]\n\n"+
			"Replays the events in the failure queue: each message's original event is\n"+
			"sent again to the function that failed it, synchronously, and the message\n"+
			"is deleted only once that invocation succeeded. Fix the cause first.\n\nFlags:\n")
		fs.PrintDefaults()
	}
	if err := fs.Parse(args); err != nil {
		return err
	}
	if *queue == "" || fs.NArg() != 0 || *max < 0 {
		fs.Usage()
		return usageError{"redrive: --queue URL is required (and takes no arguments)"}
	}
	cfg, err := config.LoadDefaultConfig(ctx)
	if err != nil {
		return fmt.Errorf("redrive: AWS configuration: %w", err)
	}
	res, err := redrive.Run(ctx, sqs.New(sqs.NewClient(cfg), *queue), invoke.New(invoke.NewClient(cfg)),
		redrive.Options{Max: *max, DryRun: *dry, Log: stdout})
	fmt.Fprintf(stdout, "redrive: %d replayed, %d failed again, %d left untouched\n", res.Replayed, res.Failed, res.Skipped)
	if err == nil && res.Failed > 0 {
		err = fmt.Errorf("redrive: %d events failed again and stay in the queue", res.Failed)
	}
	return err
}
