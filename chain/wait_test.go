//go:build linux

package chain_test

import (
	"context"
	"errors"
	"os"
	"syscall"
	"testing"
	"time"

	"github.com/google/go-cmp/cmp"
	"github.com/uringkit/uring/chain"
	"github.com/uringkit/uring/future"
	"github.com/uringkit/uring/ring"
)

// TestWaitReportsShortRead: Wait names the short step, the cancelled step's
// error names it as the cause, and the typed handles give each step's value.
func TestWaitReportsShortRead(t *testing.T) {
	fx := newFixtures(t)
	ctx := context.Background()
	c := chain.New()
	r := chain.Add(c, fx.shortRead())
	w := chain.Add(c, future.Write(fx.short, make([]byte, 100), 0))
	if err := c.Submit(ctx, loop); err != nil {
		t.Fatal(err)
	}
	var se *chain.ShortError
	if err := c.Wait(ctx); !errors.As(err, &se) || *se != (chain.ShortError{Step: 0, Op: ring.OpRead, Got: 10, Want: 100}) {
		t.Errorf("Wait = %v, want step 0 short 10 of 100", err)
	}
	if n, err := r.Await(ctx); n != 10 || err != nil {
		t.Errorf("short step = %d, %v; want 10, nil", n, err)
	}
	_, err := w.Await(ctx)
	var ce *chain.CancelledError
	if !errors.As(err, &ce) || ce.By != 0 || !errors.Is(err, syscall.ECANCELED) || !errors.As(ce.Cause, &se) {
		t.Errorf("cancelled step = %v", err)
	}
	if got := w.Result(ctx); got.Outcome != chain.Cancelled || got.By != 0 {
		t.Errorf("Result = %+v", got)
	}
}

// TestContextCancelsChain: a context that ends while the chain waits
// cancels it in the kernel; no step is left running. The same holds when
// the step awaited is one that has not started yet, behind a step that
// blocks forever: the Loop then cancels the step that runs, which cancels
// the rest of the chain.
func TestContextCancelsChain(t *testing.T) {
	for _, tc := range []struct {
		name  string
		await func(ctx context.Context, c *chain.Chain, last chain.Step[struct{}]) error
	}{
		{"Wait", func(ctx context.Context, c *chain.Chain, _ chain.Step[struct{}]) error { return c.Wait(ctx) }},
		{"later step", func(ctx context.Context, _ *chain.Chain, last chain.Step[struct{}]) error {
			_, err := last.Await(ctx)
			return err
		}},
	} {
		t.Run(tc.name, func(t *testing.T) {
			fx := newFixtures(t)
			ctx, cancel := context.WithTimeout(context.Background(), 5*time.Millisecond)
			defer cancel()
			c := chain.New()
			chain.Add(c, fx.pipeRead())
			last := chain.Add(c, future.Nop())
			if err := c.Submit(context.Background(), loop); err != nil {
				t.Fatal(err)
			}
			if err := tc.await(ctx, c, last); !errors.Is(err, os.ErrDeadlineExceeded) {
				t.Errorf("await = %v, want the context's deadline", err)
			}
			var got []chain.Outcome
			for _, r := range c.Results(context.Background()) {
				got = append(got, r.Outcome)
			}
			if diff := cmp.Diff([]chain.Outcome{chain.Cancelled, chain.Cancelled}, got); diff != "" {
				t.Errorf("outcomes (-want +got):\n%s", diff)
			}
		})
	}
}

// TestStepValues: typed handles of different result types in one chain.
func TestStepValues(t *testing.T) {
	fx := newFixtures(t)
	ctx := context.Background()
	c := chain.New()
	st := chain.Add(c, future.Statx(fx.short, "", 0x1000 /* AT_EMPTY_PATH */, 0x200 /* STATX_SIZE */))
	rd := chain.Add(c, future.Read(fx.short, make([]byte, 4), 0))
	nop := chain.Add(c, future.Nop())
	if err := c.Submit(ctx, loop); err != nil {
		t.Fatal(err)
	}
	s, err1 := st.Await(ctx)
	n, err2 := rd.Await(ctx)
	v, err3 := nop.Await(ctx)
	if s.Size != 10 || n != 4 || v != struct{}{} || errors.Join(err1, err2, err3) != nil {
		t.Errorf("statx size %d, read %d, nop %v, errors %v %v %v", s.Size, n, v, err1, err2, err3)
	}
	if st.Index() != 0 || rd.Index() != 1 || nop.Index() != 2 {
		t.Errorf("indexes %d %d %d", st.Index(), rd.Index(), nop.Index())
	}
}

// TestConcurrentChains: chains submitted from many goroutines, mixed with
// single operations, keep their link semantics: a chain is one contiguous
// group, so no other SQE can land inside it and break or extend a link.
func TestConcurrentChains(t *testing.T) {
	fx := newFixtures(t)
	ctx := context.Background()
	errs := make(chan error, 16)
	for g := range 16 {
		go func() {
			for range 100 {
				if g%4 == 0 {
					if _, err := future.Nop().Await(ctx, loop); err != nil {
						errs <- err
						return
					}
					continue
				}
				c := chain.New()
				chain.Add(c, future.Nop())
				chain.Add(c, fx.shortRead())
				chain.Add(c, future.Nop())
				if err := c.Submit(ctx, loop); err != nil {
					errs <- err
					return
				}
				rs := c.Results(ctx)
				if rs[0].Outcome != chain.Completed || rs[1].Outcome != chain.Short || rs[2].Outcome != chain.Cancelled || rs[2].By != 1 {
					errs <- errors.New("chain outcomes " + rs[0].Outcome.String() + ", " + rs[1].Outcome.String() + ", " + rs[2].Outcome.String())
					return
				}
			}
			errs <- nil
		}()
	}
	for range 16 {
		if err := <-errs; err != nil {
			t.Fatal(err)
		}
	}
}
