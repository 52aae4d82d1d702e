package uringos_test

import (
	"errors"
	"io"
	"io/fs"
	"os"
	"syscall"
	"testing"
	"time"

	"github.com/google/go-cmp/cmp"
	"github.com/uringkit/uring/future"
	"github.com/uringkit/uring/ring"
	"github.com/uringkit/uring/uringos"
)

// TestCloseEndsBlockedRead: Close on a File whose Read is blocked on an
// empty pipe cancels that Read, which returns os.ErrClosed in a
// *fs.PathError (as os does), and Close returns only after it.
func TestCloseEndsBlockedRead(t *testing.T) {
	l, err := ring.NewLoop()
	if err != nil {
		t.Fatal(err)
	}
	defer l.Close()
	r, w, err := os.Pipe()
	if err != nil {
		t.Fatal(err)
	}
	defer w.Close()
	rfd, err := syscall.Dup(int(r.Fd()))
	if err != nil {
		t.Fatal(err)
	}
	r.Close()
	f := uringos.On(l).NewFile(uintptr(rfd), "pipe")
	readErr := make(chan error, 1)
	go func() {
		_, err := f.Read(make([]byte, 16))
		readErr <- err
	}()
	for l.Stats().InFlight == 0 { // the Read is in the kernel, waiting for data
		time.Sleep(time.Millisecond)
	}
	if err := f.Close(); err != nil {
		t.Errorf("Close: %v", err)
	}
	// Close waits for the kernel to be done with the read: its request has
	// reached its terminal CQE by the time Close returns. (Whether the
	// reading goroutine has been scheduled since is up to the runtime.)
	if n := l.Stats().InFlight; n != 0 {
		t.Errorf("Close returned with %d requests still in flight", n)
	}
	err = <-readErr
	var pe *fs.PathError
	if !errors.As(err, &pe) || pe.Op != "read" || pe.Path != "pipe" || pe.Err != os.ErrClosed {
		t.Errorf("blocked Read after Close: %v, want *fs.PathError{read pipe os.ErrClosed}", err)
	}
	if _, err := f.Read(make([]byte, 1)); !errors.Is(err, os.ErrClosed) {
		t.Errorf("Read after Close: %v, want os.ErrClosed", err)
	}
	if l.Stats().InFlight != 0 {
		t.Errorf("requests still in flight after Close: %d", l.Stats().InFlight)
	}
}

// TestCloseLetsRunningReadFinish: a Read with data to return is not cut
// short by a Close that follows it.
func TestCloseLetsRunningReadFinish(t *testing.T) {
	root, _ := tree(t)
	f, err := uringos.Open(root + "/sub/deep/c.bin")
	if err != nil {
		t.Fatal(err)
	}
	want, _ := os.ReadFile(root + "/sub/deep/c.bin")
	got := make([]byte, len(want))
	done := make(chan error, 1)
	go func() {
		_, err := f.ReadAt(got, 0)
		done <- err
	}()
	cerr := f.Close()
	rerr := <-done
	if errors.Is(rerr, os.ErrClosed) {
		t.Logf("Close won the race: ReadAt was refused before it started")
	} else if rerr != nil || string(got) != string(want) {
		t.Errorf("ReadAt racing Close: %v (equal %v)", rerr, string(got) == string(want))
	}
	if cerr != nil {
		t.Errorf("Close: %v", cerr)
	}
}

// TestPipeStream: Read and Write on a pipe use the descriptor's position
// (none), one op at a time, in order, even for writes larger than
// ChunkSize.
func TestPipeStream(t *testing.T) {
	r, w, err := os.Pipe()
	if err != nil {
		t.Fatal(err)
	}
	// Dup: the uringos Files own their descriptors, the os Files theirs.
	rfd, err1 := syscall.Dup(int(r.Fd()))
	wfd, err2 := syscall.Dup(int(w.Fd()))
	if err1 != nil || err2 != nil {
		t.Fatal(err1, err2)
	}
	r.Close()
	w.Close()
	rf := uringos.NewFile(uintptr(rfd), "r")
	wf := uringos.NewFile(uintptr(wfd), "w")
	data := pattern(2*uringos.ChunkSize+100, 3)
	go func() {
		wf.Write(data)
		wf.Close()
	}()
	got, err := io.ReadAll(rf)
	if err != nil || string(got) != string(data) {
		t.Errorf("ReadAll: %d bytes (equal %v), %v; want %d bytes", len(got), string(got) == string(data), err, len(data))
	}
	rf.Close()
}

