package ring

import (
	"errors"
	"testing"
	"time"

	"github.com/google/go-cmp/cmp"
)

// TestLoopHolderFatalWake: the two halves of holderFatal (loop_lead.go).
// A holder whose Loop already broke does not sleep in the kernel: with an
// empty CQ and nothing in flight, holderWait returns at once (it used to
// wait for a CQE that never came). And a udWake CQE reaped by a goroutine
// other than the holder, while a holder is in or entering its wait, is
// posted again: the CQ then holds one udWake CQE for the holder.
func TestLoopHolderFatalWake(t *testing.T) {
	l, err := NewLoop(WithMode(ModeShared), WithRings(1))
	if err != nil {
		t.Fatal(err)
	}
	defer l.Close()

	// cqMu is held throughout: every reap takes it, so the reaper, which
	// may still be in its first round, cannot take the CQE first. The
	// post is synchronous (SEND_MSG_RING, or the helper ring's
	// SubmitAndWait).
	l.cqMu.Lock()
	l.holderIn.Store(true)
	l.internalCQE(&CQE{UserData: udWake})
	l.holderIn.Store(false)
	buf := make([]CQE, 4)
	got := buf[:l.ring.PeekBatch(buf)]
	l.cqMu.Unlock()
	if d := cmp.Diff([]CQE{{UserData: udWake}}, got); d != "" {
		t.Errorf("CQEs after a udWake was reaped with a holder in its wait (-want +got):\n%s", d)
	}

	broken := errors.New("test: broken")
	l.fatal.Store(&broken) // not noteFatal: nothing posts a wake-up
	done := make(chan bool, 1)
	go func() { done <- l.holderWait(1, 0) }()
	select {
	case ok := <-done:
		if !ok {
			t.Errorf("holderWait on a broken Loop: false (step down), want true")
		}
	case <-time.After(5 * time.Second):
		t.Fatal("holderWait on a broken Loop slept in the kernel")
	}
}
