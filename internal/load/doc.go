// Package load holds the load test (build tag load; `make load`, and with
// the soak tag the full 20,000 events): the real ingest handler, in-process,
// 32 concurrent simulated Lambda instances, against DynamoDB Local and
// MinIO, with duplicate and out-of-order deliveries. See internal/stress
// for the harness and docs/RELIABILITY.md for the results.
package load
