package ring

import (
	"syscall"
	"time"
	"unsafe"
)

// When to enter the kernel (liburing's queue.c policy, in one place):
//   - submit: only when there are SQEs to hand over, and under SQPOLL only
//     when the poller sleeps (IORING_SQ_NEED_WAKEUP, read after the tail
//     store) or the SQ is full (SQWait);
//   - GETEVENTS: when waiting, when the kernel holds overflowed CQEs or
//     task work (IORING_SQ_CQ_OVERFLOW / IORING_SQ_TASKRUN), and on every
//     enter of a DEFER_TASKRUN ring, whose completions post only then;
//   - a wait is split from its submission: the SQEs go in with an enter
//     that cannot sleep (RawSyscall6, no scheduler round trip), and only if
//     the CQ then holds fewer than the wanted CQEs does a second, blocking
//     enter (Syscall6) wait. Requests that complete inline (NOP, cached
//     reads, most sockets with data ready) then cost one cheap syscall, and
//     a wait that really sleeps pays about 180 ns more on a path that costs
//     microseconds (../shared/bench/README.md, syscall floor). A raw enter
//     keeps its P for the whole call: it never sleeps, but it runs the
//     requests' inline (non-blocking) attempts, so a batch of large
//     page-cache writes holds the P while the kernel copies.
//
// EINTR is retried (with the time that remains, for timed waits); EBUSY and
// EAGAIN come back as ErrBusy and ErrAgain; everything else is a
// *SyscallError wrapping the errno.

// Submit hands the SQEs filled since the last Submit to the kernel and
// returns how many it consumed (under SQPOLL: how many were published to
// the poller). It does not wait.
func (r *Ring) Submit() (int, error) {
	return r.submit(0, false)
}

// SubmitAndWait submits like Submit, then waits until at least waitNr CQ
// slots are filled (at most the CQ size: a larger waitNr waits for a full
// CQ). It returns how many SQEs were submitted.
func (r *Ring) SubmitAndWait(waitNr uint32) (int, error) {
	return r.submit(waitNr, false)
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
	published, pending := r.flushSQ()
	sqpoll := r.flags&SetupSQPoll != 0
	submitted := 0
	flags := r.enterFlags
	var toSubmit uint32
	enter := false
	if sqpoll {
		// The poller submits; enter only to wake it. The atomic tail store
		// in flushSQ orders before this NEED_WAKEUP load.
		submitted = int(published)
		if pending > 0 && r.sqFlags()&SQNeedWakeup != 0 {
			flags |= EnterSQWakeup
			enter = true
		}
	} else if pending > 0 {
		toSubmit, enter = pending, true
	}
	if getEvents || r.cqNeedsFlush() || (enter && r.flags&SetupDeferTaskrun != 0) {
		flags |= EnterGetEvents
		enter = true
	}
	if enter {
		for {
			n, errno := sysEnter(r.enterFd, toSubmit, 0, flags, nil, 0)
			if errno == syscall.EINTR {
				continue
			}
			if errno != 0 {
				return submitted, enterError(errno)
			}
			if !sqpoll {
				submitted = n
			}
			break
		}
	}
	if waitNr == 0 {
		return submitted, nil
	}
	return submitted, r.wait(waitNr)
}

// wait blocks in GETEVENTS until the CQ holds min(waitNr, CQ size) CQEs.
// The kernel returns EINTR when a signal cuts the wait short: retry.
func (r *Ring) wait(waitNr uint32) error {
	want := min(waitNr, r.cq.entries)
	for r.CQReady() < want {
		_, errno := sysEnter(r.enterFd, 0, want, r.enterFlags|EnterGetEvents, nil, 0)
		switch errno {
		case 0:
			return nil // the kernel's own count said enough
		case syscall.EINTR:
		default:
			return enterError(errno)
		}
	}
	return nil
}

// flushCQ enters with GETEVENTS only, submitting nothing and not waiting:
// overflowed CQEs move into the CQ and pending task work runs. Unlike
// GetEvents it leaves SQEs the caller is still filling unpublished.
func (r *Ring) flushCQ() error {
	for {
		_, errno := sysEnter(r.enterFd, 0, 0, r.enterFlags|EnterGetEvents, nil, 0)
		switch errno {
		case 0:
			return nil
		case syscall.EINTR:
		default:
			return enterError(errno)
		}
	}
}

