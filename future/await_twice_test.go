//go:build linux

package future_test

import (
	"context"
	"errors"
	"sync"
	"testing"
	"time"

	"github.com/google/go-cmp/cmp"
	"github.com/google/go-cmp/cmp/cmpopts"
	"golang.org/x/sys/unix"

	"github.com/uringkit/uring/future"
)

// TestFutureAwaitedConcurrently: a Future awaited by two goroutines at
// once, directly or through two Maps of it raced with future.Race. One
// Await gets the read's result; the other gets it too (if it came after)
// or future.ErrConcurrentAwait, and neither blocks (a Race that
// ErrConcurrentAwait wins cancels the read, as Race cancels losers). Before the fix both
// waited on the same Request: one took the result and gave the Request
// back to the pool, and the other waited forever for a CQE that had been
// taken (the test timed out), or the Request went into the pool twice.
func TestFutureAwaitedConcurrently(t *testing.T) {
	ctx := context.Background()
	type res struct {
		N   int
		Err error
	}
	for _, how := range []string{"two goroutines", "Race of two Maps"} {
		t.Run(how, func(t *testing.T) {
			for i := range 40 {
				r, w := pipe(t)
				f := future.Read(r, make([]byte, 8), -1).Submit(ctx, loop)
				var got []res
				var mu sync.Mutex
				var wg sync.WaitGroup
				switch how {
				case "two goroutines":
					for range 2 {
						wg.Go(func() {
							n, err := f.Await(ctx)
							mu.Lock()
							got = append(got, res{n, err})
							mu.Unlock()
						})
					}
				default:
					id := func(n int) int { return n }
					wg.Go(func() {
						_, n, err := future.Race(ctx, future.Map(f, id), future.Map(f, id))
						got = append(got, res{n, err})
					})
				}
				time.Sleep(200 * time.Microsecond) // both are waiting
				unix.Write(w, []byte("x"))
				done := make(chan struct{})
				go func() { wg.Wait(); close(done) }()
				select {
				case <-done:
				case <-time.After(time.Second):
					t.Fatalf("round %d: an Await still blocks 1 s after the read completed", i)
				}
				one := res{1, nil}
				for _, g := range got {
					if !cmp.Equal(g, one, cmpopts.EquateErrors()) && !errors.Is(g.Err, future.ErrConcurrentAwait) {
						t.Fatalf("round %d: Await = %+v, want %+v or ErrConcurrentAwait", i, g, one)
					}
				}
				// A Race won by ErrConcurrentAwait cancels the other Await,
				// which then cancels the read.
				n, err := f.Await(ctx)
				if (n != 1 || err != nil) && (how == "two goroutines" || !errors.Is(err, context.Canceled)) {
					t.Fatalf("round %d: a later Await = %d, %v; want the cached 1, nil", i, n, err)
				}
			}
			// The pool is sound: concurrent operations get their own results.
			var wg sync.WaitGroup
			errs := make(chan string, 8)
			for g := range 4 {
				wg.Go(func() {
					for i := range 200 {
						if v, err := future.NopResult(int32(g*1000+i)).Await(ctx, loop); v != g*1000+i || err != nil {
							errs <- "NopResult gave another op's result"
							return
						}
					}
				})
			}
			wg.Wait()
			close(errs)
			for e := range errs {
				t.Error(e)
			}
			if st := loop.Stats(); st.InFlight != 0 {
				t.Errorf("in flight afterwards: %d", st.InFlight)
			}
		})
	}
}
