//go:build linux

package chain_test

import (
	"context"
	"errors"
	"syscall"
	"testing"
	"time"

	"github.com/google/go-cmp/cmp"
	"github.com/uringkit/uring/chain"
	"github.com/uringkit/uring/future"
	"github.com/uringkit/uring/internal/testutil"
)

// hangAfter bounds a wait that the bug turns into a hang: a hang
// detector with a generous margin, not a timing assertion.
const hangAfter = 30 * time.Second

// waitInCollect returns once some goroutine waits for a chain's CQE (it is
// in chain's collect, below Request.Wait).
func waitInCollect(t *testing.T) {
	t.Helper()
	testutil.WaitForStack(t, "waiting for the chain", "chain.(*Chain).collect", "ring.(*Request).Wait")
}

// TestStepAwaitHonoursOwnContext: while one goroutine awaits a step that
// blocks in the kernel (a read of an empty pipe), an Await of the same
// step or of a later step, from another goroutine, with a context that
// has ended, returns that context's error instead of waiting for the
// first goroutine. Awaiting the same step leaves the operation to the
// goroutine that waits for it, which then gets the data; awaiting the
// later step cancels the chain in the kernel, as an Await whose context
// ends does, and the first goroutine sees its step cancelled. Before the
// fix the second Await waited for the chain's lock, held across the
// first one's kernel wait: it hung in both cases.
func TestStepAwaitHonoursOwnContext(t *testing.T) {
	for _, sameStep := range []bool{true, false} {
		name := map[bool]string{true: "same step", false: "later step"}[sameStep]
		t.Run(name, func(t *testing.T) {
			pr, pw := testutil.Pipe(t)
			c := chain.New()
			rd := chain.Add(c, future.Read(int(pr.Fd()), make([]byte, 4), -1))
			nop := chain.Add(c, future.Nop())
			if err := c.Submit(context.Background(), loop); err != nil {
				t.Fatal(err)
			}
			type result struct {
				n   int
				err error
			}
			first := make(chan result, 1)
			go func() {
				n, err := rd.Await(context.Background())
				first <- result{n, err}
			}()
			waitInCollect(t)

			ctx, cancel := context.WithCancel(context.Background())
			cancel()
			second := make(chan error, 1)
			go func() {
				var err error
				if sameStep {
					_, err = rd.Await(ctx)
				} else {
					_, err = nop.Await(ctx)
				}
				second <- err
			}()
			select {
			case err := <-second:
				if !errors.Is(err, context.Canceled) {
					t.Errorf("second Await = %v, want context.Canceled", err)
				}
			case <-time.After(hangAfter):
				pw.Write([]byte("data")) // let the first Await end, and the test with it
				t.Fatal("the second Await ignored its context while another goroutine awaited the chain")
			}

			if sameStep {
				if _, err := pw.Write([]byte("data")); err != nil {
					t.Fatal(err)
				}
				if got := <-first; got != (result{4, nil}) {
					t.Errorf("first Await = %d, %v; want 4, nil", got.n, got.err)
				}
				if _, err := nop.Await(context.Background()); err != nil {
					t.Errorf("NOP after the read = %v", err)
				}
				return
			}
			got := <-first
			var ce *chain.CancelledError
			if !errors.As(got.err, &ce) || !errors.Is(got.err, syscall.ECANCELED) {
				t.Fatalf("first Await = %d, %v; want a *CancelledError", got.n, got.err)
			}
			if diff := cmp.Diff(chain.CancelledError{Step: 0, Op: rd.Op().Opcode(), By: -1}, *ce); diff != "" {
				t.Errorf("first Await's error (-want +got):\n%s", diff)
			}
		})
	}
}
