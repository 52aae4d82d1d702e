//go:build linux

package timeout_test

import (
	"context"
	"errors"
	"os"
	"testing"
	"time"

	"github.com/google/go-cmp/cmp"
	"github.com/uringkit/uring/future"
	"github.com/uringkit/uring/internal/testutil"
	"github.com/uringkit/uring/timeout"
	"golang.org/x/sys/unix"
)

// TestAwaitPassedDeadline: Await with a deadline that has passed submits
// nothing and fails with an error matching both os.ErrDeadlineExceeded
// and context.DeadlineExceeded. Before, a read of a pipe with data
// waiting completed before its linked timeout and returned the data.
func TestAwaitPassedDeadline(t *testing.T) {
	pr, pw := testutil.Pipe(t)
	if _, err := pw.Write([]byte("abcd")); err != nil {
		t.Fatal(err)
	}
	ctx, cancel := context.WithDeadline(context.Background(), time.Now().Add(-time.Second))
	defer cancel()
	buf := make([]byte, 4)
	n, err := timeout.Await(ctx, loop, future.Read(int(pr.Fd()), buf, -1))
	if !errors.Is(err, os.ErrDeadlineExceeded) || !errors.Is(err, context.DeadlineExceeded) {
		t.Errorf("Await = %d, %v; want an error matching os.ErrDeadlineExceeded and context.DeadlineExceeded", n, err)
	}
	left, err := unix.IoctlGetInt(int(pr.Fd()), unix.TIOCINQ) // FIONREAD
	if err != nil {
		t.Fatal(err)
	}
	if diff := cmp.Diff([]any{0, 4, make([]byte, 4)}, []any{n, left, buf}); diff != "" {
		t.Errorf("result, bytes left in the pipe, buffer (-want +got):\n%s", diff)
	}
}
