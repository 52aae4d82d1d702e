package uringos

import (
	"context"
	"io/fs"
	"os"
	"syscall"

	"github.com/uringkit/uring/future"
	"github.com/uringkit/uring/ring"
	"golang.org/x/sys/unix"
)

// ReadFile is os.ReadFile: the whole named file. It takes three rounds
// to the kernel: openat and statx (for the size) together, then the
// reads (the contents and the read at the end that returns 0, together),
// then close.
func ReadFile(name string) ([]byte, error) {
	s, err := defaultSys()
	if err != nil {
		return nil, pathErr("open", name, err)
	}
	return s.ReadFile(name)
}

// ReadFile is os.ReadFile on s.
func (s *Sys) ReadFile(name string) ([]byte, error) {
	data, errs := s.ReadFiles([]string{name})
	return data[0], errs[0]
}

// ReadFiles is os.ReadFile of every name, in the same three rounds as one
// ReadFile, however many names there are: data[i], errs[i] are what
// os.ReadFile(names[i]) would return.
func ReadFiles(names []string) (data [][]byte, errs []error) {
	s, err := defaultSys()
	if err != nil {
		errs = make([]error, len(names))
		for i, n := range names {
			errs[i] = pathErr("open", n, err)
		}
		return make([][]byte, len(names)), errs
	}
	return s.ReadFiles(names)
}

// readState is one file of ReadFiles.
type readState struct {
	f    *File
	size int64
	head *future.Future[int] // the contents, in one op when they fit in one
	tail *future.Future[int] // the read at the end, expected to return 0
	buf  []byte
}

// ReadFiles is ReadFiles on s.
func (s *Sys) ReadFiles(names []string) ([][]byte, []error) {
	data := make([][]byte, len(names))
	errs := make([]error, len(names))
	if s.useOS != nil {
		for i, n := range names {
			data[i], errs[i] = os.ReadFile(n)
		}
		return data, errs
	}
	ctx := context.Background()
	// Round 1: open and statx by path, all at once. The size is a hint
	// (the file may change); the reads go on until one returns 0.
	sizes := make([]*future.Future[ring.Statx], len(names))
	for i, n := range names {
		sizes[i] = future.Statx(unix.AT_FDCWD, n, 0, statxSize).Submit(ctx, s.loop)
	}
	files, openErrs := s.OpenAll(names, os.O_RDONLY, 0)
	st := make([]readState, len(names))
	for i := range names {
		stx, err := sizes[i].Await(ctx)
		if openErrs[i] != nil {
			errs[i] = openErrs[i]
			continue
		}
		st[i].f = files[i]
		if err == nil {
			st[i].size = statxSizeOf(&stx)
		}
	}
	// Round 2: the contents and the read after them, when they fit in one
	// op; bigger files are read with pipelined ReadAt below.
	for i := range st {
		r := &st[i]
		if r.f == nil || r.size > ChunkSize {
			continue
		}
		r.buf = make([]byte, r.size, max(r.size+512, 512))
		if r.size > 0 {
			r.head = future.Read(r.f.fd, r.buf, 0).Submit(ctx, s.loop)
		}
		r.tail = future.Read(r.f.fd, r.buf[r.size:cap(r.buf)], r.size).Submit(ctx, s.loop)
	}
	for i := range st {
		r := &st[i]
		if r.f == nil {
			continue
		}
		data[i], errs[i] = r.finish(ctx)
	}
	// Round 3: close them all.
	closes := make([]*future.Future[struct{}], len(st))
	for i := range st {
		if st[i].f != nil {
			st[i].f.closed = true // not shared: no operation can be in flight
			closes[i] = future.Close(st[i].f.fd).Submit(ctx, s.loop)
		}
	}
	for i, c := range closes {
		if c == nil {
			continue
		}
		_, err := c.Await(ctx)
		if err = closeRefused(st[i].f.fd, err); err != nil && errs[i] == nil {
			errs[i] = pathErr("close", names[i], err)
		}
	}
	return data, errs
}

// finish collects round 2 for one file, and reads on (like os.ReadFile)
// when the file was not where the size said it ends.
func (r *readState) finish(ctx context.Context) ([]byte, error) {
	var n, m int
	var err, err2 error
	if r.head != nil {
		n, err = r.head.Await(ctx)
	}
	if r.tail != nil {
		m, err2 = r.tail.Await(ctx)
	}
	if r.buf == nil { // big: pipelined reads
		r.buf = make([]byte, r.size, r.size+512)
		n, err = r.f.pio(false, r.buf, 0)
		m, err2 = 0, syscall.EAGAIN // read on
	}
	if err != nil {
		return nil, &fs.PathError{Op: "read", Path: r.f.name, Err: errnoOf(err)}
	}
	data := r.buf[:n]
	if n == int(r.size) && err2 == nil && m == 0 {
		return data, nil // the common case: both reads as the size said
	}
	if n == int(r.size) && err2 == nil {
		data = r.buf[:n+m] // the file grew: keep what the second read got
	}
	// Read on from len(data) until a read returns 0, growing as os does.
	for {
		if len(data) == cap(data) {
			data = append(data, 0)[:len(data)]
		}
		k, err := r.f.once(false, data[len(data):cap(data)], int64(len(data)))
		if err != nil {
			return nil, &fs.PathError{Op: "read", Path: r.f.name, Err: err}
		}
		if k == 0 {
			return data, nil
		}
		data = data[:len(data)+k]
	}
}

// WriteFile is os.WriteFile: it creates or truncates the named file with
// perm (before umask) and writes data to it.
func WriteFile(name string, data []byte, perm fs.FileMode) error {
	s, err := defaultSys()
	if err != nil {
		return pathErr("open", name, err)
	}
	return s.WriteFile(name, data, perm)
}

// WriteFile is os.WriteFile on s.
func (s *Sys) WriteFile(name string, data []byte, perm fs.FileMode) error {
	f, err := s.OpenFile(name, os.O_WRONLY|os.O_CREATE|os.O_TRUNC, perm)
	if err != nil {
		return err
	}
	_, err = f.Write(data)
	if err1 := f.Close(); err1 != nil && err == nil {
		err = err1
	}
	return err
}
