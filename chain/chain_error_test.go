//go:build linux

package chain_test

import (
	"context"
	"errors"
	"testing"

	"github.com/google/go-cmp/cmp"

	"github.com/uringkit/uring/chain"
	"github.com/uringkit/uring/future"
)

// TestWholeChainErrors: a rule broken by the whole chain (no steps, a
// second Submit, a Wait before Submit) is a *BuildError with Elem and Step
// -1, whose message is the rule alone. Before, these named "SQE 0, NOP",
// an element that an empty chain does not have and that the others never
// submitted ("chain: no steps (SQE 0, NOP)").
func TestWholeChainErrors(t *testing.T) {
	ctx := context.Background()
	type got struct {
		Elem, Step int
		Rule       error
		Msg        string
	}
	view := func(err error) got {
		var be *chain.BuildError
		if !errors.As(err, &be) {
			t.Fatalf("%v is not a *chain.BuildError", err)
		}
		return got{be.Elem, be.Step, be.Err, err.Error()}
	}
	empty := chain.New().Submit(ctx, loop)

	unsubmitted := chain.New()
	chain.Add(unsubmitted, future.Nop())
	notYet := unsubmitted.Wait(ctx)

	twice := chain.New()
	chain.Add(twice, future.Nop())
	if err := twice.Submit(ctx, loop); err != nil {
		t.Fatal(err)
	}
	if err := twice.Wait(ctx); err != nil {
		t.Fatal(err)
	}
	again := twice.Submit(ctx, loop)

	want := []got{
		{-1, -1, chain.ErrEmpty, "chain: no steps"},
		{-1, -1, notYet.(*chain.BuildError).Err, "chain: not submitted"},
		{-1, -1, chain.ErrSubmitted, "chain: already submitted"},
	}
	if d := cmp.Diff(want, []got{view(empty), view(notYet), view(again)}, cmp.Comparer(func(a, b error) bool { return a == b })); d != "" {
		t.Errorf("whole-chain errors (-want +got):\n%s", d)
	}
}
