package main

import (
	"strconv"
	"strings"
	"syscall"
)

// selfPeakRSS is the high-water mark of this process's own memory (VmHWM):
// what exec carries into a child's ru_maxrss. getrusage would not do: it
// includes the peak of the process that started this one.
func selfPeakRSS() (int64, bool) {
	f, err := syscall.Open("/proc/self/status", syscall.O_RDONLY|syscall.O_CLOEXEC, 0)
	if err != nil {
		return 0, false
	}
	defer syscall.Close(f)
	buf := &statusBuf
	n := 0
	for n < len(buf) {
		m, err := syscall.Read(f, buf[n:])
		if err == syscall.EINTR {
			continue
		}
		if err != nil {
			return 0, false
		}
		if m == 0 {
			break
		}
		n += m
	}
	return vmHWM(string(buf[:n]))
}

// statusBuf holds /proc/self/status, about 1.5 KB, while selfPeakRSS reads
// it: a buffer from the heap, or one on the stack that made it grow, could
// raise the peak it is about to read.
var statusBuf [4 << 10]byte

// vmHWM finds the line "VmHWM:     1234 kB" in /proc/self/status and
// returns its value in bytes.
func vmHWM(status string) (int64, bool) {
	for line := range strings.Lines(status) {
		value, ok := strings.CutPrefix(line, "VmHWM:")
		if !ok {
			continue
		}
		// Always in kB, and right-aligned in spaces or a tab.
		value, ok = strings.CutSuffix(value, " kB\n")
		for value != "" && (value[0] == ' ' || value[0] == '\t') {
			value = value[1:]
		}
		n, err := strconv.ParseInt(value, 10, 64)
		return n << 10, ok && err == nil
	}
	return 0, false
}
