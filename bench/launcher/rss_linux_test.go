package main

import "testing"

func TestVmHWM(t *testing.T) {
	const status = "Name:\tlauncher\nUmask:\t0022\nState:\tS (sleeping)\n" +
		"VmPeak:\t 1235468 kB\nVmSize:\t 1235468 kB\nVmLck:\t       0 kB\nVmPin:\t       0 kB\n" +
		"VmHWM:\t    1884 kB\nVmRSS:\t    1884 kB\nRssAnon:\t     604 kB\nThreads:\t4\n"
	for _, tc := range []struct {
		status string
		want   int64
		ok     bool
	}{
		{status, 1884 << 10, true},
		{"VmHWM:\t12345678 kB\n", 12345678 << 10, true},
		{"VmHWM:    7 kB\n", 7 << 10, true},
		{"", 0, false},
		{"VmRSS:\t    1884 kB\n", 0, false}, // no VmHWM
		{"VmHWM:\t    1884 MB\n", 0, false}, // not kB
		{"VmHWM:\t    1884 kB", 0, false},   // cut short
		{"VmHWM:\t        kB\n", 0, false},  // no number
	} {
		got, ok := vmHWM(tc.status)
		if got != tc.want || ok != tc.ok {
			t.Errorf("vmHWM(%q) = %d, %v; want %d, %v", tc.status, got, ok, tc.want, tc.ok)
		}
	}
}

func TestSelfPeakRSS(t *testing.T) {
	// A Go test binary peaks at a few MiB at least, and at less than a GiB.
	if rss, ok := selfPeakRSS(); !ok || rss < 1<<20 || rss > 1<<30 {
		t.Errorf("selfPeakRSS() = %d, %v", rss, ok)
	}
}
