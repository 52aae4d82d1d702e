//go:build linux

package chain_test

import (
	"context"
	"errors"
	"testing"

	"github.com/google/go-cmp/cmp"
	"github.com/uringkit/uring/chain"
	"github.com/uringkit/uring/future"
	"github.com/uringkit/uring/ring"
	"github.com/uringkit/uring/timeout"
)

// noPanic runs fn and fails the test if it panics.
func noPanic(t *testing.T, what string, fn func()) {
	t.Helper()
	defer func() {
		if p := recover(); p != nil {
			t.Fatalf("%s panicked: %v", what, p)
		}
	}()
	fn()
}

// TestNilChain: Add to a nil *Chain, the Step it returns, and the Chain
// methods on a nil *Chain give ErrNilChain (or nothing to do) instead of
// dereferencing it. Before the fix Add(nil, op) panicked.
func TestNilChain(t *testing.T) {
	ctx := context.Background()
	var c *chain.Chain
	var s chain.Step[struct{}]
	noPanic(t, "Add(nil, op)", func() { s = chain.Add(c, future.Nop()).HardLink().Drain().SkipSuccess() })
	noPanic(t, "methods of a nil Chain and its Step", func() {
		if _, err := s.Await(ctx); !errors.Is(err, chain.ErrNilChain) {
			t.Errorf("Step.Await = %v, want ErrNilChain", err)
		}
		if diff := cmp.Diff(chain.Result{Outcome: chain.Pending, By: -1, Err: chain.ErrNilChain}, s.Result(ctx), cmp.Comparer(errEqual)); diff != "" {
			t.Errorf("Step.Result (-want +got):\n%s", diff)
		}
		if s.Index() != -1 {
			t.Errorf("Step.Index = %d, want -1", s.Index())
		}
		if got := c.LinkTimeout(timeout.After(0)); got != nil {
			t.Errorf("LinkTimeout on a nil Chain = %p, want nil", got)
		}
		for name, err := range map[string]error{
			"Submit":   c.Submit(ctx, loop),
			"Validate": c.Validate(64),
			"Wait":     c.Wait(ctx),
		} {
			if !errors.Is(err, chain.ErrNilChain) {
				t.Errorf("%s = %v, want ErrNilChain", name, err)
			}
		}
		if c.Len() != 0 || c.Steps() != 0 || c.Results(ctx) != nil {
			t.Errorf("Len, Steps, Results = %d, %d, %v; want 0, 0, nil", c.Len(), c.Steps(), c.Results(ctx))
		}
	})
	// The zero Step, which no Add made, is the same.
	noPanic(t, "the zero Step", func() {
		if _, err := (chain.Step[int]{}).Await(ctx); !errors.Is(err, chain.ErrNilChain) {
			t.Errorf("zero Step's Await = %v, want ErrNilChain", err)
		}
	})
}

// TestZeroOpStep: the zero future.Op, which no constructor made, added to
// a chain is a build error naming it (future.ErrZeroOp) that Submit
// returns with nothing submitted; the steps then report the chain
// unsubmitted (ring.ErrNotSubmitted), and a new chain on the same Loop
// runs. Before the fix the chain submitted a
// NOP for it, and awaiting its step panicked (the Op has no decoder).
func TestZeroOpStep(t *testing.T) {
	ctx := context.Background()
	c := chain.New()
	nop := chain.Add(c, future.Nop())
	var zero chain.Step[int]
	noPanic(t, "Add(c, Op{})", func() { zero = chain.Add(c, future.Op[int]{}) })
	var be *chain.BuildError
	if err := c.Submit(ctx, loop); !errors.As(err, &be) {
		t.Fatalf("Submit = %v, want a *BuildError", err)
	}
	want := chain.BuildError{Elem: 1, Step: 1, Op: ring.OpNop, Err: future.ErrZeroOp}
	if diff := cmp.Diff(want, *be, cmp.Comparer(errEqual)); diff != "" {
		t.Errorf("Submit's error (-want +got):\n%s", diff)
	}
	noPanic(t, "Await of the zero Op's step", func() {
		if _, err := zero.Await(ctx); !errors.Is(err, ring.ErrNotSubmitted) {
			t.Errorf("zero Op's step = %v, want ErrNotSubmitted", err)
		}
	})
	if _, err := nop.Await(ctx); !errors.Is(err, chain.ErrNotSubmitted) || !errors.Is(err, ring.ErrNotSubmitted) {
		t.Errorf("other step = %v, want chain.ErrNotSubmitted, matching ring.ErrNotSubmitted", err)
	}
	ok := chain.New()
	s := chain.Add(ok, future.Nop())
	if err := ok.Submit(ctx, loop); err != nil {
		t.Fatal(err)
	}
	if _, err := s.Await(ctx); err != nil {
		t.Errorf("a chain after the refused one: %v", err)
	}
}

// errEqual compares errors by identity through errors.Is, both ways.
func errEqual(a, b error) bool { return errors.Is(a, b) && errors.Is(b, a) }
