//go:build !linux

package ring

import (
	"os"
	"syscall"
	"unsafe"
)

// io_uring is Linux's: elsewhere the package builds, and every constructor
// returns ErrUnsupportedOS.

func sysSetup(entries uint32, p *Params) (int, syscall.Errno) { return -1, syscall.ENOSYS }

func sysEnter(fd int, toSubmit, minComplete uint32, flags EnterFlags, arg unsafe.Pointer, argSz uintptr) (int, syscall.Errno) {
	return -1, syscall.ENOSYS
}

func sysRegister(fd int, op uint32, arg unsafe.Pointer, nrArgs uint32) (int, syscall.Errno) {
	return -1, syscall.ENOSYS
}

func sysMmap(fd int, offset int64, size int) ([]byte, error) { return nil, ErrUnsupportedOS }
func sysMmapAnon(size int) ([]byte, error)                   { return nil, ErrUnsupportedOS }
func sysMunmap(b []byte) error                               { return ErrUnsupportedOS }
func sysClose(fd int) error                                  { return ErrUnsupportedOS }
func pageSize() int                                          { return os.Getpagesize() }

const isOtherOS = true
