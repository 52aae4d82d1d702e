//go:build linux

package timeout_test

import (
	"context"
	"errors"
	"testing"
	"time"

	"github.com/uringkit/uring/future"
	"github.com/uringkit/uring/internal/testutil"
	"github.com/uringkit/uring/ring"
	"github.com/uringkit/uring/timeout"
	"golang.org/x/sys/unix"
)

// TestAwaitCancelledClosesFd: timeout.Await of an open whose context (one
// with a deadline, so the open goes with a linked timeout) is cancelled
// by another goroutine meanwhile returns the fd (the open succeeded
// before the cancel reached it: the caller's, closed here) or the
// context's error, and then nothing was opened. On an owner-mode Loop the
// submitter only rings the owner, so the wait often sees the cancelled
// context and sends a cancel before the owner submits the open, which
// then succeeds inline and escapes the cancel. Before the first fix every
// round that returned the context's error leaked its fd: 192-195 of 200
// rounds, 3 runs (with the context cancelled before Await, which now
// submits nothing).
func TestAwaitCancelledClosesFd(t *testing.T) {
	l, err := ring.NewLoop(ring.WithEntries(16), ring.WithMode(ring.ModeOwner))
	if err != nil {
		t.Fatal(err)
	}
	defer l.Close()
	before := testutil.OpenFds(t)
	var opened, cancelled int
	for range 200 {
		ctx, cancel := context.WithTimeout(context.Background(), time.Hour)
		go cancel()
		fd, err := timeout.Await(ctx, l, future.Openat(unix.AT_FDCWD, "/dev/null", unix.O_RDONLY|unix.O_CLOEXEC, 0))
		switch {
		case err == nil:
			opened++
			unix.Close(int(fd))
		case errors.Is(err, context.Canceled):
			cancelled++
		default:
			t.Fatalf("Await = %d, %v; want a fd or context.Canceled", fd, err)
		}
	}
	t.Logf("%d opened, %d cancelled", opened, cancelled)
	if after := testutil.OpenFds(t); after != before {
		t.Errorf("%d descriptors open before, %d after: %d leaked", before, after, after-before)
	}
}
