package uringos

import (
	"context"
	"errors"
	"io"
	"io/fs"
	"syscall"
	"unsafe"

	"github.com/uringkit/uring/future"
	"golang.org/x/sys/unix"
)

// ChunkSize is the most one read or write op transfers. A longer Read,
// ReadAt, Write or WriteAt is split into ChunkSize ops, up to
// PipelineDepth of them in flight at once, so the kernel works on the
// pieces concurrently (on different io-wq workers for buffered files).
const ChunkSize = 1 << 20

// PipelineDepth is how many ChunkSize ops one call keeps in flight.
const PipelineDepth = 8

// copyBufSize is the size of each of the two buffers WriteTo and
// ReadFrom alternate between.
const copyBufSize = 256 << 10

// rwOp builds one read or write op at off (-1: the file offset).
func (f *File) rwOp(write bool, p []byte, off int64) future.Op[int] {
	if write {
		return future.Write(f.fd, p, off)
	}
	return future.Read(f.fd, p, off)
}

// once is one read or write op, retried on EINTR and EAGAIN (a
// non-blocking descriptor io_uring could not poll).
func (f *File) once(write bool, p []byte, off int64) (int, error) {
	for {
		n, err := f.rwOp(write, p, off).Await(context.Background(), f.sys.loop)
		if err != nil && (isEINTR(err) || errors.Is(err, syscall.EAGAIN)) {
			continue
		}
		if err != nil {
			return n, f.ioErr(err)
		}
		return n, nil
	}
}

// pio transfers all of p at off, split into ChunkSize ops, PipelineDepth
// at a time. It returns the length of the prefix of p that was
// transferred: all of p, or less at end of file (a read that returned 0)
// or at the first error. Every op submitted is awaited before pio
// returns, so p is free again when it does.
func (f *File) pio(write bool, p []byte, off int64) (int, error) {
	ctx := context.Background()
	var futs [PipelineDepth]*future.Future[int]
	var lens [PipelineDepth]int
	n := 0
	for n < len(p) {
		k := 0
		for pos := n; pos < len(p) && k < PipelineDepth; pos += ChunkSize {
			piece := p[pos:min(pos+ChunkSize, len(p))]
			futs[k], lens[k] = f.rwOp(write, piece, off+int64(pos)).Submit(ctx, f.sys.loop), len(piece)
			k++
		}
		var err error
		eof, contiguous := false, true
		for i := range k {
			m, e := futs[i].Await(ctx)
			futs[i] = nil
			if !contiguous {
				continue
			}
			switch {
			case e != nil:
				err, contiguous = f.ioErr(e), false
			case m < lens[i]:
				n += m
				contiguous = false
				eof = m == 0
			default:
				n += m
			}
		}
		switch {
		case err != nil && (err == syscall.EINTR || err == syscall.EAGAIN):
			continue
		case err != nil:
			return n, err
		case eof && write:
			return n, io.ErrShortWrite
		case eof:
			return n, nil
		}
	}
	return n, nil
}

// Read reads up to len(p) bytes at the file offset, like os.File.Read: at
// end of file it returns 0, io.EOF. A read longer than ChunkSize from a
// seekable file is split and pipelined, and fills p unless the file ends.
func (f *File) Read(p []byte) (int, error) {
	if f != nil && f.osf != nil {
		return f.osf.Read(p)
	}
	if err := f.begin("read"); err != nil {
		return 0, err
	}
	defer f.end()
	if len(p) == 0 {
		return 0, nil
	}
	f.posMu.Lock()
	defer f.posMu.Unlock()
	n, err := f.read(p)
	if err != nil {
		return n, &fs.PathError{Op: "read", Path: f.name, Err: err}
	}
	if n == 0 {
		return 0, io.EOF
	}
	return n, nil
}

func (f *File) read(p []byte) (int, error) {
	if len(p) <= ChunkSize {
		return f.once(false, p, -1)
	}
	pos, err := unix.Seek(f.fd, 0, io.SeekCurrent)
	if err != nil { // ESPIPE: a pipe, socket or tty reads at most once
		return f.once(false, p[:ChunkSize], -1)
	}
	n, err := f.pio(false, p, pos)
	if _, serr := unix.Seek(f.fd, pos+int64(n), io.SeekStart); err == nil {
		err = serr
	}
	return n, err
}

