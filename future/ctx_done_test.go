//go:build linux

package future_test

import (
	"context"
	"errors"
	"os"
	"testing"
	"time"

	"github.com/google/go-cmp/cmp"
	"github.com/uringkit/uring/future"
	"golang.org/x/sys/unix"
)

// TestEndedContextSubmitsNothing: an operation given a context that has
// already ended is not submitted: Await and Submit fail with the
// context's error (a passed deadline also matching os.ErrDeadlineExceeded)
// and the kernel never sees the op. Before, a read of a pipe with data
// waiting succeeded with a cancelled context, and consumed the data.
func TestEndedContextSubmitsNothing(t *testing.T) {
	cancelled, cancel := context.WithCancel(context.Background())
	cancel()
	passed, cancel2 := context.WithDeadline(context.Background(), time.Now().Add(-time.Second))
	defer cancel2()
	for _, tc := range []struct {
		name string
		ctx  context.Context
		want []error
	}{
		{"cancelled", cancelled, []error{context.Canceled}},
		{"deadline passed", passed, []error{context.DeadlineExceeded, os.ErrDeadlineExceeded}},
	} {
		t.Run(tc.name, func(t *testing.T) {
			r, w := pipe(t)
			if _, err := unix.Write(w, []byte("abcd")); err != nil {
				t.Fatal(err)
			}
			buf := make([]byte, 4)
			n, err := future.Read(r, buf, -1).Await(tc.ctx, loop)
			f := future.Read(r, buf, -1).Submit(tc.ctx, loop)
			n2, err2 := f.Await(tc.ctx)
			for _, want := range tc.want {
				if !errors.Is(err, want) || !errors.Is(err2, want) {
					t.Errorf("Await = %d, %v; Submit+Await = %d, %v; want errors matching %v", n, err, n2, err2, want)
				}
			}
			// Nothing was read: the 4 bytes are still in the pipe (TIOCINQ is
			// FIONREAD).
			left, err := unix.IoctlGetInt(r, unix.TIOCINQ)
			if err != nil {
				t.Fatal(err)
			}
			if diff := cmp.Diff([]any{0, 0, 4, make([]byte, 4)}, []any{n, n2, left, buf}); diff != "" {
				t.Errorf("(-want +got):\n%s", diff)
			}
		})
	}
}
