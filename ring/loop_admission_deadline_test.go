//go:build linux

package ring_test

import (
	"context"
	"errors"
	"os"
	"testing"
	"time"

	"github.com/uringkit/uring/internal/testutil"
	"github.com/uringkit/uring/ring"
)

// TestLoopSubmitDeadlineWhileFull: a Submit that waits for room in a full
// Loop and runs into its context's deadline fails with an error that
// matches os.ErrDeadlineExceeded as well as context.DeadlineExceeded, as
// Wait's does for a deadline that passes after the submission. Before,
// the admission wait returned the bare context.DeadlineExceeded, so
// future.Op.Await, whose doc promises os.ErrDeadlineExceeded for a passed
// deadline, broke that promise exactly when the Loop was busy.
func TestLoopSubmitDeadlineWhileFull(t *testing.T) {
	for _, m := range []ring.LoopMode{ring.ModeShared, ring.ModeOwner} {
		t.Run(m.String(), func(t *testing.T) {
			l, err := ring.NewLoop(ring.WithMode(m), ring.WithRings(1), ring.WithEntries(4))
			if err != nil {
				t.Fatal(err)
			}
			defer l.Close()
			reqs, _ := testutil.FillLoop(t, l)
			ctx, cancel := context.WithTimeout(context.Background(), time.Millisecond)
			defer cancel()
			extra := ring.NewRequest()
			extra.SQE.PrepNop()
			err = l.Submit(ctx, extra)
			if !errors.Is(err, os.ErrDeadlineExceeded) || !errors.Is(err, context.DeadlineExceeded) {
				t.Errorf("Submit into a full Loop past its deadline = %v: errors.Is os.ErrDeadlineExceeded %v, context.DeadlineExceeded %v; want both",
					err, errors.Is(err, os.ErrDeadlineExceeded), errors.Is(err, context.DeadlineExceeded))
			}
			for _, r := range reqs {
				r.Cancel()
				r.Wait(context.Background())
				r.Release()
			}
		})
	}
}
