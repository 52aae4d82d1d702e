//go:build linux

package ring

import (
	"syscall"

	"golang.org/x/sys/unix"
)

// sysEnterRegWait is io_uring_enter(2) with IORING_ENTER_EXT_ARG_REG,
// whose arg is a byte offset into the registered wait region, not a
// pointer (so it cannot go through sysEnter's unsafe.Pointer), and whose
// argsz is sizeof(struct io_uring_reg_wait).
func sysEnterRegWait(fd int, toSubmit, minComplete uint32, flags EnterFlags, off uintptr) (int, syscall.Errno) {
	const regWaitSize = 64
	n, _, errno := unix.Syscall6(unix.SYS_IO_URING_ENTER, uintptr(fd), uintptr(toSubmit), uintptr(minComplete), uintptr(flags), off, regWaitSize)
	return int(n), errno
}
