//go:build linux

package ring_test

import (
	"context"
	"errors"
	"syscall"
	"testing"

	"github.com/google/go-cmp/cmp"
	"github.com/uringkit/uring/ring"
)

// TestLoopWaitLoopErrorOverContext: a Wait whose context ended, on a
// request the Loop then resolves without its terminal CQE (a fatal
// enter error: the cancel's own enter fails), returns the Loop's error
// and the zero CQE, and Completed says there was no terminal CQE. Before
// the fix Wait returned the context's error with that zero CQE, which a
// caller reads as the op's result: Res 0, for an open or an accept,
// looks like a new fd 0. A NOP's Wait first shows Completed's other
// answers.
func TestLoopWaitLoopErrorOverContext(t *testing.T) {
	l, err := ring.NewLoop(ring.WithMode(ring.ModeShared), ring.WithSpin(0))
	if err != nil {
		t.Fatal(err)
	}
	nop := nopReq()
	if err := l.Submit(context.Background(), nop); err != nil {
		t.Fatal(err)
	}
	if _, err := nop.Wait(context.Background()); err != nil || !nop.Completed() {
		t.Fatalf("NOP: Wait = %v, Completed = %v; want nil, true", err, nop.Completed())
	}
	// Submitted again: in flight until its next Wait.
	if err := l.Submit(context.Background(), nop); err != nil {
		t.Fatal(err)
	}
	if nop.Completed() {
		t.Error("Completed = true for a request in flight")
	}
	if _, err := nop.Wait(context.Background()); err != nil {
		t.Fatal(err)
	}
	nop.Release()
	pr, _ := ring.IdlePipe(t)
	r := ring.NewRequest()
	r.Buf = make([]byte, 8)
	r.SQE.PrepRead(int32(pr.Fd()), r.Buf, -1)
	if err := l.Submit(context.Background(), r); err != nil {
		t.Fatal(err)
	}
	waitSyscallState(t, "ring.(*Loop).reaper")
	// Every later enter fails with EOPNOTSUPP, a fatal error; the read
	// never completes (nothing is written to the pipe).
	breakRingFd(t, l)
	ctx, cancel := context.WithCancel(context.Background())
	cancel()
	var c ring.CQE
	mustFinish(t, "Wait", func() { c, err = r.Wait(ctx) })
	if !errors.Is(err, syscall.EOPNOTSUPP) || errors.Is(err, context.Canceled) {
		t.Errorf("Wait = %v, want the Loop's EOPNOTSUPP, not the context's error", err)
	}
	if diff := cmp.Diff(ring.CQE{}, c); diff != "" {
		t.Errorf("Wait's CQE (-want +got):\n%s", diff)
	}
	if r.Completed() {
		t.Error("Completed = true for a request the Loop gave up on")
	}
	if err := l.Close(); err != nil {
		t.Errorf("Close: %v", err)
	}
}
