//go:build linux

package ring_test

import (
	"context"
	"errors"
	"fmt"
	"runtime"
	"strings"
	"sync"
	"syscall"
	"testing"
	"time"
	"weak"

	"github.com/google/go-cmp/cmp"
	"github.com/uringkit/uring/ring"
	"golang.org/x/sys/unix"
)

// Regression tests for bugs that other Go io_uring libraries shipped, at
// the Loop (see peerbugs_test.go for the Ring and the preps, and
// docs/peer-bugs.md for the map from each peer bug to its test).

// go-uring's consumer thread waits in io_uring_enter with a 1 ms timeout
// and gain waits with SubmitAndWaitTimeout(.., 1ms) (go-peers.md 2.2,
// 2.3, 6(b)4): an idle ring wakes a thousand times a second. An idle Loop
// must make no io_uring_enter at all: its reaper or owner sleeps until
// there is work. The test allows a handful of enters over the idle period
// (a signal can interrupt the sleeping enter, which is then retried), far
// below the hundreds a 1 ms tick would make.
func TestLoopIdleMakesNoEnters(t *testing.T) {
	for _, m := range loopModes {
		t.Run(m.name, func(t *testing.T) {
			l := newTestLoop(t, m.opts...)
			req := nopReq()
			if err := l.Submit(context.Background(), req); err != nil {
				t.Fatal(err)
			}
			if _, err := req.Wait(context.Background()); err != nil {
				t.Fatal(err)
			}
			// Let the reaper/owner finish its spin and go to sleep.
			var before ring.LoopStats
			for settled := 0; settled < 5; {
				time.Sleep(10 * time.Millisecond)
				s := l.Stats()
				if s.Enters == before.Enters {
					settled++
				} else {
					settled = 0
				}
				before = s
			}
			time.Sleep(200 * time.Millisecond)
			after := l.Stats()
			if n := after.Enters - before.Enters; n > 5 {
				t.Errorf("an idle Loop made %d io_uring_enter calls in 200 ms (a timer tick?); stats %+v", n, after)
			}
			// hodgesds scans the CQ in a loop with 200 ns sleeps
			// (go-peers.md 2.6), which makes no enter at all: the idle
			// runners must also be parked, not running. Every runner of
			// the mode is checked: the Loops of earlier tests are closed
			// and the default Loop is idle too.
			runner := "ring.(*Loop).reaper"
			if strings.HasPrefix(m.name, "owner") {
				runner = "ring.(*Loop).ownerLoop"
			}
			for i := 0; i < 3; i++ {
				states := goroutineStates(runner)
				if len(states) == 0 {
					t.Fatalf("no goroutine runs %s", runner)
				}
				for _, state := range states {
					if strings.Contains(state, "running") || strings.Contains(state, "runnable") {
						t.Fatalf("idle Loop runner %s is in state %q, want parked (all: %q)", runner, state, states)
					}
				}
				time.Sleep(5 * time.Millisecond)
			}
		})
	}
}

