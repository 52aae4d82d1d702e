package ring_test

import (
	"context"
	"errors"
	"os"
	"syscall"
	"testing"
	"time"

	"github.com/google/go-cmp/cmp"
	"github.com/uringkit/uring/ring"
)

// loopModes is the configuration matrix the Loop tests run against: each
// mode on one ring, each mode on two rings (WithRings(2)), and a
// WithSpillRings(2) Loop (what a shared-mode Loop is by default on two
// cores, docs/heuristics.md section 5) whose spreading forEachMode
// switches on and off all the time, so every Loop invariant is checked
// through the multi-ring Loops too.
var loopModes = []struct {
	name string
	opts []ring.LoopOption
}{
	{"shared", []ring.LoopOption{ring.WithMode(ring.ModeShared), ring.WithRings(1)}},
	{"owner", []ring.LoopOption{ring.WithMode(ring.ModeOwner)}},
	{"shared-rings2", []ring.LoopOption{ring.WithMode(ring.ModeShared), ring.WithRings(2)}},
	{"owner-rings2", []ring.LoopOption{ring.WithMode(ring.ModeOwner), ring.WithRings(2)}},
	// Spreading switched on and off every 200 µs (forEachMode), so
	// requests are submitted on both sides of every switch.
	{"shared-spill2", []ring.LoopOption{ring.WithMode(ring.ModeShared), ring.WithSpillRings(2)}},
	// The kernel's poller submits; with a 1 ms idle time it sleeps between
	// a test's bursts, so submitters take the SQ_WAKEUP path too (where
	// TestLoopCloseDuringSubmits found a submitter reading the SQ flags of
	// a ring that Close had unmapped).
	{"sqpoll", []ring.LoopOption{ring.WithLoopSQPoll(time.Millisecond)}},
	// The shared mode's options that change who enters and how the
	// reaper waits.
	{"shared-minwait", []ring.LoopOption{ring.WithMode(ring.ModeShared), ring.WithRings(1), ring.WithMinWait(50 * time.Microsecond)}},
	{"shared-eager", []ring.LoopOption{ring.WithMode(ring.ModeShared), ring.WithRings(1), ring.WithEagerFlush(), ring.WithSpin(0)}},
}

func newTestLoop(t testing.TB, opts ...ring.LoopOption) *ring.Loop {
	t.Helper()
	l, err := ring.NewLoop(opts...)
	if err != nil {
		t.Fatalf("NewLoop: %v", err)
	}
	t.Cleanup(func() {
		if err := l.Close(); err != nil {
			t.Errorf("Close: %v", err)
		}
	})
	return l
}

func forEachMode(t *testing.T, fn func(t *testing.T, extra ...ring.LoopOption) *ring.Loop, body func(t *testing.T, l *ring.Loop)) {
	for _, m := range loopModes {
		t.Run(m.name, func(t *testing.T) {
			l := fn(t, m.opts...)
			t.Cleanup(ring.ToggleSpill(l, 200*time.Microsecond))
			body(t, l)
		})
	}
}

func modeLoop(extra ...ring.LoopOption) func(t *testing.T, opts ...ring.LoopOption) *ring.Loop {
	return func(t *testing.T, opts ...ring.LoopOption) *ring.Loop {
		return newTestLoop(t, append(opts, extra...)...)
	}
}

func nopReq() *ring.Request {
	r := ring.NewRequest()
	r.SQE.PrepNop()
	return r
}

func TestLoopNop(t *testing.T) {
	forEachMode(t, modeLoop(), func(t *testing.T, l *ring.Loop) {
		ctx := context.Background()
		for i := 0; i < 100; i++ {
			r := nopReq()
			if err := l.Submit(ctx, r); err != nil {
				t.Fatal(err)
			}
			c, err := r.Wait(ctx)
			if err != nil {
				t.Fatal(err)
			}
			if diff := cmp.Diff(ring.CQE{UserData: c.UserData, Res: 0, Flags: 0}, c); diff != "" {
				t.Fatalf("CQE (-want +got):\n%s", diff)
			}
			r.Release()
		}
		st := l.Stats()
		if st.Submitted != 100 || st.Completed != 100 || st.InFlight != 0 {
			t.Fatalf("stats: %+v", st)
		}
	})
}

