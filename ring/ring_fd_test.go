//go:build linux

package ring_test

import (
	"testing"

	"github.com/uringkit/uring/ring"
)

// TestFdAfterClose: Fd is -1 once the Ring is closed, not the closed
// number, which the next open reuses (here: a second ring, which a
// MSG_RING or SendMsgRing aimed at the stale Fd would then reach).
func TestFdAfterClose(t *testing.T) {
	r, err := ring.New(4)
	if err != nil {
		t.Fatal(err)
	}
	old := r.Fd()
	if old < 0 {
		t.Fatalf("Fd() = %d on an open ring", old)
	}
	if err := r.Close(); err != nil {
		t.Fatal(err)
	}
	other := newRing(t, 4)
	if got := r.Fd(); got != -1 {
		t.Errorf("Fd() after Close = %d, want -1 (another ring now has fd %d)", got, other.Fd())
	}
}
