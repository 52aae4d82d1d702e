package ring

import "context"

// The Loop's own SQEs carry user_data with internalTag set; the low bits
// say which kind, and the dispatcher never looks them up in the slots.
const (
	udCancel    = internalTag | 1 // ASYNC_CANCEL of one request
	udCancelAll = internalTag | 2 // ASYNC_CANCEL_ANY|ALL, from Close
	udDoorbell  = internalTag | 3 // the owner's eventfd read
)

// cancel sends IORING_OP_ASYNC_CANCEL for r's user_data. Its CQE (0,
// -ENOENT or -EALREADY) is only counted: r's own terminal CQE is what
// resolves r.
func (l *Loop) cancel(r *Request) {
	l.stats.cancels.Add(1)
	l.publishInternal(SQE{Opcode: OpAsyncCancel, Fd: -1, Addr: r.ud, UserData: udCancel}, false)
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
	l.intern.Add(1)
	l.sqMu.Lock()
	if (l.closed && !closing) || l.fatal.Load() != nil || !l.waitSQSpace(1) {
		l.sqMu.Unlock()
		l.intern.Add(-1)
		l.internal.release(1)
		return
	}
	*l.ring.GetSQE() = sqe
	l.ring.flushSQ()
	l.published.Add(1)
	l.sqMu.Unlock()
	l.kick()
}