func TestLoopReadPipe(t *testing.T) {
	forEachMode(t, modeLoop(), func(t *testing.T, l *ring.Loop) {
		pr, pw := ring.IdlePipe(t)
		r := ring.NewRequest()
		r.Buf = make([]byte, 16)
		r.SQE.PrepRW(ring.OpRead, int32(pr.Fd()), bufAddr(r.Buf), 16, ^uint64(0))
		ctx := context.Background()
		if err := l.Submit(ctx, r); err != nil {
			t.Fatal(err)
		}
		if _, err := pw.Write([]byte("hello loop")); err != nil {
			t.Fatal(err)
		}
		c, err := r.Wait(ctx)
		if err != nil || c.Res != 10 {
			t.Fatalf("Wait = %+v, %v", c, err)
		}
		if got := string(r.Buf[:c.Res]); got != "hello loop" {
			t.Fatalf("read %q", got)
		}
	})
}

// TestLoopWaitContextCancel: an op blocked forever (a read on an empty
// pipe) returns the context's error after cancel, its buffer is not written
// after Wait returns (the data goes to the next read), and the Loop keeps
// working. A deadline gives an error matching both
// context.DeadlineExceeded and os.ErrDeadlineExceeded.
func TestLoopWaitContextCancel(t *testing.T) {
	forEachMode(t, modeLoop(), func(t *testing.T, l *ring.Loop) {
		pr, pw := ring.IdlePipe(t)
		read := func() *ring.Request {
			r := ring.NewRequest()
			r.Buf = make([]byte, 16)
			r.SQE.PrepRW(ring.OpRead, int32(pr.Fd()), bufAddr(r.Buf), 16, ^uint64(0))
			if err := l.Submit(context.Background(), r); err != nil {
				t.Fatal(err)
			}
			return r
		}
		cancelled := func(c ring.CQE) bool {
			return c.Res == -int32(syscall.ECANCELED) || c.Res == -int32(syscall.EINTR)
		}

		// Explicit cancel.
		r1 := read()
		ctx, cancel := context.WithCancel(context.Background())
		time.AfterFunc(10*time.Millisecond, cancel)
		c, err := r1.Wait(ctx)
		if !errors.Is(err, context.Canceled) || !cancelled(c) {
			t.Fatalf("cancelled Wait = %+v, %v", c, err)
		}

		// Deadline.
		r2 := read()
		dctx, dcancel := context.WithTimeout(context.Background(), 10*time.Millisecond)
		defer dcancel()
		c, err = r2.Wait(dctx)
		if !errors.Is(err, context.DeadlineExceeded) || !errors.Is(err, os.ErrDeadlineExceeded) || !cancelled(c) {
			t.Fatalf("deadline Wait = %+v, %v", c, err)
		}

		// A context that ended before Wait began.
		r3 := read()
		c, err = r3.Wait(ctx)
		if !errors.Is(err, context.Canceled) || !cancelled(c) {
			t.Fatalf("Wait with a done context = %+v, %v", c, err)
		}

		// The data goes to a new read, never into the cancelled buffers.
		r4 := read()
		if _, err := pw.Write([]byte("after")); err != nil {
			t.Fatal(err)
		}
		if c, err := r4.Wait(context.Background()); err != nil || c.Res != 5 || string(r4.Buf[:5]) != "after" {
			t.Fatalf("read after cancel: %+v %v %q", c, err, r4.Buf)
		}
		zero := make([]byte, 16)
		for i, r := range []*ring.Request{r1, r2, r3} {
			if diff := cmp.Diff(zero, r.Buf); diff != "" {
				t.Errorf("cancelled read %d's buffer was written (-want +got):\n%s", i+1, diff)
			}
		}
		st := l.Stats()
		if st.InFlight != 0 || st.Cancels != 3 {
			t.Errorf("stats: %+v", st)
		}
	})
}

