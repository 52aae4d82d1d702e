package ring

import "sync"

// Waking the shared mode's reaper after a fatal error. The reaper sleeps
// in io_uring_enter(GETEVENTS) while requests are in flight, and only a
// CQE on the ring ends that sleep. Once an enter has failed fatally
// (noteFatal) nothing more is submitted, so a reaper asleep then would
// wait for a CQE that may never come, and with it every waiter and Close
// (DESIGN.md invariant 7). The Loop therefore posts a CQE into its own
// ring from outside it: IORING_REGISTER_SEND_MSG_RING (6.13, a MSG_RING
// executed by io_uring_register with no source ring), or on older kernels
// IORING_OP_MSG_RING (5.18) from a one-entry ring made for the purpose.
// Neither goes through the broken ring's SQ or its enter. The kernel posts
// the message CQE and wakes the ring's CQ waiters at once (the target has
// no DEFER_TASKRUN in shared mode), and the CQE stays in the CQ until
// reaped, so a reaper that is only about to sleep returns at once too.
// Another goroutine may reap it first; then it posts it again if a holder
// is in or entering its wait, and a holder that has not entered yet sees
// fatal and does not sleep (holderFatal, loop_lead.go).
//
// The target is a private duplicate of the ring fd taken at setup: the
// error may mean the fd the Ring holds no longer names the ring (closed
// or replaced by a buggy caller: EBADF, EOPNOTSUPP), while the sleeping
// enter still holds the ring's file. It costs one fd per shared-mode
// Loop and nothing per request; a healthy Loop never sends the message,
// and its Close needs none (the cancel Close sends posts a CQE itself).

// udWake is the user_data of the wake-up CQE. The dispatcher ignores it.
const udWake = internalTag | 4<<udKindShift

// udPreempt is the user_data of the CQE that asks a stale holder of the
// kernel-waiter role to step down (loop_lead.go), posted the same way. The
// dispatcher ignores it too.
const udPreempt = internalTag | 5<<udKindShift

// wakeTarget is the duplicate ring fd the wake-up is sent to.
type wakeTarget struct {
	mu sync.Mutex // orders the send against closing the fd (no send to a reused fd)
	fd int
	ok bool // fd is open
}

// openWake duplicates the ring fd. Shared mode only, at setup.
func (l *Loop) openWake() error {
	fd, err := dupCloexec(l.ring.Fd())
	if err != nil {
		return err
	}
	l.wake.fd, l.wake.ok = fd, true
	return nil
}

// closeWake closes the duplicate. After it, wakeReaper does nothing.
func (l *Loop) closeWake() {
	l.wake.mu.Lock()
	defer l.wake.mu.Unlock()
	if l.wake.ok {
		closeFd(l.wake.fd)
		l.wake.ok = false
	}
}

// wakeReaper posts a udWake CQE on the ring without using its SQ. A
// failure is ignored: the ring is already broken, and the reaper then
// wakes on the next CQE as it did before.
func (l *Loop) wakeReaper() {
	l.wake.mu.Lock()
	defer l.wake.mu.Unlock()
	if !l.wake.ok {
		return
	}
	if sendMsgRing(l.wake.fd, 0, udWake, 0) == nil {
		return
	}
	_ = msgRingFromHelper(l.wake.fd, udWake)
}

// sendMsgRing is SendMsgRing; a variable so that a test can take the
// fallback path on a kernel that has IORING_REGISTER_SEND_MSG_RING.
var sendMsgRing = SendMsgRing

// msgRingFromHelper posts a CQE with user_data ud on the ring targetFd
// through IORING_OP_MSG_RING from a one-entry ring of its own, for
// kernels before 6.13. The helper ring lives only for this call.
func msgRingFromHelper(targetFd int, ud uint64) error {
	h, err := New(1)
	if err != nil {
		return err
	}
	defer h.Close()
	h.GetSQE().PrepMsgRing(int32(targetFd), 0, ud, 0)
	_, err = h.SubmitAndWait(1)
	return err
}
