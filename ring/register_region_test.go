//go:build linux

package ring_test

import (
	"errors"
	"syscall"
	"testing"
	"time"

	"golang.org/x/sys/unix"

	"github.com/uringkit/uring/ring"
)

// A wait through a registered wait slot (EXT_ARG_REG) uses the slot's
// timeout: with nothing to complete it ends in ETIME; with a NOP
// submitted by the same call it returns at once.
func TestRegisterWaitRegion(t *testing.T) {
	r := newTestRing(t, 8, ring.WithDisabled())
	slots, err := r.RegisterWaitRegion(2)
	if err != nil {
		t.Fatal(err)
	}
	if len(slots) < 2 {
		t.Fatalf("%d slots, want at least 2", len(slots))
	}
	slots[1] = ring.RegWait{Ts: ring.Timespec{Nsec: int64(5 * time.Millisecond)}, Flags: ring.RegWaitTS}
	if err := r.Enable(); err != nil {
		t.Fatal(err)
	}
	_, err = r.SubmitAndWaitReg(1, 1)
	var se *ring.SyscallError
	if !errors.As(err, &se) || !errors.Is(err, syscall.ETIME) {
		t.Fatalf("wait with a 5ms slot timeout: %v, want ETIME", err)
	}
	nop(9)(r.GetSQE())
	if n, err := r.SubmitAndWaitReg(1, 1); err != nil || n != 1 {
		t.Fatalf("SubmitAndWaitReg with a NOP = %d, %v", n, err)
	}
	diff(t, "NOP", reap(t, r, 1), []ring.CQE{cqe(9, 0)})
	_, err = r.SubmitAndWaitReg(1, len(slots))
	wantArgErr(t, r, err)
}

func TestRegisterMemRegionRules(t *testing.T) {
	// REG_WAIT_ARG only before the ring is enabled (verified on 6.18).
	r := newTestRing(t, 4)
	_, err := r.RegisterWaitRegion(1)
	wantSyscallErr(t, err, ring.RegisterMemRegion, syscall.EINVAL)
	_, err = r.SubmitAndWaitReg(1, 0)
	wantArgErr(t, r, err)

	// One region per ring.
	d := newTestRing(t, 4, ring.WithDisabled())
	if _, err := d.RegisterWaitRegion(1); err != nil {
		t.Fatal(err)
	}
	page, err := unix.Mmap(-1, 0, unix.Getpagesize(), unix.PROT_READ|unix.PROT_WRITE, unix.MAP_PRIVATE|unix.MAP_ANONYMOUS)
	if err != nil {
		t.Fatal(err)
	}
	defer unix.Munmap(page)
	wantSyscallErr(t, d.RegisterMemRegion(page, 0), ring.RegisterMemRegion, syscall.EBUSY)

	wantArgErr(t, r, r.RegisterMemRegion(nil, 0))
	wantArgErr(t, r, r.RegisterMemRegion(page[1:], 0))
	_, err = r.RegisterWaitRegion(0)
	wantArgErr(t, r, err)
}