// Iceber's SubmitRequest makes one io_uring_enter per request, so many
// goroutines submitting pay one syscall each (go-peers.md 2.1, 6(b)4; the
// cost is about 7x per op at batch 1 vs 64, section 5.7). The Loop's
// submissions are group commits: a group goes in with one enter, and
// when many goroutines submit, a flusher enters once for everything they
// published (loop_policy.go, flushNow).
func TestLoopBatchesSubmissionsAcrossGoroutines(t *testing.T) {
	l := newTestLoop(t, ring.WithMode(ring.ModeShared), ring.WithEntries(256), ring.WithLoopCQSize(4096))
	ctx := context.Background()

	// One group of 16: exactly one enter that carries all 16 SQEs.
	before := l.Stats()
	group := make([]*ring.Request, 16)
	for i := range group {
		group[i] = nopReq()
	}
	if err := l.Submit(ctx, group...); err != nil {
		t.Fatal(err)
	}
	if diff := cmp.Diff(make([]int32, 16), waitAll(t, group)); diff != "" {
		t.Fatalf("group results (-want +got):\n%s", diff)
	}
	after := statsAfterSQEs(t, l, before, 16)
	if got := after.SubmitEnters - before.SubmitEnters; got != 1 {
		t.Errorf("a 16-request group took %d submitting enters, want 1", got)
	}

	// 64 goroutines, 50 requests each: at most one enter per two requests
	// (the deferred flush batches dozens; a syscall per op is the bug).
	const goroutines, each = 64, 50
	before = after
	var wg sync.WaitGroup
	errs := make(chan error, goroutines)
	start := make(chan struct{})
	for g := 0; g < goroutines; g++ {
		wg.Add(1)
		go func() {
			defer wg.Done()
			<-start
			reqs := make([]*ring.Request, each)
			for i := range reqs {
				reqs[i] = nopReq()
				if err := l.Submit(ctx, reqs[i]); err != nil {
					errs <- err
					return
				}
			}
			for _, r := range reqs {
				if c, err := r.Wait(ctx); err != nil || c.Res != 0 {
					errs <- errors.New("NOP failed")
					return
				}
				r.Release()
			}
		}()
	}
	close(start)
	wg.Wait()
	close(errs)
	for err := range errs {
		t.Fatal(err)
	}
	after = statsAfterSQEs(t, l, before, goroutines*each)
	enters := after.SubmitEnters - before.SubmitEnters
	t.Logf("%d requests from %d goroutines, %d submitting enters", goroutines*each, goroutines, enters)
	if 2*enters > goroutines*each {
		t.Errorf("%d requests from %d goroutines took %d submitting enters, want at most one per two requests", goroutines*each, goroutines, enters)
	}
}

// statsAfterSQEs returns the Loop's stats once the kernel has consumed n
// SQEs more than in before: the enter that consumed them may update the
// counters after its requests' waiters have woken.
func statsAfterSQEs(t *testing.T, l *ring.Loop, before ring.LoopStats, n uint64) ring.LoopStats {
	t.Helper()
	var s ring.LoopStats
	mustFinish(t, "waiting for the submission counters", func() {
		for s = l.Stats(); s.SQEsSubmitted-before.SQEsSubmitted < n; s = l.Stats() {
			time.Sleep(time.Millisecond)
		}
	})
	return s
}

// Iceber#26 (WithSQPoll requests never return) and, more generally, a
// submitter that forgets to wake a sleeping SQ poller, or wakes it with the
// wrong enter flag: the SQE sits in the SQ forever. After sq_thread_idle
// the poller sets IORING_SQ_NEED_WAKEUP and sleeps; a Loop submission must
// then enter with IORING_ENTER_SQ_WAKEUP, so every request completes. Both
// ways of asking for SQPOLL count: the Loop option, and the ring option
// passed through WithRingOptions (which hung every request after the
// poller's first sleep until the Loop learnt to read SQPOLL from the
// ring's flags).
func TestLoopWakesSleepingSQPoller(t *testing.T) {
	for _, tc := range []struct {
		name string
		opt  ring.LoopOption
	}{
		{"WithLoopSQPoll", ring.WithLoopSQPoll(2 * time.Millisecond)},
		{"WithRingOptions(WithSQPoll)", ring.WithRingOptions(ring.WithSQPoll(2 * time.Millisecond))},
	} {
		t.Run(tc.name, func(t *testing.T) {
			l := newTestLoop(t, tc.opt)
			sqFlags := func() uint32 {
				var f uint32
				_ = l.Do(func(r *ring.Ring) error { f = r.SQFlags(); return nil })
				return f
			}
			for round := 0; round < 3; round++ {
				mustFinish(t, "waiting for the SQ poller to sleep", func() {
					for sqFlags()&ring.SQNeedWakeup == 0 {
						time.Sleep(time.Millisecond)
					}
				})
				req := nopReq()
				req.SQE.PrepNopInject(int32(round + 1))
				if err := l.Submit(context.Background(), req); err != nil {
					t.Fatal(err)
				}
				var c ring.CQE
				var err error
				mustFinish(t, "a request submitted while the SQ poller slept", func() {
					c, err = req.Wait(context.Background())
				})
				if err != nil || c.Res != int32(round+1) {
					t.Fatalf("round %d: Wait = %+v, %v", round, c, err)
				}
			}
		})
	}
}

