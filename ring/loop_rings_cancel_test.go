package ring

import (
	"context"
	"errors"
	"strings"
	"syscall"
	"testing"
	"time"

	"github.com/google/go-cmp/cmp"
)

// TestLoopRingsCancelEverywhere: on a Loop over two rings with reads of an
// idle pipe in flight on both, a cancel by fd, by opcode or CANCEL_ANY
// sees every ring, as on one ring: with IORING_ASYNC_CANCEL_ALL its result
// counts the reads of both rings and they all end with -ECANCELED;
// without, it cancels exactly one; with no match ALL counts 0 and a
// single cancel gets -ENOENT. The caller's Request gets one CQE with that
// result, and its SQE is as the caller left it. On the owner-mode rings
// the cancels also find the Loop's doorbell, which must be armed again
// (before, the owner then slept for good and this test hung).
func TestLoopRingsCancelEverywhere(t *testing.T) {
	ec := -int32(syscall.ECANCELED)
	for _, m := range exactModes {
		t.Run(m.name, func(t *testing.T) {
			l := newExactLoop(t, m.opts)
			if !l.injectOK() {
				t.Skip("the fan-out needs IORING_NOP_INJECT_RESULT (6.10)")
			}
			pr, pw := idlePipe(t)
			ctx := context.Background()
			// Two reads in flight on each ring.
			readsOnBoth := func() []*Request {
				var rs []*Request
				for i := range 4 {
					r := submitPipeRead(t, ctx, l.shards[i%2], pr)
					rs = append(rs, r)
				}
				return rs
			}
			cancel := func(prep func(*SQE)) int32 {
				t.Helper()
				c := NewRequest()
				prep(&c.SQE)
				want := c.SQE
				if err := l.Submit(ctx, c); err != nil {
					t.Fatal(err)
				}
				if diff := cmp.Diff(want, c.SQE); diff != "" {
					t.Errorf("the cancel's SQE changed (-before +after):\n%s", diff)
				}
				cqe, err := c.Wait(ctx)
				if err != nil {
					t.Fatal(err)
				}
				return cqe.Res
			}
			results := func(rs []*Request) []int32 {
				var out []int32
				for _, r := range rs {
					c, err := r.Wait(ctx)
					if err != nil {
						t.Fatal(err)
					}
					out = append(out, c.Res)
				}
				return out
			}
			for _, tc := range []struct {
				name string
				prep func(*SQE)
			}{
				{"fd", func(s *SQE) { s.PrepCancelFd(int32(pr.Fd()), CancelAll) }},
				{"opcode", func(s *SQE) { s.PrepCancelOp(OpRead, CancelAll) }},
				{"any", func(s *SQE) { s.PrepCancelAny(CancelAll) }},
			} {
				rs := readsOnBoth()
				// An owner-mode ring's doorbell (a READ of its eventfd)
				// matches opcode READ and ANY while its owner is awake:
				// up to one more per ring.
				extra := 0
				if strings.HasPrefix(m.name, "owner") && tc.name != "fd" {
					extra = 2
				}
				if got := cancel(tc.prep); got < 4 || got > int32(4+extra) {
					t.Errorf("%s, ALL: res %d, want 4 (both rings' reads) to %d", tc.name, got, 4+extra)
				}
				if diff := cmp.Diff([]int32{ec, ec, ec, ec}, results(rs)); diff != "" {
					t.Errorf("%s, ALL: reads (-want +got):\n%s", tc.name, diff)
				}
			}
			// Without ALL: one read cancelled, the other three get data.
			rs := readsOnBoth()
			if got := cancel(func(s *SQE) { s.PrepCancelFd(int32(pr.Fd()), 0) }); got != 0 {
				t.Errorf("fd, one: res %d, want 0", got)
			}
			if _, err := pw.Write([]byte("abc")); err != nil {
				t.Fatal(err)
			}
			n := map[int32]int{}
			for _, res := range results(rs) {
				n[res]++
			}
			if diff := cmp.Diff(map[int32]int{ec: 1, 1: 3}, n); diff != "" {
				t.Errorf("fd, one: read results (-want +got):\n%s", diff)
			}
			// Nothing to cancel anywhere: ALL counts none, a single
			// cancel finds none.
			if got := cancel(func(s *SQE) { s.PrepCancelFd(int32(pr.Fd()), CancelAll) }); got != 0 {
				t.Errorf("no match, ALL: res %d, want 0", got)
			}
			if got := cancel(func(s *SQE) { s.PrepCancelFd(int32(pr.Fd()), 0) }); got != -int32(syscall.ENOENT) {
				t.Errorf("no match: res %d, want -ENOENT", got)
			}
		})
	}
}

