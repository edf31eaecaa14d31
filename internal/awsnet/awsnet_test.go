package awsnet

import (
	"context"
	"errors"
	"io"
	"net/http"
	"net/http/httptest"
	"testing"
	"time"
)

// TestSilentServerFailsWithinAttempt: a server that accepts the request and
// never answers fails after about the attempt timeout with a timeout error
// (which the SDK retries); a prompt server, and one that answers on a
// connection left idle longer than the attempt timeout, are unaffected.
func TestSilentServerFailsWithinAttempt(t *testing.T) {
	const attempt = 300 * time.Millisecond
	release := make(chan struct{})
	srv := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		switch r.URL.Path {
		case "/silent":
			<-release
		default:
			w.Write([]byte("ok"))
		}
	}))
	defer srv.Close()
	defer close(release) // before Close, which waits for the handlers
	c := HTTPClient(attempt)
	for _, path := range []string{"/silent"} {
		start := time.Now()
		req, _ := http.NewRequestWithContext(context.Background(), "GET", srv.URL+path, nil)
		resp, err := c.Do(req)
		if err == nil {
			_, err = readAll(resp)
		}
		took := time.Since(start)
		var te interface{ Timeout() bool }
		if err == nil || !errors.As(err, &te) || !te.Timeout() {
			t.Errorf("%s: err %v; want a timeout error", path, err)
		}
		if took < attempt || took > attempt+time.Second {
			t.Errorf("%s: failed after %v; want about %v", path, took, attempt)
		}
	}
	for i := range 2 {
		if i == 1 {
			time.Sleep(attempt + 100*time.Millisecond) // the pooled connection idles past the attempt timeout
		}
		resp, err := c.Do(mustGet(t, srv.URL+"/ok"))
		if err != nil {
			t.Fatalf("request %d: %v", i, err)
		}
		if b, err := readAll(resp); err != nil || string(b) != "ok" {
			t.Errorf("request %d: %q, %v", i, b, err)
		}
	}
}

// TestSettings: connecting to an address that drops SYNs would hang for
// minutes by default; a host that drops packets cannot be made portably in
// a test, so this checks the dialer and transport settings themselves.
func TestSettings(t *testing.T) {
	tr := HTTPClient(time.Second).GetTransport()
	d := HTTPClient(time.Second).GetDialer()
	if d.Timeout != Connect || tr.TLSHandshakeTimeout != Connect || tr.ResponseHeaderTimeout != time.Second {
		t.Errorf("dialer %v, TLS %v, response header %v", d.Timeout, tr.TLSHandshakeTimeout, tr.ResponseHeaderTimeout)
	}
}

func mustGet(t *testing.T, url string) *http.Request {
	t.Helper()
	req, err := http.NewRequest("GET", url, nil)
	if err != nil {
		t.Fatal(err)
	}
	return req
}

func readAll(resp *http.Response) ([]byte, error) {
	defer resp.Body.Close()
	return io.ReadAll(resp.Body)
}
