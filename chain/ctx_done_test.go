//go:build linux

package chain_test

import (
	"context"
	"errors"
	"testing"

	"github.com/google/go-cmp/cmp"
	"github.com/uringkit/uring/chain"
	"github.com/uringkit/uring/future"
	"github.com/uringkit/uring/internal/testutil"
	"golang.org/x/sys/unix"
)

// TestSubmitEndedContext: a chain submitted with a context that has
// already ended is not submitted: Submit gives the context's error (a
// passed deadline also matching os.ErrDeadlineExceeded), the kernel never
// runs its steps, and the chain can still be submitted with a live
// context. Before, the steps ran: the write below put its 4 bytes into
// the pipe.
func TestSubmitEndedContext(t *testing.T) {
	for _, tc := range testutil.EndedContexts(t) {
		t.Run(tc.Name, func(t *testing.T) {
			pr, pw := testutil.Pipe(t)
			c := chain.New()
			w := chain.Add(c, future.Write(int(pw.Fd()), []byte("abcd"), -1))
			chain.Add(c, future.Nop())
			err := c.Submit(tc.Ctx, loop)
			for _, want := range tc.Want {
				if !errors.Is(err, want) {
					t.Errorf("Submit = %v, want an error matching %v", err, want)
				}
			}
			if _, err := w.Await(context.Background()); !errors.Is(err, chain.ErrNotSubmitted) {
				t.Errorf("step's Await = %v, want ErrNotSubmitted", err)
			}
			before, err := unix.IoctlGetInt(int(pr.Fd()), unix.TIOCINQ) // FIONREAD
			if err != nil {
				t.Fatal(err)
			}
			if err := c.Submit(context.Background(), loop); err != nil {
				t.Fatalf("Submit with a live context = %v", err)
			}
			n, err := w.Await(context.Background())
			if err != nil {
				t.Fatal(err)
			}
			after, err := unix.IoctlGetInt(int(pr.Fd()), unix.TIOCINQ)
			if err != nil {
				t.Fatal(err)
			}
			if diff := cmp.Diff([]int{0, 4, 4}, []int{before, n, after}); diff != "" {
				t.Errorf("bytes in the pipe before the second Submit, written, after (-want +got):\n%s", diff)
			}
		})
	}
}