// go-uring's reactor runs callbacks while holding its callback lock, so a
// callback that queues the follow-up op deadlocks (go-peers.md 2.3, 5.4);
// Iceber's reaper blocks on the caller's result channel. The Loop runs no
// user code on its completion path and frees a request's admission credit
// when its CQE arrives, not when someone reads it. Here 16 goroutines each
// keep two requests in flight on a Loop that admits only a few: each
// submits its follow-up (blocking for a credit) while its other request's
// result is still unread. If reading a result were what freed the credit,
// every goroutine would block in Submit holding an unread result, and the
// Loop would deadlock.
func TestLoopFollowUpSubmitWithUnreadResultsDoesNotDeadlock(t *testing.T) {
	for _, m := range loopModes {
		t.Run(m.name, func(t *testing.T) {
			l := newTestLoop(t, append(m.opts, ring.WithEntries(4), ring.WithLoopCQSize(16))...)
			const goroutines, rounds = 16, 200
			ctx := context.Background()
			var wg sync.WaitGroup
			errs := make(chan error, goroutines)
			mustFinish(t, "re-arming goroutines", func() {
				for g := 0; g < goroutines; g++ {
					wg.Add(1)
					go func(g int) {
						defer wg.Done()
						var pending [2]*ring.Request
						for i := 0; i < rounds; i++ {
							slot := i % 2
							if p := pending[slot]; p != nil {
								c, err := p.Wait(ctx)
								if err != nil || c.Res != int32(g*rounds+i-2) {
									errs <- errors.New("wrong result for a re-armed request")
									return
								}
								p.Release()
							}
							// The follow-up is submitted while the other
							// slot's request is in flight or unread.
							r := ring.NewRequest()
							r.SQE.PrepNopInject(int32(g*rounds + i))
							if err := l.Submit(ctx, r); err != nil {
								errs <- err
								return
							}
							pending[slot] = r
						}
						for _, p := range pending {
							if _, err := p.Wait(ctx); err != nil {
								errs <- err
							}
						}
					}(g)
				}
				wg.Wait()
			})
			close(errs)
			for err := range errs {
				t.Error(err)
			}
		})
	}
}

// Iceber delivers each result with a blocking send on the caller's
// channel, so a caller that does not read stalls every completion on the
// ring (go-peers.md 2.1). The Loop's delivery never blocks: requests whose
// results nobody reads yet (three CQs' worth) all complete, the others
// keep completing, and the unread results are still there afterwards.
func TestLoopUnreadResultsDoNotStallCompletions(t *testing.T) {
	for _, m := range loopModes {
		t.Run(m.name, func(t *testing.T) {
			l := newTestLoop(t, append(m.opts, ring.WithEntries(8), ring.WithLoopCQSize(32))...)
			ctx := context.Background()
			unread := make([]*ring.Request, 96)
			mustFinish(t, "submitting requests whose results are not read", func() {
				for i := range unread {
					unread[i] = ring.NewRequest()
					unread[i].SQE.PrepNopInject(int32(i))
					if err := l.Submit(ctx, unread[i]); err != nil {
						t.Error(err)
						return
					}
				}
				r := nopReq()
				if err := l.Submit(ctx, r); err != nil {
					t.Error(err)
					return
				}
				if _, err := r.Wait(ctx); err != nil {
					t.Error(err)
				}
			})
			got := make([]int32, len(unread))
			want := make([]int32, len(unread))
			for i, r := range unread {
				c, err := r.Wait(ctx)
				if err != nil {
					t.Fatal(err)
				}
				got[i], want[i] = c.Res, int32(i)
			}
			if diff := cmp.Diff(want, got); diff != "" {
				t.Errorf("results read late (-want +got):\n%s", diff)
			}
		})
	}
}

