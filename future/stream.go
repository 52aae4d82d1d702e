package future

import (
	"context"
	"iter"
	"syscall"

	"github.com/uringkit/uring/ring"
)

// Stream submits a multishot operation (AcceptMultishot, RecvMultishot,
// ReadMultishot, PollMultishot, timeout.Ticker, ...) and returns its CQEs
// as a sequence to range over. Each value comes with the error of its CQE;
// the sequence ends after the kernel's terminal CQE (one without
// IORING_CQE_F_MORE). Breaking out of the loop cancels the operation in the
// kernel and waits for its terminal CQE before the range statement ends;
// what the CQEs that arrive meanwhile created is released (Discard:
// buffers go back to their ring, accepted fds are closed). A panic or
// runtime.Goexit in the loop body ends the operation the same way on its
// way out. If ctx ends, the operation is cancelled the same way and the
// last value is ctx's error.
//
// A single-shot Op streams one value.
func (o Op[T]) Stream(ctx context.Context, l *ring.Loop) iter.Seq2[T, error] {
	return func(yield func(T, error) bool) {
		var zero T
		o := o.Fresh()
		r, err := o.submit(ctx, l)
		if err != nil {
			yield(zero, err)
			return
		}
		ended := false // the terminal CQE was taken
		defer func() {
			if !ended {
				// A break, or a panic or runtime.Goexit (as t.Fatal
				// does) in the range body: cancel the operation and
				// wait for its terminal CQE, or it runs on in the kernel
				// for good; hand back the buffers of what arrives.
				r.Cancel()
				for {
					c, ok, _ := r.Next(context.WithoutCancel(ctx))
					if !ok {
						break
					}
					if c.Flags&ring.CQEFNotif == 0 {
						o.Discard(l, c) // close an accepted fd, give a buffer back
					}
				}
			}
			r.Release()
		}()
		for {
			c, ok, err := r.Next(ctx)
			if !ok {
				ended = true
				if err != nil {
					yield(zero, err)
				}
				return
			}
			if c.Flags&ring.CQEFNotif != 0 {
				continue
			}
			v, verr := o.Result(c)
			if !c.More() && c.Res == -int32(syscall.ECANCELED) && ctx.Err() != nil {
				// Draining after ctx's cancel: hand provided buffers back.
				releaseValue(v, verr)
				continue
			}
			if !yield(v, verr) {
				return // the deferred drain ends the operation
			}
		}
	}
}
