//go:build linux

package ring_test

import (
	"errors"
	"syscall"
	"testing"

	"github.com/google/go-cmp/cmp"
	"github.com/uringkit/uring/ring"
)

// TestLoopDoOncePerRing: on a Loop over three rings Do runs fn once on
// each ring, home ring first, and stops at the first error (Do's doc).
func TestLoopDoOncePerRing(t *testing.T) {
	l := newTestLoop(t, ring.WithMode(ring.ModeShared), ring.WithRings(3))
	var fds []int
	if err := l.Do(func(r *ring.Ring) error { fds = append(fds, r.Fd()); return nil }); err != nil {
		t.Fatal(err)
	}
	if len(fds) != 3 || fds[0] == fds[1] || fds[1] == fds[2] || fds[0] == fds[2] {
		t.Fatalf("Do ran on ring fds %v, want three distinct rings", fds)
	}
	calls := 0
	err := l.Do(func(r *ring.Ring) error {
		calls++
		if calls == 2 {
			return syscall.EBUSY
		}
		return nil
	})
	if !errors.Is(err, syscall.EBUSY) {
		t.Fatalf("Do = %v, want the second ring's EBUSY", err)
	}
	if diff := cmp.Diff(2, calls); diff != "" {
		t.Errorf("calls after an error on the second ring (-want +got):\n%s", diff)
	}
}
