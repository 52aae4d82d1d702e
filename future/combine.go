package future

import (
	"context"
	"errors"
	"sync"

	"github.com/uringkit/uring/ring"
)

// Map returns a Future whose value is fn applied to f's value; an error
// passes through unchanged.
func Map[A, B any](f *Future[A], fn func(A) B) *Future[B] {
	return &Future[B]{wait: func(ctx context.Context) (B, error) {
		a, err := f.Await(ctx)
		if err != nil {
			var zero B
			return zero, err
		}
		return fn(a), nil
	}, ready: f.Ready}
}

// Then returns a Future for a dependent operation: when f succeeds, next
// builds an Op from its value and that Op runs on l. The dependent op is
// submitted when the returned Future is awaited. An error from f passes
// through and next is not called. To have the kernel start the next op
// without a round trip, link them with package chain instead.
func Then[A, B any](f *Future[A], l *ring.Loop, next func(A) Op[B]) *Future[B] {
	return &Future[B]{wait: func(ctx context.Context) (B, error) {
		a, err := f.Await(ctx)
		if err != nil {
			var zero B
			return zero, err
		}
		return next(a).Await(ctx, l)
	}}
}

// All awaits every future and returns their values in order. The error
// joins the failures (errors.Join); values of failed futures are zero.
// Every future is awaited even when one fails.
func All[T any](ctx context.Context, fs ...*Future[T]) ([]T, error) {
	out := make([]T, len(fs))
	var errs []error
	for i, f := range fs {
		v, err := f.Await(ctx)
		out[i] = v
		if err != nil {
			errs = append(errs, err)
		}
	}
	return out, errors.Join(errs...)
}

// Join2 awaits two futures of different types.
func Join2[A, B any](ctx context.Context, fa *Future[A], fb *Future[B]) (A, B, error) {
	a, errA := fa.Await(ctx)
	b, errB := fb.Await(ctx)
	return a, b, errors.Join(errA, errB)
}

// Join3 awaits three futures of different types.
func Join3[A, B, C any](ctx context.Context, fa *Future[A], fb *Future[B], fc *Future[C]) (A, B, C, error) {
	a, errA := fa.Await(ctx)
	b, errB := fb.Await(ctx)
	c, errC := fc.Await(ctx)
	return a, b, c, errors.Join(errA, errB, errC)
}

// Race returns the index, value and error of the first future to finish
// (success or failure). The others are cancelled in the kernel and their
// terminal CQEs awaited before Race returns, so no operation is left
// running and no memory is released early. A loser that succeeded before
// the cancel reached it keeps its value in its Future (await it to
// release what it created, such as an accepted fd); the others keep the
// cancel's error. A Future passed twice
// (or two Maps of one Future) is awaited from two goroutines at once: one
// of them gets ErrConcurrentAwait.
func Race[T any](ctx context.Context, fs ...*Future[T]) (int, T, error) {
	return race(ctx, false, fs)
}

// First returns the index and value of the first future to succeed; the
// others are cancelled and awaited as in Race. If every future fails, the
// index is -1 and the error joins the failures.
func First[T any](ctx context.Context, fs ...*Future[T]) (int, T, error) {
	return race(ctx, true, fs)
}

type raceResult[T any] struct {
	i   int
	v   T
	err error
}

func race[T any](ctx context.Context, needOK bool, fs []*Future[T]) (int, T, error) {
	var zero T
	if len(fs) == 0 {
		return -1, zero, errors.New("future: Race of no futures")
	}
	rctx, cancel := context.WithCancel(ctx)
	defer cancel()
	results := make(chan raceResult[T], len(fs))
	var wg sync.WaitGroup
	for i, f := range fs {
		wg.Add(1)
		go func() {
			defer wg.Done()
			v, err := f.Await(rctx)
			results <- raceResult[T]{i, v, err}
		}()
	}
	winner := raceResult[T]{i: -1}
	var errs []error
	for range fs {
		r := <-results
		if winner.i >= 0 {
			continue
		}
		if needOK && r.err != nil {
			errs = append(errs, r.err)
			continue
		}
		winner = r
		cancel() // the losers' Awaits cancel in the kernel and wait for their CQEs
	}
	wg.Wait()
	if winner.i < 0 {
		if err := ctx.Err(); err != nil {
			return -1, zero, ring.ContextError(ctx) // a deadline matches os.ErrDeadlineExceeded too, as in Await
		}
		return -1, zero, errors.Join(errs...)
	}
	return winner.i, winner.v, winner.err
}
