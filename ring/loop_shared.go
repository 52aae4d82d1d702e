package ring

import (
	"runtime"
	"time"
	"unsafe"
)

// Shared mode: any goroutine enters to submit (group commit, see flush)
// and reaps what completed inside its enter; one thread at a time waits in
// the kernel for what went async: a waiter whose own op went async, or
// else the reaper goroutine (loop_lead.go). The ring is set up without
// SINGLE_ISSUER, and without COOP_TASKRUN, whose man page warns against it
// when the waiter is not the submitter.

func (l *Loop) startShared() error {
	opts, err := l.ringOptions(0)
	if err != nil {
		return err
	}
	r, err := New(l.cfg.entries, opts...)
	if err != nil {
		return err
	}
	if err := l.adopt(r); err != nil {
		r.Close()
		return err
	}
	if err := l.openWake(); err != nil {
		r.Close()
		return err
	}
	l.grace = time.AfterFunc(time.Hour, l.graceFire)
	l.grace.Stop()
	go l.reaper()
	go l.flusher()
	return nil
}

// flusher submits on behalf of goroutines that published SQEs and did not
// enter (loop_policy.go, flushNow). Woken, it first yields, so that the
// goroutines already runnable on this P publish their SQEs too and one
// enter carries them all; that is the "submit when the thread is about to
// go idle" of monoio and tokio-uring, approximated with the Go scheduler's
// run queue.
func (l *Loop) flusher() {
	defer close(l.flusherDone)
	for range l.flusherWake {
		if l.flusherStop.Load() {
			return
		}
		runtime.Gosched()
		l.flushScheduled.Store(false)
		l.flush()
		l.tryReap()
	}
}

// scheduleFlush makes the flusher run soon, once per batch.
func (l *Loop) scheduleFlush() {
	if !l.flushScheduled.Load() && l.flushScheduled.CompareAndSwap(false, true) {
		select {
		case l.flusherWake <- struct{}{}:
		default:
		}
	}
}

// reaper is the shared mode's CQ goroutine. It takes the kernel-waiter
// role (loop_lead.go) only while ops the kernel accepted went async and no
// waiter leads; then it blocks in io_uring_enter (GETEVENTS, min_complete
// 1) through Syscall6, holding an OS thread but no P. Otherwise it parks on
// a channel and holds nothing. It never enters to submit: its count of
// SQEs to submit is always 0, so it cannot split a group.
func (l *Loop) reaper() {
	defer close(l.runDone)
	var idleSince time.Time
	held := false // this goroutine holds the role
	for {
		l.cqMu.Lock()
		n := l.reap()
		if n == 0 && l.runnerShouldExit() && (held || l.role.CompareAndSwap(roleFree, roleReaper)) {
			// Keep the role for good: no waiter may lead on a ring that
			// is about to be closed.
			l.cqMu.Unlock()
			if err := l.fatal.Load(); err != nil {
				l.failInFlight(*err)
			}
			l.grace.Stop()
			return
		}
		l.cqMu.Unlock()
		if n > 0 {
			idleSince = time.Time{}
			continue
		}
		if l.ring.cqNeedsFlush() {
			// Overflowed CQEs wait in the kernel's backlog (FEAT_NODROP):
			// an enter with GETEVENTS moves them into the CQ.
			l.stats.cqOverflow.Add(1)
			l.enter(0, 0, EnterGetEvents)
			continue
		}
		if !held && l.asyncOps() > 0 && l.role.CompareAndSwap(roleFree, roleReaper) {
			held = true
			l.stale.Store(true) // any waiter whose op went async may take over
		}
		if !held || l.asyncOps() <= 0 {
			if held {
				l.release()
				held = false
			}
			l.reaperIdle.Store(true)
			// Dekker pair with kickReaper: whoever makes ops async or
			// frees the role stores that, then reads reaperIdle.
			if (l.asyncOps() <= 0 || l.role.Load() != roleFree) && (l.fatal.Load() == nil || l.role.Load() == roleWaiter) &&
				(!l.closing.Load() || l.role.Load() == roleWaiter) {
				<-l.reaperWake
			}
			l.reaperIdle.Store(false)
			continue
		}
		if l.cfg.spin > 0 {
			if idleSince.IsZero() {
				idleSince = time.Now()
			}
			if time.Since(idleSince) < l.cfg.spin && l.wantLead.Load() == nil {
				osYield()
				runtime.Gosched()
				continue
			}
		}
		ok, err := l.waitCQEs()
		if !ok {
			// A waiter asked for the role: hand it over, and do not take
			// it back before somebody kicks (a waiter that then parks
			// with nobody leading does, and release armed leadGrace).
			// Sleep only if a kick is still sure to come: the grace
			// timer may have fired before reaperIdle was set, and then
			// found no idle reaper to kick (Dekker pair with graceFire:
			// this stores reaperIdle, then loads graceArmed, role and
			// asyncOps; graceFire stores graceArmed, then loads them and
			// reaperIdle). Without this, with the waiter gone (its op
			// done) or not leading, every waiter parked and nobody waited
			// in the kernel for their ops.
			l.release()
			held = false
			l.reaperIdle.Store(true)
			if !l.closing.Load() && l.fatal.Load() == nil &&
				(l.graceArmed.Load() || l.role.Load() != roleFree || l.asyncOps() <= 0) {
				<-l.reaperWake
			}
			l.reaperIdle.Store(false)
			continue
		}
		if err != nil && l.fatal.Load() == nil {
			runtime.Gosched() // EBUSY/EAGAIN: reap at the top
		}
	}
}

// kickReaper wakes a reaper parked for lack of work.
func (l *Loop) kickReaper() {
	if l.reaperIdle.Load() && l.reaperIdle.CompareAndSwap(true, false) {
		select {
		case l.reaperWake <- struct{}{}:
		default:
		}
	}
}

// waitCQEs blocks the reaper until CQEs arrive. With many requests in
// flight and FEAT_MIN_TIMEOUT (6.12) it asks for a batch: the kernel
// returns once reapWaitDiv-th of the requests in flight have completed,
// or minWait after the first completion, whichever comes first, so one
// wake-up of the reaper's thread serves several completions instead of
// one each (loop_policy.go).
func (l *Loop) waitCQEs() (bool, error) {
	if l.cfg.minWait <= 0 || l.ring.Features()&FeatMinTimeout == 0 {
		return l.holderWait(1, 0), nil
	}
	want := uint32(l.inflight.Load() / reapWaitDiv)
	if want <= 1 {
		return l.holderWait(1, 0), nil
	}
	if sleep, stay := l.holderBegin(); !sleep {
		return stay, nil
	}
	l.waitArg = GeteventsArg{MinWaitUsec: uint32(l.cfg.minWait / time.Microsecond)}
	_, err := l.enterArg(0, want, EnterExtArg, unsafe.Pointer(&l.waitArg), unsafe.Sizeof(l.waitArg))
	l.holderIn.Store(false)
	return true, err
}