// TestFallbackToOS: with io_uring unavailable, calls fail with an error
// matching ring.ErrUnavailable, unless FallbackToOS was called: then they
// use package os and the notify function hears why, once.
func TestFallbackToOS(t *testing.T) {
	reason := &ring.UnavailableError{Errno: syscall.EPERM}
	restore := uringos.SimulateUnavailable(reason)
	defer restore()
	root, _ := tree(t)
	name := root + "/a.txt"

	_, err := uringos.ReadFile(name)
	var pe *fs.PathError
	if !errors.As(err, &pe) || !errors.Is(err, ring.ErrUnavailable) || pe.Op != "open" || pe.Path != name {
		t.Fatalf("ReadFile without fallback: %v, want *fs.PathError{open %s} matching ring.ErrUnavailable", err, name)
	}

	var heard []error
	uringos.FallbackToOS(func(why error) { heard = append(heard, why) })
	b, err := uringos.ReadFile(name)
	if string(b) != "alpha\n" || err != nil {
		t.Errorf("ReadFile with fallback = %q, %v", b, err)
	}
	s, err := uringos.Default()
	if err != nil || s.Fallback() != reason || s.Loop() != nil {
		t.Errorf("Default() = %v (Fallback %v), %v", s, s.Fallback(), err)
	}
	f, err := uringos.Open(name)
	if err != nil {
		t.Fatal(err)
	}
	if got, err := io.ReadAll(f); string(got) != "alpha\n" || err != nil {
		t.Errorf("ReadAll via fallback File: %q, %v", got, err)
	}
	if err := f.Close(); err != nil {
		t.Error(err)
	}
	if err := f.Close(); !errors.Is(err, os.ErrClosed) {
		t.Errorf("second Close: %v", err)
	}
	uringos.Stat(name)
	if diff := cmp.Diff([]error{reason}, heard, cmp.Comparer(func(a, b error) bool { return a == b })); diff != "" {
		t.Errorf("notify calls (-want +got):\n%s", diff)
	}
	// The conformance script, through the fallback.
	compare(t, s, pathSteps)
}

// TestNilAndClosedLoop: a Sys on a nil Loop, and one whose Loop was
// closed, fail every call with a named error in os's error type; nothing
// panics.
func TestNilAndClosedLoop(t *testing.T) {
	root, _ := tree(t)
	name := root + "/a.txt"
	closed, err := ring.NewLoop()
	if err != nil {
		t.Fatal(err)
	}
	closed.Close()
	for _, c := range []struct {
		sys  *uringos.Sys
		want error
	}{{uringos.On(nil), future.ErrNilLoop}, {uringos.On(closed), ring.ErrClosed}} {
		s := c.sys
		_, err1 := s.ReadFile(name)
		_, err2 := s.Stat(name)
		_, errs := s.LstatAll([]string{name, name})
		_, ferrs := s.OpenAll([]string{name}, os.O_RDONLY, 0)
		_, rerrs := s.ReadFiles([]string{name})
		err3 := s.Mkdir(root+"/x", 0o755)
		err4 := s.Rename(name, root+"/y")
		all := []error{err1, err2, errs[0], errs[1], ferrs[0], rerrs[0], err3, err4}
		if c.want == future.ErrNilLoop {
			all = append(all, s.CheckKernel()) // a closed Loop still knows its kernel
		}
		for i, err := range all {
			if !errors.Is(err, c.want) {
				t.Errorf("call %d: %v, want an error matching %v", i, err, c.want)
			}
		}
		var pe *fs.PathError
		if !errors.As(err1, &pe) || pe.Op != "open" || pe.Path != name {
			t.Errorf("ReadFile: %v, want *fs.PathError{open %s}", err1, name)
		}
	}
}

// failingWriter takes n bytes, then fails.
type failingWriter struct{ n int }

var errWriterFull = errors.New("writer full")

func (w *failingWriter) Write(p []byte) (int, error) {
	if len(p) > w.n {
		k := w.n
		w.n = 0
		return k, errWriterFull
	}
	w.n -= len(p)
	return len(p), nil
}

// TestWriteToStopsWhereWriterStopped: when w fails, the file offset is at
// the end of the last piece handed to w, as with io.Copy from an
// *os.File (whose pieces are 32 KiB, ours 256 KiB): the piece read ahead
// is given back.
func TestWriteToStopsWhereWriterStopped(t *testing.T) {
	root, _ := tree(t)
	name := root + "/big"
	os.WriteFile(name, pattern(3*uringos.ChunkSize, 9), 0o644)
	for _, open := range []func(string) (interface {
		io.ReadSeekCloser
		io.WriterTo
	}, error){
		func(n string) (interface {
			io.ReadSeekCloser
			io.WriterTo
		}, error) {
			return os.Open(n)
		},
		func(n string) (interface {
			io.ReadSeekCloser
			io.WriterTo
		}, error) {
			return uringos.Open(n)
		},
	} {
		f, err := open(name)
		if err != nil {
			t.Fatal(err)
		}
		w := &failingWriter{n: 300_000}
		n, err := io.Copy(w, f)
		pos, _ := f.Seek(0, io.SeekCurrent)
		if n != 300_000 || !errors.Is(err, errWriterFull) {
			t.Errorf("%T: io.Copy = %d, %v; want 300000, errWriterFull", f, n, err)
		}
		if pos < n || pos-n >= 256<<10 {
			t.Errorf("%T: offset %d after copying %d: not at the end of the last piece w got", f, pos, n)
		}
		f.Close()
	}
}
