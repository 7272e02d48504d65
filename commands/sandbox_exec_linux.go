package commands

import "syscall"

// setParentDeathSignal has Linux kill COMMAND if exec dies without
// forwarding anything (SIGKILL, a crash): COMMAND would otherwise run on
// against a sandbox that is gone. (Go's fork checks that exec is still
// alive after setting it, so a death in between is not missed.)
func setParentDeathSignal(attr *syscall.SysProcAttr) {
	attr.Pdeathsig = syscall.SIGKILL
}
