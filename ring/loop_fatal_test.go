//go:build linux

package ring_test

import (
	"context"
	"errors"
	"os"
	"runtime"
	"syscall"
	"testing"
	"time"

	"github.com/uringkit/uring/ring"
	"golang.org/x/sys/unix"
)

// A fatal io_uring_enter error that hits while the shared-mode reaper is
// asleep in io_uring_enter(GETEVENTS) must still resolve every waiter and
// let Close finish (DESIGN.md invariant 7). The reaper's enter pinned the
// ring's file before the ring fd was replaced, so it sleeps on the real
// ring; only a CQE wakes it, and no request in flight will ever post one
// (nothing is written to the pipe). The Loop must post one itself, without
// its broken submission path. Unlike TestLoopFatalEnterErrorIsNotRetriedForever
// the reaper is known to be asleep here (WithSpin(0) and the goroutine's
// syscall state), so the hang was deterministic before the fix. The Loop
// wakes it with IORING_REGISTER_SEND_MSG_RING (6.13), or else with a
// MSG_RING from a helper ring; the second subtest forces that path.
func TestLoopFatalErrorWakesSleepingReaper(t *testing.T) {
	t.Run("SEND_MSG_RING", testFatalErrorWakesSleepingReaper)
	t.Run("MSG_RING from a helper ring", func(t *testing.T) {
		defer ring.ForceWakeFallback()()
		testFatalErrorWakesSleepingReaper(t)
	})
}

func testFatalErrorWakesSleepingReaper(t *testing.T) {
	l, err := ring.NewLoop(ring.WithMode(ring.ModeShared), ring.WithSpin(0))
	if err != nil {
		t.Fatal(err)
	}
	if err := l.CheckOp(ring.OpMsgRing); err != nil {
		l.Close()
		t.Skipf("the wake-up needs IORING_OP_MSG_RING: %v", err)
	}
	pr, pw := ring.IdlePipe(t)
	blocked := ring.NewRequest()
	blocked.Buf = make([]byte, 8)
	blocked.SQE.PrepRead(int32(pr.Fd()), blocked.Buf, -1)
	if err := l.Submit(context.Background(), blocked); err != nil {
		t.Fatal(err)
	}
	waitSyscallState(t, "ring.(*Loop).reaper")
	// Every later enter on the ring fd fails with EOPNOTSUPP, a fatal
	// error; the reaper's own enter keeps sleeping on the ring.
	breakRingFd(t, l)
	// Published but never submitted: its enter (from Submit, the flusher
	// or the Wait below) is the one that fails.
	broken := nopReq()
	submitErr := l.Submit(context.Background(), broken)
	if submitErr != nil && !errors.Is(submitErr, syscall.EOPNOTSUPP) {
		t.Fatalf("Submit on the broken ring: %v, want nil or EOPNOTSUPP", submitErr)
	}

	type result struct {
		what string
		err  error
	}
	results := make(chan result, 3)
	go func() {
		_, err := blocked.Wait(context.Background())
		results <- result{"Wait of the read asleep in the kernel", err}
	}()
	go func() {
		err := error(nil)
		if submitErr == nil {
			_, err = broken.Wait(context.Background())
		} else {
			err = submitErr
		}
		results <- result{"Wait of the request published when the ring broke", err}
	}()
	go func() {
		results <- result{"Close", l.Close()}
	}()
	timeout := time.NewTimer(20 * time.Second)
	defer timeout.Stop()
	released := false
	for got := 0; got < 3; {
		select {
		case r := <-results:
			got++
			switch {
			case r.what == "Close" && r.err != nil:
				t.Errorf("Close: %v, want nil", r.err)
			case r.what != "Close" && !errors.Is(r.err, syscall.EOPNOTSUPP):
				t.Errorf("%s: %v, want EOPNOTSUPP", r.what, r.err)
			}
		case <-timeout.C:
			if released {
				t.Fatalf("%d of 3 still blocked even after the pipe read completed", 3-got)
			}
			released = true
			buf := make([]byte, 1<<20)
			buf = buf[:runtime.Stack(buf, true)]
			t.Errorf("after a fatal enter error, %d of 3 (the waiters and Close) still blocked: the reaper sleeps in io_uring_enter; goroutines:\n%s", 3-got, buf)
			// Release the reaper so the rest of the suite runs.
			if _, err := pw.Write([]byte("x")); err != nil {
				t.Fatal(err)
			}
			timeout.Reset(hangAfter)
		}
	}
	if err := l.Submit(context.Background(), nopReq()); !errors.Is(err, syscall.EOPNOTSUPP) {
		t.Errorf("Submit after the Loop broke: %v, want EOPNOTSUPP", err)
	}
}

// breakRingFd puts /dev/null over the Loop's ring fd, so that every later
// io_uring_enter on it fails with EOPNOTSUPP, a fatal error for the Loop.
func breakRingFd(t *testing.T, l *ring.Loop) {
	t.Helper()
	devNull, err := os.Open(os.DevNull)
	if err != nil {
		t.Fatal(err)
	}
	defer devNull.Close()
	// On a Loop over several rings, breaking the first breaks them all
	// (noteFatal), and Do then finds the next ones closed: enough.
	broke := 0
	err = l.Do(func(r *ring.Ring) error {
		if err := unix.Dup2(int(devNull.Fd()), r.Fd()); err != nil {
			return err
		}
		broke++
		return nil
	})
	if broke == 0 || err != nil && !errors.Is(err, ring.ErrClosed) {
		t.Fatalf("breaking the ring fd: %d rings broken, %v", broke, err)
	}
}
