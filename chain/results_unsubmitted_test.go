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
)

// TestResultsBeforeSubmit: Results of a chain not submitted reports each
// step Pending with a *BuildError wrapping ErrNotSubmitted, as each
// step's Result does. Before, Results gave Pending with a nil Err, which
// looked like a step still running.
func TestResultsBeforeSubmit(t *testing.T) {
	c := chain.New()
	a := chain.Add(c, future.Nop())
	chain.Add(c, future.Nop())
	got := c.Results(context.Background())
	want := []chain.Result{
		{Outcome: chain.Pending, By: -1, Err: &chain.BuildError{Elem: 0, Step: 0, Op: ring.OpNop, Err: chain.ErrNotSubmitted}},
		{Outcome: chain.Pending, By: -1, Err: &chain.BuildError{Elem: 1, Step: 1, Op: ring.OpNop, Err: chain.ErrNotSubmitted}},
	}
	if diff := cmp.Diff(want, got, cmp.Comparer(buildErrEqual)); diff != "" {
		t.Errorf("Results (-want +got):\n%s", diff)
	}
	if r := a.Result(context.Background()); !errors.Is(r.Err, chain.ErrNotSubmitted) || r.Outcome != chain.Pending {
		t.Errorf("step 0's Result = %+v, want Pending with ErrNotSubmitted", r)
	}
}

// buildErrEqual compares two *BuildErrors by value (their Err with
// errors.Is), other errors with errEqual.
func buildErrEqual(a, b error) bool {
	var x, y *chain.BuildError
	if errors.As(a, &x) && errors.As(b, &y) {
		return x.Elem == y.Elem && x.Step == y.Step && x.Op == y.Op && errEqual(x.Err, y.Err)
	}
	return errEqual(a, b)
}
