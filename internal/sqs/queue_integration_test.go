//go:build integration

package sqs

// Against moto_server (pip install 'moto[server]'; infra/local/up.sh's
// fallback emulator), which this test starts on a free loopback port:
//
//	go test -tags integration ./internal/sqs/
//
// Without moto_server on PATH (or MOTO_SERVER) it fails; it never skips.

import (
	"bytes"
	"context"
	"fmt"
	"net"
	"os"
	"os/exec"
	"strings"
	"testing"
	"time"

	"github.com/aws/aws-sdk-go-v2/aws"
	"github.com/aws/aws-sdk-go-v2/credentials"
	awssqs "github.com/aws/aws-sdk-go-v2/service/sqs"
	awssqstypes "github.com/aws/aws-sdk-go-v2/service/sqs/types"

	"github.com/newsdedup/newsdedup/internal/redrive"
)

func startMoto(t *testing.T) string {
	t.Helper()
	bin := os.Getenv("MOTO_SERVER")
	if bin == "" {
		var err error
		if bin, err = exec.LookPath("moto_server"); err != nil {
			t.Fatalf("moto_server is required (pip install 'moto[server]', or set MOTO_SERVER): %v", err)
		}
	}
	ln, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		t.Fatal(err)
	}
	port := ln.Addr().(*net.TCPAddr).Port
	ln.Close()
	var logs bytes.Buffer
	cmd := exec.Command(bin, "-H", "127.0.0.1", "-p", fmt.Sprint(port))
	cmd.Stdout, cmd.Stderr = &logs, &logs
	if err := cmd.Start(); err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() {
		cmd.Process.Kill()
		cmd.Wait()
		if t.Failed() {
			t.Logf("moto_server output:\n%s", logs.String())
		}
	})
	addr := fmt.Sprintf("127.0.0.1:%d", port)
	for deadline := time.Now().Add(30 * time.Second); time.Now().Before(deadline); time.Sleep(100 * time.Millisecond) {
		if c, err := net.Dial("tcp", addr); err == nil {
			c.Close()
			return "http://" + addr
		}
	}
	t.Fatalf("moto_server did not listen on %s within 30 s", addr)
	return ""
}

type invoker struct {
	calls []string
	fail  string
}

func (f *invoker) Invoke(_ context.Context, fn string, payload []byte) error {
	f.calls = append(f.calls, string(payload))
	if strings.Contains(string(payload), f.fail) {
		return fmt.Errorf("invoke %s: function error Unhandled", fn)
	}
	return nil
}

// TestRedrive: failure records and a Scheduler dead letter in a real SQS
// queue (moto) are replayed; the replayed ones are deleted, one that fails again and one that is no
// record stay, hidden for Hidden, and come back after it.
func TestRedrive(t *testing.T) {
	endpoint := startMoto(t)
	ctx := context.Background()
	client := NewClient(aws.Config{Region: "us-east-1", BaseEndpoint: aws.String(endpoint),
		Credentials: credentials.NewStaticCredentialsProvider("test", "test", "")})
	cq, err := client.CreateQueue(ctx, &awssqs.CreateQueueInput{QueueName: aws.String("newsdedup-failures")})
	if err != nil {
		t.Fatal(err)
	}
	url := aws.ToString(cq.QueueUrl)
	const fn = "arn:aws:lambda:us-east-1:123456789012:function:news-ingest:$LATEST"
	bodies := []string{`{"id":"x","source":"aws.scheduler"}`}
	for i := range 13 {
		key := fmt.Sprintf("incoming/%02d.txt", i)
		if i == 7 {
			key = "incoming/still-broken.txt"
		}
		bodies = append(bodies, fmt.Sprintf(`{"requestContext":{"functionArn":%q,"condition":"RetriesExhausted"},`+
			`"requestPayload":{"Records":[{"s3":{"object":{"key":%q}}}]},"responsePayload":{"errorMessage":"boom"}}`, fn, key))
	}
	for _, b := range bodies {
		if _, err := client.SendMessage(ctx, &awssqs.SendMessageInput{QueueUrl: aws.String(url), MessageBody: aws.String(b)}); err != nil {
			t.Fatal(err)
		}
	}
	// A Scheduler dead letter: the schedule's payload, the target in an attribute.
	str := func(v string) awssqstypes.MessageAttributeValue {
		return awssqstypes.MessageAttributeValue{DataType: aws.String("String"), StringValue: aws.String(v)}
	}
	_, err = client.SendMessage(ctx, &awssqs.SendMessageInput{QueueUrl: aws.String(url),
		MessageBody: aws.String(`{"detail-type":"Scheduled Event","time":"2024-01-03T03:00:00Z"}`),
		MessageAttributes: map[string]awssqstypes.MessageAttributeValue{
			"TARGET_ARN": str("arn:aws:lambda:us-east-1:123456789012:function:news-cluster"), "ERROR_CODE": str("Lambda.TooManyRequestsException")}})
	if err != nil {
		t.Fatal(err)
	}
	inv := &invoker{fail: "still-broken"}
	var log bytes.Buffer
	res, err := redrive.Run(ctx, New(client, url), inv, redrive.Options{Log: &log})
	if err != nil {
		t.Fatal(err)
	}
	t.Logf("redrive: %+v\n%s", res, log.String())
	if res != (redrive.Result{Replayed: 13, Failed: 1, Skipped: 1}) || len(inv.calls) != 14 {
		t.Errorf("result %+v after %d invocations; want 13 replayed (one a Scheduler dead letter), 1 failed, 1 skipped", res, len(inv.calls))
	}
	attrs, err := client.GetQueueAttributes(ctx, &awssqs.GetQueueAttributesInput{QueueUrl: aws.String(url),
		AttributeNames: []awssqstypes.QueueAttributeName{"ApproximateNumberOfMessages", "ApproximateNumberOfMessagesNotVisible"}})
	if err != nil {
		t.Fatal(err)
	}
	if v, h := attrs.Attributes["ApproximateNumberOfMessages"], attrs.Attributes["ApproximateNumberOfMessagesNotVisible"]; v != "0" || h != "2" {
		t.Errorf("queue: %s visible, %s hidden; want 0 and 2 (the failed replay and the non-record)", v, h)
	}
	// A second run right away sees nothing: the two are hidden, not lost.
	res, err = redrive.Run(ctx, New(client, url), inv, redrive.Options{})
	if err != nil || res != (redrive.Result{}) {
		t.Errorf("second run: %+v, %v", res, err)
	}
}
