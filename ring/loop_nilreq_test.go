//go:build linux

package ring_test

import (
	"context"
	"errors"
	"testing"

	"github.com/google/go-cmp/cmp"
	"github.com/uringkit/uring/ring"
)

// TestLoopSubmitNilRequest: a nil *Request given to Submit, alone or in a
// group, is refused with ErrInvalidArgument before anything is submitted
// (it used to panic with a nil pointer dereference inside the Loop), and
// the group's other requests can then be submitted as usual.
func TestLoopSubmitNilRequest(t *testing.T) {
	forEachMode(t, modeLoop(), func(t *testing.T, l *ring.Loop) {
		ctx := context.Background()
		if err := l.Submit(ctx, nil); !errors.Is(err, ring.ErrInvalidArgument) {
			t.Fatalf("Submit(nil) = %v, want ErrInvalidArgument", err)
		}
		ok := ring.NewRequest()
		ok.SQE.PrepNop()
		err := l.Submit(ctx, ok, nil)
		var ae *ring.ArgError
		if !errors.As(err, &ae) {
			t.Fatalf("Submit(req, nil) = %v, want an *ArgError", err)
		}
		if diff := cmp.Diff(&ring.ArgError{Call: "Loop.Submit", Reason: "request 1 of 2 is nil"}, ae); diff != "" {
			t.Errorf("ArgError (-want +got):\n%s", diff)
		}
		if _, err := ok.Wait(ctx); !errors.Is(err, ring.ErrNotSubmitted) {
			t.Fatalf("Wait on the refused group's request = %v, want ErrNotSubmitted", err)
		}
		if err := l.Submit(ctx, ok); err != nil {
			t.Fatalf("Submit after the refusal: %v", err)
		}
		c, err := ok.Wait(ctx)
		if err != nil {
			t.Fatal(err)
		}
		if diff := cmp.Diff(int32(0), c.Res); diff != "" {
			t.Errorf("NOP res (-want +got):\n%s", diff)
		}
		ok.Release()
	})
}
