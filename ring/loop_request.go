package ring

import (
	"context"
	"errors"
	"runtime"
	"sync"
	"sync/atomic"
)

// Request is one SQE handed to a Loop, owned by the Loop from Submit until
// its terminal CQE: the first CQE without IORING_CQE_F_MORE (one CQE for
// most opcodes; the last one of a multishot op; the NOTIF CQE of a
// zero-copy send). Until then the Loop keeps the Request, and so Keep,
// Buf and every pinned object, reachable, even after a cancel; the kernel
// may read or write that memory until the terminal CQE.
//
// Requests are reusable: after Wait (or Next) has returned the terminal
// result, the same Request may be prepared and submitted again, or given
// back to the pool with Release.
type Request struct {
	// SQE is prepared by the caller with the Prep methods. Submit copies it
	// into the ring; its UserData is overwritten by the Loop.
	SQE SQE
	// Keep holds what the kernel reads or writes through addresses in SQE
	// (iovecs, timespecs, sockaddrs, paths, structs) until the terminal CQE.
	Keep any
	// Buf is a data buffer the kernel reads or writes, kept like Keep; a
	// slice here costs no allocation, where a slice stored in Keep does.
	Buf []byte

	loop  *Loop
	ud    uint64 // user_data while in flight (slotTable)
	seq   uint64 // the Loop's publish sequence number that covers this SQE
	state atomic.Uint32
	// Group bookkeeping, written by Submit before the slot is bound and
	// read only by the dispatcher (see loop_group.go).
	grp  *group
	gi   int
	cseq uint64 // the Loop's resolution count when this one resolved

	cancelled atomic.Bool // an ASYNC_CANCEL was sent (or queued) for it
	ctxErr    error       // set by Wait/Next when the context ended first

	// The terminal CQE of a request that had no CQE before it (every
	// single-CQE op) is handed over without the mutex: the dispatcher
	// writes res, then sets fast. queued is the dispatcher's own record
	// that a CQE went to q first (multishot, zero-copy), after which the
	// terminal one follows it there, in order.
	fast   atomic.Bool
	res    CQE
	queued bool

	mu     sync.Mutex
	q      []CQE // CQEs delivered and not yet taken by Wait/Next
	qh     int
	term   bool        // the terminal CQE is in q (or err is set)
	err    error       // Loop-level failure (ErrCQEsDropped, ErrClosed)
	posted atomic.Bool // under mu: q or term changed since Wait last looked
	wake   chan struct{}
	// sleeping is set while the waiter is about to block on wake or
	// blocked there: deliver hands over the only CQE (fast) with a wake-up
	// only then (Dekker pair with park: the waiter stores sleeping then
	// loads fast, the dispatcher stores fast then loads sleeping). A waiter
	// that is running, such as one that yielded for the flusher, finds its
	// result without the channel's locked operations. When both sides see
	// each other's store, the waiter skips the receive and the wake-up
	// stays in wake: reset drains it.
	sleeping atomic.Bool

	pinner runtime.Pinner
	pinned bool
}

const (
	reqIdle     = iota // never submitted, or Released
	reqInFlight        // owned by the Loop
	reqDone            // terminal result delivered to the Request
)

var requestPool = sync.Pool{New: func() any { return newRequest() }}

func newRequest() *Request {
	return &Request{wake: make(chan struct{}, 1), q: make([]CQE, 0, 1)}
}

// NewRequest returns a Request from the pool, with a zeroed SQE. Give it
// back with Release once its result has been read; a steady stream of
// NewRequest/Submit/Wait/Release then allocates nothing.
func NewRequest() *Request {
	return requestPool.Get().(*Request)
}

// Release gives a finished Request back to the pool and drops its
// references (Keep, Buf). It does nothing while the Request is in flight:
// the Loop still owns it then.
func (r *Request) Release() {
	if r.state.Load() == reqInFlight {
		return
	}
	r.reset()
	r.SQE = SQE{}
	r.Keep, r.Buf = nil, nil
	r.loop = nil
	r.state.Store(reqIdle)
	requestPool.Put(r)
}

