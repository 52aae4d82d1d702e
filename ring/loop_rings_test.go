package ring_test

import (
	"context"
	"errors"
	"runtime"
	"testing"
	"time"

	"github.com/google/go-cmp/cmp"
	"github.com/uringkit/uring/ring"
)

// TestLoopRingsFillEveryRing: a Loop over several rings admits as many
// requests that stay in flight (reads from an idle pipe) as all its rings
// hold together, from one goroutine on one P, before any Submit blocks:
// a ring without credits is passed over for one with room. Then one more
// Submit blocks (its context ends), and every read completes once data
// arrives.
func TestLoopRingsFillEveryRing(t *testing.T) {
	for _, m := range loopModes {
		t.Run(m.name, func(t *testing.T) {
			l := newTestLoop(t, append(m.opts, ring.WithRings(3), ring.WithEntries(8), ring.WithLoopCQSize(32))...)
			capacity := l.Stats().Capacity
			pr, pw := ring.IdlePipe(t)
			ctx, cancel := context.WithTimeout(context.Background(), 20*time.Second)
			defer cancel()
			var reads []*ring.Request
			for i := 0; i < capacity; i++ {
				r := ring.NewRequest()
				r.Buf = make([]byte, 1)
				r.SQE.PrepRW(ring.OpRead, int32(pr.Fd()), bufAddr(r.Buf), 1, ^uint64(0))
				if err := l.Submit(ctx, r); err != nil {
					t.Fatalf("read %d of %d: %v", i, capacity, err)
				}
				reads = append(reads, r)
			}
			tctx, tcancel := context.WithTimeout(ctx, 20*time.Millisecond)
			err := l.Submit(tctx, nopReq())
			tcancel()
			if !errors.Is(err, context.DeadlineExceeded) {
				t.Fatalf("Submit with every ring full: %v, want context.DeadlineExceeded", err)
			}
			if _, err := pw.Write(make([]byte, capacity)); err != nil {
				t.Fatal(err)
			}
			for i, r := range reads {
				if c, err := r.Wait(ctx); err != nil || c.Res != 1 {
					t.Fatalf("read %d: %+v %v", i, c, err)
				}
			}
			if st := l.Stats(); st.Rings != 3 || st.InFlight != 0 || st.Completed != uint64(capacity) || st.CQOverflow != 0 {
				t.Fatalf("stats %+v (capacity %d)", st, capacity)
			}
		})
	}
}

// TestLoopRingsCount: Rings says how many rings a Loop spreads over, and
// agrees with Stats. Without WithRings or WithSpillRings a shared-mode
// Loop spills over GOMAXPROCS rings (at most 8), and an owner-mode or
// SQPOLL Loop has one.
func TestLoopRingsCount(t *testing.T) {
	def := min(runtime.GOMAXPROCS(0), 8)
	for _, tc := range []struct {
		name string
		opts []ring.LoopOption
		want int
	}{
		{"default", nil, def},
		{"shared", []ring.LoopOption{ring.WithMode(ring.ModeShared)}, def},
		{"owner", []ring.LoopOption{ring.WithMode(ring.ModeOwner)}, 1},
		{"sqpoll", []ring.LoopOption{ring.WithLoopSQPoll(0)}, 1},
		{"sqpoll ring option", []ring.LoopOption{ring.WithRingOptions(ring.WithSQPoll(0))}, 1},
		{"WithRings(3)", []ring.LoopOption{ring.WithRings(3)}, 3},
		{"WithSpillRings(3)", []ring.LoopOption{ring.WithSpillRings(3)}, 3},
		{"WithRings(1)", []ring.LoopOption{ring.WithRings(1)}, 1},
	} {
		l := newTestLoop(t, tc.opts...)
		got := [2]int{l.Rings(), l.Stats().Rings}
		if diff := cmp.Diff([2]int{tc.want, tc.want}, got); diff != "" {
			t.Errorf("%s: (Rings, Stats.Rings) (-want +got):\n%s", tc.name, diff)
		}
	}
}

// TestLoopDefaultRingsOnOneP: with GOMAXPROCS 1 the default Loop has one
// ring.
func TestLoopDefaultRingsOnOneP(t *testing.T) {
	defer runtime.GOMAXPROCS(runtime.GOMAXPROCS(1))
	if l := newTestLoop(t); l.Rings() != 1 {
		t.Errorf("Rings() = %d at GOMAXPROCS 1, want 1", l.Rings())
	}
}

// TestLoopRingsCountRefused: a ring count below 1 or above 128 is refused
// by NewLoop with a *SetupError naming the rule, for both WithRings and
// WithSpillRings; 1 is a Loop with one ring.
func TestLoopRingsCountRefused(t *testing.T) {
	for _, tc := range []struct {
		name string
		opt  ring.LoopOption
	}{
		{"WithRings(0)", ring.WithRings(0)},
		{"WithRings(-1)", ring.WithRings(-1)},
		{"WithRings(129)", ring.WithRings(129)},
		{"WithSpillRings(0)", ring.WithSpillRings(0)},
		{"WithSpillRings(500)", ring.WithSpillRings(500)},
	} {
		l, err := ring.NewLoop(tc.opt)
		var se *ring.SetupError
		if !errors.As(err, &se) {
			if l != nil {
				l.Close()
			}
			t.Errorf("NewLoop(%s) = %v, want a *SetupError", tc.name, err)
		}
	}
	for _, opt := range []ring.LoopOption{ring.WithRings(1), ring.WithSpillRings(1)} {
		l := newTestLoop(t, opt)
		if l.Rings() != 1 {
			t.Errorf("Rings() = %d, want 1", l.Rings())
		}
	}
}
