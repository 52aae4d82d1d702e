//go:build !linux

package ring

import "syscall"

func sysEnterRegWait(fd int, toSubmit, minComplete uint32, flags EnterFlags, off uintptr) (int, syscall.Errno) {
	return -1, syscall.ENOSYS
}
