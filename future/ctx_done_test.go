//go:build linux

package future_test

import (
	"errors"
	"testing"

	"github.com/google/go-cmp/cmp"
	"github.com/uringkit/uring/future"
	"github.com/uringkit/uring/internal/testutil"
	"golang.org/x/sys/unix"
)

// TestEndedContextSubmitsNothing: an operation given a context that has
// already ended is not submitted: Await and Submit fail with the
// context's error (a passed deadline also matching os.ErrDeadlineExceeded)
// and the kernel never sees the op. Before, a read of a pipe with data
// waiting succeeded with a cancelled context, and consumed the data.
func TestEndedContextSubmitsNothing(t *testing.T) {
	for _, tc := range testutil.EndedContexts(t) {
		t.Run(tc.Name, func(t *testing.T) {
			r, w := pipe(t)
			if _, err := unix.Write(w, []byte("abcd")); err != nil {
				t.Fatal(err)
			}
			buf := make([]byte, 4)
			n, err := future.Read(r, buf, -1).Await(tc.Ctx, loop)
			f := future.Read(r, buf, -1).Submit(tc.Ctx, loop)
			n2, err2 := f.Await(tc.Ctx)
			for _, want := range tc.Want {
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
