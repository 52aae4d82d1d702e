//go:build linux

package ring_test

import (
	"errors"
	"os"
	"path/filepath"
	"sort"
	"sync/atomic"
	"syscall"
	"testing"
	"time"
	"unsafe"

	"github.com/google/go-cmp/cmp"
	"golang.org/x/sys/unix"

	"github.com/uringkit/uring/ring"
)

// Helpers shared by the register tests. They fill SQEs field by field so
// the register tests depend on nothing but the raw SQE layout.

func newTestRing(t *testing.T, entries uint32, opts ...ring.Option) *ring.Ring {
	t.Helper()
	r, err := ring.New(entries, opts...)
	if err != nil {
		t.Fatalf("ring.New: %v", err)
	}
	t.Cleanup(func() { r.Close() })
	return r
}

// reap waits for n CQEs and returns copies of them sorted by user_data.
func reap(t *testing.T, r *ring.Ring, n int) []ring.CQE {
	t.Helper()
	out := make([]ring.CQE, 0, n)
	for len(out) < n {
		c, err := r.WaitCQETimeout(10 * time.Second)
		if err != nil {
			t.Fatalf("waiting for CQE %d of %d: %v", len(out)+1, n, err)
		}
		out = append(out, *c)
		r.CQESeen(c)
	}
	sort.Slice(out, func(i, j int) bool { return out[i].UserData < out[j].UserData })
	return out
}

// submitOne submits the SQE prep fills and returns its CQE.
func submitOne(t *testing.T, r *ring.Ring, prep func(*ring.SQE)) ring.CQE {
	t.Helper()
	s := r.GetSQE()
	if s == nil {
		t.Fatal("SQ full")
	}
	prep(s)
	if _, err := r.Submit(); err != nil {
		t.Fatalf("submit: %v", err)
	}
	return reap(t, r, 1)[0]
}

// noCQE asserts that the CQ holds nothing after the kernel ran its work.
func noCQE(t *testing.T, r *ring.Ring) {
	t.Helper()
	if _, err := r.GetEvents(); err != nil {
		t.Fatalf("GetEvents: %v", err)
	}
	if c, err := r.PeekCQE(); c != nil || err != nil {
		t.Fatalf("unexpected CQE %+v (err %v)", c, err)
	}
}

func nop(ud uint64) func(*ring.SQE) {
	return func(s *ring.SQE) { *s = ring.SQE{Opcode: ring.OpNop, UserData: ud} }
}

// readSQE is IORING_OP_READ of len(buf) bytes at offset off.
func readSQE(fd int, buf []byte, off uint64, ud uint64) func(*ring.SQE) {
	return func(s *ring.SQE) {
		*s = ring.SQE{Opcode: ring.OpRead, Fd: int32(fd), Addr: addr(buf), Len: uint32(len(buf)), Off: off, UserData: ud}
	}
}

// addr is the address of b's first byte. Storing the pointer forces b to
// the heap: a stack buffer whose address travels as an integer could move.
func addr(b []byte) uint64 {
	p := unsafe.SliceData(b)
	escaped.Store(p)
	return uint64(uintptr(unsafe.Pointer(p)))
}

var escaped atomic.Pointer[byte]

// tempFile creates a file holding content and returns its path and an
// open read-only fd.
func tempFile(t *testing.T, content string) (string, int) {
	t.Helper()
	path := filepath.Join(t.TempDir(), "data")
	if err := os.WriteFile(path, []byte(content), 0o644); err != nil {
		t.Fatal(err)
	}
	fd, err := unix.Open(path, unix.O_RDONLY|unix.O_CLOEXEC, 0)
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { unix.Close(fd) })
	return path, fd
}

// wantSyscallErr asserts err is a *SyscallError naming op with errno want.
func wantSyscallErr(t *testing.T, err error, op ring.RegisterOp, want syscall.Errno) {
	t.Helper()
	var se *ring.SyscallError
	if !errors.As(err, &se) || !errors.Is(err, want) {
		t.Fatalf("got %v, want *SyscallError with %v", err, want)
	}
	if call := "io_uring_register(" + op.String() + ")"; se.Call != call {
		t.Fatalf("error names %q, want %q", se.Call, call)
	}
}

// wantArgErr asserts err is an *ArgError (bad input refused before the
// syscall) and that the ring still works.
func wantArgErr(t *testing.T, r *ring.Ring, err error) {
	t.Helper()
	var ae *ring.ArgError
	if !errors.As(err, &ae) || !errors.Is(err, ring.ErrInvalidArgument) || !errors.Is(err, syscall.EINVAL) {
		t.Fatalf("got %v, want *ArgError", err)
	}
	if got := submitOne(t, r, nop(0xa11e)); got != (ring.CQE{UserData: 0xa11e}) {
		t.Fatalf("ring unusable after bad input: NOP gave %+v", got)
	}
}

func diff(t *testing.T, what string, got, want any) {
	t.Helper()
	if d := cmp.Diff(want, got); d != "" {
		t.Fatalf("%s (-want +got):\n%s", what, d)
	}
}

// cqe is the CQE a request with user_data ud and result res posts.
func cqe(ud uint64, res int32) ring.CQE { return ring.CQE{UserData: ud, Res: res} }

func errno(e syscall.Errno) int32 { return -int32(e) }
