package ring

import "sync/atomic"

// The CQ side: whoever holds cqMu (in shared mode a submitter after its
// enter, a waiter, the leader or the reaper; in owner mode the owner)
// copies CQEs out in batches and routes each to its Request.
// It never runs user code and never blocks: delivering a CQE is a queue
// append under the Request's own mutex and a non-blocking channel send,
// so a waiter that submits a follow-up op from its wake-up cannot
// deadlock the Loop (DESIGN.md invariant 8).

// tryReap dispatches the visible CQEs unless another goroutine is doing
// so already (then they are in good hands). It reports how many it saw.
func (l *Loop) tryReap() int {
	if !l.cqMu.TryLock() {
		return 0
	}
	n := 0
	if !l.ringClosed { // a late waiter must not touch an unmapped CQ
		n = l.reap()
	}
	l.cqMu.Unlock()
	return n
}

// reap copies the visible CQEs out and dispatches them; it returns how
// many it saw. cqMu is held. While a waiter leads (loop_lead.go) and this
// goroutine is not that waiter, it stops in front of the first CQE that
// could resolve the leader's Request and leaves it, and all after it, to
// the leader.
func (l *Loop) reap() int {
	buf := l.cqBuf
	total := 0
	for {
		var n int
		lead := l.leader.Load()
		if lead == nil || l.leading(lead) {
			n = l.ring.PeekBatch(buf)
		} else {
			n = l.peekBefore(buf, lead)
		}
		for i := 0; i < n; i++ {
			l.dispatch(&buf[i])
		}
		l.deliverResolved()
		total += n
		if n < len(buf) {
			return total
		}
	}
}

// leading reports whether the goroutine reaping is the leader itself
// (lead sets leaderReaping around its own reap, under cqMu).
func (l *Loop) leading(lead *Request) bool { return l.leaderReaping == lead }

// peekBefore is PeekBatch stopping in front of the first CQE for lead.
// The Loop's rings have 16-byte CQEs and no CQE_MIXED fillers.
func (l *Loop) peekBefore(dst []CQE, lead *Request) int {
	r := l.ring
	head := *r.cq.khead
	tail := atomic.LoadUint32(r.cq.ktail)
	n := 0
	for head != tail && n < len(dst) {
		c := r.cqeAt(head)
		if l.forLeader(c, lead) {
			break
		}
		dst[n] = *c
		n++
		head++
	}
	if n > 0 {
		atomic.StoreUint32(r.cq.khead, head)
	}
	return n
}

// forLeader reports whether dispatching c could resolve or wake lead. It
// compares groups with leaderGrp, not lead.grp: lead was loaded from
// Loop.leader, which the leader clears without cqMu when it returns, so
// the Request may already be in its next Submit, whose reset writes grp
// (the race detector saw that in TestLoopCloseDuringSubmits). A bound
// Request (r) is not being reset.
func (l *Loop) forLeader(c *CQE, lead *Request) bool {
	if c.UserData&internalTag != 0 {
		return c.UserData&udKindMask == udWake
	}
	r := l.slots.lookup(c.UserData)
	return r != nil && (r == lead || r.grp != nil && r.grp == l.leaderGrp)
}

func (l *Loop) dispatch(c *CQE) {
	if c.UserData&internalTag != 0 {
		l.internalCQE(c)
		return
	}
	r := l.slots.lookup(c.UserData)
	if r == nil {
		l.stats.stale.Add(1)
		return
	}
	if r != l.leaderReaping {
		l.readied++
	}
	if c.Flags&CQEFMore != 0 { // multishot / zero-copy: more will follow
		r.deliver(*c, false)
		return
	}
	g, j := r.grp, r.gi
	if g != nil {
		g.m[j].resolved, g.m[j].r = true, nil
	}
	l.resolve(r, *c)
	if g != nil {
		l.groupRules(g, j, c.Res)
	}
}

// resolve unbinds r's slot and queues its terminal CQE for deliverResolved,
// which the reap that called it runs once its batch is dispatched.
func (l *Loop) resolve(r *Request, c CQE) {
	if c := l.slots.takeSel(r.ud); c != nil {
		l.pbufs.done(c) // the buffer it took is free (loop_pbuf_release.go)
	}
	l.slots.unbind(r.ud, &l.freed)
	l.cseq++ // counts for Stats (completedCount): no atomic per CQE
	r.cseq = l.cseq
	l.resolved = append(l.resolved, resolution{r, c})
}

