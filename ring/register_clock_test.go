//go:build linux

package ring_test

import (
	"syscall"
	"testing"
	"time"

	"github.com/uringkit/uring/ring"
)

func TestRegisterClock(t *testing.T) {
	r := newTestRing(t, 8)
	for _, c := range []ring.ClockID{ring.ClockBoottime, ring.ClockMonotonic} {
		if err := r.RegisterClock(c); err != nil {
			t.Fatalf("RegisterClock(%d): %v", c, err)
		}
		// Waits keep timing out normally on the chosen clock.
		if _, err := r.WaitCQETimeout(time.Millisecond); !errorsIsETIME(err) {
			t.Fatalf("wait on clock %d: %v, want ETIME", c, err)
		}
	}
	wantSyscallErr(t, r.RegisterClock(ring.ClockRealtime), ring.RegisterClock, syscall.EINVAL)
}

func errorsIsETIME(err error) bool {
	se, ok := err.(*ring.SyscallError)
	return ok && se.Err == syscall.ETIME
}