// rio counts a multishot op's F_MORE CQEs before it reuses the op, and
// go-peers.md 6(b)1 makes it the rule: memory an op hands to the kernel is
// released only on its terminal CQE. A multishot TIMEOUT re-reads its
// timespec on every expiry. The test submits one that fires every 500 us,
// 1,000 times, drops every reference to the Request and its Timespec
// except weak pointers, and collects garbage while F_MORE CQEs arrive: as
// long as the op has not ended, both must still be alive (the Loop holds
// them). It then drains to the terminal CQE and checks the Loop let go.
func TestLoopKeepsMultishotMemoryUntilTerminalCQEUnderGC(t *testing.T) {
	const shots = 1000
	for _, m := range loopModes {
		t.Run(m.name, func(t *testing.T) {
			l := newTestLoop(t, m.opts...)
			if err := l.CheckOp(ring.OpTimeout); err != nil {
				t.Skip(err)
			}
			before := l.Stats().Completed
			wreq, wts := submitAbandonedTicker(t, l, shots)
			for i := 0; i < 5; i++ {
				runtime.GC()
				time.Sleep(2 * time.Millisecond) // let a few expiries post F_MORE CQEs
			}
			req, ts := wreq.Value(), wts.Value()
			ended := l.Stats().Completed != before // read after taking the references
			switch {
			case (req == nil || ts == nil) && !ended:
				t.Fatal("the GC collected a multishot request's memory while the kernel still used it")
			case req == nil || ts == nil:
				t.Skip("the ticker ended before the check (a very slow machine): nothing proven")
			}
			if *ts != (ring.Timespec{Nsec: int64(500 * time.Microsecond)}) {
				t.Fatalf("timespec changed under the kernel: %+v", *ts)
			}
			var more, last int
			var term ring.CQE
			mustFinish(t, "draining the ticker", func() {
				for {
					c, ok, err := req.Next(context.Background())
					if err != nil {
						t.Fatal(err)
					}
					if !ok {
						break
					}
					if c.Flags&ring.CQEFMore != 0 {
						more++
					} else {
						last++
						term = c
					}
				}
			})
			if more != shots-1 || last != 1 || term.Res != -int32(syscall.ETIME) {
				t.Fatalf("%d F_MORE CQEs, %d terminal (last %+v); want %d, then one -ETIME", more, last, term, shots-1)
			}
			req, ts = nil, nil
			for i := 0; i < 10 && wts.Value() != nil; i++ {
				runtime.GC()
			}
			if wts.Value() != nil {
				t.Error("the Loop still holds the timespec after the terminal CQE")
			}
		})
	}
}

// submitAbandonedTicker submits a multishot TIMEOUT (every 500 us, shots
// times) whose Request and Timespec the caller only sees weakly.
//
//go:noinline
func submitAbandonedTicker(t *testing.T, l *ring.Loop, shots uint32) (weak.Pointer[ring.Request], weak.Pointer[ring.Timespec]) {
	ts := &ring.Timespec{Nsec: int64(500 * time.Microsecond)}
	req := ring.NewRequest()
	req.SQE.PrepTimeout(ts, shots, ring.TimeoutMultishot)
	req.Keep = ts
	if err := l.Submit(context.Background(), req); err != nil {
		t.Fatal(err)
	}
	return weak.Make(req), weak.Make(ts)
}

// rio cancels a multishot op and then drains it until the terminal
// ECANCELED before reusing it (go-peers.md 2.7, 6(b)1): a cancel is not
// done until the op's terminal CQE. Request.Cancel on a multishot TIMEOUT
// must end it, every time. One ASYNC_CANCEL is not enough: it misses a
// multishot timeout whose expiry is running (-EALREADY), and one whose timer
// has fired but whose task work has not re-armed it yet (the timeout is off
// the kernel's list then: -ENOENT); the ticker then goes on for ever, and
// so does the drain. 200 tickers at 100 us, each cancelled after its first
// expiry, hit those windows within seconds; the Loop retries such a cancel
// while its target is still in flight.
func TestLoopCancelEndsMultishotTimeout(t *testing.T) {
	for _, m := range loopModes {
		t.Run(m.name, func(t *testing.T) {
			l := newTestLoop(t, m.opts...)
			if err := l.CheckOp(ring.OpTimeout); err != nil {
				t.Skip(err)
			}
			for i := 0; i < 200; i++ {
				ts := &ring.Timespec{Nsec: int64(100 * time.Microsecond)}
				req := ring.NewRequest()
				req.SQE.PrepTimeout(ts, 0, ring.TimeoutMultishot)
				req.Keep = ts
				if err := l.Submit(context.Background(), req); err != nil {
					t.Fatal(err)
				}
				var term ring.CQE
				mustFinish(t, "draining a cancelled multishot timeout", func() {
					for {
						c, ok, err := req.Next(context.Background())
						if err != nil {
							t.Fatal(err)
						}
						if !ok {
							return
						}
						if c.Flags&ring.CQEFMore != 0 {
							req.Cancel()
						} else {
							term = c
						}
					}
				})
				if term.Res != -int32(syscall.ECANCELED) {
					t.Fatalf("ticker %d ended with %+v, want -ECANCELED", i, term)
				}
				req.Release()
			}
		})
	}
}

