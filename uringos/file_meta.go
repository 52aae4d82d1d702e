package uringos

import (
	"context"
	"io/fs"

	"github.com/uringkit/uring/future"
	"github.com/uringkit/uring/ring"
	"golang.org/x/sys/unix"
)

// Stat returns the file's FileInfo, like os.File.Stat (IORING_OP_STATX on
// the descriptor with AT_EMPTY_PATH, 5.6).
func (f *File) Stat() (fs.FileInfo, error) {
	if f != nil && f.osf != nil {
		return f.osf.Stat()
	}
	if err := f.begin("stat"); err != nil {
		return nil, err
	}
	defer f.end()
	st, err := retryEINTR(func() (ring.Statx, error) {
		return future.Statx(f.fd, "", atEmptyPath, statxMask).Await(context.Background(), f.sys.loop)
	})
	if err != nil {
		return nil, pathErr("stat", f.name, err)
	}
	return newFileStat(f.name, &st), nil
}

// Sync commits the file to stable storage, like os.File.Sync
// (IORING_OP_FSYNC, 5.1).
func (f *File) Sync() error {
	if f != nil && f.osf != nil {
		return f.osf.Sync()
	}
	if err := f.begin("sync"); err != nil {
		return err
	}
	defer f.end()
	_, err := retryEINTR(func() (struct{}, error) {
		return future.Fsync(f.fd).Await(context.Background(), f.sys.loop)
	})
	if err != nil {
		return pathErr("sync", f.name, err)
	}
	return nil
}

// Truncate changes the file's size, like os.File.Truncate
// (IORING_OP_FTRUNCATE, 6.9; ftruncate(2) on older kernels).
func (f *File) Truncate(size int64) error {
	if f != nil && f.osf != nil {
		return f.osf.Truncate(size)
	}
	if err := f.begin("truncate"); err != nil {
		return err
	}
	defer f.end()
	var err error
	if f.sys.loop == nil || f.sys.loop.CheckOp(ring.OpFtruncate) == nil {
		_, err = retryEINTR(func() (struct{}, error) {
			return future.Ftruncate(f.fd, size).Await(context.Background(), f.sys.loop)
		})
	} else {
		err = ignoringEINTR(func() error { return unix.Ftruncate(f.fd, size) })
	}
	if err != nil {
		return pathErr("truncate", f.name, err)
	}
	return nil
}

// Chmod changes the file's mode, like os.File.Chmod. io_uring has no
// fchmod operation: this is fchmod(2).
func (f *File) Chmod(mode fs.FileMode) error {
	if f != nil && f.osf != nil {
		return f.osf.Chmod(mode)
	}
	if err := f.begin("chmod"); err != nil {
		return err
	}
	defer f.end()
	if err := ignoringEINTR(func() error { return unix.Fchmod(f.fd, syscallMode(mode)) }); err != nil {
		return pathErr("chmod", f.name, err)
	}
	return nil
}

// ignoringEINTR retries a system call that failed with EINTR.
func ignoringEINTR(fn func() error) error {
	for {
		err := fn()
		if err != unix.EINTR {
			return err
		}
	}
}
