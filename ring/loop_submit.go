package ring

import (
	"context"
	"errors"
	"runtime"
	"sync/atomic"
	"syscall"
	"unsafe"
)

// Submit hands one Request, or a group of Requests, to the kernel. A
// group's SQEs are written next to each other and published with a single
// SQ tail store, inside one submission: no other goroutine's SQE can land
// between them, so link chains (IOSQE_IO_LINK / IOSQE_IO_HARDLINK, set by
// the caller on every member but the last of a chain) are never split.
//
// Submit blocks while the Loop has no room (the requests in flight would
// no longer fit the CQ), honouring ctx; it returns the context's error if
// ctx ends first (context.Cause(ctx); for a passed deadline an error
// matching both context.DeadlineExceeded and os.ErrDeadlineExceeded, as
// Wait gives). The errors: ErrGroupTooLong (more than MaxGroup
// requests), ErrDanglingLink, ErrSkipSuccessLast, ErrSkipSuccessHardlink
// (see loop_group.go), ErrRequestBusy (a Request still in flight, or
// passed twice), a *NotSupportedError for an opcode the kernel lacks,
// ErrClosed once Close has begun, and an *ArgError (ErrInvalidArgument)
// for a nil Request. On error nothing was submitted.
//
// The SQEs go to the kernel no later than the moment any goroutine waits
// on one of them (in practice at once, batched with those of concurrent
// submitters).
func (l *Loop) Submit(ctx context.Context, reqs ...*Request) error {
	for i, r := range reqs {
		if r == nil {
			return &ArgError{Call: "Loop.Submit", Reason: "request " + itoa(int64(i)) + " of " + itoa(int64(len(reqs))) + " is nil"}
		}
	}
	if l.shards != nil {
		return l.submitSharded(ctx, reqs)
	}
	return l.submit(ctx, reqs, false, false)
}

// errPinned is submit's answer to a spread submission (spread) that found
// an exact request pinning every request to the home ring
// (loop_rings_exact.go): nothing was submitted, and submitSharded sends
// the requests home instead. It never reaches the caller.
var errPinned = errors.New("ring: pinned to the home ring")

// submit is Submit on one ring; credited says that the caller already
// took the group's admission credits (tryAcquire), which submit gives
// back if it fails. spread says that the ring is not the home ring of a
// Loop over several, which submitSharded chose: then submit returns
// errPinned, having submitted nothing, if an exact request pins requests
// to the home ring.
func (l *Loop) submit(ctx context.Context, reqs []*Request, credited, spread bool) error {
	k := len(reqs)
	if k == 0 {
		return nil
	}
	if err := l.admit(ctx, reqs, credited); err != nil {
		if credited {
			l.adm.release(int64(k))
		}
		return err
	}
	var g *group
	if k > 1 {
		g = newGroup(reqs)
	}
	l.sqMu.Lock()
	if l.closed.Load() || l.sqGone || l.fatal.Load() != nil || !l.waitSQSpace(uint32(k)) {
		l.refuse(reqs)
		return l.closedErr()
	}
	// These counters sit next to sqMu (Loop) and change here under it.
	n := l.inflight.Add(int64(k))
	if spread && l.parent.pinned() {
		// A Dekker pair with submitWholeRing, which marks its exact
		// submission (entering) and then waits for this ring's inflight
		// to drain: either it sees these requests in flight, or this
		// sees its mark (sequentially consistent atomics).
		l.inflight.Add(-int64(k))
		l.refuse(reqs)
		return errPinned
	}
	if n > l.maxInfl.Load() {
		l.raiseMax(n)
	}
	l.users.Add(int64(k))
	l.accepted.Add(uint64(k))
	for i, r := range reqs {
		ud := l.slots.take(r)
		if g != nil {
			g.m[i].ud = ud
		}
		sqe := l.ring.nextSQE() // 16-byte CQE, 64-byte SQE rings only (ringOptions)
		*sqe = r.SQE
		sqe.UserData = ud
		if r.SQE.Flags&SQEBufferSelect != 0 {
			// Before the tail store publishes it (loop_pbuf_release.go).
			l.slots.slots[uint32(ud)].sel = l.pbufs.selecting(r.SQE.BufIndex)
		}
	}
	// Bind only now: the dispatcher may resolve any member of a group on
	// the CQE of any other (loop_group.go rules 1-3), reading its ud and
	// group record, so each member's slot store must follow the writes for
	// all of them. (The kernel orders the CQE after the tail store, but
	// the race detector cannot see that, and the reaper wakes from
	// io_uring_enter with no Go synchronization with this goroutine.)
	for _, r := range reqs {
		l.slots.bind(r)
	}
	l.ring.flushSQ() // one tail store for the whole group
	seq := l.published.Add(uint64(k))
	l.wakePoller()
	l.sqMu.Unlock()
	for _, r := range reqs {
		r.seq = seq
	}
	l.kick()
	return nil
}

