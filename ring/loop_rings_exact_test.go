package ring

import (
	"context"
	"errors"
	"syscall"
	"testing"
	"time"

	"github.com/google/go-cmp/cmp"
)

var exactModes = []struct {
	name string
	opts []LoopOption
}{
	{"shared-rings2", []LoopOption{WithMode(ModeShared), WithRings(2)}},
	{"owner-rings2", []LoopOption{WithMode(ModeOwner), WithRings(2)}},
	{"shared-spill2", []LoopOption{WithMode(ModeShared), WithSpillRings(2)}},
}

func newExactLoop(t *testing.T, opts []LoopOption) *Loop {
	t.Helper()
	l, err := NewLoop(opts...)
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { l.Close() })
	if l.spill != nil {
		// Spreading, as under load: no window closes to stop it.
		l.spill.checking.Store(true)
		l.spill.on.Store(true)
	}
	return l
}

// TestLoopRingsDrainSeesEveryRing: a request with IOSQE_IO_DRAIN on a
// Loop over two rings starts only after every request submitted before
// it has completed, on whichever ring: with four reads of an idle pipe in
// flight on the second ring, a draining NOP submitted through the Loop
// has not completed 20 ms later (without the rule it went to the home
// ring, found nothing to drain there and completed at once); once the
// pipe has data, the reads complete with one byte each and the NOP with 0.
func TestLoopRingsDrainSeesEveryRing(t *testing.T) {
	for _, m := range exactModes {
		t.Run(m.name, func(t *testing.T) {
			l := newExactLoop(t, m.opts)
			pr, pw := idlePipe(t)
			ctx, cancel := context.WithTimeout(context.Background(), 20*time.Second)
			defer cancel()
			reads := make([]*Request, 4)
			for i := range reads {
				r := submitPipeRead(t, ctx, l.shards[1], pr)
				reads[i] = r
			}
			drain := NewRequest()
			drain.SQE.PrepNop()
			drain.SQE.Flags |= SQEIODrain
			done := make(chan error, 1)
			go func() {
				if err := l.Submit(ctx, drain); err != nil {
					done <- err
					return
				}
				_, err := drain.Wait(ctx)
				done <- err
			}()
			select {
			case err := <-done:
				t.Fatalf("the draining NOP completed (%v) while 4 reads were in flight on the other ring", err)
			case <-time.After(20 * time.Millisecond):
			}
			if _, err := pw.Write([]byte("abcd")); err != nil {
				t.Fatal(err)
			}
			var res []int32
			for _, r := range reads {
				c, err := r.Wait(ctx)
				if err != nil {
					t.Fatal(err)
				}
				res = append(res, c.Res)
			}
			if err := <-done; err != nil {
				t.Fatal(err)
			}
			c, _ := drain.Wait(ctx)
			res = append(res, c.Res)
			if d := cmp.Diff([]int32{1, 1, 1, 1, 0}, res); d != "" {
				t.Errorf("reads then drain (-want +got):\n%s", d)
			}
		})
	}
}

// TestLoopRingsCountTimeoutSeesEveryRequest: a TIMEOUT with a completion
// count of 8 on a Loop over two rings counts every request completed
// after it, because until it completes every request goes to the home
// ring: 8 NOPs submitted without waiting from a P whose ring is the
// second (preferRing) all go home, and the timeout completes
// with 0, not with -ETIME after 10 s. Afterwards nothing pins requests to
// the home ring: the Loop spreads again.
func TestLoopRingsCountTimeoutSeesEveryRequest(t *testing.T) {
	for _, m := range exactModes {
		t.Run(m.name, func(t *testing.T) {
			l := newExactLoop(t, m.opts)
			ctx, cancel := context.WithTimeout(context.Background(), 20*time.Second)
			defer cancel()
			ts := &Timespec{Sec: 10}
			to := NewRequest()
			to.Keep = ts
			to.SQE.PrepTimeout(ts, 8, 0)
			if err := l.Submit(ctx, to); err != nil {
				t.Fatal(err)
			}
			// Without the pin these NOPs would go to the second ring (the
			// ring of this P now, while this goroutine stays on it).
			preferRing(l, 1)
			nopRound(t, ctx, l, 8)
			c, err := to.Wait(ctx)
			if err != nil {
				t.Fatal(err)
			}
			type out struct {
				TimeoutRes int32
				OnOther    uint64
			}
			if d := cmp.Diff(out{0, 0}, out{c.Res, l.shards[1].Stats().Submitted}); d != "" {
				t.Errorf("count timeout (-want +got):\n%s", d)
			}
			if l.pinned() {
				t.Errorf("after the timeout completed, requests are still pinned to the home ring: the Loop no longer spreads")
			}
		})
	}
}

