package launch

import (
	"bufio"
	"os"
	"strconv"
	"strings"
	"syscall"
)

// childPeakRSS is the child's ru_maxrss, which Linux counts in KiB.
func childPeakRSS(ps *os.ProcessState) (int64, bool) {
	ru, ok := ps.SysUsage().(*syscall.Rusage)
	if !ok {
		return 0, false
	}
	return ru.Maxrss << 10, true
}

// selfPeakRSS is the high-water mark of this process's own memory (VmHWM):
// what exec carries into a child's ru_maxrss. getrusage would not do: it
// includes the peak of the process that started this one.
func selfPeakRSS() (int64, bool) {
	f, err := os.Open("/proc/self/status")
	if err != nil {
		return 0, false
	}
	defer f.Close()
	s := bufio.NewScanner(f)
	for s.Scan() {
		if value, ok := strings.CutPrefix(s.Text(), "VmHWM:"); ok {
			kib, err := strconv.ParseInt(strings.TrimSpace(strings.TrimSuffix(strings.TrimSpace(value), "kB")), 10, 64)
			return kib << 10, err == nil
		}
	}
	return 0, false
}