// hayabusa-cloud/uring sets SINGLE_ISSUER but never locks an OS thread, so
// io_uring_register from whichever thread the goroutine is on fails with
// EEXIST (go-peers.md 2.8, 5.1; the kernel checks submitter_task in
// __io_uring_register). A register call made through an owner-mode Loop's
// Do from a goroutine locked to some other thread must run on the owner's
// thread and succeed.
func TestLoopOwnerRegistersOnOwnerThread(t *testing.T) {
	l := newTestLoop(t, ring.WithMode(ring.ModeOwner))
	rfd, _ := opPipe(t)
	var errs [2]error
	onOtherThread(func() {
		errs[0] = l.Do(func(r *ring.Ring) error { return r.RegisterFiles([]int{rfd}) })
		errs[1] = l.Do(func(r *ring.Ring) error { return r.UnregisterFiles() })
	})
	if diff := cmp.Diff([2]string{"<nil>", "<nil>"}, [2]string{errString(errs[0]), errString(errs[1])}); diff != "" {
		t.Errorf("RegisterFiles / UnregisterFiles through Do from another thread (-want +got):\n%s", diff)
	}
	// The ring still works after the registrations.
	req := nopReq()
	if err := l.Submit(context.Background(), req); err != nil {
		t.Fatal(err)
	}
	if c, err := req.Wait(context.Background()); err != nil || c.Res != 0 {
		t.Fatalf("NOP after the registrations: %+v, %v", c, err)
	}
}

func errString(err error) string {
	if err == nil {
		return "<nil>"
	}
	return err.Error()
}

// go-uring's QueueWithDeadline queues an op and its LINK_TIMEOUT as two
// separate SQE reservations and drops the second one's error, so a full SQ
// leaves the op linked to nothing or to someone else's SQE (go-peers.md
// 2.3, 6(b)3). Through the Loop an op and its linked timeout are one
// group: on a 4-entry SQ, with 32 goroutines competing, every pair lands
// contiguously (a split would make the kernel fail the lone LINK_TIMEOUT
// with -EINVAL, or run the read unguarded so it never completes), and a
// group that cannot fit is refused whole before anything is queued.
func TestLoopOpAndLinkedTimeoutAreNeverSplit(t *testing.T) {
	for _, m := range loopModes {
		t.Run(m.name, func(t *testing.T) {
			l := newTestLoop(t, append(m.opts, ring.WithEntries(4), ring.WithLoopCQSize(64))...)
			ctx := context.Background()
			pr, _ := ring.IdlePipe(t)
			const goroutines, each = 32, 10
			type outcome struct{ read, timeout int32 }
			results := make(chan outcome, goroutines*each)
			var wg sync.WaitGroup
			mustFinish(t, "reads guarded by linked timeouts", func() {
				for g := 0; g < goroutines; g++ {
					wg.Add(1)
					go func() {
						defer wg.Done()
						for i := 0; i < each; i++ {
							read, lt := ring.NewRequest(), ring.NewRequest()
							read.Buf = make([]byte, 8)
							read.SQE.PrepRead(int32(pr.Fd()), read.Buf, -1)
							read.SQE.SetLink()
							ts := &ring.Timespec{Nsec: int64(100 * time.Microsecond)}
							lt.SQE.PrepLinkTimeout(ts, 0)
							lt.Keep = ts
							if err := l.Submit(ctx, read, lt); err != nil {
								t.Error(err)
								return
							}
							rc, err1 := read.Wait(ctx)
							tc, err2 := lt.Wait(ctx)
							if err1 != nil || err2 != nil {
								t.Error(err1, err2)
								return
							}
							results <- outcome{rc.Res, tc.Res}
						}
					}()
				}
				wg.Wait()
			})
			close(results)
			want := outcome{-int32(syscall.ECANCELED), -int32(syscall.ETIME)}
			wantIntr := outcome{-int32(syscall.EINTR), -int32(syscall.ETIME)}
			for o := range results {
				if o != want && o != wantIntr {
					t.Errorf("read/linked timeout = %d/%d, want -ECANCELED (or -EINTR)/-ETIME", o.read, o.timeout)
				}
			}
			// A group longer than the SQ is refused whole.
			big := make([]*ring.Request, l.MaxGroup()+1)
			for i := range big {
				big[i] = nopReq()
				if i < len(big)-1 {
					big[i].SQE.SetLink()
				}
			}
			before := l.Stats().Submitted
			if err := l.Submit(ctx, big...); !errors.Is(err, ring.ErrGroupTooLong) {
				t.Errorf("group of %d on a %d-entry SQ: err = %v, want ErrGroupTooLong", len(big), l.MaxGroup(), err)
			}
			if got := l.Stats().Submitted; got != before {
				t.Errorf("a refused group submitted %d requests", got-before)
			}
		})
	}
}

