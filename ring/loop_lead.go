package ring

import (
	"context"
	"runtime"
	"time"
	"unsafe"
)

// The shared mode's wait path: who sleeps in io_uring_enter(GETEVENTS).
//
// Exactly one thread at a time may wait in the kernel: the holder of the
// kernel-waiter role (Loop.role). It is either a goroutine in Wait or Next
// whose own op went async (it "leads"), or the reaper goroutine, which
// takes the role only when ops the kernel accepted are still unresolved
// and no waiter leads. Why a waiter leads: in shared mode (no
// DEFER_TASKRUN) the kernel runs a poll- or IRQ-driven completion's task
// work in the thread that submitted the op (req->task). If that thread is
// the one asleep in io_uring_enter, it wakes, runs the task work, posts the
// CQE and returns with it: one wake-up, like net's netpoller. With a
// separate reaper the submitting thread (parked in a futex) is woken for
// the task work, its CQE wakes the reaper's thread, and the reaper readies
// the waiting goroutine: three.
//
// The lost wake-up: io_uring_enter's min_complete counts from the CQ head
// the kernel sees at entry, so a leader that sleeps for its own CQE after
// another goroutine consumed it would sleep until some unrelated CQE. So
// while a waiter leads (Loop.leader, set under cqMu), no other goroutine
// consumes a CQE that could resolve the leader's Request (its own
// user_data, one of its group, or the udWake CQE): reapers stop in front
// of it (reapBatch) and leave it, and what follows it, to the leader, which
// is awake or about to be, since that CQE is in the CQ. The leader
// registers under cqMu and reaps everything visible before it checks its
// Request, so no CQE of its own can have been taken unseen.
//
// Which ops need a kernel waiter at all: those the kernel accepted and that
// were still unresolved when their submitter reaped right after its enter
// (asyncOps). Ops that complete inside the enter (cached reads, NOPs,
// most loopback sends) are dispatched by the submitter; nobody sleeps in
// the kernel for them, so their CQE posts wake no thread.

const (
	roleFree   = iota // nobody waits in the kernel
	roleReaper        // the reaper goroutine holds the role
	roleWaiter        // a goroutine in Wait/Next leads (Loop.leader)
)

const (
	// leadGrace: when a submitter's op went async and nobody holds the
	// role, the submitter is usually about to Wait and lead itself; the
	// reaper is made to take the role only if nobody did within this time
	// (a submitter that does not wait, an admission waiter that needs
	// credits back). Waiters that park kick the reaper at once instead.
	leadGrace = 200 * time.Microsecond
	// leadPoll: a leader whose context can end (ctx.Done() != nil) sleeps
	// in the kernel at most this long at a time, then looks at the context;
	// nothing else can interrupt its io_uring_enter.
	leadPoll = 2 * time.Millisecond
	// leadIdlePolls: such a leader gives the role up and parks, watching
	// its context directly, after this many leadPoll waits in a row in
	// which no CQE arrived: an op that stays in flight (a read of an idle
	// connection) would otherwise wake its thread every leadPoll for as
	// long as it waits. The reaper then waits in the kernel with no
	// timeout. Ops that complete within a few milliseconds keep their
	// waiter leading, and their latency (TestLoopIdleLeaderParks).
	leadIdlePolls = 3
	// leadMaxParked: with this many waiters parked or more, a waiter does
	// not lead and the reaper (which polls WithSpin, 20 µs, before it
	// sleeps) serves them all: on an idle machine echo with 64 conns made
	// 82-91k round trips/s so against 76-86k with leaders at any
	// concurrency (docs/heuristics.md, section 9).
	leadMaxParked = 4
)

// asyncOps estimates the ops that need a kernel waiter: in flight minus
// those not yet submitted or not yet reaped after their enter (checked
// lags published by exactly those). It may overestimate for a moment (an
// op counted in flight before it is published), which only costs a wait;
// an underestimate can only come from ops an enter in progress completed,
// and that enter's afterSubmit recomputes it.
func (l *Loop) asyncOps() int64 {
	n := l.inflight.Load() + l.intern.Load()
	if l.cfg.sqPoll || l.closing.Load() {
		return n
	}
	pub := l.published.Load()
	chk := l.checked.Load()
	if pub > chk {
		n -= int64(pub - chk)
	}
	return n
}

// afterSubmit runs right after an enter that submitted SQEs (enterMu held):
// it dispatches what completed inside the enter, records that everything
// submitted so far was reaped once (checked), and makes sure someone waits
// in the kernel for what went async.
func (l *Loop) afterSubmit() {
	l.tryReap()
	l.checked.Store(l.submitted.Load())
	l.ensureWaiter(l.parked.Load() > 0)
}

