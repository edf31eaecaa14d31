// Package faults holds the fault-injection tests (build tag faults; `make
// faults`): the real ingest and cluster handlers, in-process, against
// DynamoDB Local and MinIO with Toxiproxy (in-process, on loopback) cutting,
// stalling and slowing the links, and a DynamoDB Local instance of their own
// killed with SIGKILL and restarted mid-run. See internal/stress for the
// harness and docs/RELIABILITY.md for the results.
package faults
