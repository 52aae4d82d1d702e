package chain

import (
	"context"
	"syscall"

	"github.com/uringkit/uring/future"
	"github.com/uringkit/uring/ring"
)

// Submit validates the chain for l and submits it as one contiguous group:
// its SQEs are published together and never interleaved with other
// goroutines' SQEs. On a validation error (a *BuildError) nothing is
// written; a nil Loop is future.ErrNilLoop. Submit blocks while the Loop
// is full, honouring ctx; a ctx that has ended already submits nothing
// and gives its error (errors.Is matches os.ErrDeadlineExceeded for a
// passed deadline), leaving the chain unsubmitted. A second Submit fails
// with ErrSubmitted; one concurrent with the first waits for it (or for
// its own ctx) and fails with ErrSubmitted if the first submitted the
// chain. While Submit waits for room, Step.Await, Wait and Results from
// other goroutines wait for the submission, each honouring its own ctx.
func (c *Chain) Submit(ctx context.Context, l *ring.Loop) error {
	if c == nil {
		return ErrNilChain
	}
	c.mu.Lock()
	defer c.mu.Unlock()
	// Two Submits at once both passed the submitted check and filled the
	// one request array together (TestSubmitConcurrently); now the second
	// waits for the first.
	if !c.waitSubmit(ctx) {
		return ring.ContextError(ctx)
	}
	if c.submitted {
		return chainError(ErrSubmitted)
	}
	if l == nil {
		return future.ErrNilLoop
	}
	if err := c.Validate(l.MaxGroup()); err != nil {
		return err
	}
	if ctx.Err() != nil {
		// Ended already: submit nothing (the chain stays unsubmitted).
		return ring.ContextError(ctx)
	}
	c.finalize()
	n := len(c.elems)
	if n <= len(c.reqInline) {
		c.reqs = c.reqInline[:n]
	} else {
		c.reqs = make([]*ring.Request, n)
	}
	for i := range c.elems {
		e := &c.elems[i]
		r := ring.NewRequest()
		c.encode(i, &r.SQE)
		if e.isTimeout {
			r.Keep = c // the timespec lives in the chain
		} else if e.keep != nil {
			r.Keep = e.keep
		}
		e.req = r
		c.reqs[i] = r
	}
	if err := c.submitUnlocked(ctx, l); err != nil {
		for i := range c.elems {
			c.elems[i].req.Release()
			c.elems[i].req = nil
		}
		return err
	}
	c.submitted = true
	return nil
}

// submitUnlocked submits c.reqs to l with c.mu released, the chain
// marked submitting meanwhile, and wakes the goroutines waiting for the
// submission. Not under mu: l.Submit may wait for room in a full Loop
// for as long as the ops in flight take, and an Await of one of the
// chain's steps used to wait for the lock all that time, ignoring its own
// ctx (TestAwaitDuringSubmitHonoursContext). c.mu is held on entry and
// on return, also if l.Submit panics.
func (c *Chain) submitUnlocked(ctx context.Context, l *ring.Loop) error {
	c.submitting = true
	c.mu.Unlock()
	defer func() {
		c.mu.Lock()
		c.submitting = false
		c.wake()
	}()
	return l.Submit(ctx, c.reqs...)
}

// waitSubmit waits, with c.mu held, until no Submit is on its way
// (submitting). It reports false if ctx ended first.
func (c *Chain) waitSubmit(ctx context.Context) bool {
	for c.submitting {
		if !c.sleep(ctx) {
			return false
		}
	}
	return true
}

// sleep releases c.mu until the chain's state changes (wake) or ctx ends,
// and reports false in the second case. c.mu is held again on return.
func (c *Chain) sleep(ctx context.Context) bool {
	if c.changed == nil {
		c.changed = make(chan struct{})
	}
	changed := c.changed
	c.mu.Unlock()
	defer c.mu.Lock()
	select {
	case <-changed:
		return true
	case <-ctx.Done():
		return false
	}
}

// wake tells the goroutines in sleep, if any, that the chain's state
// changed. c.mu is held.
func (c *Chain) wake() {
	if c.changed != nil {
		close(c.changed)
		c.changed = nil
	}
}

