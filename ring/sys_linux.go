//go:build linux

package ring

import (
	"syscall"
	"unsafe"

	"golang.org/x/sys/unix"
)

// The three io_uring syscalls and the mmaps, in one place. Every other file
// of the package is portable; on other systems sys_other.go answers
// ErrUnsupportedOS.

func sysSetup(entries uint32, p *Params) (int, syscall.Errno) {
	fd, _, errno := unix.Syscall(unix.SYS_IO_URING_SETUP, uintptr(entries), uintptr(unsafe.Pointer(p)), 0)
	return int(fd), errno
}

// sysEnter calls io_uring_enter(2). An enter that may sleep (minComplete >
// 0, or IORING_ENTER_SQ_WAIT) goes through Syscall6 so the runtime hands
// the P to another thread; one that cannot sleep uses RawSyscall6 and saves
// the scheduler round trip (30-50 ns, ../shared/bench/README.md).
func sysEnter(fd int, toSubmit, minComplete uint32, flags EnterFlags, arg unsafe.Pointer, argSz uintptr) (int, syscall.Errno) {
	var n uintptr
	var errno syscall.Errno
	if minComplete == 0 && flags&EnterSQWait == 0 {
		n, _, errno = unix.RawSyscall6(unix.SYS_IO_URING_ENTER, uintptr(fd), uintptr(toSubmit), 0, uintptr(flags), uintptr(arg), argSz)
	} else {
		n, _, errno = unix.Syscall6(unix.SYS_IO_URING_ENTER, uintptr(fd), uintptr(toSubmit), uintptr(minComplete), uintptr(flags), uintptr(arg), argSz)
	}
	return int(n), errno
}

func sysRegister(fd int, op uint32, arg unsafe.Pointer, nrArgs uint32) (int, syscall.Errno) {
	n, _, errno := unix.Syscall6(unix.SYS_IO_URING_REGISTER, uintptr(fd), uintptr(op), uintptr(arg), uintptr(nrArgs), 0, 0)
	return int(n), errno
}

func sysMmap(fd int, offset int64, size int) ([]byte, error) {
	return unix.Mmap(fd, offset, size, unix.PROT_READ|unix.PROT_WRITE, unix.MAP_SHARED|unix.MAP_POPULATE)
}

func sysMmapAnon(size int) ([]byte, error) {
	return unix.Mmap(-1, 0, size, unix.PROT_READ|unix.PROT_WRITE, unix.MAP_SHARED|unix.MAP_ANONYMOUS|unix.MAP_POPULATE)
}

func sysMunmap(b []byte) error { return unix.Munmap(b) }

func sysClose(fd int) error { return unix.Close(fd) }

func pageSize() int { return unix.Getpagesize() }

const isOtherOS = false