// TestLoopNextContextCancel: a multishot op whose consumer's context ends
// is cancelled; Next still returns the CQEs that arrive, then ok=false
// with the context's error.
func TestLoopNextContextCancel(t *testing.T) {
	forEachMode(t, modeLoop(), func(t *testing.T, l *ring.Loop) {
		ts := &ring.Timespec{Nsec: int64(time.Millisecond)}
		r := ring.NewRequest()
		r.Keep = ts
		r.SQE.PrepRW(ring.OpTimeout, -1, uint64(uintptrOf(ts)), 1, 0) // fires until cancelled
		r.SQE.OpFlags = ring.TimeoutMultishot
		if err := l.Submit(context.Background(), r); err != nil {
			t.Fatal(err)
		}
		ctx, cancel := context.WithCancel(context.Background())
		defer cancel()
		shots := 0
		var last ring.CQE
		for {
			c, ok, err := r.Next(ctx)
			if !ok {
				if !errors.Is(err, context.Canceled) {
					t.Fatalf("Next after the end: %v", err)
				}
				break
			}
			if err != nil {
				t.Fatalf("Next: %v", err)
			}
			last = c
			if shots++; shots == 3 {
				cancel()
			}
		}
		if last.Flags&ring.CQEFMore != 0 || last.Res != -int32(syscall.ECANCELED) {
			t.Fatalf("terminal CQE %+v, want -ECANCELED without F_MORE", last)
		}
		if c, ok, err := r.Next(ctx); ok || !errors.Is(err, context.Canceled) || c != (ring.CQE{}) {
			t.Fatalf("Next after the terminal CQE: %+v %v %v", c, ok, err)
		}
	})
}

// TestLoopRings: a Loop spread over several rings routes every request
// (singles and groups) and adds up its counters.
func TestLoopRings(t *testing.T) {
	for _, m := range loopModes {
		t.Run(m.name, func(t *testing.T) {
			l := newTestLoop(t, append(m.opts, ring.WithRings(3), ring.WithEntries(8))...)
			ctx := context.Background()
			for i := 0; i < 300; i++ {
				a, b := ring.NewRequest(), ring.NewRequest()
				nopResult(a, int32(i), ring.SQEIOLink)
				nopResult(b, int32(i+1000), 0)
				if err := l.Submit(ctx, a, b); err != nil {
					t.Fatal(err)
				}
				ca, erra := a.Wait(ctx)
				cb, errb := b.Wait(ctx)
				if erra != nil || errb != nil || ca.Res != int32(i) || cb.Res != int32(i+1000) {
					t.Fatalf("group %d: %+v %v %+v %v", i, ca, erra, cb, errb)
				}
			}
			st := l.Stats()
			if st.Rings != 3 || st.Submitted != 600 || st.Completed != 600 || st.InFlight != 0 || st.Capacity <= 3*l.MaxGroup()-1 {
				t.Fatalf("stats: %+v", st)
			}
			if err := l.Do(func(r *ring.Ring) error { _, err := r.Probe(); return err }); err != nil {
				t.Fatal(err)
			}
		})
	}
}

// TestLoopCancelMultishotTicker: cancelling a multishot timeout that fires
// every millisecond always ends it. A cancel that lands while the timer is
// between two shots gets -ENOENT (or -EALREADY while its expiry runs) and
// the ticker would run on forever; the Loop retries such cancels while the
// target is in flight. 200 rounds hit that window several times (about 1
// in 40 on 6.18).
func TestLoopCancelMultishotTicker(t *testing.T) {
	forEachMode(t, modeLoop(), func(t *testing.T, l *ring.Loop) {
		rounds := scaled(200, 200, 40)
		for i := 0; i < rounds; i++ {
			ts := &ring.Timespec{Nsec: int64(time.Millisecond)}
			r := ring.NewRequest()
			r.SQE.PrepTimeout(ts, 0, ring.TimeoutMultishot)
			r.Keep = ts
			if err := l.Submit(context.Background(), r); err != nil {
				t.Fatal(err)
			}
			time.Sleep(time.Duration(i%3) * time.Millisecond)
			r.Cancel()
			var last ring.CQE
			n := 0
			for {
				c, ok, err := r.Next(context.Background())
				if err != nil {
					t.Fatal(err)
				}
				if !ok {
					break
				}
				if n++; n > 5000 {
					t.Fatalf("round %d: ticker still firing after cancel: %+v", i, l.Stats())
				}
				last = c
			}
			if last.Flags&ring.CQEFMore != 0 || last.Res != -int32(syscall.ECANCELED) {
				t.Fatalf("round %d: terminal CQE %+v", i, last)
			}
			r.Release()
		}
	})
}