// refuse undoes an admitted submission that publishes nothing: sqMu is
// held and is unlocked, the credits go back, the requests are idle again.
func (l *Loop) refuse(reqs []*Request) {
	l.sqMu.Unlock()
	l.adm.release(int64(len(reqs)))
	l.unclaim(reqs, len(reqs))
}

// admit checks reqs, claims them and takes their admission credits
// unless credited (then it leaves the credits to submit). On error
// nothing is claimed, and the only credits held are the caller's.
func (l *Loop) admit(ctx context.Context, reqs []*Request, credited bool) error {
	k := len(reqs)
	if k > l.maxGroup {
		return ErrGroupTooLong
	}
	for _, r := range reqs {
		if !l.probe.Supports(r.SQE.Opcode) {
			return l.CheckOp(r.SQE.Opcode)
		}
	}
	if err := checkGroup(reqs); err != nil {
		return err
	}
	if err := l.claim(reqs); err != nil {
		return err
	}
	if l.closing.Load() {
		l.unclaim(reqs, k)
		return l.closedErr()
	}
	if credited {
		return nil
	}
	if err := l.adm.acquire(ctx, int64(k)); err != nil {
		l.unclaim(reqs, k)
		if err == ErrClosed {
			err = l.closedErr()
		}
		return err
	}
	return nil
}

func (l *Loop) raiseMax(n int64) {
	for {
		m := l.maxInfl.Load()
		if n <= m || l.maxInfl.CompareAndSwap(m, n) {
			return
		}
	}
}

// claim moves every request from idle/done to in flight, or none.
func (l *Loop) claim(reqs []*Request) error {
	for i, r := range reqs {
		st := r.state.Load()
		if st == reqInFlight || !r.state.CompareAndSwap(st, reqInFlight) {
			l.unclaim(reqs, i)
			return ErrRequestBusy
		}
		r.reset()
		r.loop = l
	}
	return nil
}

func (l *Loop) unclaim(reqs []*Request, n int) {
	for _, r := range reqs[:n] {
		r.state.Store(reqIdle)
	}
}

func (l *Loop) closedErr() error {
	if p := l.fatal.Load(); p != nil {
		return *p
	}
	return ErrClosed
}

// waitSQSpace makes room for n SQEs; sqMu is held. It reports false if the
// Loop closed meanwhile.
func (l *Loop) waitSQSpace(n uint32) bool {
	for l.ring.SQSpace() < n {
		l.stats.sqFull.Add(1)
		switch {
		case l.mode == ModeOwner:
			if !l.ownerWaitSQ(n) {
				return false
			}
		case l.cfg.sqPoll:
			// IORING_ENTER_SQ_WAIT: sleep until the poller frees a slot.
			l.enter(0, 0, EnterSQWait)
		default:
			// The caller pays the syscall (liburing, TigerBeetle): submit
			// what is published, which frees the whole SQ.
			l.enterMu.Lock()
			if !l.submitLocked() {
				runtime.Gosched() // EBUSY: the reaper drains the CQ
			}
			l.enterMu.Unlock()
		}
		if l.fatal.Load() != nil {
			return false
		}
	}
	return true
}

// kick makes sure the SQEs just published reach the kernel (DESIGN.md
// invariant 3, flush before block).
func (l *Loop) kick() {
	if l.mode == ModeOwner {
		l.ownerKick()
		return
	}
	if !l.cfg.sqPoll {
		switch l.flushNow() {
		case flushEnter:
			l.flush()
		case flushDefer:
			l.scheduleFlush()
		case flushProbe:
			l.probeYield()
			l.flush()
		}
		return
	}
	l.kickReaper() // the publisher woke the poller (wakePoller)
}

// wakePoller wakes the SQPOLL thread if it sleeps, right after a
// publication: it reads the SQ flags after the tail store (Go's
// sequentially consistent atomics order the two). sqMu is held, and must
// be: Close sets closed under sqMu before it unmaps the ring and closes
// its fd, so a publisher that holds it reads mapped memory and enters the
// ring's own fd, never a number the process reused. (Done after the
// unlock, a publication racing with Close read the flags from unmapped
// memory, and the process died of a fault:
// TestLoopCloseDuringSubmits/sqpoll.) The enter under sqMu costs the other
// publishers only when the poller sleeps.
func (l *Loop) wakePoller() {
	if l.cfg.sqPoll && l.ring.sqFlags()&SQNeedWakeup != 0 {
		l.enter(0, 0, EnterSQWakeup)
	}
}

// flushFor is called before a goroutine parks on r: r's SQE must be in the
// kernel's hands, not only published. A scheduled flusher submits
// everything published before it runs, so the waiter may leave it to the
// flusher, unless the batch is complete (loop_policy.go, batchDone); while
// a submitter probes (flushProbe) it leaves it even then: that submitter
// enters for everything published once it is back from its yield.
func (l *Loop) flushFor(r *Request) {
	if l.mode != ModeShared || l.cfg.sqPoll || l.submitted.Load() >= r.seq {
		return
	}
	if l.flushScheduled.Load() && (l.probing.Load() || !l.batchDone()) {
		return
	}
	l.flush()
}