// ensureWaiter makes sure async ops have a kernel waiter: nothing to do if
// the role is held; otherwise the reaper is kicked, at once if now (a
// waiter is parked and needs someone), after leadGrace if not (the
// submitter, or the leader that just left, will probably lead again).
// Dekker pairs: callers store what made ops async (checked, parked, role)
// before the loads here.
func (l *Loop) ensureWaiter(now bool) {
	if l.role.Load() != roleFree || l.asyncOps() <= 0 {
		return
	}
	if now || l.closing.Load() {
		l.kickReaper()
		return
	}
	if !l.graceArmed.Load() && l.graceArmed.CompareAndSwap(false, true) {
		l.grace.Reset(leadGrace)
	}
}

// graceFire runs when leadGrace passed with async ops and nobody leading.
func (l *Loop) graceFire() {
	l.graceArmed.Store(false)
	if l.role.Load() == roleFree && l.asyncOps() > 0 {
		l.kickReaper()
	}
}

// ready reports whether r has something for Wait (next false: its terminal
// result) or Next (next true: any CQE).
func (r *Request) ready(next bool) bool {
	if r.fast.Load() {
		return true
	}
	if !r.posted.Load() {
		return false
	}
	r.mu.Lock()
	ok := r.term || next && r.qh < len(r.q)
	r.mu.Unlock()
	return ok
}

// leadState is a waiter's side of the role, kept on its stack.
type leadState struct {
	on      bool // this waiter holds the role
	handed  bool // it just stepped down for a waiter that asked (wantLead)
	yielded bool // it yielded once for the flusher (deferredPending)
	idle    int  // leadPoll waits in a row that ended with no CQE (leadIdlePolls)
}

// waitStep is Wait's and Next's shared-mode step when r has nothing for
// them yet. It reports true if the caller should look at r again, false
// if it should park (its op is not async yet, another goroutine holds the
// role, or the Loop failed).
func (l *Loop) waitStep(ctx context.Context, r *Request, next bool, st *leadState) bool {
	if !st.on {
		if !l.tryLead(r) {
			return l.tryReap() > 0
		}
		st.on = true
	}
	if l.lead(ctx, r, next, st) {
		return true
	}
	st.handed = l.wantLead.Load() != nil
	l.unlead(st)
	return false
}

// tryLead takes the kernel-waiter role for r's waiter if it is free, r's
// SQE went to the kernel and was reaped after (so it is async, not about
// to complete inside somebody's enter), and the Loop is healthy. If a
// stale holder has the role (the reaper, or a leader woken by CQEs that
// were not its own), it asks for it instead (preempt) and reports false:
// the caller parks and is signalled when the holder steps down.
func (l *Loop) tryLead(r *Request) bool {
	if l.cfg.sqPoll || r.seq > l.checked.Load() || l.fatal.Load() != nil || l.parked.Load() >= leadMaxParked {
		return false
	}
	if l.role.Load() == roleFree && l.role.CompareAndSwap(roleFree, roleWaiter) {
		l.stale.Store(false)
		return true
	}
	if l.stale.Load() && l.wantLead.Load() != r {
		l.wantLead.Store(r)
		// Dekker pair with holderWait: the holder stores holderIn, then
		// loads wantLead.
		if l.holderIn.Load() {
			l.preempt()
		}
	}
	return false
}

// preempt ends a stale holder's kernel wait: a udPreempt CQE posted from
// outside the ring (loop_wake.go's message path; nothing is submitted).
// At most one is in the CQ at a time (preemptOut, cleared when it is
// reaped): it holds no admission credit, only the CQ entry the reserve
// keeps for it (adopt), and while unreaped it already ends every kernel
// wait, since min_complete counts from the CQ head. Without the limit,
// many waiters asking at once could post enough of them to overflow a
// small CQ.
func (l *Loop) preempt() {
	if !l.preemptOut.CompareAndSwap(false, true) {
		return
	}
	l.wake.mu.Lock()
	defer l.wake.mu.Unlock()
	if !l.wake.ok || sendMsgRing(l.wake.fd, 0, udPreempt, 0) != nil {
		l.preemptOut.Store(false)
		return
	}
	l.stats.preempts.Add(1)
}

