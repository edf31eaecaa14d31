// Package eventbridge implements dedup.Notifier with Amazon EventBridge,
// with aws-sdk-go-v2: each published report becomes one event on a bus
// (the account's default bus in template.yaml), for users to route with
// rules of their own (e-mail, Slack, a queue). The SDK's package of the
// same name is imported here as awseb.
package eventbridge

import (
	"context"
	"encoding/json"
	"fmt"
	"time"

	"github.com/aws/aws-sdk-go-v2/aws"
	awseb "github.com/aws/aws-sdk-go-v2/service/eventbridge"
	"github.com/aws/aws-sdk-go-v2/service/eventbridge/types"

	"github.com/newsdedup/newsdedup/internal/awsnet"
	"github.com/newsdedup/newsdedup/internal/dedup"
)

// The event's source and detail-type, which rules match on.
const (
	Source     = "newsdedup"
	DetailType = "Report Published"
)

// AttemptTimeout bounds one PutEvents attempt while the service is silent
// (see awsnet.HTTPClient); PutEvents answers in tens of milliseconds.
const AttemptTimeout = 3 * time.Second

// NewClient returns an EventBridge client for cfg (endpoint from the SDK's
// standard settings, AWS_ENDPOINT_URL_EVENTBRIDGE locally), with the SDK's
// standard retryer and AttemptTimeout per attempt.
func NewClient(cfg aws.Config) *awseb.Client {
	return awseb.NewFromConfig(cfg, func(o *awseb.Options) {
		o.HTTPClient = awsnet.HTTPClient(AttemptTimeout)
	})
}

type api interface {
	PutEvents(ctx context.Context, in *awseb.PutEventsInput, optFns ...func(*awseb.Options)) (*awseb.PutEventsOutput, error)
}

// Notifier puts one "Report Published" event per report on a bus.
type Notifier struct {
	client api
	bus    string
	bucket string
}

var _ dedup.Notifier = (*Notifier)(nil)

// New returns a Notifier putting events on bus (a name or ARN; "default"
// is the account's default bus). bucket, the reports' bucket, goes into
// every event's detail, so that rules can tell two stacks apart and
// consumers can fetch the report.
func New(client *awseb.Client, bus, bucket string) *Notifier {
	return &Notifier{client: client, bus: bus, bucket: bucket}
}

// Detail is the event's detail: the report's location and counts.
type Detail struct {
	Bucket string `json:"bucket"`
	dedup.Published
}

// ReportPublished puts the event. PutEvents can accept the request and
// still refuse the entry (FailedEntryCount); that is an error too.
func (n *Notifier) ReportPublished(ctx context.Context, p dedup.Published) error {
	detail, err := json.Marshal(Detail{Bucket: n.bucket, Published: p})
	if err != nil {
		return fmt.Errorf("eventbridge: encode detail: %w", err)
	}
	out, err := n.client.PutEvents(ctx, &awseb.PutEventsInput{Entries: []types.PutEventsRequestEntry{{
		EventBusName: aws.String(n.bus),
		Source:       aws.String(Source),
		DetailType:   aws.String(DetailType),
		Detail:       aws.String(string(detail)),
	}}})
	if err != nil {
		return fmt.Errorf("eventbridge: put %q event on bus %s: %w", DetailType, n.bus, err)
	}
	if out.FailedEntryCount > 0 {
		code, msg := "", ""
		if len(out.Entries) > 0 {
			code, msg = aws.ToString(out.Entries[0].ErrorCode), aws.ToString(out.Entries[0].ErrorMessage)
		}
		return fmt.Errorf("eventbridge: bus %s refused the %q event: %s: %s", n.bus, DetailType, code, msg)
	}
	return nil
}
