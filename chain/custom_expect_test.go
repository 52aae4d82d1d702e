//go:build linux

package chain_test

import (
	"context"
	"testing"
	"unsafe"

	"github.com/google/go-cmp/cmp"
	"github.com/uringkit/uring/chain"
	"github.com/uringkit/uring/future"
	"github.com/uringkit/uring/ring"
)

// TestCustomWithoutExpectCompletes: an operation built with Custom whose
// Raw leaves Expect at its zero value has no expected transfer, so a
// positive result (here a NOP that injects res 7, as an op returning an
// fd or a count would) completes it, and the chain's Wait succeeds.
// Before, Expect 0 meant "a complete transfer returns 0": res 7 was
// Short, and Wait failed with a *ShortError for an op that did all it
// was asked.
func TestCustomWithoutExpectCompletes(t *testing.T) {
	var sqe ring.SQE
	sqe.PrepNopInject(7)
	op := future.Custom(future.Raw[int32]{
		SQE:    sqe,
		Decode: func(c ring.CQE, _ unsafe.Pointer) (int32, error) { return c.Res, nil },
	})
	if n, ok := op.Expect(); ok {
		t.Errorf("Expect() = %d, true for a Raw without Expect; want no expected transfer", n)
	}
	c := chain.New()
	first := chain.Add(c, op)
	chain.Add(c, future.Nop())
	if err := c.Submit(context.Background(), loop); err != nil {
		t.Fatal(err)
	}
	if err := c.Wait(context.Background()); err != nil {
		t.Errorf("Wait = %v, want nil", err)
	}
	got := c.Results(context.Background())
	want := []chain.Result{{Outcome: chain.Completed, Res: 7, By: -1}, {Outcome: chain.Completed, By: -1}}
	if d := cmp.Diff(want, got); d != "" {
		t.Errorf("Results (-want +got):\n%s", d)
	}
	if v, err := first.Await(context.Background()); v != 7 || err != nil {
		t.Errorf("first step = %d, %v; want 7, nil", v, err)
	}
}