// SQWait waits on an SQPOLL ring until the poller has consumed an SQE, so
// GetSQE has room again (IORING_ENTER_SQ_WAIT, 5.10). It wakes the poller
// if it sleeps. It returns at once if the SQ has room or the ring has no
// SQPOLL thread (then Submit frees the SQ).
func (r *Ring) SQWait() error {
	if r.closed {
		return ErrClosed
	}
	for r.flags&SetupSQPoll != 0 && r.SQSpace() == 0 {
		r.flushSQ()
		flags := r.enterFlags | EnterSQWait
		if r.sqFlags()&SQNeedWakeup != 0 {
			flags |= EnterSQWakeup
		}
		_, errno := sysEnter(r.enterFd, 0, 0, flags, nil, 0)
		if errno != 0 && errno != syscall.EINTR {
			return enterError(errno)
		}
	}
	return nil
}

// SubmitAndWaitTimeout submits, then waits until at least waitNr CQEs are
// in the CQ (at least 1, at most the CQ size) or timeout has passed,
// whichever comes first. Like the kernel, a wait that times out with fewer
// than waitNr CQEs but at least one returns nil; the error wraps
// syscall.ETIME only when the timeout passes with the CQ empty.
// minWait (FEAT_MIN_TIMEOUT, 6.12) makes the kernel return after minWait
// with whatever has completed once at least one CQE is there; 0 disables
// it. Needs FEAT_EXT_ARG (5.11). EINTR is retried with the time that
// remains.
func (r *Ring) SubmitAndWaitTimeout(waitNr uint32, timeout, minWait time.Duration) (int, error) {
	return r.waitTimeout(waitNr, timeout, minWait, true)
}

func (r *Ring) waitTimeout(waitNr uint32, timeout, minWait time.Duration, submit bool) (int, error) {
	if r.closed {
		return 0, ErrClosed
	}
	if r.params.Features&FeatExtArg == 0 {
		return 0, &NotSupportedError{What: "IORING_FEAT_EXT_ARG (wait with a timeout)", Kernel: KernelVersion{5, 11}}
	}
	if minWait > 0 && r.params.Features&FeatMinTimeout == 0 {
		return 0, &NotSupportedError{What: "IORING_FEAT_MIN_TIMEOUT", Kernel: KernelVersion{6, 12}}
	}
	want := min(max(waitNr, 1), r.cq.entries)
	deadline := time.Now().Add(timeout)
	sqpoll := r.flags&SetupSQPoll != 0
	submitted := 0
	for {
		flags := r.enterFlags | EnterGetEvents | EnterExtArg
		var toSubmit uint32
		if submit {
			published, pending := r.flushSQ()
			if sqpoll {
				submitted += int(published)
				if pending > 0 && r.sqFlags()&SQNeedWakeup != 0 {
					flags |= EnterSQWakeup
				}
			} else {
				toSubmit = pending
			}
		}
		left := max(time.Until(deadline), 0)
		r.ts = Timespec{Sec: int64(left / time.Second), Nsec: int64(left % time.Second)}
		r.arg = GeteventsArg{MinWaitUsec: uint32(minWait / time.Microsecond), Ts: ptrAddr(&r.ts)}
		n, errno := sysEnter(r.enterFd, toSubmit, want, flags, unsafe.Pointer(&r.arg), unsafe.Sizeof(r.arg))
		switch {
		case errno == syscall.EINTR:
		case errno != 0:
			return submitted, enterError(errno) // ETIME: the timeout passed
		case toSubmit == 0 || n == 0:
			return submitted, nil // the wait's own outcome: satisfied
		default:
			// The kernel returns the submit count, hiding the wait's ETIME
			// or EINTR: check the CQ and the clock ourselves.
			submitted += n
			if r.CQReady() >= want {
				return submitted, nil
			}
		}
		if !time.Now().Before(deadline) {
			if r.CQReady() > 0 {
				return submitted, nil // as the kernel does, below
			}
			return submitted, enterError(syscall.ETIME)
		}
	}
}

// WaitCQE returns the next CQE, waiting for one if the CQ is empty. It
// submits nothing.
func (r *Ring) WaitCQE() (*CQE, error) {
	for {
		c, err := r.PeekCQE()
		if c != nil || err != nil {
			return c, err
		}
		if err := r.wait(1); err != nil {
			return nil, err
		}
	}
}

// WaitCQETimeout is WaitCQE with a timeout; on timeout the error wraps
// syscall.ETIME. It submits nothing.
func (r *Ring) WaitCQETimeout(timeout time.Duration) (*CQE, error) {
	deadline := time.Now().Add(timeout)
	for {
		c, err := r.PeekCQE()
		if c != nil || err != nil {
			return c, err
		}
		if _, err := r.waitTimeout(1, time.Until(deadline), 0, false); err != nil {
			return nil, err
		}
	}
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