// ReadAt reads len(p) bytes at off, like os.File.ReadAt: n < len(p) comes
// with an error, io.EOF at end of file. It does not move the file offset.
func (f *File) ReadAt(p []byte, off int64) (int, error) {
	if f != nil && f.osf != nil {
		return f.osf.ReadAt(p, off)
	}
	if err := f.begin("read"); err != nil {
		return 0, err
	}
	defer f.end()
	if off < 0 {
		return 0, &fs.PathError{Op: "readat", Path: f.name, Err: errNegativeOffset}
	}
	n, err := f.pio(false, p, off)
	if err != nil {
		return n, &fs.PathError{Op: "read", Path: f.name, Err: err}
	}
	if n < len(p) {
		return n, io.EOF
	}
	return n, nil
}

// Write writes all of p at the file offset (at the end with O_APPEND),
// like os.File.Write. A write longer than ChunkSize to a seekable file
// opened without O_APPEND is split and pipelined.
func (f *File) Write(p []byte) (int, error) {
	if f != nil && f.osf != nil {
		return f.osf.Write(p)
	}
	if err := f.begin("write"); err != nil {
		return 0, err
	}
	defer f.end()
	f.posMu.Lock()
	defer f.posMu.Unlock()
	n, err := f.write(p)
	if err != nil {
		return n, &fs.PathError{Op: "write", Path: f.name, Err: err}
	}
	if n != len(p) {
		return n, io.ErrShortWrite
	}
	return n, nil
}

func (f *File) write(p []byte) (int, error) {
	if len(p) > ChunkSize && !f.appendMode {
		if pos, err := unix.Seek(f.fd, 0, io.SeekCurrent); err == nil {
			n, err := f.pio(true, p, pos)
			if _, serr := unix.Seek(f.fd, pos+int64(n), io.SeekStart); err == nil {
				err = serr
			}
			return n, err
		}
	}
	// The file offset, one op at a time (ordered): small writes, appends,
	// pipes and sockets.
	n := 0
	for n < len(p) {
		m, err := f.once(true, p[n:min(len(p), n+ChunkSize)], -1)
		n += m
		if err != nil {
			return n, err
		}
		if m == 0 {
			return n, io.ErrShortWrite
		}
	}
	return n, nil
}

// WriteString is Write of s's bytes.
func (f *File) WriteString(s string) (int, error) {
	return f.Write(unsafe.Slice(unsafe.StringData(s), len(s)))
}

// WriteAt writes all of p at off, like os.File.WriteAt (an error on a file
// opened with O_APPEND). It does not move the file offset.
func (f *File) WriteAt(p []byte, off int64) (int, error) {
	if f != nil && f.osf != nil {
		return f.osf.WriteAt(p, off)
	}
	if err := f.begin("write"); err != nil {
		return 0, err
	}
	defer f.end()
	if f.appendMode {
		return 0, errWriteAtInAppendMode
	}
	if off < 0 {
		return 0, &fs.PathError{Op: "writeat", Path: f.name, Err: errNegativeOffset}
	}
	n, err := f.pio(true, p, off)
	if err != nil {
		if err == io.ErrShortWrite {
			return n, err
		}
		return n, &fs.PathError{Op: "write", Path: f.name, Err: err}
	}
	return n, nil
}

// Seek sets the file offset, like os.File.Seek. io_uring has no lseek
// operation (the offset is the descriptor's, and lseek never blocks), so
// this is lseek(2).
func (f *File) Seek(offset int64, whence int) (int64, error) {
	if f != nil && f.osf != nil {
		return f.osf.Seek(offset, whence)
	}
	if err := f.begin("seek"); err != nil {
		return 0, err
	}
	defer f.end()
	f.posMu.Lock()
	defer f.posMu.Unlock()
	r, err := unix.Seek(f.fd, offset, whence)
	if err == nil && f.dir != nil {
		f.dir = nil // os: seeking a directory restarts ReadDir
		if r != 0 {
			err = syscall.EISDIR
		}
	}
	if err != nil {
		return 0, &fs.PathError{Op: "seek", Path: f.name, Err: err}
	}
	return r, nil
}

// ioResult is the result of an op started by startOp.
type ioResult struct {
	n   int
	err error
}

