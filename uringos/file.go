package uringos

import (
	"context"
	"errors"
	"io/fs"
	"os"
	"sync"
	"sync/atomic"
	"syscall"
	"time"

	"github.com/uringkit/uring/future"
	"github.com/uringkit/uring/ring"
	"golang.org/x/sys/unix"
)

// File is an open file whose I/O runs on a Loop. It behaves like *os.File
// wherever both have a method: the same results, the same io.EOF rules,
// errors as *fs.PathError with the same errno. It is safe for concurrent
// use; Close waits for the operations in flight on it.
//
// Read and Write use the descriptor's file offset (IORING_FEAT_RW_CUR_POS,
// 5.6), so the offset is shared with Seek and with anyone using Fd, as
// with os.
type File struct {
	sys  *Sys
	osf  *os.File // the fallback: every method delegates to it
	name string
	fd   int

	appendMode bool

	mu     sync.Mutex
	closed bool
	ops    sync.WaitGroup // operations in flight; Close waits for them
	active atomic.Int32   // how many: Close cancels them if any

	posMu sync.Mutex // serialises Read/Write/Seek, which move the offset
	dir   *dirReader // ReadDir state, created by the first ReadDir
}

// Open opens the named file for reading, like os.Open.
func Open(name string) (*File, error) { return OpenFile(name, os.O_RDONLY, 0) }

// Create creates or truncates the named file, like os.Create.
func Create(name string) (*File, error) {
	return OpenFile(name, os.O_RDWR|os.O_CREATE|os.O_TRUNC, 0o666)
}

// OpenFile opens the named file with flag and perm, like os.OpenFile
// (IORING_OP_OPENAT, 5.6).
func OpenFile(name string, flag int, perm fs.FileMode) (*File, error) {
	s, err := defaultSys()
	if err != nil {
		return nil, pathErr("open", name, err)
	}
	return s.OpenFile(name, flag, perm)
}

// Open is os.Open on s.
func (s *Sys) Open(name string) (*File, error) { return s.OpenFile(name, os.O_RDONLY, 0) }

// Create is os.Create on s.
func (s *Sys) Create(name string) (*File, error) {
	return s.OpenFile(name, os.O_RDWR|os.O_CREATE|os.O_TRUNC, 0o666)
}

// OpenFile is os.OpenFile on s.
func (s *Sys) OpenFile(name string, flag int, perm fs.FileMode) (*File, error) {
	if s.useOS != nil {
		f, err := os.OpenFile(name, flag, perm)
		if err != nil {
			return nil, err
		}
		return &File{sys: s, osf: f, name: name, fd: -1}, nil
	}
	fd, err := retryEINTR(func() (future.FD, error) {
		return future.Openat(unix.AT_FDCWD, name, flag|syscall.O_CLOEXEC, syscallMode(perm)).Await(context.Background(), s.loop)
	})
	if err != nil {
		return nil, pathErr("open", name, err)
	}
	return s.newFile(int(fd), name, flag), nil
}

func (s *Sys) newFile(fd int, name string, flag int) *File {
	return &File{sys: s, name: name, fd: fd, appendMode: flag&os.O_APPEND != 0}
}

// NewFile returns a File for an open descriptor, like os.NewFile; its I/O
// runs on the default Loop (nil if there is none, or fd is negative).
// The File owns fd: Close closes it.
func NewFile(fd uintptr, name string) *File {
	s, err := defaultSys()
	if err != nil {
		return nil
	}
	return s.NewFile(fd, name)
}

// NewFile is NewFile on s.
func (s *Sys) NewFile(fd uintptr, name string) *File {
	if int(fd) < 0 {
		return nil
	}
	if s.useOS != nil {
		return &File{sys: s, osf: os.NewFile(fd, name), name: name, fd: -1}
	}
	flag, _ := unix.FcntlInt(fd, unix.F_GETFL, 0)
	return s.newFile(int(fd), name, flag)
}

// Name returns the name the file was opened with.
func (f *File) Name() string { return f.name }

// Fd returns the file descriptor. As with os, it is valid until Close.
func (f *File) Fd() uintptr {
	if f == nil {
		return ^uintptr(0)
	}
	if f.osf != nil {
		return f.osf.Fd()
	}
	return uintptr(f.fd)
}

