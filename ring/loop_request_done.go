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