// collect waits for the terminal CQE of element i. It is called with c.mu
// held and returns with it held, but does not hold it while it waits: in
// the kernel (Request.Wait, which cancels the chain there if ctx ends
// first), or, if another goroutine waits for element i already, for that
// goroutine to finish. That second wait ends with ctx, and collect then
// reports false, leaving the element to the other goroutine (the Loop
// keeps the chain's memory until the terminal CQEs either way).
func (c *Chain) collect(ctx context.Context, i int) bool {
	e := &c.elems[i]
	for e.waiting {
		if !c.sleep(ctx) {
			return false
		}
	}
	if e.done || e.req == nil {
		return true
	}
	e.waiting = true
	req := e.req
	c.mu.Unlock()
	cqe, err := req.Wait(ctx)
	if err != nil && req.Completed() && (cqe.Res >= 0 || (e.okErrno != 0 && cqe.Res == e.okErrno)) {
		// The context ended, but the step's own CQE says it succeeded
		// before the cancel reached it: its effect happened (an fd
		// opened, data read), so it completed, and its value is the
		// caller's (TestCancelledStepClosesFd).
		err = nil
	}
	c.mu.Lock()
	e.waiting = false
	c.wake()
	e.cqe, e.done = cqe, true
	if err != nil {
		e.werr = err
	} else if e.skip && cqe.Res == 0 {
		// The Loop resolves a skip-success step that succeeded with res 0
		// (the kernel posts a real CQE only for a failure or a short
		// transfer, whose res is not 0 for our steps' expected lengths).
		e.synth = true
	}
	c.waited++
	if c.waited == len(c.elems) {
		for k := range c.elems {
			c.elems[k].req.Release()
			c.elems[k].req = nil
		}
	}
	return true
}

// result waits for what step element i's classification needs and
// classifies it.
func (c *Chain) result(ctx context.Context, i int) Result {
	c.mu.Lock()
	defer c.mu.Unlock()
	if !c.waitSubmit(ctx) {
		return gaveUp(ctx)
	}
	if !c.submitted {
		return Result{Outcome: Pending, By: -1, Err: c.notSubmitted(i)}
	}
	if !c.collect(ctx, i) {
		return gaveUp(ctx)
	}
	e := &c.elems[i]
	if e.werr == nil && (e.cqe.Res == -int32(syscall.ECANCELED) || e.cqe.Res == -int32(syscall.EINTR)) {
		// Was it the step's own linked timeout or an earlier step? Those
		// have completed (links run in order), so waiting for them is brief.
		for k := 0; k < i; k++ {
			if !c.collect(ctx, k) {
				return gaveUp(ctx)
			}
		}
		if e.lt >= 0 && !c.collect(ctx, e.lt) {
			return gaveUp(ctx)
		}
		if r := c.classify(i); r.Outcome != Cancelled || r.By >= 0 {
			return r
		}
		// No cause before it: a failure at submission fails the whole
		// chain, so look at the steps after it too.
		for k := i + 1; k < len(c.elems); k++ {
			if !c.collect(ctx, k) {
				return gaveUp(ctx)
			}
		}
	}
	return c.classify(i)
}

// notSubmitted is the error of element i's step awaited before Submit.
func (c *Chain) notSubmitted(i int) error {
	return &BuildError{Elem: i, Step: c.elems[i].step, Op: c.opAt(i), Err: ErrNotSubmitted}
}

// gaveUp is the Result of a step whose outcome is not known because ctx
// ended while another goroutine waited for a CQE it needs (collect).
func gaveUp(ctx context.Context) Result {
	return Result{Outcome: Pending, By: -1, Err: ring.ContextError(ctx)}
}

// Wait waits for every SQE of the chain and returns nil if every step
// completed, else the error of the step that broke the chain (a
// *ShortError for a short transfer), or of the first step that did not
// complete. If ctx ends first, the error is the context's, as for
// Step.Await. The steps that completed keep their results even when Wait
// returns an error: a descriptor an earlier step opened or accepted is
// the caller's to close; Await that step for it.
func (c *Chain) Wait(ctx context.Context) error {
	if c == nil {
		return ErrNilChain
	}
	c.mu.Lock()
	defer c.mu.Unlock()
	return c.wait(ctx)
}

