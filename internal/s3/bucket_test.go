package s3

import (
	"context"
	"os"
	"testing"

	"github.com/aws/aws-sdk-go-v2/aws"
	"github.com/aws/aws-sdk-go-v2/config"
)

// TestNewClientPathStyle: an endpoint override (MinIO) means path-style
// requests; none (AWS) keeps the SDK default. No request is sent.
func TestNewClientPathStyle(t *testing.T) {
	tests := []struct {
		name      string
		env       map[string]string
		wantPath  bool
		wantEndpt string
	}{
		{"no override", nil, false, ""},
		{"S3 endpoint", map[string]string{"AWS_ENDPOINT_URL_S3": "http://127.0.0.1:9000"}, true, "http://127.0.0.1:9000"},
		{"global endpoint", map[string]string{"AWS_ENDPOINT_URL": "http://127.0.0.1:4566"}, true, "http://127.0.0.1:4566"},
		{"DynamoDB endpoint only", map[string]string{"AWS_ENDPOINT_URL_DYNAMODB": "http://127.0.0.1:8000"}, false, ""},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			for _, v := range []string{"AWS_ENDPOINT_URL", "AWS_ENDPOINT_URL_S3", "AWS_ENDPOINT_URL_DYNAMODB"} {
				t.Setenv(v, "") // restored after the test
				os.Unsetenv(v)
			}
			for k, v := range tc.env {
				t.Setenv(k, v)
			}
			cfg, err := config.LoadDefaultConfig(context.Background(), config.WithRegion("us-east-1"),
				config.WithSharedConfigFiles([]string{}), config.WithSharedCredentialsFiles([]string{}),
				config.WithCredentialsProvider(aws.AnonymousCredentials{}))
			if err != nil {
				t.Fatal(err)
			}
			o := NewClient(cfg).Options()
			if o.UsePathStyle != tc.wantPath {
				t.Errorf("UsePathStyle = %v, want %v", o.UsePathStyle, tc.wantPath)
			}
			if got := aws.ToString(o.BaseEndpoint); got != tc.wantEndpt {
				t.Errorf("BaseEndpoint = %q, want %q", got, tc.wantEndpt)
			}
		})
	}
}