// Pin pins p (a pointer) with a runtime.Pinner until the terminal CQE, for
// Go pointers stored inside kernel-visible structs (an iovec's base, a
// msghdr's iov). Call it before Submit.
func (r *Request) Pin(p any) {
	r.pinner.Pin(p)
	r.pinned = true
}

// reset clears per-submission state; called by Submit and Release, when
// the Request is not in flight: no dispatcher touches it (its last
// delivery happened before the waiter took the terminal result, and the
// state change that followed orders it before this).
func (r *Request) reset() {
	// Atomic stores are locked instructions on amd64: store only what
	// is set.
	r.grp, r.gi = nil, 0
	if r.cancelled.Load() {
		r.cancelled.Store(false)
	}
	r.ctxErr = nil
	if r.fast.Load() {
		r.fast.Store(false)
	}
	r.res, r.queued = CQE{}, false
	if len(r.q) > 0 {
		clear(r.q)
	}
	r.q, r.qh, r.term, r.err = r.q[:0], 0, false, nil
	if r.posted.Load() {
		r.posted.Store(false)
	}
	select { // a wake-up left over from the previous use
	case <-r.wake:
	default:
	}
}

// deliver queues a CQE for the waiter; terminal marks the last one. Runs on
// the dispatcher; it never runs user code and never blocks.
func (r *Request) deliver(c CQE, terminal bool) {
	if terminal && !r.queued {
		r.res = c
		r.fast.Store(true)
		if r.sleeping.Load() {
			r.signal()
		}
		return
	}
	r.queued = true
	r.mu.Lock()
	r.q = append(r.q, c)
	r.term = terminal
	r.posted.Store(true)
	r.mu.Unlock()
	r.signal()
}

// unfast moves a terminal CQE handed over without the mutex into q, for
// Next, which returns the CQEs from q in order.
func (r *Request) unfast() {
	if !r.fast.Load() {
		return
	}
	r.mu.Lock()
	r.q = append(r.q, r.res)
	r.term = true
	r.posted.Store(true)
	r.fast.Store(false)
	r.mu.Unlock()
}

// fail resolves the Request with a Loop-level error and no further CQE.
func (r *Request) fail(err error) {
	r.mu.Lock()
	r.term, r.err = true, err
	r.posted.Store(true)
	r.mu.Unlock()
	r.signal()
}

func (r *Request) signal() {
	select {
	case r.wake <- struct{}{}:
	default:
	}
}

// finish marks the Request done after its terminal result was taken.
func (r *Request) finish() {
	if r.pinned {
		r.pinner.Unpin()
		r.pinned = false
	}
	if r.state.Load() == reqInFlight {
		r.loop.users.Add(-1)
	}
	r.state.Store(reqDone)
}

