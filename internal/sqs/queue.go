// Package sqs implements redrive.Queue on an Amazon SQS queue, with
// aws-sdk-go-v2. The SDK's package of the same name is imported as awssqs.
package sqs

import (
	"context"
	"fmt"
	"time"

	"github.com/aws/aws-sdk-go-v2/aws"
	awssqs "github.com/aws/aws-sdk-go-v2/service/sqs"

	"github.com/newsdedup/newsdedup/internal/awsnet"
	"github.com/newsdedup/newsdedup/internal/redrive"
)

// Hidden is how long a received message stays invisible to other
// receivers: longer than the longest invocation (the cluster function's
// 900 s maximum), so that neither another redrive nor this one sees it again
// while it is being replayed, or soon after a replay failed.
const Hidden = 16 * time.Minute

// AttemptTimeout bounds one attempt while SQS is silent (see
// awsnet.HTTPClient); ReceiveMessage waits at most WaitTimeSeconds (1 s here).
const AttemptTimeout = 10 * time.Second

// NewClient returns an SQS client for cfg (endpoint from the SDK's standard
// settings, AWS_ENDPOINT_URL_SQS locally) with the standard retryer.
func NewClient(cfg aws.Config) *awssqs.Client {
	return awssqs.NewFromConfig(cfg, func(o *awssqs.Options) {
		o.HTTPClient = awsnet.HTTPClient(AttemptTimeout)
	})
}

// Queue is one queue, by URL.
type Queue struct {
	client *awssqs.Client
	url    string
}

var _ redrive.Queue = (*Queue)(nil)

// New returns the queue at url.
func New(client *awssqs.Client, url string) *Queue { return &Queue{client: client, url: url} }

// Receive returns up to max (at most 10) messages, waiting up to a second.
func (q *Queue) Receive(ctx context.Context, max int) ([]redrive.Message, error) {
	out, err := q.client.ReceiveMessage(ctx, &awssqs.ReceiveMessageInput{
		QueueUrl:              aws.String(q.url),
		MaxNumberOfMessages:   int32(min(max, 10)),
		VisibilityTimeout:     int32(Hidden / time.Second),
		WaitTimeSeconds:       1,
		MessageAttributeNames: []string{"All"},
	})
	if err != nil {
		return nil, fmt.Errorf("sqs: receive from %s: %w", q.url, err)
	}
	msgs := make([]redrive.Message, len(out.Messages))
	for i, m := range out.Messages {
		msgs[i] = redrive.Message{ID: aws.ToString(m.MessageId), Receipt: aws.ToString(m.ReceiptHandle), Body: aws.ToString(m.Body)}
		for name, v := range m.MessageAttributes {
			if v.StringValue != nil {
				if msgs[i].Attributes == nil {
					msgs[i].Attributes = map[string]string{}
				}
				msgs[i].Attributes[name] = *v.StringValue
			}
		}
	}
	return msgs, nil
}

// Delete removes a received message.
func (q *Queue) Delete(ctx context.Context, m redrive.Message) error {
	_, err := q.client.DeleteMessage(ctx, &awssqs.DeleteMessageInput{QueueUrl: aws.String(q.url), ReceiptHandle: aws.String(m.Receipt)})
	if err != nil {
		return fmt.Errorf("sqs: delete %s from %s: %w", m.ID, q.url, err)
	}
	return nil
}
