// Package awsnet builds the HTTP client every AWS SDK client of newsdedup
// uses: bounded connect and TLS handshake times and a per-attempt bound on
// a server that does not answer, so that a stalled connection fails in seconds and the
// SDK's standard retryer tries again inside the same invocation, instead of
// the invocation hanging until the function's timeout.
package awsnet

import (
	"net"
	"net/http"
	"time"

	awshttp "github.com/aws/aws-sdk-go-v2/aws/transport/http"
)

// Connect bounds TCP connection set-up, and TLS handshake likewise. Inside
// an AWS region both take milliseconds; 2 s leaves room for one lost SYN
// (retransmitted after 1 s) and still fails long before any function timeout.
const Connect = 2 * time.Second

// HTTPClient returns an SDK HTTP client whose attempts fail when no
// response headers arrive within attempt of the request being sent
// (http.Transport.ResponseHeaderTimeout: it starts once the request body is
// written, so large uploads are not cut short). That error is a timeout the
// SDK's standard retryer retries.
//
// Not used: the SDK's rolling read timeout (BuildableClient.WithReadTimeout).
// It sets the deadline when a read starts, and the transport keeps a read
// pending on every idle pooled connection, so a request sent on a connection
// idle for almost that long fails at once, spuriously, and spends the
// retryer's quota. A response body that stalls after its headers is
// therefore bounded only by the invocation's deadline; DynamoDB's bodies are
// small, and an S3 body read fails with its connection.
func HTTPClient(attempt time.Duration) *awshttp.BuildableClient {
	return awshttp.NewBuildableClient().
		WithDialerOptions(func(d *net.Dialer) { d.Timeout = Connect }).
		WithTransportOptions(func(tr *http.Transport) {
			tr.TLSHandshakeTimeout = Connect
			tr.ResponseHeaderTimeout = attempt
		})
}
