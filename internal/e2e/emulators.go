// Package e2e runs newsdedup against local stand-ins for AWS: DynamoDB Local
// and MinIO (started by infra/local/up.sh) and the Lambda Runtime Interface
// Emulator (aws-lambda-rie), which runs the real bootstrap binaries.
//
// LocalConfig is the only way the tests build an aws.Config: it refuses any
// endpoint that is not on the loopback interface, ignores the user's AWS
// profiles and never asks EC2 instance metadata, so a test cannot reach AWS.
// The end-to-end test itself is e2e_test.go, behind the build tag e2e
// (infra/local/e2e.sh runs it).
package e2e

import (
	"context"
	"errors"
	"fmt"
	"net"
	"net/url"
	"os"
	"strings"

	"github.com/aws/aws-sdk-go-v2/aws"
	"github.com/aws/aws-sdk-go-v2/config"
)

// Region is the region every local client uses.
const Region = "us-east-1"

// Endpoint variables of the emulated services, as the SDK reads them.
const (
	EnvS3       = "AWS_ENDPOINT_URL_S3"
	EnvDynamoDB = "AWS_ENDPOINT_URL_DYNAMODB"
)

// EnvHint tells a developer how to get the variables the tests need.
const EnvHint = `start the emulators and load their settings first: infra/local/up.sh && source "$HOME/.cache/newsdedup/state/env.sh"`

// CheckLoopback returns an error unless every named endpoint variable is
// set to an http(s) URL on 127.0.0.1, ::1 or localhost. The SDK-wide
// AWS_ENDPOINT_URL, if set, must be loopback too.
func CheckLoopback(vars ...string) error {
	var errs []error
	for _, v := range append(vars, "AWS_ENDPOINT_URL") {
		raw, set := os.LookupEnv(v)
		if !set && v == "AWS_ENDPOINT_URL" {
			continue
		}
		if raw == "" {
			errs = append(errs, fmt.Errorf("%s is not set; %s", v, EnvHint))
			continue
		}
		if err := loopbackURL(raw); err != nil {
			errs = append(errs, fmt.Errorf("%s=%s: %w", v, raw, err))
		}
	}
	return errors.Join(errs...)
}

func loopbackURL(raw string) error {
	u, err := url.Parse(raw)
	if err != nil {
		return err
	}
	if u.Scheme != "http" && u.Scheme != "https" {
		return fmt.Errorf("scheme %q is not http or https", u.Scheme)
	}
	host := u.Hostname()
	if host == "localhost" {
		return nil
	}
	if ip := net.ParseIP(host); ip != nil && ip.IsLoopback() {
		return nil
	}
	return fmt.Errorf("host %q is not a loopback address: refusing to talk to anything but this machine", host)
}

// LocalConfig returns an aws.Config for the emulators: region us-east-1,
// static credentials from AWS_ACCESS_KEY_ID/AWS_SECRET_ACCESS_KEY (MinIO
// checks them), no shared config or credential files, and
// AWS_EC2_METADATA_DISABLED=true set in the process environment (so neither
// the SDK nor a child process started later asks instance metadata). The
// endpoints stay in the standard variables, which the SDK clients read;
// CheckLoopback(vars...) must pass first.
func LocalConfig(ctx context.Context, vars ...string) (aws.Config, error) {
	if err := CheckLoopback(vars...); err != nil {
		return aws.Config{}, err
	}
	id, secret := os.Getenv("AWS_ACCESS_KEY_ID"), os.Getenv("AWS_SECRET_ACCESS_KEY")
	if id == "" || secret == "" {
		return aws.Config{}, fmt.Errorf("AWS_ACCESS_KEY_ID and AWS_SECRET_ACCESS_KEY must be set (the emulators' dummy credentials); %s", EnvHint)
	}
	if strings.HasPrefix(id, "AKIA") || strings.HasPrefix(id, "ASIA") {
		return aws.Config{}, errors.New("AWS_ACCESS_KEY_ID looks like a real AWS key; the local tests use the emulators' dummy credentials only")
	}
	if err := os.Setenv("AWS_EC2_METADATA_DISABLED", "true"); err != nil {
		return aws.Config{}, err
	}
	creds := aws.Credentials{AccessKeyID: id, SecretAccessKey: secret, Source: "newsdedup e2e (emulator credentials)"}
	return config.LoadDefaultConfig(ctx,
		config.WithRegion(Region),
		config.WithCredentialsProvider(aws.CredentialsProviderFunc(func(context.Context) (aws.Credentials, error) { return creds, nil })),
		config.WithSharedConfigFiles([]string{}),
		config.WithSharedCredentialsFiles([]string{}),
	)
}