// startOp submits one read or write at the file offset for WriteTo and
// ReadFrom, which keep it in flight while they block on the other end
// (w.Write, r.Read). It counts as an operation on f (begin/end) from
// before its submission until its CQE, not until the caller collects the
// result: Close then waits for the op, but not for the other end, which
// may block for good (a peer that neither sends nor reads), as os's
// Close does not. It fails with os.ErrClosed once Close has begun.
func (f *File) startOp(op string, write bool, p []byte) (<-chan ioResult, error) {
	if err := f.begin(op); err != nil {
		return nil, err
	}
	fut := f.rwOp(write, p, -1).Submit(context.Background(), f.sys.loop)
	ch := make(chan ioResult, 1)
	go func() {
		n, err := fut.Await(context.Background())
		f.end()
		ch <- ioResult{n, err}
	}()
	return ch, nil
}

// WriteTo copies the file from its offset to w (io.WriterTo, used by
// io.Copy), reading the next piece while w writes the last one. While w
// blocks, only the read ahead counts as in flight on f (startOp).
func (f *File) WriteTo(w io.Writer) (int64, error) {
	if f != nil && f.osf != nil {
		return f.osf.WriteTo(w)
	}
	if err := f.begin("read"); err != nil {
		return 0, err
	}
	f.end()
	f.posMu.Lock()
	defer f.posMu.Unlock()
	bufs := [2][]byte{make([]byte, copyBufSize), make([]byte, copyBufSize)}
	// One read in flight at a time at the file offset: the next is
	// submitted only after the last completed, so they stay in order.
	next, err := f.startOp("read", false, bufs[0])
	if err != nil {
		return 0, err
	}
	var total int64
	for cur := 0; ; cur ^= 1 {
		res := <-next
		m, err := res.n, res.err
		next = nil
		if err != nil {
			if isEINTR(err) {
				if next, err = f.startOp("read", false, bufs[cur]); err != nil {
					return total, err
				}
				cur ^= 1
				continue
			}
			return total, &fs.PathError{Op: "read", Path: f.name, Err: f.ioErr(err)}
		}
		if m == 0 {
			return total, nil
		}
		var serr error
		next, serr = f.startOp("read", false, bufs[cur^1])
		k, werr := w.Write(bufs[cur][:m])
		total += int64(k)
		if werr == nil && k < m {
			werr = io.ErrShortWrite
		}
		if werr != nil {
			// The read ahead must end before its buffer is dropped, and
			// what it took is handed back to the file offset (a pipe
			// cannot take it back), so the offset is where w stopped
			// taking data, as with io.Copy.
			if next != nil {
				if r := <-next; r.err == nil && r.n > 0 && f.begin("seek") == nil {
					unix.Seek(f.fd, -int64(r.n), io.SeekCurrent)
					f.end()
				}
			}
			return total, werr
		}
		if serr != nil {
			return total, serr // closed meanwhile
		}
	}
}

// ReadFrom copies r to the file at its offset (io.ReaderFrom, used by
// io.Copy), reading from r while the last piece is being written. While
// r blocks, only that write counts as in flight on f (startOp).
func (f *File) ReadFrom(r io.Reader) (int64, error) {
	if f != nil && f.osf != nil {
		return f.osf.ReadFrom(r)
	}
	if err := f.begin("write"); err != nil {
		return 0, err
	}
	f.end()
	f.posMu.Lock()
	defer f.posMu.Unlock()
	bufs := [2][]byte{make([]byte, copyBufSize), make([]byte, copyBufSize)}
	var (
		pending  <-chan ioResult
		pendBuf  []byte
		total    int64
		writeErr error
	)
	// finish awaits the write in flight and writes what it left over.
	finish := func() {
		if pending == nil {
			return
		}
		res := <-pending
		m, err := res.n, res.err
		pending = nil
		if err == nil && m < len(pendBuf) {
			if berr := f.begin("write"); berr != nil {
				writeErr = berr
				total += int64(m)
				return
			}
			var k int
			k, err = f.write(pendBuf[m:])
			f.end()
			m += k
		}
		total += int64(m)
		if err != nil && writeErr == nil {
			writeErr = &fs.PathError{Op: "write", Path: f.name, Err: f.ioErr(err)}
		}
	}
	for cur := 0; ; cur ^= 1 {
		m, rerr := r.Read(bufs[cur])
		finish()
		if writeErr != nil {
			return total, writeErr
		}
		if m > 0 {
			pendBuf = bufs[cur][:m]
			var err error
			if pending, err = f.startOp("write", true, pendBuf); err != nil {
				return total, err
			}
		}
		if rerr != nil {
			finish()
			if rerr == io.EOF {
				rerr = nil
			}
			if writeErr != nil {
				return total, writeErr
			}
			return total, rerr
		}
	}
}