// TestLoopRingsCancelEverywhereRefusals: a spread cancel that Submit
// refuses (skip-success on a lone request; a Request already in flight)
// is refused before any ring's cancel runs: the read in flight survives.
func TestLoopRingsCancelEverywhereRefusals(t *testing.T) {
	l := newExactLoop(t, exactModes[0].opts)
	if !l.injectOK() {
		t.Skip("the fan-out needs IORING_NOP_INJECT_RESULT (6.10)")
	}
	pr, _ := idlePipe(t)
	ctx := context.Background()
	rd := submitPipeRead(t, ctx, l.shards[1], pr)
	c := NewRequest()
	c.SQE.PrepCancelFd(int32(pr.Fd()), CancelAll)
	c.SQE.Flags |= SQECQESkipSuccess
	if err := l.Submit(ctx, c); !errors.Is(err, ErrSkipSuccessLast) {
		t.Errorf("skip-success cancel: %v, want ErrSkipSuccessLast", err)
	}
	if err := l.Submit(ctx, rd); !errors.Is(err, ErrRequestBusy) {
		t.Errorf("resubmitting the read in flight: %v, want ErrRequestBusy", err)
	}
	busy := NewRequest()
	busy.SQE.PrepCancelFd(int32(pr.Fd()), CancelAll)
	if err := l.Submit(ctx, busy); err != nil {
		t.Fatal(err)
	}
	if cqe, err := busy.Wait(ctx); err != nil || cqe.Res != 1 {
		t.Fatalf("cancel: %+v, %v; want res 1", cqe, err)
	}
	if err := l.Submit(ctx, busy); err != nil { // collected: may be submitted again
		t.Fatal(err)
	}
	if cqe, err := busy.Wait(ctx); err != nil || cqe.Res != 0 {
		t.Errorf("second cancel: %+v, %v; want res 0 (nothing left)", cqe, err)
	}
	if cqe, err := rd.Wait(ctx); err != nil || cqe.Res != -int32(syscall.ECANCELED) {
		t.Errorf("read: %+v, %v; want -ECANCELED from the one cancel that ran", cqe, err)
	}
}

// TestLoopRingsCancelByFdAndUserData: a cancel that matches fd and
// user_data together (IORING_ASYNC_CANCEL_USERDATA with _FD, 6.6) goes to
// the ring its user_data names, like a cancel by user_data alone, and
// cancels the read there; sent anywhere else it would find nothing.
func TestLoopRingsCancelByFdAndUserData(t *testing.T) {
	for _, m := range exactModes {
		t.Run(m.name, func(t *testing.T) {
			l := newExactLoop(t, m.opts)
			pr, _ := idlePipe(t)
			ctx := context.Background()
			rd := submitPipeRead(t, ctx, l.shards[1], pr)
			c := NewRequest()
			c.SQE.PrepCancel(rd.UserData(), CancelFd|CancelUserData)
			c.SQE.Fd = int32(pr.Fd())
			if err := l.Submit(ctx, c); err != nil {
				t.Fatal(err)
			}
			// Bounded: a cancel that missed would leave the read waiting.
			wctx, cancel := context.WithTimeout(ctx, 10*time.Second)
			defer cancel()
			var got []int32
			for _, r := range []*Request{c, rd} {
				cqe, err := r.Wait(wctx)
				if err != nil {
					t.Fatal(err)
				}
				got = append(got, cqe.Res)
			}
			if diff := cmp.Diff([]int32{0, -int32(syscall.ECANCELED)}, got); diff != "" {
				t.Errorf("cancel, read (-want +got):\n%s", diff)
			}
		})
	}
}
