//go:build linux

package ring_test

import (
	"encoding/binary"
	"syscall"
	"testing"

	"golang.org/x/sys/unix"

	"github.com/uringkit/uring/ring"
)

func newEventfd(t *testing.T) int {
	t.Helper()
	fd, err := unix.Eventfd(0, unix.EFD_NONBLOCK|unix.EFD_CLOEXEC)
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { unix.Close(fd) })
	return fd
}

// eventfdCount reads (and resets) the eventfd counter; 0 when it was not
// signalled (EAGAIN).
func eventfdCount(t *testing.T, fd int) uint64 {
	t.Helper()
	var b [8]byte
	_, err := unix.Read(fd, b[:])
	if err == unix.EAGAIN {
		return 0
	}
	if err != nil {
		t.Fatal(err)
	}
	return binary.NativeEndian.Uint64(b[:])
}

func TestRegisterEventfd(t *testing.T) {
	r := newTestRing(t, 8)
	efd := newEventfd(t)
	if err := r.RegisterEventfd(efd); err != nil {
		t.Fatal(err)
	}
	diff(t, "NOP", submitOne(t, r, nop(1)), cqe(1, 0))
	diff(t, "eventfd count after one CQE", eventfdCount(t, efd), uint64(1))

	// IORING_CQ_EVENTFD_DISABLED suppresses the signal.
	r.SetCQFlags(ring.CQEventfdDisabled)
	diff(t, "NOP", submitOne(t, r, nop(2)), cqe(2, 0))
	diff(t, "eventfd count while disabled", eventfdCount(t, efd), uint64(0))
	r.SetCQFlags(0)
	diff(t, "NOP", submitOne(t, r, nop(3)), cqe(3, 0))
	diff(t, "eventfd count re-enabled", eventfdCount(t, efd), uint64(1))

	wantSyscallErr(t, r.RegisterEventfd(efd), ring.RegisterEventfd, syscall.EBUSY)
	if err := r.UnregisterEventfd(); err != nil {
		t.Fatal(err)
	}
	diff(t, "NOP", submitOne(t, r, nop(4)), cqe(4, 0))
	diff(t, "eventfd count after unregister", eventfdCount(t, efd), uint64(0))
	wantSyscallErr(t, r.UnregisterEventfd(), ring.UnregisterEventfd, syscall.ENXIO)
	wantArgErr(t, r, r.RegisterEventfd(-1))
}

// EVENTFD_ASYNC signals only for completions that were not posted inline
// at submission: a NOP completes inline, a NOP forced to io-wq
// (IOSQE_ASYNC) does not.
func TestRegisterEventfdAsync(t *testing.T) {
	r := newTestRing(t, 8)
	efd := newEventfd(t)
	if err := r.RegisterEventfdAsync(efd); err != nil {
		t.Fatal(err)
	}
	diff(t, "inline NOP", submitOne(t, r, nop(1)), cqe(1, 0))
	diff(t, "eventfd count after inline NOP", eventfdCount(t, efd), uint64(0))
	async := func(s *ring.SQE) { nop(2)(s); s.Flags = ring.SQEAsync }
	diff(t, "io-wq NOP", submitOne(t, r, async), cqe(2, 0))
	diff(t, "eventfd count after io-wq NOP", eventfdCount(t, efd), uint64(1))
}
