//go:build linux

package e2e_test

import (
	"errors"
	"os"
	"os/exec"
	"strconv"
	"strings"
	"syscall"
	"testing"
	"time"

	"gotest.tools/v3/assert"

	"github.com/basetenlabs/baseten/sandbox/sandboxtest"
)

// A SIGKILL of exec, which nothing can catch to pass on, does not leave
// COMMAND running against a sandbox that is gone: Linux sends it the
// parent-death signal exec set.
func TestExecKilledTakesCommandWithIt(t *testing.T) {
	cmd := exec.Command(binary, "sandbox", "exec", "--state", "", "--", "sh", "-c", `echo "$$ ${PATH%%:*}"; exec sleep 600`)
	cmd.Env = processEnv(t)
	cmd.SysProcAttr = &syscall.SysProcAttr{Setsid: true}
	out := &sandboxtest.Buffer{}
	cmd.Stdout = out
	cmd.WaitDelay = time.Second // a COMMAND left running holds the pipe open
	assert.NilError(t, cmd.Start())
	t.Cleanup(func() { syscall.Kill(-cmd.Process.Pid, syscall.SIGKILL) })
	deadline := time.Now().Add(20 * time.Second)
	for !strings.HasSuffix(out.String(), "\n") {
		if time.Now().After(deadline) {
			t.Fatal("COMMAND never started")
		}
		time.Sleep(10 * time.Millisecond)
	}
	pid, binDir, _ := strings.Cut(strings.TrimSpace(out.String()), " ")
	// A killed exec cannot remove the directory it put first on PATH.
	t.Cleanup(func() { os.RemoveAll(binDir) })
	assert.Assert(t, strings.Contains(binDir, "baseten-exec-"), binDir)
	child, err := strconv.Atoi(pid)
	assert.NilError(t, err)
	t.Cleanup(func() { syscall.Kill(child, syscall.SIGKILL) })
	assert.NilError(t, cmd.Process.Kill())
	_ = cmd.Wait()
	for syscall.Kill(child, 0) == nil || !errors.Is(syscall.Kill(child, 0), syscall.ESRCH) {
		if time.Now().After(deadline) {
			t.Fatalf("COMMAND (pid %d) outlived exec", child)
		}
		time.Sleep(10 * time.Millisecond)
	}
}

// At a terminal, Ctrl-C reaches COMMAND once: the terminal sends it to
// the foreground job, exec and COMMAND alike, and exec, in the
// foreground, does not pass on a second copy.
func TestExecCtrlCAtATerminalReachesCommandOnce(t *testing.T) {
	ptmx, pts := openPTY(t)
	cmd := exec.Command(binary, "sandbox", "exec", "--state", "", "--", "sh", "-c",
		`n=0; trap 'n=$((n+1))' INT; echo ready; i=0; while [ $i -lt 40 ]; do sleep 0.05; i=$((i+1)); done; echo "interrupts: $n"; exit 5`)
	cmd.Env = processEnv(t)
	// A session of its own with the terminal as its controlling one: the
	// foreground job of a shell in that terminal.
	cmd.SysProcAttr = &syscall.SysProcAttr{Setsid: true, Setctty: true, Ctty: 0}
	out, errOut := &sandboxtest.Buffer{}, &sandboxtest.Buffer{}
	cmd.Stdin, cmd.Stdout, cmd.Stderr = pts, out, errOut
	assert.NilError(t, cmd.Start())
	t.Cleanup(func() { syscall.Kill(-cmd.Process.Pid, syscall.SIGKILL) })
	waitFor(t, out, "ready\n")
	_, err := ptmx.Write([]byte{0x03}) // Ctrl-C typed at the terminal
	assert.NilError(t, err)
	err = cmd.Wait()
	exitErr, ok := err.(*exec.ExitError)
	assert.Assert(t, ok, "%v; stderr: %s", err, errOut)
	assert.Equal(t, exitErr.ExitCode(), 5, "stderr: %s", errOut)
	assert.Equal(t, out.String(), "ready\ninterrupts: 1\n")
}
