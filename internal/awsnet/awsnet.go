// Package awsnet builds the HTTP client every AWS SDK client of newsdedup
// uses: bounded connect and TLS handshake times and a per-attempt bound on
// a silent server, so that a stalled connection fails in seconds and the
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

// HTTPClient returns an SDK HTTP client whose attempts fail once the server
// has been silent for attempt: no response headers that long after the
// request was sent (http.Transport.ResponseHeaderTimeout, which starts once
// the request body is written, so large uploads are not cut short), or no
// byte of the response body that long (the SDK's read timeout, which resets
// on every byte, so a slow but moving download survives). Both errors are
// timeouts the SDK's standard retryer retries.
func HTTPClient(attempt time.Duration) *awshttp.BuildableClient {
	return awshttp.NewBuildableClient().
		WithDialerOptions(func(d *net.Dialer) { d.Timeout = Connect }).
		WithTransportOptions(func(tr *http.Transport) {
			tr.TLSHandshakeTimeout = Connect
			tr.ResponseHeaderTimeout = attempt
		}).
		WithReadTimeout(attempt)
}
