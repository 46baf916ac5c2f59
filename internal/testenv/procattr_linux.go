package testenv

import "syscall"

// childSysProcAttr makes the kernel kill the child when the thread that started it
// dies, so a test binary killed by its -timeout (or by Ctrl-C) leaves no MinIO behind.
// The starting goroutine keeps its OS thread locked for the child's lifetime (see
// startLocked), because Pdeathsig is tied to the thread, not to the process.
func childSysProcAttr() *syscall.SysProcAttr {
	return &syscall.SysProcAttr{Pdeathsig: syscall.SIGKILL, Setpgid: true}
}