// TestLoopRingsDrainHonoursContext: Submit of a draining request waits
// for the other rings to empty only as long as its context lets it: with
// a read of an idle pipe in flight on the second ring it returns the
// context's error, submits nothing, and leaves nothing pinning requests
// to the home ring (the read, then 8 NOPs, complete as usual).
func TestLoopRingsDrainHonoursContext(t *testing.T) {
	for _, m := range exactModes {
		t.Run(m.name, func(t *testing.T) {
			l := newExactLoop(t, m.opts)
			pr, pw := idlePipe(t)
			ctx, cancel := context.WithTimeout(context.Background(), 20*time.Second)
			defer cancel()
			rd := submitPipeRead(t, ctx, l.shards[1], pr)
			drain := NewRequest()
			drain.SQE.PrepNop()
			drain.SQE.Flags |= SQEIODrain
			short, stop := context.WithTimeout(ctx, 20*time.Millisecond)
			err := l.Submit(short, drain)
			stop()
			if !errors.Is(err, context.DeadlineExceeded) {
				t.Fatalf("Submit of a drain while the other ring has a read in flight: %v, want context.DeadlineExceeded", err)
			}
			if _, err := pw.Write([]byte("x")); err != nil {
				t.Fatal(err)
			}
			if c, err := rd.Wait(ctx); err != nil || c.Res != 1 {
				t.Fatalf("read: %+v, %v", c, err)
			}
			nopRound(t, ctx, l, 8)
			st := l.Stats()
			type out struct {
				Submitted, Completed uint64
				Pinned               bool
			}
			if d := cmp.Diff(out{9, 9, false}, out{st.Submitted, st.Completed, l.pinned()}); d != "" {
				t.Errorf("(-want +got):\n%s", d)
			}
		})
	}
}

// TestLoopRingsCancelByUserData: on a Loop over two rings the user_data
// the Loop gives a request names its ring, and ASYNC_CANCEL by user_data
// and POLL_REMOVE go to the ring of the request they name. A read of an
// idle pipe in flight on the second ring and one on the home ring (the
// first slot of each ring: without the ring in user_data both had the
// same user_data) have different user_data; a cancel of the second
// ring's read submitted while the Loop keeps everything home cancels
// that read (res 0, the read -ECANCELED), not the home ring's, which
// then reads the byte written to the pipe. Likewise POLL_REMOVE of a
// poll on the second ring.
func TestLoopRingsCancelByUserData(t *testing.T) {
	for _, m := range exactModes {
		t.Run(m.name, func(t *testing.T) {
			l := newExactLoop(t, m.opts)
			if l.spill != nil {
				l.spill.on.Store(false) // everything not targeted goes home
			}
			pr, pw := idlePipe(t)
			ctx, cancel := context.WithTimeout(context.Background(), 20*time.Second)
			defer cancel()
			read := func(c *Loop) *Request {
				r := submitPipeRead(t, ctx, c, pr)
				return r
			}
			other, home := read(l.shards[1]), read(l.shards[0])
			poll := NewRequest()
			poll.SQE.PrepPollAdd(int32(pr.Fd()), 0x1) // POLLIN
			if err := l.shards[1].Submit(ctx, poll); err != nil {
				t.Fatal(err)
			}
			do := func(prep func(*SQE)) int32 {
				r := NewRequest()
				prep(&r.SQE)
				if err := l.Submit(ctx, r); err != nil {
					t.Fatal(err)
				}
				c, err := r.Wait(ctx)
				if err != nil {
					t.Fatal(err)
				}
				return c.Res
			}
			type out struct {
				SameUserData          bool
				Cancel, PollRemove    int32
				Other, Poll, HomeRead int32
			}
			got := out{SameUserData: other.UserData() == home.UserData()}
			got.Cancel = do(func(s *SQE) { s.PrepCancel(other.UserData(), 0) })
			got.PollRemove = do(func(s *SQE) { s.PrepPollRemove(poll.UserData()) })
			c, err := other.Wait(ctx)
			if err != nil {
				t.Fatal(err)
			}
			got.Other = c.Res
			if c, err = poll.Wait(ctx); err != nil {
				t.Fatal(err)
			}
			got.Poll = c.Res
			if _, err := pw.Write([]byte("x")); err != nil {
				t.Fatal(err)
			}
			if c, err = home.Wait(ctx); err != nil {
				t.Fatal(err)
			}
			got.HomeRead = c.Res
			want := out{false, 0, 0, -int32(syscall.ECANCELED), -int32(syscall.ECANCELED), 1}
			if d := cmp.Diff(want, got); d != "" {
				t.Errorf("(-want +got):\n%s", d)
			}
		})
	}
}

// nopRound submits n NOPs through l without waiting, then waits for each
// and fails the test unless each completed with 0.
func nopRound(t *testing.T, ctx context.Context, l *Loop, n int) {
	t.Helper()
	nops := make([]*Request, n)
	for i := range nops {
		nops[i] = nopRequest()
		if err := l.Submit(ctx, nops[i]); err != nil {
			t.Fatal(err)
		}
	}
	for i, r := range nops {
		if c, err := r.Wait(ctx); err != nil || c.Res != 0 {
			t.Fatalf("NOP %d: %+v, %v", i, c, err)
		}
	}
}