// go-peers.md 6(b)1: a zero-copy send's buffer belongs to the kernel until
// its NOTIF CQE, which follows the CQE that carries the result (that one
// has F_MORE). A library that resolves the op on its first CQE releases the
// buffer early and drops the NOTIF as unknown. Through the Loop the same
// Request sees both CQEs, in order, and ends only after the NOTIF.
func TestLoopZeroCopySendEndsOnNotif(t *testing.T) {
	for _, m := range loopModes {
		t.Run(m.name, func(t *testing.T) {
			l := newTestLoop(t, m.opts...)
			if err := l.CheckOp(ring.OpSendZC); err != nil {
				t.Skip(err)
			}
			client, server := tcpPair(t)
			req := ring.NewRequest()
			req.Buf = []byte("zero-copy payload")
			req.SQE.PrepSendZC(int32(client), req.Buf, 0, 0)
			if err := l.Submit(context.Background(), req); err != nil {
				t.Fatal(err)
			}
			var got []ring.CQE
			for {
				c, ok, err := req.Next(context.Background())
				if err != nil {
					t.Fatal(err)
				}
				if !ok {
					break
				}
				c.UserData = 0
				got = append(got, c)
			}
			n := int32(len(req.Buf))
			want := []ring.CQE{{Res: n, Flags: ring.CQEFMore}, {Res: 0, Flags: ring.CQEFNotif}}
			if diff := cmp.Diff(want, got); diff != "" {
				t.Errorf("SEND_ZC CQEs (-want +got):\n%s", diff)
			}
			buf := make([]byte, 64)
			k, err := unix.Read(server, buf)
			if err != nil || string(buf[:k]) != string(req.Buf) {
				t.Errorf("received %q, %v", buf[:max(k, 0)], err)
			}
		})
	}
}

