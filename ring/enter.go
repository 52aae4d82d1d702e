package ring

import (
	"syscall"
	"time"
	"unsafe"
)

// When to enter the kernel (liburing's queue.c policy, in one place):
//   - submit: only when there are SQEs to hand over, and under SQPOLL only
//     when the poller sleeps (IORING_SQ_NEED_WAKEUP, read after the tail
//     store) or the SQ is full;
//   - GETEVENTS: when waiting, when the kernel holds overflowed CQEs or
//     task work (IORING_SQ_CQ_OVERFLOW / IORING_SQ_TASKRUN), and on every
//     enter of a DEFER_TASKRUN ring, whose completions post only then.
// EINTR is retried (with the time that remains, for timed waits); EBUSY and
// EAGAIN come back as ErrBusy and ErrAgain; everything else is a
// *SyscallError wrapping the errno.

// Submit hands the SQEs filled since the last Submit to the kernel and
// returns how many it consumed. It does not wait.
func (r *Ring) Submit() (int, error) {
	return r.submit(0, false)
}

// SubmitAndWait submits like Submit, then waits until at least waitNr CQEs
// are in the CQ. It returns how many SQEs were submitted.
func (r *Ring) SubmitAndWait(waitNr uint32) (int, error) {
	return r.submit(waitNr, waitNr > 0)
}

// GetEvents enters with GETEVENTS and nothing to wait for: it flushes
// overflowed CQEs into the CQ and runs pending task work (all a
// DEFER_TASKRUN ring's completions), and submits anything pending.
func (r *Ring) GetEvents() (int, error) {
	return r.submit(0, true)
}

func (r *Ring) submit(waitNr uint32, getEvents bool) (int, error) {
	if r.closed {
		return 0, ErrClosed
	}
	submitted := 0
	for {
		pending := r.flushSQ()
		flags := r.enterFlags
		enter := false
		if pending > 0 {
			if r.flags&SetupSQPoll == 0 {
				enter = true
			} else if r.sqFlags()&SQNeedWakeup != 0 {
				// The atomic tail store in flushSQ orders before this load.
				flags |= EnterSQWakeup
				enter = true
			}
		}
		if getEvents || waitNr > 0 || r.cqNeedsFlush() || (enter && r.flags&SetupDeferTaskrun != 0) {
			flags |= EnterGetEvents
			enter = true
		}
		if !enter {
			return submitted + int(pending), nil
		}
		toSubmit := pending
		if r.flags&SetupSQPoll != 0 {
			toSubmit = 0 // the poller submits; enter only wakes it or waits
		}
		n, errno := sysEnter(r.enterFd, toSubmit, waitNr, flags, nil, 0)
		if errno == syscall.EINTR {
			continue
		}
		if errno != 0 {
			return submitted, enterError(errno)
		}
		if r.flags&SetupSQPoll != 0 {
			n = int(pending)
		}
		submitted += n
		// A wait cut short after a submission (a signal) returns the count,
		// not EINTR: keep waiting until waitNr CQEs are there.
		if waitNr == 0 || r.CQReady() >= waitNr {
			return submitted, nil
		}
		getEvents = true
	}
}

// SubmitAndWaitTimeout submits, then waits until at least waitNr CQEs are
// in the CQ or timeout has passed, whichever comes first; on timeout the
// error wraps syscall.ETIME. minWait (FEAT_MIN_TIMEOUT, 6.12) makes the
// kernel return after minWait with whatever has completed once at least one
// CQE is there; 0 disables it. Needs FEAT_EXT_ARG (5.11). EINTR is retried
// with the time that remains.
func (r *Ring) SubmitAndWaitTimeout(waitNr uint32, timeout, minWait time.Duration) (int, error) {
	if r.closed {
		return 0, ErrClosed
	}
	if r.params.Features&FeatExtArg == 0 {
		return 0, &NotSupportedError{What: "IORING_FEAT_EXT_ARG (wait with a timeout)", Kernel: KernelVersion{5, 11}}
	}
	if minWait > 0 && r.params.Features&FeatMinTimeout == 0 {
		return 0, &NotSupportedError{What: "IORING_FEAT_MIN_TIMEOUT", Kernel: KernelVersion{6, 12}}
	}
	want := max(waitNr, 1)
	deadline := time.Now().Add(timeout)
	submitted := 0
	for {
		pending := r.flushSQ()
		flags := r.enterFlags | EnterGetEvents | EnterExtArg
		toSubmit := pending
		if r.flags&SetupSQPoll != 0 {
			toSubmit = 0
			if pending > 0 && r.sqFlags()&SQNeedWakeup != 0 {
				flags |= EnterSQWakeup
			}
		}
		left := max(time.Until(deadline), 0)
		r.ts = Timespec{Sec: int64(left / time.Second), Nsec: int64(left % time.Second)}
		r.arg = GeteventsArg{MinWaitUsec: uint32(minWait / time.Microsecond), Ts: ptrAddr(&r.ts)}
		n, errno := sysEnter(r.enterFd, toSubmit, want, flags, unsafe.Pointer(&r.arg), unsafe.Sizeof(r.arg))
		switch {
		case errno == syscall.EINTR:
		case errno != 0:
			return submitted, enterError(errno)
		case r.flags&SetupSQPoll != 0:
			submitted += int(pending)
		default:
			submitted += n
		}
		// The kernel returns the submit count, not ETIME or EINTR, when it
		// submitted something: check the CQ and the clock ourselves.
		if r.CQReady() >= want || (minWait > 0 && errno == 0) {
			return submitted, nil
		}
		if !time.Now().Before(deadline) {
			return submitted, enterError(syscall.ETIME)
		}
	}
}

// WaitCQE returns the next CQE, waiting for one if the CQ is empty.
func (r *Ring) WaitCQE() (*CQE, error) {
	for {
		c, err := r.PeekCQE()
		if c != nil || err != nil {
			return c, err
		}
		if _, err := r.submit(1, true); err != nil {
			return nil, err
		}
	}
}

// WaitCQETimeout is WaitCQE with a timeout; on timeout the error wraps
// syscall.ETIME.
func (r *Ring) WaitCQETimeout(timeout time.Duration) (*CQE, error) {
	c, err := r.PeekCQE()
	if c != nil || err != nil {
		return c, err
	}
	if _, err := r.SubmitAndWaitTimeout(1, timeout, 0); err != nil {
		return nil, err
	}
	if c, err = r.PeekCQE(); c == nil && err == nil {
		err = enterError(syscall.ETIME)
	}
	return c, err
}

// enterError maps an io_uring_enter errno to the library's error.
func enterError(errno syscall.Errno) error {
	switch errno {
	case syscall.EBUSY:
		return ErrBusy
	case syscall.EAGAIN:
		return ErrAgain
	}
	return &SyscallError{Call: "io_uring_enter", Err: errno}
}