// resolution is a terminal CQE waiting in Loop.resolved for its delivery.
type resolution struct {
	r *Request
	c CQE
}

// deliverResolved frees the slots and credits of the requests resolved
// since it last ran (slots first: a submitter holding a credit always
// finds a slot), and only then hands each its terminal CQE, so that a
// waiter that returned finds its request no longer counted in flight.
// What is shared with the submitters (the free-slot stack, inflight, the
// admission credits) thus changes once per batch instead of once per CQE:
// with the submitters on the other core, each change costs a cache line
// transfer. After deliver the waiter may reuse its Request at once:
// nothing here touches it after that. cqMu is held.
func (l *Loop) deliverResolved() {
	k := len(l.resolved)
	if k == 0 {
		return
	}
	l.slots.putList(&l.freed)
	l.inflight.Add(-int64(k))
	l.adm.release(int64(k))
	for i := range l.resolved {
		d := &l.resolved[i]
		d.r.deliver(d.c, true)
		*d = resolution{} // no stale reference keeps the Request alive
	}
	l.resolved = l.resolved[:0]
}

func (l *Loop) internalCQE(c *CQE) {
	switch c.UserData & udKindMask {
	case udCancel, udCancelAll, udCancelLink:
		l.intern.Add(-1)
		l.internal.release(1)
		l.cancelCQE(c)
	case udDoorbell:
		l.intern.Add(-1)
		l.ownerDoorbellCQE(c)
	case udPreempt:
		// Posted from outside the ring to end a stale holder's kernel
		// wait (loop_lead.go): no credit; another may be posted now.
		l.preemptOut.Store(false)
	case udWake:
		// Posted from outside the ring after a fatal error, only to end
		// the reaper's wait (loop_wake.go): no credit. Reaped by another
		// goroutine while a holder is in or entering its kernel wait, it
		// must be posted again, or that holder sleeps on (holderFatal,
		// loop_lead.go).
		if l.holderIn.Load() {
			l.wakeReaper()
		}
	}
}

// completedCount is Stats' Completed: the requests resolved by their
// CQEs (cseq, under cqMu: it is incremented before the waiter is
// signalled, so a waiter that returned is counted) and those failed by
// failAll (stats.completed).
func (l *Loop) completedCount() uint64 {
	l.cqMu.Lock()
	n := l.cseq
	l.cqMu.Unlock()
	return n + l.stats.completed.Load()
}

// failInFlight resolves every request in flight with err once the ring
// broke (fatal is set); the reaper or owner calls it last, without cqMu.
// It first takes and drops sqMu: a Submit that checked fatal under sqMu
// before the error holds sqMu until its requests are bound to their
// slots, and one that takes sqMu later sees fatal and fails. Without
// this, a request published at that moment was missed by failAll and its
// waiter parked for good (TestLoopFatalErrorDuringSubmits). cqMu cannot
// be held meanwhile: a submitter that needs SQ room enters, and reaps,
// under sqMu.
func (l *Loop) failInFlight(err error) {
	l.sqMu.Lock()
	//lint:ignore SA2001 an empty critical section is the point: a barrier
	l.sqMu.Unlock()
	l.cqMu.Lock()
	l.failAll(err)
	l.cqMu.Unlock()
}

// failAll resolves every request in flight with err after the ring broke.
// The Requests stay referenced for good (keepForever): the kernel may
// still be using their memory, also after the Loop is gone. cqMu is held.
func (l *Loop) failAll(err error) {
	l.slots.each(func(r *Request) { l.abandon(r, err) })
}

// abandon resolves r, in flight, with err without its terminal CQE, which
// the Loop will not wait for: its slot is freed, and what it references
// for the kernel is kept for good (keepForever), since the kernel may
// still use it. cqMu is held.
func (l *Loop) abandon(r *Request, err error) {
	keepForever(r, l.slots.takeSel(r.ud))
	l.slots.put(r.ud)
	l.inflight.Add(-1)
	l.stats.completed.Add(1)
	r.fail(err)
}
