//go:build soak

package main

// The soak: 50 kills (make soak), against 10 in the normal suite.
func init() { killRuns = 50 }
