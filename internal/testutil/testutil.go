// Package testutil holds the helpers that the tests of several packages
// of the module share: counting descriptors, waiting for a goroutine to
// block in a given function, filling a Loop, breaking its ring and
// reserving address space.
package testutil

import (
	"context"
	"math"
	"os"
	"runtime"
	"strconv"
	"strings"
	"testing"
	"time"

	"github.com/uringkit/uring/ring"
	"golang.org/x/sys/unix"
)

// OpenFds counts the process's open descriptors (/proc/self/fd).
func OpenFds(t testing.TB) int {
	t.Helper()
	ents, err := os.ReadDir("/proc/self/fd")
	if err != nil {
		t.Fatal(err)
	}
	return len(ents) - 1 // the directory's own descriptor
}

// WaitForStack waits (up to 30 s, else it fails t) until one goroutine's
// stack holds every one of frames, such as "ring.(*Request).Wait": the
// goroutine then blocks there. what names the wait in the failure.
func WaitForStack(t testing.TB, what string, frames ...string) {
	t.Helper()
	WaitForStacks(t, what, 1, frames...)
}

// WaitForStacks is WaitForStack for n goroutines at once.
func WaitForStacks(t testing.TB, what string, n int, frames ...string) {
	t.Helper()
	for deadline := time.Now().Add(30 * time.Second); ; time.Sleep(time.Millisecond) {
		buf := make([]byte, 1<<20)
		buf = buf[:runtime.Stack(buf, true)]
		found := 0
		for _, g := range strings.Split(string(buf), "\n\n") {
			if containsAll(g, frames) {
				found++
			}
		}
		if found >= n {
			return
		}
		if time.Now().After(deadline) {
			t.Fatalf("%s: %d goroutines reached %v, want %d", what, found, frames, n)
		}
	}
}

func containsAll(s string, subs []string) bool {
	for _, sub := range subs {
		if !strings.Contains(s, sub) {
			return false
		}
	}
	return true
}

// BreakLoop puts /dev/null in place of l's ring descriptor (dup2), so
// that every io_uring_enter of l fails with EOPNOTSUPP: the Loop's fatal
// error path, which the kernel does not otherwise reach on demand.
func BreakLoop(t testing.TB, l *ring.Loop) {
	t.Helper()
	devNull, err := os.Open(os.DevNull)
	if err != nil {
		t.Fatal(err)
	}
	defer devNull.Close()
	if err := l.Do(func(r *ring.Ring) error { return unix.Dup2(int(devNull.Fd()), r.Fd()) }); err != nil {
		t.Fatal(err)
	}
}

// EndedContext is a context that has ended and the errors that its end
// matches with errors.Is.
type EndedContext struct {
	Name string
	Ctx  context.Context
	Want []error
}

// EndedContexts returns a cancelled context and one whose deadline has
// passed (which also matches os.ErrDeadlineExceeded in this module).
func EndedContexts(t testing.TB) []EndedContext {
	cancelled, cancel := context.WithCancel(context.Background())
	cancel()
	passed, cancel2 := context.WithDeadline(context.Background(), time.Now().Add(-time.Second))
	t.Cleanup(cancel2)
	return []EndedContext{
		{"cancelled", cancelled, []error{context.Canceled}},
		{"deadline passed", passed, []error{context.DeadlineExceeded, os.ErrDeadlineExceeded}},
	}
}

// Pipe returns a pipe's read and write ends, closed at cleanup.
func Pipe(t testing.TB) (r, w *os.File) {
	t.Helper()
	r, w, err := os.Pipe()
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { r.Close(); w.Close() })
	return r, w
}

// FillLoop takes every admission credit of l with a 1-byte read of an
// empty pipe, so that the next Submit waits for room. It returns the
// reads and the pipe's write end (both ends are closed at cleanup):
// writing len(reads) bytes completes them all.
func FillLoop(t testing.TB, l *ring.Loop) (reads []*ring.Request, w *os.File) {
	t.Helper()
	pr, pw := Pipe(t)
	for range l.Stats().Capacity {
		r := ring.NewRequest()
		r.Buf = make([]byte, 1)
		r.SQE.PrepRead(int32(pr.Fd()), r.Buf, -1)
		if err := l.Submit(context.Background(), r); err != nil {
			t.Fatalf("filling the Loop: read %d: %v", len(reads), err)
		}
		reads = append(reads, r)
	}
	return reads, pw
}

// Reserve returns n bytes of address space (mmap, PROT_NONE, no swap
// reserved), unmapped at cleanup: a slice longer than memory, for tests of
// lengths over 4 GiB. It skips t where int has 32 bits.
func Reserve(t testing.TB, n uint64) []byte {
	t.Helper()
	if strconv.IntSize < 64 || n > math.MaxInt {
		t.Skip("a slice of more than 4 GiB needs a 64-bit int")
	}
	m, err := unix.Mmap(-1, 0, int(n), unix.PROT_NONE, unix.MAP_PRIVATE|unix.MAP_ANONYMOUS|unix.MAP_NORESERVE)
	if err != nil {
		t.Fatalf("reserving %d bytes of address space: %v", n, err)
	}
	t.Cleanup(func() { unix.Munmap(m) })
	return m
}
