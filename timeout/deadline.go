package timeout

import (
	"context"
	"errors"
	"syscall"
	"time"

	"github.com/uringkit/uring/future"
	"github.com/uringkit/uring/ring"
)

// Grace is how long after a context's deadline Await still waits for the
// kernel's linked timeout before cancelling from user space. The backstop
// matters where a linked timeout cannot fire: on 6.18 an operation blocked
// inside an io-wq worker (FIFO open, splice from an empty pipe) is not cut
// off by its linked timeout. It is a variable so that a program can trade
// the backstop's latency against spurious user-space cancels on a loaded
// machine; set it before use.
var Grace = 100 * time.Millisecond

// deadlineKeep holds the linked timeout's timespec.
type deadlineKeep struct{ ts ring.Timespec }

// Await runs op on l and returns its result. If ctx has a deadline, the
// deadline goes to the kernel as a linked timeout (op|IOSQE_IO_LINK then
// IORING_OP_LINK_TIMEOUT, submitted as one group), so the kernel cuts the
// operation off itself, without a cancel round trip; the error then
// satisfies errors.Is(err, os.ErrDeadlineExceeded) and, as with
// future.Op.Await, errors.Is(err, context.DeadlineExceeded), and
// errors.As finds the *future.Error with Deadline set. Cancelling ctx
// (rather than its deadline passing) cancels op from user space as
// future.Op.Await does. As there, an op that succeeded before the cancel
// reached it returns its value and no error (an opened or accepted fd is
// the caller's). A ctx that
// has ended already submits nothing and gives its error. Without a
// deadline Await is op.Await(ctx, l).
func Await[T any](ctx context.Context, l *ring.Loop, op future.Op[T]) (T, error) {
	var zero T
	dl, ok := ctx.Deadline()
	if !ok || op.Multishot() {
		return op.Await(ctx, l)
	}
	if err := op.Err(); err != nil {
		return zero, err
	}
	if l == nil {
		return zero, future.ErrNilLoop
	}
	if ctx.Err() != nil {
		return zero, ring.ContextError(ctx) // passed already: submit nothing, as op.Await
	}
	op = op.Fresh() // result memory of this submission's own
	s := After(time.Until(dl))
	k := &deadlineKeep{ts: s.Timespec()}
	target, lt := ring.NewRequest(), ring.NewRequest()
	target.SQE = op.SQE()
	target.SQE.Flags |= ring.SQEIOLink
	target.Keep = op.Keep()
	lt.SQE.PrepLinkTimeout(&k.ts, s.Flags())
	lt.Keep = k
	if err := l.Submit(ctx, target, lt); err != nil {
		target.Release()
		lt.Release()
		return zero, err
	}
	// Wait past the deadline (the kernel's timer decides), but still stop
	// on an explicit cancel, and on a backstop after Grace.
	wctx, cancel := context.WithDeadline(context.WithoutCancel(ctx), dl.Add(Grace))
	defer cancel()
	stop := context.AfterFunc(ctx, func() {
		if !errors.Is(ctx.Err(), context.DeadlineExceeded) {
			cancel()
		}
	})
	defer stop()
	c, err := target.Wait(wctx)
	completed := target.Completed()
	lc, lerr := lt.Wait(context.WithoutCancel(ctx))
	target.Release()
	lt.Release()
	if err != nil && completed {
		// The op's own CQE. If it succeeded before the cancel reached
		// it, its effect happened (an fd opened, data read): its value,
		// not the context's error, which would lose it.
		if v, rerr := op.Result(c); rerr == nil {
			return v, nil
		}
	}
	if err != nil {
		if !completed {
			// The Loop resolved the op without its terminal CQE (closed,
			// broken): its error wins over the context's, as in Wait and
			// future.Op.Await; the op may still be in the kernel.
			return zero, err
		}
		if errors.Is(ctx.Err(), context.Canceled) {
			return zero, context.Cause(ctx)
		}
		return zero, err // the backstop: a deadline error from the Loop
	}
	if (c.Res == -int32(syscall.ECANCELED) || c.Res == -int32(syscall.EINTR)) && lerr == nil && lc.Res == -int32(syscall.ETIME) {
		return zero, &contextDeadlineError{&future.Error{Op: op.Opcode(), Errno: future.Errno(c.Res), Deadline: true}}
	}
	return op.Result(c)
}

// contextDeadlineError is the error of an operation that the linked
// timeout made from ctx's deadline cut off: the *future.Error (through
// Unwrap, for errors.As and the errno), and also context.DeadlineExceeded,
// as for future.Op.Await and for the user-space backstop, so that a
// program checking errors.Is(err, context.DeadlineExceeded) sees the same
// deadline whichever of them ended the wait.
type contextDeadlineError struct{ err *future.Error }

func (e *contextDeadlineError) Error() string { return e.err.Error() }
func (e *contextDeadlineError) Unwrap() error { return e.err }
func (e *contextDeadlineError) Timeout() bool { return true }
func (e *contextDeadlineError) Is(target error) bool {
	return target == context.DeadlineExceeded
}