// Wait returns the Request's result: its terminal CQE, or, for a
// zero-copy send, the CQE that carries the send's result (the NOTIF CQE
// that follows it only says the buffer is free again; Wait still waits
// for it). Earlier CQEs of a multishot op are dropped; use Next to see
// them. The CQE's Res is returned as the kernel wrote it: a negative Res
// is the op's -errno, not an error of Wait.
//
// If ctx ends first, Wait asks the kernel to cancel the op
// (IORING_OP_ASYNC_CANCEL) and still waits for its terminal CQE, so the
// memory the op uses is never released early; it then returns that CQE
// together with context.Cause(ctx). A passed deadline gives an error for
// which both errors.Is(err, context.DeadlineExceeded) and
// errors.Is(err, os.ErrDeadlineExceeded) hold. The CQE is the op's own
// result, and the op may have succeeded before the cancel reached it: an
// accept or an open then made a descriptor, which is the caller's to
// close (package future returns the value then, with no error).
//
// A zero-copy send's NOTIF comes once the peer has acknowledged the data:
// a peer that stops reading postpones it, and Wait with it, whatever ctx
// does, for as long as the socket is open (the kernel may still send from
// the buffer). Closing the socket ends it; so does closing the Loop, after
// a second: Wait then returns the result CQE with ErrClosed, and the
// buffer stays referenced for the life of the process (do not modify it).
//
// The error is ErrCQEsDropped if the kernel lost CQEs, and ErrNotSubmitted
// if the Request was never submitted.
//
// When the Loop resolves the Request without its terminal CQE (ErrClosed
// for an abandoned zero-copy send, ErrCQEsDropped, a fatal ring error),
// Wait returns that error even if ctx ended too, so the context's error
// always comes with the op's terminal CQE. The CQE is then not the op's
// terminal one: the zero CQE (its Res 0 is not a descriptor 0), or an
// abandoned zero-copy send's result CQE, whose NOTIF never came.
// Completed reports false for both, and true when Wait returned the op's
// terminal CQE.
func (r *Request) Wait(ctx context.Context) (CQE, error) {
	l := r.loop
	if l == nil || r.state.Load() == reqIdle {
		return CQE{}, ErrNotSubmitted
	}
	l.flushFor(r)
	done := ctx.Done()
	var lead leadState // the kernel-waiter role (loop_lead.go)
	var res CQE
	for {
		var term bool
		var err error
		switch {
		case r.fast.Load():
			// The only CQE, handed over without the mutex (deliver).
			res, term = r.res, true
		case r.posted.Load():
			r.mu.Lock()
			for ; r.qh < len(r.q); r.qh++ {
				if c := r.q[r.qh]; c.Flags&CQEFNotif == 0 {
					res = c
				}
			}
			if !r.term {
				r.q, r.qh = r.q[:0], 0 // taken: reuse (multishot ops)
				r.posted.Store(false)
			}
			term, err = r.term, r.err
			r.mu.Unlock()
		}
		if term {
			if lead.on {
				l.unlead(&lead)
			}
			r.finish()
			if err == nil && r.ctxErr != nil {
				// The Loop's error wins: ctx's comes only with the
				// terminal CQE (TestLoopWaitLoopErrorOverContext).
				err = r.ctxErr
			}
			return res, err
		}
		done = l.await(ctx, r, false, done, &lead)
	}
}

// await is Wait's (next false) and Next's (next true) step while r has
// nothing for them: in shared mode the waiter may take the kernel-waiter
// role and wait in io_uring_enter itself (waitStep), otherwise it parks.
// When ctx ends first it records the context's error and cancels r in the
// kernel; the caller goes on waiting for the terminal CQE, and done, the
// channel it watches, becomes nil. It returns done.
func (l *Loop) await(ctx context.Context, r *Request, next bool, done <-chan struct{}, lead *leadState) <-chan struct{} {
	if l.mode == ModeShared && l.shards == nil {
		if lead.on && ctxDone(done) {
			l.unlead(lead) // Cancel may block on internal credits that only reaping frees
			r.ctxErr = ctxError(ctx)
			r.Cancel()
			return nil
		}
		if !lead.yielded && l.deferredPending(r) {
			// Once per Wait, and only while the flusher is due to submit
			// r (loop_policy.go): never on the QD 1 path. Before waitStep,
			// whose reap could not resolve r, which is not submitted yet.
			lead.yielded = true
			runtime.Gosched()
			return done
		}
		if l.waitStep(ctx, r, next, lead) {
			return done
		}
	}
	if l.park(r, done, lead) {
		r.ctxErr = ctxError(ctx)
		r.Cancel()
		return nil
	}
	return done
}

// park blocks the waiter of r until r is signalled or done closes (then
// it reports true). In shared mode a parked waiter needs a kernel waiter
// for its op (loop_lead.go): it makes sure there is one first.
func (l *Loop) park(r *Request, done <-chan struct{}, st *leadState) bool {
	shared := l.mode == ModeShared
	if shared {
		l.parked.Add(1)
		// A leader that just handed the role to a waiter that asked for
		// it leaves the kernel wait to that waiter (with leadGrace as the
		// fallback), rather than kicking the reaper, which the waiter
		// would then have to preempt in turn.
		l.ensureWaiter(!st.handed)
		st.handed = false
	}
	ended := false
	r.sleeping.Store(true)
	if r.fast.Load() {
		// Delivered meanwhile, maybe without a wake-up (deliver).
	} else if done == nil {
		// context.Background and the like: a plain receive costs less
		// than a select (selectgo was ~18% of a NOP's CPU at 64
		// goroutines).
		<-r.wake
	} else {
		select {
		case <-r.wake:
		case <-done:
			ended = true
		}
	}
	r.sleeping.Store(false)
	if shared {
		l.parked.Add(-1)
	}
	return ended
}

