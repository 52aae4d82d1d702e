//go:build linux

package uringos_test

import (
	"errors"
	"os"
	"path/filepath"
	"testing"
	"time"

	"github.com/uringkit/uring/ring"
	"github.com/uringkit/uring/uringos"
	"golang.org/x/sys/unix"
)

// fdOpen reports whether fd is an open descriptor of this process that
// refers to the same file as st (so that a number reused by another file
// does not count).
func fdOpen(t *testing.T, fd int, st *unix.Stat_t) bool {
	t.Helper()
	var got unix.Stat_t
	if err := unix.Fstat(fd, &got); err != nil {
		if err != unix.EBADF {
			t.Fatalf("fstat(%d): %v", fd, err)
		}
		return false
	}
	return got.Dev == st.Dev && got.Ino == st.Ino
}

// TestCloseAfterLoopClosedReleasesFd: a File whose Loop was closed
// cannot close its descriptor through the ring, and IORING_OP_CLOSE is
// never submitted; Close must still release the descriptor (as os's Close
// always does), or every File left open when its Loop closes leaks one.
func TestCloseAfterLoopClosedReleasesFd(t *testing.T) {
	l, err := ring.NewLoop()
	if err != nil {
		t.Fatal(err)
	}
	name := filepath.Join(t.TempDir(), "f")
	if err := os.WriteFile(name, []byte("x"), 0o644); err != nil {
		t.Fatal(err)
	}
	f, err := uringos.On(l).Open(name)
	if err != nil {
		t.Fatal(err)
	}
	fd := int(f.Fd())
	var st unix.Stat_t
	if err := unix.Fstat(fd, &st); err != nil {
		t.Fatal(err)
	}
	if err := l.Close(); err != nil {
		t.Fatal(err)
	}
	cerr := f.Close()
	if fdOpen(t, fd, &st) {
		unix.Close(fd)
		t.Fatalf("Close on a closed Loop returned %v and left fd %d open", cerr, fd)
	}
	if cerr != nil {
		t.Errorf("Close on a closed Loop: %v, want nil (the descriptor was closed)", cerr)
	}
	if err := f.Close(); !errors.Is(err, os.ErrClosed) {
		t.Errorf("second Close: %v, want os.ErrClosed", err)
	}
	if _, err := f.Read(make([]byte, 1)); !errors.Is(err, os.ErrClosed) {
		t.Errorf("Read after Close: %v, want os.ErrClosed", err)
	}
}

// TestCloseRacingLoopClose: a File with a Read blocked on an empty pipe
// is closed while its Loop closes. Both Closes return, the Read ends,
// and the descriptor is released whichever Close wins.
func TestCloseRacingLoopClose(t *testing.T) {
	for range 20 {
		l, err := ring.NewLoop()
		if err != nil {
			t.Fatal(err)
		}
		var p [2]int
		if err := unix.Pipe2(p[:], unix.O_CLOEXEC); err != nil {
			t.Fatal(err)
		}
		var st unix.Stat_t
		if err := unix.Fstat(p[0], &st); err != nil {
			t.Fatal(err)
		}
		f := uringos.On(l).NewFile(uintptr(p[0]), "pipe")
		readErr := make(chan error, 1)
		go func() {
			_, err := f.Read(make([]byte, 8))
			readErr <- err
		}()
		for l.Stats().InFlight == 0 {
			time.Sleep(100 * time.Microsecond)
		}
		loopDone := make(chan error, 1)
		go func() { loopDone <- l.Close() }()
		closeDone := make(chan error, 1)
		go func() { closeDone <- f.Close() }()
		timeout := time.After(5 * time.Second)
		for _, ch := range []chan error{loopDone, closeDone, readErr} {
			select {
			case <-ch:
			case <-timeout:
				t.Fatal("hang: Loop.Close, File.Close or the Read did not return")
			}
		}
		if fdOpen(t, p[0], &st) {
			t.Fatalf("pipe's read end (fd %d) still open after File.Close", p[0])
		}
		unix.Close(p[1])
	}
}