// wait is Wait with c.mu held.
func (c *Chain) wait(ctx context.Context) error {
	if !c.waitSubmit(ctx) {
		return ring.ContextError(ctx)
	}
	if !c.submitted {
		return chainError(ErrNotSubmitted)
	}
	for k := range c.elems {
		if !c.collect(ctx, k) {
			return ring.ContextError(ctx)
		}
	}
	var first error
	for i := range c.elems {
		e := &c.elems[i]
		if e.isTimeout || e.internal {
			continue
		}
		r := c.classify(i)
		switch {
		case r.Outcome.breaks():
			return c.stepErr(i)
		case r.Outcome != Completed && first == nil:
			first = r.Err
		}
	}
	return first
}

// Results waits like Wait and returns every step's Result, in step order;
// nil for a nil Chain. A step whose outcome is not known is Pending with
// Err saying why: a *BuildError wrapping ErrNotSubmitted before Submit,
// or the context's error if ctx ended while another goroutine waited for
// a CQE (as Step.Result).
func (c *Chain) Results(ctx context.Context) []Result {
	if c == nil {
		return nil
	}
	c.mu.Lock()
	defer c.mu.Unlock()
	// Waiting and classifying under one hold of mu: between the two a
	// Submit could start, or end, and the reasons below would not match
	// what wait saw.
	werr := c.wait(ctx)
	out := make([]Result, 0, c.steps)
	for i := range c.elems {
		if c.elems[i].isTimeout || c.elems[i].internal {
			continue
		}
		r := c.classify(i)
		if r.Outcome == Pending && r.Err == nil {
			// Not known: the chain was not submitted, or ctx ended while
			// another goroutine waited for a CQE; say which, as Step.Result
			// does, rather than a Pending with no reason.
			if !c.submitted && !c.submitting {
				r.Err = c.notSubmitted(i)
			} else {
				r.Err = werr
			}
		}
		out = append(out, r)
	}
	return out
}

// Result waits for this step's outcome and returns it. If ctx ends while
// another goroutine waits for a CQE the outcome needs, the outcome is
// Pending and Err is the context's error (see Await).
func (s Step[T]) Result(ctx context.Context) Result {
	if s.c == nil {
		return Result{Outcome: Pending, By: -1, Err: ErrNilChain}
	}
	if s.i < 0 {
		return Result{Outcome: Pending, By: -1, Err: s.c.err}
	}
	return s.c.result(ctx, s.i)
}

// Await waits for this step and returns its value: the operation's own
// result when it ran (for a short transfer the count, with a nil error),
// else the error saying why it did not: a deadline (its linked timeout
// fired; errors.Is(err, os.ErrDeadlineExceeded)), a *CancelledError naming
// the step that broke the chain, or the context's error.
//
// If ctx ends while Await itself waits in the kernel, the chain is
// cancelled there (the Loop cancels the step that runs) and Await returns
// once the CQE has come, with the context's error. If ctx ends while
// another goroutine waits for a CQE that this step's outcome needs (the
// same step, or an earlier one), Await returns the context's error at
// once and leaves the operation to that goroutine; as everywhere, the
// Loop keeps the chain's memory until the terminal CQEs. A step whose
// CQE says it succeeded before the cancel reached it completed: Await
// returns its value and no error (an opened or accepted fd is the
// caller's), as future's Await does.
func (s Step[T]) Await(ctx context.Context) (T, error) {
	var zero T
	if s.c == nil {
		return zero, ErrNilChain
	}
	if s.i < 0 {
		return zero, s.c.err
	}
	r := s.c.result(ctx, s.i)
	switch r.Outcome {
	case Completed, Short, Failed:
		s.c.mu.Lock()
		cqe := s.c.elems[s.i].cqe
		s.c.mu.Unlock()
		cqe.Res = r.Res
		return s.op.Result(cqe)
	case Pending:
		return zero, r.Err
	}
	return zero, r.Err
}

// Op returns the step's operation.
func (s Step[T]) Op() future.Op[T] { return s.op }
