package timeout

import (
	"context"
	"time"

	"github.com/uringkit/uring/ring"
)

// Clock is the clock a timer runs on (IORING_TIMEOUT_BOOTTIME /
// IORING_TIMEOUT_REALTIME, 5.15; monotonic is the default).
type Clock uint8

// The clocks a timer can use.
const (
	// Monotonic is CLOCK_MONOTONIC: does not jump, stops while suspended.
	Monotonic Clock = iota
	// Boottime is CLOCK_BOOTTIME: like Monotonic, but counts suspend.
	Boottime
	// Realtime is CLOCK_REALTIME: the wall clock, follows clock changes.
	Realtime
)

// String names the clock as the kernel does, e.g. "CLOCK_BOOTTIME".
func (c Clock) String() string {
	switch c {
	case Monotonic:
		return "CLOCK_MONOTONIC"
	case Boottime:
		return "CLOCK_BOOTTIME"
	case Realtime:
		return "CLOCK_REALTIME"
	}
	return "CLOCK(?)"
}

// flag returns the timeout_flags bit that selects the clock.
func (c Clock) flag() uint32 {
	switch c {
	case Boottime:
		return ring.TimeoutBoottime
	case Realtime:
		return ring.TimeoutRealtime
	}
	return 0
}

// Spec says when a timer fires: a relative duration or an absolute time on
// a clock. It is a plain value; the kernel-visible timespec is made from it
// when an operation is built (for a chain's linked timeout, when the chain
// is submitted).
type Spec struct {
	d     time.Duration // relative duration, or absolute time since the clock's epoch
	abs   bool          // IORING_TIMEOUT_ABS
	clock Clock
	etime bool // IORING_TIMEOUT_ETIME_SUCCESS (5.16)
}

// After is a relative timer: it fires d after the kernel arms it. A
// negative d counts as 0 (the kernel rejects a negative timespec).
func After(d time.Duration) Spec { return Spec{d: max(d, 0)} }

// At is an absolute timer on the wall clock (CLOCK_REALTIME with
// IORING_TIMEOUT_ABS): it fires when the system time reaches t.
func At(t time.Time) Spec { return Spec{d: time.Duration(t.UnixNano()), abs: true, clock: Realtime} }

// Abs is an absolute timer on clock c: it fires when c reads since. Read
// the clock with Now.
func Abs(c Clock, since time.Duration) Spec { return Spec{d: max(since, 0), abs: true, clock: c} }

// FromContext returns a relative timer for ctx's deadline, and false when
// ctx has none. The duration is measured now, so build the operation right
// before submitting it.
func FromContext(ctx context.Context) (Spec, bool) {
	dl, ok := ctx.Deadline()
	if !ok {
		return Spec{}, false
	}
	return After(time.Until(dl)), true
}

// On returns a copy of s that runs on clock c. For an absolute timer the
// time is then read on c.
func (s Spec) On(c Clock) Spec {
	s.clock = c
	return s
}

// ETimeSuccess returns a copy whose expiry does not break a soft link
// (IORING_TIMEOUT_ETIME_SUCCESS, 5.16): the CQE still says -ETIME, but the
// next linked operation runs. It only has that effect on a TIMEOUT that is
// itself a chain step; on a linked timeout the cancelled operation still
// fails and breaks the chain (docs/semantics.md, rows 7 and 9).
func (s Spec) ETimeSuccess() Spec {
	s.etime = true
	return s
}

// Duration returns the relative duration, or the absolute time on the clock.
func (s Spec) Duration() time.Duration { return s.d }

// Absolute reports whether the timer is absolute.
func (s Spec) Absolute() bool { return s.abs }

// Clock returns the timer's clock.
func (s Spec) Clock() Clock { return s.clock }

// Timespec returns the struct __kernel_timespec the kernel reads.
func (s Spec) Timespec() ring.Timespec {
	return ring.Timespec{Sec: int64(s.d / time.Second), Nsec: int64(s.d % time.Second)}
}

// Flags returns the timeout_flags for the SQE: ABS, the clock, ETIME_SUCCESS.
func (s Spec) Flags() uint32 {
	f := s.clock.flag()
	if s.abs {
		f |= ring.TimeoutAbs
	}
	if s.etime {
		f |= ring.TimeoutETimeSuccess
	}
	return f
}