// holderWait is the role holder's kernel wait (leader or reaper): it
// blocks in io_uring_enter until a CQE arrives (or timeout, if positive,
// passes). It does not wait, and reports false, if a waiter asked for the
// role; the holder then steps down (handOff). Nor does it wait once the
// Loop broke (holderFatal).
//
// holderFatal: after a fatal error noteFatal posts one udWake CQE to end
// the holder's kernel wait. Any goroutine may reap that CQE, and one that
// reaped it before the holder entered used to leave the holder asleep for
// good, with every waiter of the ring (TestRingsFatalBreaksAll hung about
// once in 300 runs under load). Now the holder stores holderIn, then loads
// fatal; noteFatal stores fatal before it posts, and whoever reaps the CQE
// loads holderIn after and posts it again if a holder is in or entering
// its wait (internalCQE). Sequentially consistent atomics: either the
// holder sees fatal and does not sleep, or the reaper of the CQE sees the
// holder and wakes it.
func (l *Loop) holderWait(minComplete uint32, timeout time.Duration) bool {
	if sleep, stay := l.holderBegin(); !sleep {
		return stay
	}
	switch {
	case timeout <= 0 || l.ring.Features()&FeatExtArg == 0:
		l.enter(0, minComplete, 0)
	default:
		l.leadTs = Timespec{Sec: int64(timeout / time.Second), Nsec: int64(timeout % time.Second)}
		l.leadArg = GeteventsArg{Ts: ptrAddr(&l.leadTs)}
		l.enterArg(0, minComplete, EnterExtArg, unsafe.Pointer(&l.leadArg), unsafe.Sizeof(l.leadArg))
	}
	l.holderIn.Store(false)
	return true
}

// holderBegin marks the holder as in (or entering) its kernel wait and
// reports whether it may sleep there. Not if a waiter asked for the role
// (stay false: the holder steps down), nor once the Loop broke (stay
// true: the caller looks at fatal next; holderFatal). If it may not, it
// has cleared the mark again.
func (l *Loop) holderBegin() (sleep, stay bool) {
	l.holderIn.Store(true)
	switch {
	case l.wantLead.Load() != nil:
		l.holderIn.Store(false)
		return false, false
	case l.fatal.Load() != nil:
		l.holderIn.Store(false)
		return false, true
	}
	return true, true
}

// lead is one round of a leader: register, reap, and if r is still not
// ready, sleep in the kernel until a CQE arrives (or leadPoll passes when
// the context can end). It reports false if the caller must give up the
// role and park instead (fatal error, ring closed, a waiter asked for the
// role, or leadIdlePolls polls in a row saw no CQE); the caller then
// calls unlead.
func (l *Loop) lead(ctx context.Context, r *Request, next bool, st *leadState) bool {
	l.cqMu.Lock()
	if l.ringClosed {
		l.cqMu.Unlock()
		return false
	}
	l.leader.Store(r)
	l.leaderGrp = r.grp
	l.leaderReaping, l.readied = r, 0
	l.reap()
	l.leaderReaping = nil
	readied := l.readied
	ready := r.ready(next)
	fatal := l.fatal.Load() != nil
	l.cqMu.Unlock()
	if ready {
		return true
	}
	if fatal {
		return false
	}
	if readied > 0 {
		// Goroutines this dispatch readied sit in this P's run queue; the
		// enter below keeps the P in _Psyscall until sysmon retakes it
		// (20 µs to 10 ms), so let them run first.
		runtime.Gosched()
		return true
	}
	if l.ring.cqNeedsFlush() {
		l.stats.cqOverflow.Add(1)
		l.enter(0, 0, EnterGetEvents)
		return true
	}
	timeout := leadTimeout(ctx)
	if !l.holderWait(1, timeout) {
		return false
	}
	ready = r.ready(next) // after the wait
	if timeout > 0 && !ready && l.ring.CQReady() == 0 {
		// The poll passed with nothing posted: after leadIdlePolls of
		// those, park on the context instead of polling it.
		if st.idle++; st.idle >= leadIdlePolls {
			st.idle = 0
			return false
		}
	} else {
		st.idle = 0
	}
	if !ready {
		// Woken by CQEs that were not its own, or by its poll timeout:
		// a waiter with a fresher op may take the role over.
		l.stale.Store(true)
	}
	return true
}

// leadTimeout is how long a leader may sleep in the kernel before it looks
// at ctx again: no limit if ctx cannot end, else leadPoll or until its
// deadline, whichever is sooner (at least 1 µs: a zero timespec would not
// sleep at all).
func leadTimeout(ctx context.Context) time.Duration {
	if ctx.Done() == nil {
		return 0
	}
	d := leadPoll
	if dl, ok := ctx.Deadline(); ok {
		d = min(d, max(time.Until(dl), time.Microsecond))
	}
	return d
}

// unlead gives the role up: to a waiter that asked for it, else to
// nobody, with the reaper kicked if async ops remain.
func (l *Loop) unlead(st *leadState) {
	st.on = false
	l.leader.Store(nil)
	l.release()
}

// release frees the role (its holder calls it) and hands it on.
func (l *Loop) release() {
	l.stale.Store(false)
	l.role.Store(roleFree)
	if w := l.wantLead.Swap(nil); w != nil {
		w.signal()
	}
	if l.closing.Load() || l.fatal.Load() != nil {
		// The reaper may be waiting for the role to exit or to fail
		// everything in flight.
		l.kickReaper()
		return
	}
	l.ensureWaiter(false)
}
