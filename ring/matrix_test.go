//go:build linux

package ring_test

import (
	"runtime"
	"testing"
	"time"

	"github.com/google/go-cmp/cmp"

	"github.com/uringkit/uring/ring"
)

// TestMatrix runs the same integration workload across ring
// configurations (../shared/DESIGN.md, Tests 2): the default ring, SQPOLL,
// SINGLE_ISSUER|DEFER_TASKRUN on a locked OS thread, and a tiny ring (2
// SQ entries, 4 CQ entries) whose SQ is always full and whose CQ overflows
// all the time. In each, NOPs are submitted as fast as the SQ takes them
// and reaped late, after several CQs' worth are in flight, so completions
// pile up in the kernel's overflow list; every user_data must come back
// exactly once, none lost, none duplicated.
func TestMatrix(t *testing.T) {
	configs := []struct {
		name    string
		entries uint32
		opts    []ring.Option
		lock    bool // SINGLE_ISSUER / DEFER_TASKRUN: one OS thread
		nops    int
	}{
		{"default", 64, nil, false, 20000},
		{"SQPOLL", 64, []ring.Option{ring.WithSQPoll(20 * time.Millisecond)}, false, 20000},
		{"SINGLE_ISSUER|DEFER_TASKRUN", 64, []ring.Option{ring.WithSingleIssuer(), ring.WithDeferTaskrun()}, true, 20000},
		{"tiny", 2, []ring.Option{ring.WithCQSize(4)}, false, 100000},
	}
	for _, c := range configs {
		t.Run(c.name, func(t *testing.T) {
			if c.lock {
				runtime.LockOSThread()
				defer runtime.UnlockOSThread()
			}
			// No nested t.Run: a subtest runs on its own goroutine, hence
			// on another OS thread, which a SINGLE_ISSUER ring refuses.
			r := newRing(t, c.entries, c.opts...)
			overflowed := nopsExactlyOnce(t, r, c.nops)
			if c.name == "tiny" && !overflowed {
				t.Error("the tiny ring never reported IORING_SQ_CQ_OVERFLOW: the late reaping did not exercise the overflow path")
			}

			nops(t, r, 1, 2)
			if n, err := r.SubmitAndWait(2); err != nil || n != 2 {
				t.Fatalf("SubmitAndWait(2) = %d, %v", n, err)
			}
			got := make([]ring.CQE, 4)
			got = got[:r.PeekBatch(got)]
			if diff := cmp.Diff(nopCQEs(2), byUserData(got)); diff != "" {
				t.Errorf("batch (-want +got):\n%s", diff)
			}

			n, err := r.SubmitAndWaitTimeout(1, 2*time.Millisecond, 0)
			wantETIME(t, n, err, 0)
		})
	}
}

// nopsExactlyOnce pushes total NOPs through r, reaping only when more than
// four CQs' worth are in flight (or all are submitted), and checks that each
// user_data 1..total completes exactly once with res 0. It reports whether
// the kernel ever flagged IORING_SQ_CQ_OVERFLOW.
func nopsExactlyOnce(t *testing.T, r *ring.Ring, total int) (overflowed bool) {
	seen := make([]uint8, total+1)
	late := 4 * int(r.CQEntries())
	next, completed := 1, 0
	batch := make([]ring.CQE, 16)
	record := func(c ring.CQE) {
		if c.Res != 0 || c.UserData == 0 || c.UserData > uint64(total) {
			t.Fatalf("unexpected CQE %+v", c)
		}
		if seen[c.UserData]++; seen[c.UserData] > 1 {
			t.Fatalf("user_data %d completed twice", c.UserData)
		}
		completed++
	}
	for completed < total {
		for next <= total {
			sqe := r.GetSQE()
			if sqe == nil {
				break
			}
			sqe.PrepNop()
			sqe.UserData = uint64(next)
			next++
		}
		if _, err := r.Submit(); err != nil {
			t.Fatalf("Submit: %v", err)
		}
		// SQPOLL: the poller may still hold the SQ; wait for room.
		if err := r.SQWait(); err != nil {
			t.Fatalf("SQWait: %v", err)
		}
		if next-1-completed < late && next <= total {
			continue // reap late
		}
		overflowed = overflowed || r.SQFlags()&ring.SQCQOverflow != 0
		reaped := 0
		for {
			n := r.PeekBatch(batch) // from the CQ only
			for _, c := range batch[:n] {
				record(c)
			}
			reaped += n
			c, err := r.PeekCQE() // flushes the overflow list when the CQ is empty
			if err != nil {
				t.Fatalf("PeekCQE: %v", err)
			}
			if c == nil {
				break
			}
			record(*c)
			r.CQESeen(c)
			reaped++
		}
		if reaped == 0 && completed < next-1 {
			// In flight but not posted yet (SQPOLL): wait for one.
			c, err := r.WaitCQETimeout(10 * time.Second)
			if err != nil {
				t.Fatalf("WaitCQE with %d in flight: %v", next-1-completed, err)
			}
			record(*c)
			r.CQESeen(c)
		}
	}
	for ud := 1; ud <= total; ud++ {
		if seen[ud] != 1 {
			t.Fatalf("user_data %d completed %d times", ud, seen[ud])
		}
	}
	if r.CQOverflow() != 0 {
		t.Errorf("CQOverflow = %d: the kernel dropped CQEs", r.CQOverflow())
	}
	return overflowed
}
