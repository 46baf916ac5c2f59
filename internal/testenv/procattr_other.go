//go:build !linux

package testenv

import "syscall"

// childSysProcAttr has no parent-death signal outside Linux: t.Cleanup is then the
// only thing that stops the server.
func childSysProcAttr() *syscall.SysProcAttr { return nil }

// childSysProcAttrAs runs the child as the current user outside Linux: switching users
// is only needed when the tests run as root, which CI does on Linux.
func childSysProcAttrAs(_, _ uint32) *syscall.SysProcAttr { return nil }