// flush is the shared mode's group commit. Whoever gets enterMu submits
// every SQE published so far; a goroutine that finds it taken returns at
// once, because the holder looks again after it unlocks: the holder's
// re-check follows its Unlock, which follows the failed TryLock, which
// follows that goroutine's publication, so no SQE is left behind.
func (l *Loop) flush() {
	// A fatal enter error leaves published ahead of submitted for good:
	// stop, or the submitter would retry the failing enter forever
	// (DESIGN.md invariant 6; the reaper fails what is in flight).
	for l.published.Load() > l.submitted.Load() && l.fatal.Load() == nil {
		if !l.enterMu.TryLock() {
			return
		}
		ok := l.submitLocked()
		l.enterMu.Unlock()
		if !ok {
			runtime.Gosched()
		}
	}
}

// submitLocked enters once to submit every published SQE; enterMu is
// held, so the kernel's SQ head equals submitted and the count ends on a
// group boundary. It reports false on EBUSY/EAGAIN (the CQ backlog must be
// reaped first; the reaper does that).
func (l *Loop) submitLocked() bool {
	n := l.published.Load() - l.submitted.Load()
	if n == 0 {
		return true
	}
	t0 := l.meter.start() // WithSpillRings only (loop_spill.go)
	// Once the enter's CQEs are reaped elsewhere the Loop may close and
	// unmap the ring (after a fatal error even with SQEs unsubmitted);
	// enterMu keeps it mapped while the tail is read (dropCQTail).
	var tail uint32
	if l.cqTail != nil {
		tail = atomic.LoadUint32(l.cqTail)
	}
	got, err := l.enter(uint32(n), 0, 0)
	if l.cqTail != nil {
		l.noteAsync(got, atomic.LoadUint32(l.cqTail)-tail)
	}
	l.meter.stop(t0)
	l.submitted.Add(uint64(got))
	if got > 0 {
		// Many ops (cached reads, NOPs) complete inside the enter: route
		// their CQEs now; only what went async needs a kernel waiter
		// (loop_lead.go).
		l.afterSubmit()
	}
	return err == nil
}

// dropCQTail stops submitters from reading the CQ tail before Close
// unmaps the ring: they read it only under enterMu (submitLocked), so
// once this has held enterMu none is reading it and none will. cqMu is
// held; no holder of enterMu blocks on cqMu (it only tries it: tryReap).
func (l *Loop) dropCQTail() {
	l.enterMu.Lock()
	l.cqTail = nil
	l.enterMu.Unlock()
}

// enter calls io_uring_enter, retrying EINTR, and counts. Errors other
// than EBUSY/EAGAIN are fatal for the Loop: they mean the ring is broken
// (EBADR: CQEs lost) or the Loop has a bug (EEXIST: an enter from a thread
// that is not the SINGLE_ISSUER owner), and are never retried silently.
func (l *Loop) enter(toSubmit, minComplete uint32, flags EnterFlags) (int, error) {
	return l.enterArg(toSubmit, minComplete, flags, nil, 0)
}

// enterArg is enter with an EXT_ARG argument.
func (l *Loop) enterArg(toSubmit, minComplete uint32, flags EnterFlags, arg unsafe.Pointer, argSz uintptr) (int, error) {
	r := l.ring
	flags |= r.enterFlags
	if minComplete > 0 {
		flags |= EnterGetEvents
		l.stats.waits.Add(1)
	}
	for {
		l.stats.enters.Add(1)
		n, errno := sysEnter(r.enterFd, toSubmit, minComplete, flags, arg, argSz)
		if toSubmit > 0 && n > 0 {
			l.stats.submitEnters.Add(1)
			l.stats.sqesSubmitted.Add(uint64(n))
		}
		switch errno {
		case 0:
			return n, nil
		case syscall.EINTR:
			l.stats.interrupts.Add(1)
			if n > 0 {
				return n, nil
			}
			continue
		case syscall.ETIME:
			// A timed wait (EXT_ARG, min_wait) ran out: not an error.
			return 0, nil
		case syscall.EBUSY, syscall.EAGAIN:
			l.stats.busy.Add(1)
			return 0, enterError(errno)
		case errnoEBADR:
			l.noteFatal(ErrCQEsDropped)
			return 0, ErrCQEsDropped
		default:
			err := enterError(errno)
			l.noteFatal(err)
			return 0, err
		}
	}
}

// errnoEBADR is Linux's EBADR (53 on every architecture Go supports), the
// errno io_uring_enter uses for dropped CQEs; the syscall package does not
// name it on every GOOS.
const errnoEBADR = syscall.Errno(53)
