package future

import (
	"context"
	"sync"
	"sync/atomic"

	"github.com/uringkit/uring/ring"
)

// Future is an operation in flight (or a composition of them): Await
// returns its result. Await caches the result, so awaiting twice returns
// the same value; Await from one goroutine at a time (an Await while
// another goroutine is in Await fails with ErrConcurrentAwait). Cancel and
// UserData may be called from any goroutine, also while Await runs.
type Future[T any] struct {
	// awaiting is set while a goroutine is in Await. Two goroutines
	// waiting on one Request lost a completion: one took the result and
	// gave the Request back to the pool, the other waited forever
	// (TestFutureAwaitedConcurrently).
	awaiting atomic.Bool
	// mu orders Cancel and UserData with Await giving req back to the
	// pool: without it a Cancel racing with the end of Await read a req
	// that was nil by then (a panic), or one that the pool had handed to
	// another operation, which it then cancelled
	// (TestFutureCancelFromAnotherGoroutine).
	mu    sync.Mutex
	req   *ring.Request
	op    Op[T]
	wait  func(ctx context.Context) (T, error) // a composed future
	ready func() bool                          // a composed future's Ready; nil: not before Await
	done  bool
	val   T
	err   error
}

// Submit hands the operation to the Loop and returns its Future. A build
// error, an opcode the kernel lacks (a *ring.NotSupportedError naming it
// and the kernel that added it) or a closed Loop fail the Future without
// anything being submitted, and so do a multishot operation (an
// *ArgError: range over it with Stream) and a ctx that has ended already
// (its error, as Await gives it). Submit blocks while the Loop is full,
// honouring ctx; that is all ctx does here: it does not cancel the
// operation once submitted (the ctx given to Future.Await does, and so
// does Future.Cancel).
func (o Op[T]) Submit(ctx context.Context, l *ring.Loop) *Future[T] {
	o = o.single().Fresh()
	r, err := o.submit(ctx, l)
	if err != nil {
		return &Future[T]{done: true, err: err}
	}
	return &Future[T]{req: r, op: o}
}

// single returns o, or, for a multishot operation, o carrying an
// *ArgError. A Future has one result: awaiting a multishot op waited for
// its terminal CQE and dropped every value before it, with what they
// hold (each CQE of AcceptMultishot a new fd, of RecvMultishot a provided
// buffer), where Stream hands each one over.
func (o Op[T]) single() Op[T] {
	if o.multishot {
		return o.withErr("multishot operation: range over it with Stream")
	}
	return o
}

// submit prepares a pooled Request with the SQE and kept memory and submits it.
func (o Op[T]) submit(ctx context.Context, l *ring.Loop) (*ring.Request, error) {
	if err := o.Err(); err != nil {
		return nil, err
	}
	if l == nil {
		return nil, ErrNilLoop
	}
	if ctx.Err() != nil {
		// Ended already: submit nothing, as a read with data waiting
		// would succeed, and consume the data, for a caller who has
		// given up (TestEndedContextSubmitsNothing).
		return nil, ring.ContextError(ctx)
	}
	r := ring.NewRequest()
	r.SQE = o.sqe
	if o.keep != nil {
		r.Keep = o.keep // a pointer in an interface: no allocation
	}
	if err := l.Submit(ctx, r); err != nil {
		r.Release()
		return nil, err
	}
	return r, nil
}

// Await submits the operation and waits for its result: Submit and
// Future.Await in one call, without allocating a Future. A multishot
// operation, and a ctx that has ended already, fail as in Submit.
func (o Op[T]) Await(ctx context.Context, l *ring.Loop) (T, error) {
	o = o.single().Fresh()
	r, err := o.submit(ctx, l)
	if err != nil {
		var zero T
		return zero, err
	}
	return o.await(ctx, r)
}

// await waits for r's terminal CQE, gives r back to the pool and decodes.
func (o Op[T]) await(ctx context.Context, r *ring.Request) (T, error) {
	c, err := r.Wait(ctx)
	completed := r.Completed()
	r.Release()
	return o.outcome(c, err, completed)
}

