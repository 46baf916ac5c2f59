//go:build !linux

package testenv

import "syscall"

// childSysProcAttr has no parent-death signal outside Linux: t.Cleanup is then the
// only thing that stops the server.
func childSysProcAttr() *syscall.SysProcAttr { return nil }
