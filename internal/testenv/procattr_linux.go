package testenv

import "syscall"

// childSysProcAttr makes the kernel kill the child when the thread that started it
// dies, so a test binary killed by its -timeout (or by Ctrl-C) leaves no MinIO behind.
// The starting goroutine keeps its OS thread locked for the child's lifetime (see
// startLocked), because Pdeathsig is tied to the thread, not to the process.
func childSysProcAttr() *syscall.SysProcAttr {
	return &syscall.SysProcAttr{Pdeathsig: syscall.SIGKILL, Setpgid: true}
}

// childSysProcAttrAs is childSysProcAttr for a child that runs as another user (uid,
// gid): the credentials are switched before the parent-death signal is set, because a
// change of credentials clears it.
func childSysProcAttrAs(uid, gid uint32) *syscall.SysProcAttr {
	a := childSysProcAttr()
	a.Credential = &syscall.Credential{Uid: uid, Gid: gid, NoSetGroups: true}
	return a
}