// outcome is the value of a terminal CQE that Wait returned with err.
// With the context's error (completed: the CQE is the op's own) the op
// may still have succeeded, before the cancel reached it; its effect
// happened then (a read consumed the data, a write wrote, an accept made
// a connection), and its value is returned with no error, since the
// context's error would lose it (TestCancelledOpKeepsItsResult). With the
// Loop's error there is no terminal CQE (Res 0 is no descriptor): that
// error.
func (o Op[T]) outcome(c ring.CQE, err error, completed bool) (T, error) {
	if err != nil && !(completed && o.succeeded(c)) {
		var zero T
		return zero, err
	}
	return o.Result(c)
}

// succeeded reports whether c, a terminal CQE of the operation, is a
// success: res >= 0, or the errno that means success for it (ETIME for a
// timeout).
func (o Op[T]) succeeded(c ring.CQE) bool {
	return c.Res >= 0 || (o.okErrno != 0 && Errno(c.Res) == o.okErrno)
}

// Await waits for the result. If ctx ends first the operation is
// cancelled in the kernel (IORING_OP_ASYNC_CANCEL), its terminal CQE is
// still awaited (its memory stays alive until then), and the error is
// context.Cause(ctx); a passed deadline also satisfies
// errors.Is(err, os.ErrDeadlineExceeded). If the operation succeeded
// before the cancel reached it, Await returns its value and no error: its
// effect happened (data read or written, a descriptor opened or
// accepted, which the caller owns). So an error means the operation did
// not succeed and the caller owns nothing new.
func (f *Future[T]) Await(ctx context.Context) (T, error) {
	var zero T
	if f == nil {
		return zero, ErrNilFuture
	}
	if !f.awaiting.CompareAndSwap(false, true) {
		return zero, ErrConcurrentAwait
	}
	defer f.awaiting.Store(false)
	if f.done {
		return f.val, f.err
	}
	if f.wait == nil && f.req == nil {
		return zero, ErrNilFuture // a zero Future: nothing to wait for
	}
	if f.wait != nil {
		f.val, f.err = f.wait(ctx)
	} else {
		r := f.req
		c, err := r.Wait(ctx)
		completed := r.Completed()
		f.mu.Lock()
		f.req = nil // from now on Cancel and UserData leave r alone
		f.mu.Unlock()
		r.Release()
		f.val, f.err = f.op.outcome(c, err, completed)
	}
	f.done = true
	return f.val, f.err
}

// Cancel asks the kernel to cancel the operation; Await still returns its
// result (usually an error matching syscall.ECANCELED). It does nothing for
// a composed future or one that has finished. It is safe from any
// goroutine, also while another one is in Await.
func (f *Future[T]) Cancel() {
	if f == nil {
		return
	}
	f.mu.Lock()
	defer f.mu.Unlock()
	if f.req != nil {
		f.req.Cancel()
	}
}

// Ready reports whether Await would return without waiting: the
// operation's terminal CQE has arrived (or the Future failed at Submit, or
// was awaited already). It never blocks and may be called any number of
// times before Await, from the goroutine that will call Await. A Map
// future is ready when its source is; a Then future only once awaited,
// because Await is what submits its dependent op.
func (f *Future[T]) Ready() bool {
	switch {
	case f == nil || f.done:
		return true
	case f.wait != nil:
		return f.ready != nil && f.ready()
	case f.req == nil:
		return true // a zero Future: Await fails at once
	default:
		return f.req.Done()
	}
}

// UserData returns the user_data of the operation's SQE while it is in
// flight, for operations that target it (Cancel, timeout.Update,
// timeout.Remove, PollRemove, PollUpdate); 0 for a composed or finished
// future.
func (f *Future[T]) UserData() uint64 {
	if f == nil {
		return 0
	}
	f.mu.Lock()
	defer f.mu.Unlock()
	if f.req == nil {
		return 0
	}
	return f.req.UserData()
}

// Done returns a Future that is already resolved with (v, err).
func Done[T any](v T, err error) *Future[T] { return &Future[T]{done: true, val: v, err: err} }