// hayabusa-cloud/uring swallows EEXIST from io_uring_enter and its owner
// silently stops submitting (go-peers.md 2.8, 5.2); the rule (6(b)2,
// DESIGN.md invariants 5 and 6) is that an enter error that means the
// ring is broken is never retried silently. Here the shared-mode Loop's
// ring fd is replaced underneath it by /dev/null, so every later
// io_uring_enter fails with EOPNOTSUPP. Submit must come back instead of
// retrying the enter forever, later submissions and the waiters of
// requests in flight must get that error, and Close must finish.
func TestLoopFatalEnterErrorIsNotRetriedForever(t *testing.T) {
	l, err := ring.NewLoop(ring.WithMode(ring.ModeShared))
	if err != nil {
		t.Fatal(err)
	}
	pr, pw := ring.IdlePipe(t)
	// A read in flight keeps the reaper waiting inside io_uring_enter, on
	// the ring itself, until the pipe has data.
	blocked := ring.NewRequest()
	blocked.Buf = make([]byte, 8)
	blocked.SQE.PrepRead(int32(pr.Fd()), blocked.Buf, -1)
	if err := l.Submit(context.Background(), blocked); err != nil {
		t.Fatal(err)
	}
	statsAfterSQEs(t, l, ring.LoopStats{}, 1)
	breakRingFd(t, l)
	broken := nopReq()
	var submitErr error
	mustFinish(t, "Submit after io_uring_enter started failing", func() {
		submitErr = l.Submit(context.Background(), broken)
	})
	if submitErr != nil && !errors.Is(submitErr, syscall.EOPNOTSUPP) {
		t.Fatalf("Submit on the broken ring: %v, want nil or EOPNOTSUPP", submitErr)
	}
	if err := l.Submit(context.Background(), nopReq()); !errors.Is(err, syscall.EOPNOTSUPP) {
		t.Errorf("Submit after the Loop saw the error: %v, want EOPNOTSUPP", err)
	}
	// The data wakes the reaper if it still waits in the kernel; it then
	// fails what is left in flight.
	if _, err := pw.Write([]byte("x")); err != nil {
		t.Fatal(err)
	}
	mustFinish(t, "waiters after the ring broke", func() {
		// Its own result if the reaper reaped it, or the error if the
		// reaper's own enter failed first and it failed all in flight.
		if c, err := blocked.Wait(context.Background()); !(err == nil && c.Res == 1) && !errors.Is(err, syscall.EOPNOTSUPP) {
			t.Errorf("read in flight before the break: %+v, %v; want res 1 or EOPNOTSUPP", c, err)
		}
		if submitErr == nil {
			if _, err := broken.Wait(context.Background()); !errors.Is(err, syscall.EOPNOTSUPP) {
				t.Errorf("request published when the ring broke: %v, want EOPNOTSUPP", err)
			}
		}
		if err := l.Close(); err != nil {
			t.Errorf("Close: %v", err)
		}
	})
}

// A Loop cannot drive a ring that starts disabled (IORING_SETUP_R_DISABLED):
// every enter fails with EBADFD until IORING_REGISTER_ENABLE_RINGS. It must
// refuse such a ring at NewLoop with a *SetupError, rather than accept
// requests that can never be submitted (Iceber#26's symptom: requests that
// never return).
func TestLoopRefusesDisabledRing(t *testing.T) {
	for _, m := range loopModes {
		t.Run(m.name, func(t *testing.T) {
			l, err := ring.NewLoop(append(m.opts, ring.WithRingOptions(ring.WithDisabled()))...)
			var se *ring.SetupError
			if !errors.As(err, &se) {
				if l != nil {
					l.Close()
				}
				t.Fatalf("NewLoop with R_DISABLED: %v, want a *SetupError", err)
			}
		})
	}
}

// The same bug in a closed loop on one P: 64 goroutines, each submitting
// a NOP and waiting for it, again and again. The Loop enters eagerly for
// a submitter that seems to be alone (every request it counts is its
// own), and an op that completes inside its own enter never parks its
// goroutine; so one goroutine submitted alone until the scheduler
// preempted it, then the next did the same, while the other 63 were
// runnable and uncounted: one enter per op for good (1.6M NOPs/s instead
// of 3.8M, loop_policy.go flushProbe). With the probe, the goroutines
// join each other's batches within the first few thousand ops.
func TestLoopBatchesClosedLoopOnOneP(t *testing.T) {
	defer runtime.GOMAXPROCS(runtime.GOMAXPROCS(1))
	l := newTestLoop(t, ring.WithMode(ring.ModeShared))
	ctx := context.Background()
	const goroutines, each = 64, 2000
	before := l.Stats()
	var wg sync.WaitGroup
	errs := make(chan error, goroutines)
	for range goroutines {
		wg.Go(func() {
			r := nopReq()
			for range each {
				r.SQE.PrepNop()
				if err := l.Submit(ctx, r); err != nil {
					errs <- err
					return
				}
				if c, err := r.Wait(ctx); err != nil || c.Res != 0 {
					errs <- fmt.Errorf("NOP: res %d, err %v", c.Res, err)
					return
				}
			}
		})
	}
	wg.Wait()
	close(errs)
	for err := range errs {
		t.Fatal(err)
	}
	after := statsAfterSQEs(t, l, before, goroutines*each)
	enters := after.SubmitEnters - before.SubmitEnters
	t.Logf("%d requests from %d goroutines on one P, %d submitting enters", goroutines*each, goroutines, enters)
	if 4*enters > goroutines*each {
		t.Errorf("%d requests from %d goroutines on one P took %d submitting enters, want at most one per four requests", goroutines*each, goroutines, enters)
	}
}
