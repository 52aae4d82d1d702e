package uringos

import (
	"errors"
	"io/fs"
	"os"
	"syscall"

	"github.com/uringkit/uring/future"
)

// errnoOf returns the syscall.Errno of a failed operation (the *future.Error
// of its CQE), so that a *fs.PathError holds the same value as os's does;
// any other error (a closed Loop, an opcode the kernel lacks) is returned
// as it is.
func errnoOf(err error) error {
	var fe *future.Error
	if errors.As(err, &fe) {
		return fe.Errno
	}
	var ae *future.ArgError
	if errors.As(err, &ae) && errors.Is(err, syscall.EINVAL) {
		return syscall.EINVAL // a path with a NUL byte: os says EINVAL too
	}
	return err
}

// pathErr is the error os gives for a failed call on one path.
func pathErr(op, path string, err error) error {
	return &fs.PathError{Op: op, Path: path, Err: errnoOf(err)}
}

// linkErr is the error os gives for a failed call on two paths (rename,
// link, symlink).
func linkErr(op, oldname, newname string, err error) error {
	return &os.LinkError{Op: op, Old: oldname, New: newname, Err: errnoOf(err)}
}

// isEINTR reports whether a CQE said EINTR (or a kernel-internal restart
// errno, which future maps to EINTR): os retries those calls, and so do we.
func isEINTR(err error) bool { return errors.Is(err, syscall.EINTR) }

// errNegativeOffset is os's error for ReadAt/WriteAt at a negative offset.
var errNegativeOffset = errors.New("negative offset")

// errWriteAtInAppendMode is os's error for WriteAt on an O_APPEND file.
var errWriteAtInAppendMode = errors.New("os: invalid use of WriteAt on file opened with O_APPEND")
