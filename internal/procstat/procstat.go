// Package procstat reads this process's own resource use on Linux, for the
// benchmark commands: resident memory from /proc/self/status, whose peak can
// be reset before the step being measured (getrusage's cannot, and it
// survives exec), and CPU time.
package procstat

import (
	"os"
	"strconv"
	"strings"
	"syscall"
)

// StatusKB returns a "kB" field of /proc/self/status (VmRSS, VmHWM), or 0
// when it cannot be read.
func StatusKB(field string) float64 {
	data, err := os.ReadFile("/proc/self/status")
	if err != nil {
		return 0
	}
	for _, line := range strings.Split(string(data), "\n") {
		if rest, ok := strings.CutPrefix(line, field+":"); ok {
			kb, _ := strconv.ParseFloat(strings.TrimSuffix(strings.TrimSpace(rest), " kB"), 64)
			return kb
		}
	}
	return 0
}

// ResetPeak resets VmHWM to the current resident size; it reports whether
// the kernel allowed it.
func ResetPeak() bool {
	return os.WriteFile("/proc/self/clear_refs", []byte("5"), 0) == nil
}

// CPUSeconds is the user and system CPU time of the process so far.
func CPUSeconds() float64 {
	var ru syscall.Rusage
	if err := syscall.Getrusage(syscall.RUSAGE_SELF, &ru); err != nil {
		return 0
	}
	return float64(ru.Utime.Nano()+ru.Stime.Nano()) / 1e9
}
