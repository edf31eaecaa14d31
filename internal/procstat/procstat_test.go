package procstat

import "testing"

func TestReadsItself(t *testing.T) {
	if rss, peak := StatusKB("VmRSS"), StatusKB("VmHWM"); rss <= 0 || peak < rss {
		t.Errorf("VmRSS %v kB, VmHWM %v kB", rss, peak)
	}
	if StatusKB("NoSuchField") != 0 {
		t.Error("a missing field should read 0")
	}
	x := 0
	for i := 0; i < 20_000_000; i++ {
		x += i
	}
	if CPUSeconds() <= 0 || x == 0 {
		t.Error("no CPU time measured")
	}
}
