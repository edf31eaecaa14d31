// Package invoke implements redrive.Invoker with the AWS Lambda Invoke API
// (aws-sdk-go-v2's lambda module; internal/lambda is the functions' own
// handlers, which know nothing of this).
package invoke

import (
	"context"
	"fmt"

	"github.com/aws/aws-sdk-go-v2/aws"
	awslambda "github.com/aws/aws-sdk-go-v2/service/lambda"
	"github.com/aws/aws-sdk-go-v2/service/lambda/types"

	"github.com/newsdedup/newsdedup/internal/redrive"
)

// NewClient returns a Lambda client for cfg. It keeps the SDK's default
// HTTP client: a synchronous invocation of the cluster function may
// legitimately take its full 15 minutes, so no short attempt timeout here.
func NewClient(cfg aws.Config) *awslambda.Client { return awslambda.NewFromConfig(cfg) }

type api interface {
	Invoke(ctx context.Context, in *awslambda.InvokeInput, optFns ...func(*awslambda.Options)) (*awslambda.InvokeOutput, error)
}

// Invoker invokes functions synchronously (RequestResponse).
type Invoker struct{ client api }

var _ redrive.Invoker = (*Invoker)(nil)

// New returns an Invoker on client.
func New(client *awslambda.Client) *Invoker { return &Invoker{client: client} }

// Invoke runs function (a name or ARN, qualified or not) on payload and
// waits for it. A function error (the handler returned one, or timed out)
// comes back as HTTP 200 with FunctionError set; that is an error here.
func (i *Invoker) Invoke(ctx context.Context, function string, payload []byte) error {
	out, err := i.client.Invoke(ctx, &awslambda.InvokeInput{
		FunctionName:   aws.String(function),
		InvocationType: types.InvocationTypeRequestResponse,
		Payload:        payload,
	})
	if err != nil {
		return fmt.Errorf("invoke %s: %w", function, err)
	}
	if out.FunctionError != nil {
		return fmt.Errorf("invoke %s: function error %s: %s", function, aws.ToString(out.FunctionError), out.Payload)
	}
	return nil
}
