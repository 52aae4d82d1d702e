package uringos

import (
	"context"
	"io/fs"
	"os"
	"syscall"
	"time"

	"github.com/uringkit/uring/future"
	"github.com/uringkit/uring/ring"
	"golang.org/x/sys/unix"
)

// The path functions, each the os function of the same name on a Sys;
// the package-level ones run on Default(). os retries EINTR; so does run.

// run awaits op on s's Loop, again while it fails with EINTR.
func run[T any](s *Sys, op future.Op[T]) (T, error) {
	return retryEINTR(func() (T, error) { return op.Await(context.Background(), s.loop) })
}

// Stat is os.Stat (IORING_OP_STATX, 5.6).
func (s *Sys) Stat(name string) (fs.FileInfo, error) { return s.stat("stat", name, 0) }

// Lstat is os.Lstat (IORING_OP_STATX with AT_SYMLINK_NOFOLLOW, 5.6).
func (s *Sys) Lstat(name string) (fs.FileInfo, error) {
	return s.stat("lstat", name, unix.AT_SYMLINK_NOFOLLOW)
}

func (s *Sys) stat(op, name string, flags int) (fs.FileInfo, error) {
	if s.useOS != nil {
		if flags != 0 {
			return os.Lstat(name)
		}
		return os.Stat(name)
	}
	st, err := run(s, future.Statx(unix.AT_FDCWD, name, flags, statxMask))
	if err != nil {
		return nil, pathErr(op, name, err)
	}
	return newFileStat(name, &st), nil
}

// Mkdir is os.Mkdir (IORING_OP_MKDIRAT, 5.15).
func (s *Sys) Mkdir(name string, perm fs.FileMode) error {
	if s.useOS != nil {
		return os.Mkdir(name, perm)
	}
	if _, err := run(s, future.Mkdirat(unix.AT_FDCWD, name, syscallMode(perm))); err != nil {
		return pathErr("mkdir", name, err)
	}
	return nil
}

// MkdirAll is os.MkdirAll: Mkdir of path and of every missing parent.
func (s *Sys) MkdirAll(path string, perm fs.FileMode) error {
	if s.useOS != nil {
		return os.MkdirAll(path, perm)
	}
	dir, err := s.Stat(path)
	if err == nil {
		if dir.IsDir() {
			return nil
		}
		return &fs.PathError{Op: "mkdir", Path: path, Err: syscall.ENOTDIR}
	}
	i := len(path) - 1
	for i >= 0 && os.IsPathSeparator(path[i]) {
		i--
	}
	for i >= 0 && !os.IsPathSeparator(path[i]) {
		i--
	}
	if parent := path[:max(i, 0)]; len(parent) > 0 {
		if err := s.MkdirAll(parent, perm); err != nil {
			return err
		}
	}
	if err := s.Mkdir(path, perm); err != nil {
		// "foo/." and a racing creator: fine if it is a directory now.
		if dir, err1 := s.Lstat(path); err1 == nil && dir.IsDir() {
			return nil
		}
		return err
	}
	return nil
}

// Remove is os.Remove: IORING_OP_UNLINKAT (5.11) as a file, then as a
// directory, with os's choice of which error to report.
func (s *Sys) Remove(name string) error {
	if s.useOS != nil {
		return os.Remove(name)
	}
	_, e := run(s, future.Unlinkat(unix.AT_FDCWD, name, 0))
	if e == nil {
		return nil
	}
	_, e1 := run(s, future.Unlinkat(unix.AT_FDCWD, name, unix.AT_REMOVEDIR))
	if e1 == nil {
		return nil
	}
	// rmdir of a file says ENOTDIR, so any other rmdir error is the real one.
	if errnoOf(e1) != syscall.ENOTDIR {
		e = e1
	}
	return pathErr("remove", name, e)
}

// Rename is os.Rename (IORING_OP_RENAMEAT, 5.11), including os's refusal
// (EEXIST) to replace a directory.
func (s *Sys) Rename(oldname, newname string) error {
	if s.useOS != nil {
		return os.Rename(oldname, newname)
	}
	if fi, err := s.Lstat(newname); err == nil && fi.IsDir() {
		ofi, err := s.Lstat(oldname)
		if err != nil {
			return linkErr("rename", oldname, newname, err.(*fs.PathError).Err)
		}
		if newname == oldname || !SameFile(fi, ofi) {
			return linkErr("rename", oldname, newname, syscall.EEXIST)
		}
	}
	if _, err := run(s, future.Renameat(unix.AT_FDCWD, oldname, unix.AT_FDCWD, newname, 0)); err != nil {
		return linkErr("rename", oldname, newname, err)
	}
	return nil
}

// Link is os.Link (IORING_OP_LINKAT, 5.15).
func (s *Sys) Link(oldname, newname string) error {
	if s.useOS != nil {
		return os.Link(oldname, newname)
	}
	if _, err := run(s, future.Linkat(unix.AT_FDCWD, oldname, unix.AT_FDCWD, newname, 0)); err != nil {
		return linkErr("link", oldname, newname, err)
	}
	return nil
}

// Symlink is os.Symlink (IORING_OP_SYMLINKAT, 5.15).
func (s *Sys) Symlink(oldname, newname string) error {
	if s.useOS != nil {
		return os.Symlink(oldname, newname)
	}
	if _, err := run(s, future.Symlinkat(oldname, unix.AT_FDCWD, newname)); err != nil {
		return linkErr("symlink", oldname, newname, err)
	}
	return nil
}

// Truncate is os.Truncate. io_uring has only FTRUNCATE (6.9), on a
// descriptor; opening the file for it would cost two more operations and
// need write permission on the open, so this is truncate(2).
func (s *Sys) Truncate(name string, size int64) error { return os.Truncate(name, size) }

// Chtimes is os.Chtimes. io_uring has no utimensat operation, so this is
// utimensat(2).
func (s *Sys) Chtimes(name string, atime, mtime time.Time) error {
	return os.Chtimes(name, atime, mtime)
}

// Chmod is os.Chmod. io_uring has no fchmodat operation, so this is
// fchmodat(2).
func (s *Sys) Chmod(name string, mode fs.FileMode) error { return os.Chmod(name, mode) }

// Readlink is os.Readlink. io_uring has no readlinkat operation, so this
// is readlinkat(2).
func (s *Sys) Readlink(name string) (string, error) { return os.Readlink(name) }

// CheckKernel reports whether the running kernel has every operation the
// path functions use (MKDIRAT, SYMLINKAT and LINKAT arrived in 5.15,
// RENAMEAT and UNLINKAT in 5.11, the rest in 5.6): nil, or a
// *ring.NotSupportedError naming the first one missing.
func (s *Sys) CheckKernel() error {
	if s.useOS != nil {
		return nil
	}
	if s.loop == nil {
		return future.ErrNilLoop
	}
	for _, op := range []ring.Op{ring.OpOpenat, ring.OpClose, ring.OpStatx, ring.OpRead, ring.OpWrite,
		ring.OpFsync, ring.OpMkdirat, ring.OpUnlinkat, ring.OpRenameat, ring.OpLinkat, ring.OpSymlinkat} {
		if err := s.loop.CheckOp(op); err != nil {
			return err
		}
	}
	return nil
}
