package invoke

import (
	"context"
	"io"
	"net/http"
	"net/http/httptest"
	"strings"
	"testing"

	"github.com/aws/aws-sdk-go-v2/aws"
	"github.com/aws/aws-sdk-go-v2/credentials"
)

// The real SDK client against a stand-in for Lambda's Invoke API on
// loopback: a synchronous invocation with the payload as sent, and a
// function error (HTTP 200 with X-Amz-Function-Error) reported as an error.
func TestInvoke(t *testing.T) {
	var gotPath, gotType, gotBody string
	srv := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		b, _ := io.ReadAll(r.Body)
		gotPath, gotType, gotBody = r.URL.Path, r.Header.Get("X-Amz-Invocation-Type"), string(b)
		if strings.Contains(gotBody, "broken") {
			w.Header().Set("X-Amz-Function-Error", "Unhandled")
			w.Write([]byte(`{"errorMessage":"dynamodb: put: i/o timeout","errorType":"wrapError"}`))
			return
		}
		w.Write([]byte(`{"records":[]}`))
	}))
	defer srv.Close()
	inv := New(NewClient(aws.Config{Region: "us-east-1", BaseEndpoint: aws.String(srv.URL),
		Credentials: credentials.NewStaticCredentialsProvider("test", "test", "")}))
	const fn = "arn:aws:lambda:us-east-1:123456789012:function:news-ingest:$LATEST"
	if err := inv.Invoke(context.Background(), fn, []byte(`{"Records":[]}`)); err != nil {
		t.Fatal(err)
	}
	if want := "/2015-03-31/functions/" + fn + "/invocations"; gotPath != want {
		t.Errorf("path %s, want %s", gotPath, want)
	}
	if gotType != "RequestResponse" || gotBody != `{"Records":[]}` {
		t.Errorf("invocation type %q, body %q", gotType, gotBody)
	}
	err := inv.Invoke(context.Background(), fn, []byte(`{"broken":true}`))
	if err == nil || !strings.Contains(err.Error(), "Unhandled") || !strings.Contains(err.Error(), "i/o timeout") {
		t.Errorf("function error: err = %v", err)
	}
}
