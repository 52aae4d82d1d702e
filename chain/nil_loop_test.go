//go:build linux

package chain_test

import (
	"context"
	"errors"
	"testing"

	"github.com/uringkit/uring/chain"
	"github.com/uringkit/uring/future"
)

// TestSubmitNilLoop: submitting to a nil Loop fails with future.ErrNilLoop,
// as future's Submit does, and the chain stays unsubmitted. Before the fix
// Submit dereferenced the nil Loop (l.MaxGroup) and panicked.
func TestSubmitNilLoop(t *testing.T) {
	ctx := context.Background()
	c := chain.New()
	s := chain.Add(c, future.Nop())
	err := func() (err error) {
		defer func() {
			if p := recover(); p != nil {
				t.Fatalf("Submit(nil Loop) panicked: %v", p)
			}
		}()
		return c.Submit(ctx, nil)
	}()
	if !errors.Is(err, future.ErrNilLoop) {
		t.Errorf("Submit(nil Loop) = %v, want ErrNilLoop", err)
	}
	if got := s.Result(ctx); got.Outcome != chain.Pending {
		t.Errorf("step after a refused Submit: %+v, want pending", got)
	}
	// The chain can still go to a real Loop.
	if err := c.Submit(ctx, loop); err != nil {
		t.Fatal(err)
	}
	if err := c.Wait(ctx); err != nil {
		t.Errorf("Wait = %v", err)
	}
}
