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
// is full, honouring ctx. A second Submit, also a concurrent one, fails
// with ErrSubmitted.
func (c *Chain) Submit(ctx context.Context, l *ring.Loop) error {
	// Under mu: two Submits at once both passed the submitted check and
	// filled the one request array together (TestSubmitConcurrently);
	// now the second waits and gets ErrSubmitted. Step.Await and Wait
	// from other goroutines wait for the submission instead of reporting
	// the chain unsubmitted while it is on its way.
	c.mu.Lock()
	defer c.mu.Unlock()
	if c.submitted {
		return chainError(ErrSubmitted)
	}
	if l == nil {
		return future.ErrNilLoop
	}
	if err := c.Validate(l.MaxGroup()); err != nil {
		return err
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
	if err := l.Submit(ctx, c.reqs...); err != nil {
		for i := range c.elems {
			c.elems[i].req.Release()
			c.elems[i].req = nil
		}
		return err
	}
	c.submitted = true
	return nil
}

// collect waits for the terminal CQE of element i (under c.mu).
func (c *Chain) collect(ctx context.Context, i int) {
	e := &c.elems[i]
	if e.done || e.req == nil {
		return
	}
	cqe, err := e.req.Wait(ctx)
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
}

// result waits for what step element i's classification needs and
// classifies it.
func (c *Chain) result(ctx context.Context, i int) Result {
	c.mu.Lock()
	defer c.mu.Unlock()
	if !c.submitted {
		return Result{Outcome: Pending, By: -1, Err: &BuildError{Elem: i, Step: c.elems[i].step, Op: c.opAt(i), Err: errNotSubmitted}}
	}
	c.collect(ctx, i)
	e := &c.elems[i]
	if e.werr == nil && (e.cqe.Res == -int32(syscall.ECANCELED) || e.cqe.Res == -int32(syscall.EINTR)) {
		// Was it the step's own linked timeout or an earlier step? Those
		// have completed (links run in order), so waiting for them is brief.
		for k := 0; k < i; k++ {
			c.collect(ctx, k)
		}
		if e.lt >= 0 {
			c.collect(ctx, e.lt)
		}
		if r := c.classify(i); r.Outcome != Cancelled || r.By >= 0 {
			return r
		}
		// No cause before it: a failure at submission fails the whole
		// chain, so look at the steps after it too.
		for k := i + 1; k < len(c.elems); k++ {
			c.collect(ctx, k)
		}
	}
	return c.classify(i)
}

// Wait waits for every SQE of the chain and returns nil if every step
// completed, else the error of the step that broke the chain (a
// *ShortError for a short transfer), or of the first step that did not
// complete.
func (c *Chain) Wait(ctx context.Context) error {
	c.mu.Lock()
	defer c.mu.Unlock()
	if !c.submitted {
		return chainError(errNotSubmitted)
	}
	for k := range c.elems {
		c.collect(ctx, k)
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

// Results waits like Wait and returns every step's Result, in step order.
func (c *Chain) Results(ctx context.Context) []Result {
	c.Wait(ctx)
	c.mu.Lock()
	defer c.mu.Unlock()
	out := make([]Result, 0, c.steps)
	for i := range c.elems {
		if !c.elems[i].isTimeout && !c.elems[i].internal {
			out = append(out, c.classify(i))
		}
	}
	return out
}

// Result waits for this step's outcome and returns it.
func (s Step[T]) Result(ctx context.Context) Result {
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
func (s Step[T]) Await(ctx context.Context) (T, error) {
	var zero T
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
