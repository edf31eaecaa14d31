// Command newsdedup finds the stories and the copies among news articles on
// one machine, with no AWS: a folder plays the S3 bucket, an embedded file
// plays the DynamoDB table, and the report lands in a local folder.
package main

import (
	"context"
	"errors"
	"flag"
	"fmt"
	"io"
	"os"
	"os/signal"
	"syscall"
)

const usage = `newsdedup tells which news articles report the same story and which are
copies of one another (syndicated wire copy, trimmed or lightly edited texts).

Usage:
  newsdedup run  [flags] PATH...   cluster every article under PATH(s), write a report
  newsdedup eval [flags] PATH      score the clustering of PATH against labels
  newsdedup redrive --queue URL    replay the deployed stack's failed events (AWS)

Run "newsdedup run --help" or "newsdedup eval --help" for their flags.
Articles may be plain text, JSON, HTML, or any of these gzipped.
`

func main() {
	ctx, stop := signal.NotifyContext(context.Background(), os.Interrupt, syscall.SIGTERM)
	defer stop()
	os.Exit(run(ctx, os.Args[1:], os.Stdout, os.Stderr))
}

// run dispatches a subcommand and returns the exit code: 0 success,
// 1 failure, 2 usage error.
func run(ctx context.Context, args []string, stdout, stderr io.Writer) int {
	if len(args) == 0 {
		fmt.Fprint(stderr, usage)
		return 2
	}
	var err error
	switch args[0] {
	case "run":
		err = runCmd(ctx, args[1:], stdout, stderr)
	case "eval":
		err = evalCmd(ctx, args[1:], stdout, stderr)
	case "redrive":
		err = redriveCmd(ctx, args[1:], stdout, stderr)
	case "-h", "--help", "help":
		fmt.Fprint(stdout, usage)
		return 0
	default:
		fmt.Fprintf(stderr, "newsdedup: unknown command %q\n\n%s", args[0], usage)
		return 2
	}
	var uerr usageError
	switch {
	case err == nil:
		return 0
	case errors.Is(err, flag.ErrHelp):
		return 0
	case errors.As(err, &uerr):
		fmt.Fprintf(stderr, "newsdedup: %v\n", err)
		return 2
	default:
		fmt.Fprintf(stderr, "newsdedup: %v\n", err)
		return 1
	}
}

type usageError struct{ msg string }

func (e usageError) Error() string { return e.msg }
