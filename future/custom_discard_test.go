//go:build linux

package future_test

import (
	"context"
	"sync/atomic"
	"testing"
	"unsafe"

	"golang.org/x/sys/unix"

	"github.com/uringkit/uring/future"
	"github.com/uringkit/uring/internal/testutil"
	"github.com/uringkit/uring/ring"
)

// TestCustomDiscardClosesDrainedFds: an operation built with Custom that
// accepts connections (multishot) and gives a Raw.Discard reports that it
// creates something, and a Stream broken after the first of three queued
// connections calls that Discard for the two CQEs it drains, whose fds
// are then closed. Before Raw.Discard, a Custom op could not say it made
// a descriptor: Creates reported false and both fds leaked.
func TestCustomDiscardClosesDrainedFds(t *testing.T) {
	lfd := listenerWithQueued(t, 3)
	var sqe ring.SQE
	sqe.PrepAcceptMultishot(int32(lfd), nil, nil, unix.SOCK_CLOEXEC)
	var discarded atomic.Int32
	var otherLoop atomic.Bool
	op := future.Custom(future.Raw[int]{
		SQE:       sqe,
		Decode:    func(c ring.CQE, _ unsafe.Pointer) (int, error) { return int(c.Res), nil },
		Expect:    -1,
		Multishot: true,
		Discard: func(l *ring.Loop, c ring.CQE, _ unsafe.Pointer) {
			if l != loop {
				otherLoop.Store(true)
			}
			discarded.Add(1)
			unix.Close(int(c.Res))
		},
	})
	if !op.Creates() {
		t.Error("Creates() = false for a Custom op with a Discard, want true")
	}
	before := testutil.OpenFds(t)
	n := 0
	for fd, err := range op.Stream(context.Background(), loop) {
		if err != nil {
			t.Fatal(err)
		}
		n++
		unix.Close(fd)
		break
	}
	if n != 1 {
		t.Fatalf("%d values before the break, want 1", n)
	}
	if got := discarded.Load(); got != 2 {
		t.Errorf("Raw.Discard called %d times, want 2 (the drained CQEs)", got)
	}
	if otherLoop.Load() {
		t.Error("Raw.Discard got another Loop than the Stream's")
	}
	if after := testutil.OpenFds(t); after != before {
		t.Errorf("%d descriptors open before, %d after: %d leaked", before, after, after-before)
	}
}
