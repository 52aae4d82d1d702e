//go:build linux

package timeout_test

import (
	"context"
	"errors"
	"testing"
	"time"

	"github.com/uringkit/uring/future"
	"github.com/uringkit/uring/timeout"
)

// TestAwaitNilLoop: Await on a nil Loop fails with future.ErrNilLoop with
// or without a deadline. Before the fix the deadline path (a linked
// timeout) called Submit on the nil Loop and panicked.
func TestAwaitNilLoop(t *testing.T) {
	withDeadline, cancel := context.WithTimeout(context.Background(), time.Second)
	defer cancel()
	for _, ctx := range []context.Context{context.Background(), withDeadline} {
		_, hasDeadline := ctx.Deadline()
		err := func() (err error) {
			defer func() {
				if p := recover(); p != nil {
					t.Fatalf("Await(nil Loop, deadline %v) panicked: %v", hasDeadline, p)
				}
			}()
			_, err = timeout.Await(ctx, nil, future.Nop())
			return err
		}()
		if !errors.Is(err, future.ErrNilLoop) {
			t.Errorf("Await(nil Loop, deadline %v) = %v, want ErrNilLoop", hasDeadline, err)
		}
	}
}