// ctxDone reports whether done (a context's Done channel) is closed.
func ctxDone(done <-chan struct{}) bool {
	if done == nil {
		return false
	}
	select {
	case <-done:
		return true
	default:
		return false
	}
}

// Next returns the Request's CQEs one at a time, in the order the kernel
// posted them, for multishot ops and zero-copy sends: (cqe, true, nil) for
// each, the terminal one included, then (CQE{}, false, err) once the
// terminal CQE has been returned. err is nil, or context.Cause(ctx) if the
// op ended because ctx did: when ctx ends Next cancels the op and keeps
// returning the CQEs that still arrive (each may carry a provided buffer
// the caller must give back), so nothing is dropped.
func (r *Request) Next(ctx context.Context) (CQE, bool, error) {
	l := r.loop
	if l == nil || r.state.Load() == reqIdle {
		return CQE{}, false, ErrNotSubmitted
	}
	if r.state.Load() == reqDone {
		return CQE{}, false, r.ctxErr
	}
	l.flushFor(r)
	done := ctx.Done()
	if r.ctxErr != nil {
		done = nil
	}
	var lead leadState
	for {
		r.unfast()
		r.mu.Lock()
		if r.qh < len(r.q) {
			c := r.q[r.qh]
			r.qh++
			if r.qh == len(r.q) && !r.term {
				// All taken: reuse the queue, or a long-lived multishot
				// op would grow it forever.
				r.q, r.qh = r.q[:0], 0
			}
			r.mu.Unlock()
			if lead.on {
				l.unlead(&lead)
			}
			return c, true, nil
		}
		if r.term {
			err := r.err
			r.mu.Unlock()
			if lead.on {
				l.unlead(&lead)
			}
			r.finish()
			if err == nil {
				err = r.ctxErr
			}
			return CQE{}, false, err
		}
		r.mu.Unlock()
		done = l.await(ctx, r, true, done, &lead)
	}
}

// Cancel asks the kernel to cancel the Request (IORING_OP_ASYNC_CANCEL by
// its user_data). The op's terminal CQE still arrives through Wait or Next,
// usually with Res -ECANCELED; an op that already completed is unaffected.
// A linked request that has not started yet cannot end before the members
// of its chain ahead of it, so Cancel (and a Wait whose context ends) also
// cancels the member of its chain that runs now: with IOSQE_IO_LINK the
// kernel then cancels the rest of the chain, with IOSQE_IO_HARDLINK the
// next member starts and is cancelled in turn, until the Request ends.
// Cancel is asynchronous, safe from any goroutine, and idempotent.
func (r *Request) Cancel() {
	l := r.loop
	if l == nil || r.state.Load() != reqInFlight || !r.cancelled.CompareAndSwap(false, true) {
		return
	}
	l.cancel(r)
}

// ContextError is the error Wait returns for a context that has ended:
// context.Cause(ctx), wrapped so that a passed deadline also matches
// os.ErrDeadlineExceeded. It is for code that stops waiting for a
// Request without calling Wait (another goroutine waits for it), such as
// package chain, so that its callers see the error Wait would give.
func ContextError(ctx context.Context) error { return ctxError(ctx) }

// ctxError is context.Cause(ctx), wrapped so that a deadline also matches
// os.ErrDeadlineExceeded.
func ctxError(ctx context.Context) error {
	err := context.Cause(ctx)
	if err == nil {
		err = ctx.Err()
	}
	if errors.Is(err, context.DeadlineExceeded) || errors.Is(ctx.Err(), context.DeadlineExceeded) {
		return &deadlineError{cause: err}
	}
	return err
}
