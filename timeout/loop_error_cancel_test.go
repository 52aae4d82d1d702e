//go:build linux

package timeout_test

import (
	"context"
	"errors"
	"syscall"
	"testing"
	"time"

	"github.com/uringkit/uring/future"
	"github.com/uringkit/uring/internal/testutil"
	"github.com/uringkit/uring/ring"
	"github.com/uringkit/uring/timeout"
)

// TestAwaitCancelledOnBrokenLoop: timeout.Await of a read of an idle
// pipe, its context (with a deadline) cancelled after the Loop broke
// (every io_uring_enter fails with EOPNOTSUPP, so the cancel cannot go in
// and the Loop fails the read without its terminal CQE), returns the
// Loop's error, as future.Op.Await does, not the context's: the context's
// error says the op did not succeed and ended, while the read may still
// be queued in the kernel.
func TestAwaitCancelledOnBrokenLoop(t *testing.T) {
	l, err := ring.NewLoop(ring.WithMode(ring.ModeShared), ring.WithSpin(0))
	if err != nil {
		t.Fatal(err)
	}
	defer l.Close()
	pr, _ := testutil.Pipe(t)
	ctx, cancel := context.WithTimeout(context.Background(), time.Hour)
	defer cancel()
	done := make(chan error, 1)
	go func() {
		_, err := timeout.Await(ctx, l, future.Read(int(pr.Fd()), make([]byte, 8), -1))
		done <- err
	}()
	testutil.WaitForStack(t, "Await's read", "timeout.Await", "ring.(*Request).Wait")
	testutil.BreakLoop(t, l)
	cancel()
	select {
	case err = <-done:
	case <-time.After(30 * time.Second):
		t.Fatal("Await still blocked on a broken Loop")
	}
	if !errors.Is(err, syscall.EOPNOTSUPP) || errors.Is(err, context.Canceled) {
		t.Errorf("Await = %v; want the Loop's EOPNOTSUPP, not the context's error", err)
	}
}
