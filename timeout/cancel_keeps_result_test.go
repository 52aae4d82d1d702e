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

// TestAwaitCancelledKeepsResult: timeout.Await of a read of a pipe with
// 4 bytes waiting, its context (with a deadline, so a linked timeout goes
// with it) cancelled by another goroutine meanwhile, on an owner-mode
// Loop (see TestAwaitCancelledClosesFd). Each round either reads the 4
// bytes, with no error, or gets the context's error with the 4 bytes
// still in the pipe: none is lost. Before, a read that succeeded before
// the cancel reached it returned the context's error and its data was
// gone from the pipe.
func TestAwaitCancelledKeepsResult(t *testing.T) {
	l, err := ring.NewLoop(ring.WithEntries(16), ring.WithMode(ring.ModeOwner))
	if err != nil {
		t.Fatal(err)
	}
	defer l.Close()
	pr, pw := testutil.Pipe(t)
	r := int(pr.Fd())
	var read, cancelled int
	for i := range 200 {
		if _, err := pw.Write([]byte("abcd")); err != nil {
			t.Fatal(err)
		}
		ctx, cancel := context.WithTimeout(context.Background(), time.Hour)
		go cancel()
		buf := make([]byte, 4)
		n, err := timeout.Await(ctx, l, future.Read(r, buf, -1))
		left, ierr := unix.IoctlGetInt(r, unix.TIOCINQ) // FIONREAD
		if ierr != nil {
			t.Fatal(ierr)
		}
		switch {
		case err == nil && n == 4 && string(buf) == "abcd" && left == 0:
			read++
		case errors.Is(err, context.Canceled) && n == 0 && left == 4:
			cancelled++
			unix.Read(r, make([]byte, 4))
		default:
			t.Fatalf("round %d: Read = %d (%q), %v with %d bytes left in the pipe; want 4, nil and 0 left, or context.Canceled and 4 left", i, n, buf[:n], err, left)
		}
	}
	t.Logf("%d read, %d cancelled", read, cancelled)
}
