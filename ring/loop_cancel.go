package ring

import (
	"context"
	"syscall"
	"time"
)

// The Loop's own SQEs carry user_data with internalTag set; bits 56-62 say
// which kind, and the dispatcher never looks them up in the slots. A
// cancel's low 56 bits name its target: slot index and the low 24 bits of
// the slot's generation.
const (
	udKindShift = 56
	udCancel    = internalTag | 1<<udKindShift // ASYNC_CANCEL of one request
	udCancelAll = internalTag | 2<<udKindShift // ASYNC_CANCEL_ANY|ALL, from Close
	udDoorbell  = internalTag | 3<<udKindShift // the owner's eventfd read
	// 4: udWake (loop_wake.go), the reaper's wake-up after a fatal error
	// 5: udPreempt (loop_wake.go), ends a stale kernel waiter's wait
	udCancelLink = internalTag | 6<<udKindShift // ASYNC_CANCEL of a chain's running member, not retried
	udKindMask   = internalTag | 0x7f<<udKindShift
	udTargetGen  = 1<<genBits - 1 // a slot's generation bits in user_data (loop_slots.go)
)

// cancel sends IORING_OP_ASYNC_CANCEL for r's user_data. r's own terminal
// CQE is what resolves r; the cancel's CQE only matters when it is
// -EALREADY (see cancelCQE).
func (l *Loop) cancel(r *Request) {
	l.sendCancel(r.ud)
}

func (l *Loop) sendCancel(target uint64) {
	l.stats.cancels.Add(1)
	ud := udCancel | (target>>32&udTargetGen)<<32 | target&0xffffffff
	l.publishInternal(SQE{Opcode: OpAsyncCancel, Fd: -1, Addr: target, UserData: ud}, false)
}

// cancelCQE handles a cancel's CQE. -EALREADY means the kernel found the
// request running and could not stop it now: a blocking op in an io-wq
// worker (which is signalled and ends soon), or a timer whose expiry is
// running. -ENOENT means it did not find the request: it completed, or it
// is a multishot op between two shots (a multishot timeout is off the
// timer list while its expiry posts the CQE and re-arms it; measured on
// 6.18, about 1 cancel in 40 lands there and the ticker then runs on
// forever), or it is a linked request that has not started (it waits in
// its predecessor's link list, where ASYNC_CANCEL does not look). So while
// the target is still in flight, cancel again after cancelRetry. Runs on
// the dispatcher, which must not block on the internal credits it
// releases: the cancels are sent from a timer goroutine.
//
// A linked request that has not started cannot end before the members
// of its chain before it, and one of those may block forever (a read of
// an empty pipe). So for -ENOENT the member of the chain that runs now is
// cancelled too (udCancelLink, not retried itself): on a soft link that
// cancels the rest of the chain, the target included; on a hard link the
// next member starts, and the target's own retry stops it once it runs.
func (l *Loop) cancelCQE(c *CQE) {
	if (c.Res != -int32(syscall.EALREADY) && c.Res != -int32(syscall.ENOENT)) || c.UserData&udKindMask != udCancel {
		return
	}
	slot := uint32(c.UserData)
	if int(slot) >= len(l.slots.slots) {
		return
	}
	r := l.slots.slots[slot].req.Load()
	if r == nil || r.ud>>32&udTargetGen != c.UserData>>32&udTargetGen {
		return
	}
	target := r.ud
	var running uint64 // user_data of the chain member that runs, if ok
	ok := false
	if c.Res == -int32(syscall.ENOENT) && r.grp != nil {
		running, ok = runningBefore(r.grp, r.gi)
	}
	// The timer goroutine does not look the targets up again: a lookup
	// reads the Request's ud, which its owner rewrites when it submits the
	// Request anew (a data race the race detector found). A cancel for a
	// target that has ended meanwhile gets -ENOENT, and this function,
	// back on the dispatcher, finds its slot moved on and stops; user_data
	// carries the slot's generation, so it never names a later request.
	time.AfterFunc(cancelRetry, func() {
		if l.closing.Load() {
			return
		}
		if ok {
			l.stats.cancels.Add(1)
			l.publishInternal(SQE{Opcode: OpAsyncCancel, Fd: -1, Addr: running, UserData: udCancelLink}, false)
		}
		l.sendCancel(target)
	})
}

// runningBefore returns the user_data of the first unresolved member of
// member j's link chain before j, the one the kernel runs while j waits
// (links run in order); ok is false if there is none. A LINK_TIMEOUT is skipped:
// it is armed when the member it guards starts, and cancelling that
// member disarms it. Dispatcher only (the group record is its).
func runningBefore(g *group, j int) (ud uint64, ok bool) {
	m := g.m
	head := j
	for head > 0 && m[head-1].linked() {
		head--
	}
	for p := head; p < j; p++ {
		if !m[p].resolved && m[p].op != OpLinkTimeout {
			return m[p].ud, true
		}
	}
	return 0, false
}

// cancelAll cancels every request in the ring with one SQE
// (IORING_ASYNC_CANCEL_ANY|ALL, 5.19). Used by Close.
func (l *Loop) cancelAll() {
	l.stats.cancels.Add(1)
	l.publishInternal(SQE{Opcode: OpAsyncCancel, Fd: -1, OpFlags: CancelAll | CancelAny, UserData: udCancelAll}, true)
}

// publishInternal publishes one of the Loop's own SQEs. Each takes a
// credit of the reserve, so internal CQEs never push the CQ past its
// size either. closing lets Close's cancels through after the Loop
// stopped taking user SQEs. It must not be called by the owner goroutine,
// which could wait on itself for SQ room.
func (l *Loop) publishInternal(sqe SQE, closing bool) {
	if l.fatal.Load() != nil {
		return
	}
	if l.internal.acquire(context.Background(), 1) != nil {
		return
	}
	l.sqMu.Lock()
	if (l.closed.Load() && !closing) || l.sqGone || l.fatal.Load() != nil || !l.waitSQSpace(1) {
		l.sqMu.Unlock()
		l.internal.release(1)
		return
	}
	// Counted only once it will be published: an owner that has set
	// sqGone must never see intern rise again (it would wait for a CQE
	// that never comes). Still before the publication and the kick, as
	// the reaper's idle check needs.
	l.intern.Add(1)
	*l.ring.GetSQE() = sqe
	l.ring.flushSQ()
	l.published.Add(1)
	l.wakePoller()
	l.sqMu.Unlock()
	l.kick()
}
