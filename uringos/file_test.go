package uringos_test

import (
	"errors"
	"io"
	"io/fs"
	"os"
	"syscall"
	"testing"

	"github.com/google/go-cmp/cmp"
	"github.com/uringkit/uring/ring"
	"github.com/uringkit/uring/uringos"
)

// TestCloseWaitsForInFlightRead: Close on a File whose Read is blocked
// (an empty pipe) returns only after that Read has returned, and the Read
// gets its data; later calls fail with os.ErrClosed.
func TestCloseWaitsForInFlightRead(t *testing.T) {
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
	f := uringos.NewFile(uintptr(rfd), "pipe")
	type result struct {
		N    int
		Data string
		Err  error
	}
	events := make(chan string, 3)
	readDone := make(chan result, 1)
	started := make(chan struct{})
	go func() {
		b := make([]byte, 16)
		close(started)
		n, err := f.Read(b)
		events <- "read returned"
		readDone <- result{n, string(b[:n]), err}
	}()
	<-started
	closeDone := make(chan error, 1)
	go func() {
		// Close may begin before or after Read registered; either way the
		// Read must not see a closed descriptor.
		err := f.Close()
		events <- "close returned"
		closeDone <- err
	}()
	if _, err := w.Write([]byte("hello")); err != nil {
		t.Fatal(err)
	}
	res := <-readDone
	cerr := <-closeDone
	first := <-events
	if res.Err != nil && errors.Is(res.Err, os.ErrClosed) {
		// Close won the race before Read registered: Read was refused, not cut off.
		t.Logf("Close began before Read: Read refused with %v", res.Err)
	} else {
		if diff := cmp.Diff(result{5, "hello", nil}, res, cmp.Comparer(func(a, b error) bool { return a == b })); diff != "" {
			t.Errorf("Read (-want +got):\n%s", diff)
		}
		if first != "read returned" {
			t.Errorf("Close returned before the Read in flight")
		}
	}
	if cerr != nil {
		t.Errorf("Close: %v", cerr)
	}
	if _, err := f.Read(make([]byte, 1)); !errors.Is(err, os.ErrClosed) {
		t.Errorf("Read after Close: %v, want os.ErrClosed", err)
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