// begin registers an operation on f; it fails once Close has begun. end
// must follow.
func (f *File) begin(op string) error {
	if f == nil {
		return os.ErrInvalid
	}
	f.mu.Lock()
	defer f.mu.Unlock()
	if f.closed {
		return &fs.PathError{Op: op, Path: f.name, Err: os.ErrClosed}
	}
	f.ops.Add(1)
	f.active.Add(1)
	return nil
}

func (f *File) end() {
	f.active.Add(-1)
	f.ops.Done()
}

// isClosed reports whether Close has begun.
func (f *File) isClosed() bool {
	f.mu.Lock()
	defer f.mu.Unlock()
	return f.closed
}

// ioErr is the error of a failed read or write: ECANCELED after Close
// began means Close cancelled the operation, which os reports as
// os.ErrClosed.
func (f *File) ioErr(err error) error {
	err = errnoOf(err)
	if err == syscall.ECANCELED && f.isClosed() {
		return os.ErrClosed
	}
	return err
}

// Close closes the file (IORING_OP_CLOSE, 5.6) after the operations in
// flight on it have finished. Operations that wait for the descriptor to
// become ready (a read of an empty pipe) would wait forever, so Close
// cancels them (IORING_OP_ASYNC_CANCEL by fd, 5.19) and they return
// os.ErrClosed, as a Read blocked in os's poller does when its File is
// closed; operations already running (a read of a regular file in an
// io-wq worker) complete. A second Close returns an error wrapping
// os.ErrClosed, as with os.
func (f *File) Close() error {
	if f == nil {
		return os.ErrInvalid
	}
	if f.osf != nil {
		return f.osf.Close()
	}
	f.mu.Lock()
	if f.closed {
		f.mu.Unlock()
		return &fs.PathError{Op: "close", Path: f.name, Err: os.ErrClosed}
	}
	f.closed = true
	f.mu.Unlock()
	f.waitOps()
	if err := closeFd(f.sys.loop, f.fd); err != nil {
		return pathErr("close", f.name, err)
	}
	return nil
}

// closeFd closes fd through l (IORING_OP_CLOSE, 5.6). close(2) releases
// the descriptor even when it reports an error, so it is never retried
// (as os does not). A Loop that refuses the op (closed, or nil) never
// submitted it: the descriptor is then closed with close(2), so that a
// File left open when its Loop closes does not leak it.
func closeFd(l *ring.Loop, fd int) error {
	_, err := future.Close(fd).Await(context.Background(), l)
	return closeRefused(fd, err)
}

// closeRefused takes the error of fd's IORING_OP_CLOSE and, if the Loop
// refused the op (closed, or nil), closes fd with close(2) instead.
// ring.ErrClosed and future.ErrNilLoop come only from a refused Submit, so
// this never closes a descriptor twice.
func closeRefused(fd int, err error) error {
	if errors.Is(err, ring.ErrClosed) || errors.Is(err, future.ErrNilLoop) {
		return unix.Close(fd)
	}
	return err
}

// waitOps waits until no operation is in flight on f, cancelling those
// that wait on the descriptor. An operation that registered just before
// Close but had not been submitted when the cancel went out is caught by
// the next cancel, sent every closeRecancel.
func (f *File) waitOps() {
	if f.active.Load() == 0 {
		f.ops.Wait()
		return
	}
	done := make(chan struct{})
	go func() {
		f.ops.Wait()
		close(done)
	}()
	for {
		// ENOENT (nothing to cancel) and EALREADY (running) are fine.
		future.CancelFd(f.fd, ring.CancelAll).Await(context.Background(), f.sys.loop)
		select {
		case <-done:
			return
		case <-time.After(closeRecancel):
		}
	}
}

// closeRecancel is how often Close repeats its cancel while it waits.
const closeRecancel = 20 * time.Millisecond

// retryEINTR runs op until it does not fail with EINTR, as os's
// ignoringEINTR does for the system calls it wraps.
func retryEINTR[T any](op func() (T, error)) (T, error) {
	for {
		v, err := op()
		if err == nil || !isEINTR(err) {
			return v, err
		}
	}
}
