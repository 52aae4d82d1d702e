package ring

// Done reports whether the Request's terminal result has arrived, so that
// Wait would return it without blocking. It never blocks: like Wait, it
// first makes sure the Request's SQE is on its way to the kernel (a
// submission the Loop deferred to batch it is flushed), and in shared mode
// it routes the CQEs the kernel has already posted unless another
// goroutine is doing so. A Request that was never submitted, or was
// released, is not done.
//
// Call Done from the goroutine that owns the Request (the one that will
// Wait or resubmit it), like Wait. It is for callers that poll (an event
// loop of their own, a progress report); a caller that needs the result
// should Wait, which parks without spinning.
func (r *Request) Done() bool {
	l := r.loop
	switch {
	case l == nil || r.state.Load() == reqIdle:
		return false
	case r.state.Load() == reqDone || r.ready(false):
		return true
	}
	l.flushFor(r)
	if l.mode == ModeShared {
		l.tryReap()
	}
	return r.ready(false)
}

// Completed reports whether the Request ended with its own result: after
// Wait or Next has returned its terminal result, true if that result is
// the op's terminal CQE (for an IOSQE_CQE_SKIP_SUCCESS member of a group,
// the success the Loop inferred), false if the Loop resolved the Request
// without it: ErrClosed for a zero-copy send whose NOTIF Close gave up
// on, ErrCQEsDropped, a fatal ring error. In that case the CQE Wait
// returned is not a result (a zero CQE's Res 0 is not a descriptor 0)
// and the op may still run in the kernel. Completed is false while the
// Request is in flight, and after Release or the next Submit.
//
// Call it from the goroutine that waited, before it gives the Request
// back.
func (r *Request) Completed() bool {
	// err is written by fail under mu before the waiter read it; the
	// waiter's finish stored reqDone after that.
	return r.state.Load() == reqDone && r.err == nil
}
