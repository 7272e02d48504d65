package main

import (
	"bufio"
	"bytes"
	"fmt"
	"os"
	"os/exec"
	"runtime"
	"strings"
)

// describeMachine says what the numbers were measured on: CPU model, cores,
// OS and architecture (with the kernel release where cheap to get), the Go
// that built the binaries, and the runner's GOMAXPROCS, which the children
// share unless GOMAXPROCS is set.
func describeMachine(goVersion string) string {
	system := runtime.GOOS + "/" + runtime.GOARCH
	if release, err := os.ReadFile("/proc/sys/kernel/osrelease"); err == nil {
		system += " (kernel " + strings.TrimSpace(string(release)) + ")"
	}
	return fmt.Sprintf("%s, %d cores, %s, %s, GOMAXPROCS=%d", cpuModel(), runtime.NumCPU(), system, goVersion, runtime.GOMAXPROCS(0))
}

func cpuModel() string {
	switch runtime.GOOS {
	case "linux":
		if f, err := os.Open("/proc/cpuinfo"); err == nil {
			defer f.Close()
			s := bufio.NewScanner(f)
			for s.Scan() {
				// x86 says "model name"; some ARM kernels only "Hardware".
				key, value, _ := strings.Cut(s.Text(), ":")
				if key = strings.TrimSpace(key); key == "model name" || key == "Hardware" {
					return strings.TrimSpace(value)
				}
			}
		}
	case "darwin":
		if out, err := exec.Command("sysctl", "-n", "machdep.cpu.brand_string").Output(); err == nil {
			return string(bytes.TrimSpace(out))
		}
	case "windows":
		if id := os.Getenv("PROCESSOR_IDENTIFIER"); id != "" {
			return id
		}
	}
	return "unknown CPU"
}
