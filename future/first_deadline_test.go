//go:build linux

package future_test

import (
	"context"
	"errors"
	"os"
	"testing"
	"time"

	"github.com/uringkit/uring/future"
)

// TestFirstDeadline: First whose context's deadline passes while every
// future waits fails with an error matching os.ErrDeadlineExceeded as well
// as context.DeadlineExceeded, as Await's does. Before, First returned the
// bare context.DeadlineExceeded.
func TestFirstDeadline(t *testing.T) {
	r1, _ := pipe(t)
	r2, _ := pipe(t)
	ctx, cancel := context.WithTimeout(context.Background(), 10*time.Millisecond)
	defer cancel()
	i, n, err := future.First(ctx,
		future.Read(r1, make([]byte, 1), -1).Submit(ctx, loop),
		future.Read(r2, make([]byte, 1), -1).Submit(ctx, loop))
	if i != -1 || n != 0 || !errors.Is(err, os.ErrDeadlineExceeded) || !errors.Is(err, context.DeadlineExceeded) {
		t.Errorf("First = %d, %d, %v; want -1, 0 and an error matching os.ErrDeadlineExceeded and context.DeadlineExceeded", i, n, err)
	}
}
