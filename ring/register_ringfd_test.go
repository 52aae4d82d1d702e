//go:build linux

package ring_test

import (
	"runtime"
	"syscall"
	"testing"

	"golang.org/x/sys/unix"

	"github.com/uringkit/uring/ring"
)

// rawEnterRegistered calls io_uring_enter on a registered ring index.
func rawEnterRegistered(idx int) syscall.Errno {
	_, _, e := unix.Syscall6(unix.SYS_IO_URING_ENTER, uintptr(idx), 0, 0, uintptr(ring.EnterRegisteredRing), 0, 0)
	return e
}

// The registered index names the ring in io_uring_enter for this thread,
// and stops naming it after UnregisterRingFd.
func TestRegisterRingFd(t *testing.T) {
	runtime.LockOSThread()
	defer runtime.UnlockOSThread()
	r := newTestRing(t, 8)
	idx, err := r.RegisterRingFd()
	if err != nil {
		t.Fatal(err)
	}
	if again, err := r.RegisterRingFd(); err != nil || again != idx {
		t.Fatalf("second RegisterRingFd = %d, %v; want %d", again, err, idx)
	}
	if e := rawEnterRegistered(idx); e != 0 {
		t.Fatalf("enter through index %d: %v", idx, e)
	}
	// Submit and register now go through the index.
	diff(t, "NOP", submitOne(t, r, nop(1)), cqe(1, 0))
	if _, err := r.Probe(); err != nil {
		t.Fatalf("Probe through the registered index: %v", err)
	}
	if err := r.UnregisterRingFd(); err != nil {
		t.Fatal(err)
	}
	if e := rawEnterRegistered(idx); e != syscall.EBADF {
		t.Fatalf("enter through index %d after unregister: %v, want EBADF", idx, e)
	}
	diff(t, "NOP after unregister", submitOne(t, r, nop(2)), cqe(2, 0))
}
