package ring_test

import (
	"context"
	"errors"
	"fmt"
	"runtime"
	"sync"
	"sync/atomic"
	"testing"
	"time"

	"github.com/uringkit/uring/ring"
)

// TestLoopNoLostCompletions: on a Loop with a tiny CQ (8 SQ entries, 16
// CQ entries), ops from 64 goroutines, singles and 3-SQE groups, each
// resolve exactly once with their own result. Every NOP injects a result
// that is unique to the op (IORING_NOP_INJECT_RESULT), so a CQE routed to
// the wrong Request, delivered twice, or lost shows up as a wrong result,
// a hang, or a counter mismatch.
//
// The issue asks for 1,000,000 ops, and that is the default (about 3 s
// shared and 10 s owner mode on 2 loaded cores); under the race detector
// 40,000 run.
func TestLoopNoLostCompletions(t *testing.T) {
	const goroutines = 64
	total := scaled(1000000, 1000000, 40000)
	perG := total / goroutines
	for _, m := range loopModes {
		t.Run(m.name, func(t *testing.T) {
			l := newTestLoop(t, append(m.opts, ring.WithEntries(8), ring.WithLoopCQSize(16))...)
			seen := make([]atomic.Uint32, goroutines*perG+goroutines*4)
			var wg sync.WaitGroup
			errs := make(chan error, goroutines)
			for g := 0; g < goroutines; g++ {
				wg.Add(1)
				go func(g int) {
					defer wg.Done()
					errs <- lostWorker(l, g, perG, seen)
				}(g)
			}
			wg.Wait()
			close(errs)
			for err := range errs {
				if err != nil {
					t.Fatal(err)
				}
			}
			ops := uint64(0)
			for i := range seen {
				switch seen[i].Load() {
				case 0:
				case 1:
					ops++
				default:
					t.Fatalf("op %d resolved %d times", i, seen[i].Load())
				}
			}
			st := l.Stats()
			if st.Submitted != ops || st.Completed != ops || st.InFlight != 0 || st.StaleCQEs != 0 {
				t.Fatalf("stats %+v, want %d submitted = completed, none stale", st, ops)
			}
			if st.MaxInFlight > int64(st.Capacity) || st.CQOverflow != 0 {
				t.Fatalf("admission broken: %+v", st)
			}
			t.Logf("%d ops: %+v", ops, st)
		})
	}
}

func lostWorker(l *ring.Loop, g, perG int, seen []atomic.Uint32) error {
	ctx := context.Background()
	base := g * (perG + 4)
	grp := []*ring.Request{ring.NewRequest(), ring.NewRequest(), ring.NewRequest()}
	one := ring.NewRequest()
	for i := 0; i < perG; {
		if i%4 == 0 && i+3 <= perG {
			for j, r := range grp {
				flags := ring.SQEIOLink
				if j == 2 {
					flags = 0
				}
				nopResult(r, int32(base+i+j), flags)
			}
			if err := l.Submit(ctx, grp...); err != nil {
				return err
			}
			for j, r := range grp {
				if err := checkOnce(r, int32(base+i+j), seen); err != nil {
					return err
				}
			}
			i += 3
			continue
		}
		nopResult(one, int32(base+i), 0)
		if err := l.Submit(ctx, one); err != nil {
			return err
		}
		if err := checkOnce(one, int32(base+i), seen); err != nil {
			return err
		}
		i++
	}
	return nil
}

func checkOnce(r *ring.Request, want int32, seen []atomic.Uint32) error {
	c, err := r.Wait(context.Background())
	if err != nil {
		return err
	}
	if c.Res != want {
		return fmt.Errorf("op %d got result %d: CQE routed to the wrong request", want, c.Res)
	}
	seen[want].Add(1)
	return nil
}

// TestLoopBackpressure: with every admission credit taken by reads that
// cannot complete, further submitters block (and one whose context ends
// returns its error), nothing overflows, and when the reads complete the
// blocked submitters get in. The counters prove it.
func TestLoopBackpressure(t *testing.T) {
	for _, m := range loopModes {
		t.Run(m.name, func(t *testing.T) {
			l := newTestLoop(t, append(m.opts, ring.WithEntries(8), ring.WithLoopCQSize(32))...)
			capacity := l.Stats().Capacity
			pr, pw := ring.IdlePipe(t)
			ctx := context.Background()
			var blocked []*ring.Request
			for i := 0; i < capacity; i++ {
				r := ring.NewRequest()
				r.Buf = make([]byte, 1)
				r.SQE.PrepRW(ring.OpRead, int32(pr.Fd()), bufAddr(r.Buf), 1, ^uint64(0))
				if err := l.Submit(ctx, r); err != nil {
					t.Fatal(err)
				}
				blocked = append(blocked, r)
			}
			// A submitter with a deadline gives up with the context's error.
			tctx, cancel := context.WithTimeout(ctx, 20*time.Millisecond)
			err := l.Submit(tctx, nopReq())
			cancel()
			if !errors.Is(err, context.DeadlineExceeded) {
				t.Fatalf("Submit on a full Loop with a deadline: %v", err)
			}
			// 32 more submitters block until the reads complete.
			const extra = 32
			var wg sync.WaitGroup
			var done atomic.Int32
			for i := 0; i < extra; i++ {
				wg.Add(1)
				go func() {
					defer wg.Done()
					r := nopReq()
					if err := l.Submit(ctx, r); err != nil {
						t.Error(err)
						return
					}
					if c, err := r.Wait(ctx); err != nil || c.Res != 0 {
						t.Errorf("nop: %+v %v", c, err)
					}
					done.Add(1)
				}()
			}
			for l.Stats().AdmissionWaits < extra+1 {
				runtime.Gosched()
			}
			if n := done.Load(); n != 0 {
				t.Fatalf("%d submitters got past a full Loop", n)
			}
			if _, err := pw.Write(make([]byte, capacity)); err != nil {
				t.Fatal(err)
			}
			for _, r := range blocked {
				if c, err := r.Wait(ctx); err != nil || c.Res != 1 {
					t.Fatalf("read: %+v %v", c, err)
				}
			}
			wg.Wait()
			st := l.Stats()
			if st.MaxInFlight != int64(capacity) || st.CQOverflow != 0 || st.InFlight != 0 ||
				st.Completed != uint64(capacity+extra) || st.AdmissionWaits < extra+1 {
				t.Fatalf("stats %+v (capacity %d)", st, capacity)
			}
		})
	}
}

// TestLoopOwnerThreads: owner mode (SINGLE_ISSUER|DEFER_TASKRUN) never
// gets EEXIST while submitting goroutines move between OS threads, at
// GOMAXPROCS 2 and 8. Submitters make blocking syscalls between ops,
// which hands their goroutine to other threads.
func TestLoopOwnerThreads(t *testing.T) {
	for _, procs := range []int{2, 8} {
		t.Run(fmt.Sprint("GOMAXPROCS=", procs), func(t *testing.T) {
			defer runtime.GOMAXPROCS(runtime.GOMAXPROCS(procs))
			l := newTestLoop(t, ring.WithMode(ring.ModeOwner), ring.WithEntries(16))
			if l.Mode() != ring.ModeOwner {
				t.Fatalf("mode %v", l.Mode())
			}
			const goroutines = 128
			perG := scaled(2000, 500, 100)
			var wg sync.WaitGroup
			for g := 0; g < goroutines; g++ {
				wg.Add(1)
				go func() {
					defer wg.Done()
					ctx := context.Background()
					for i := 0; i < perG; i++ {
						r := nopReq()
						if err := l.Submit(ctx, r); err != nil {
							t.Error(err)
							return
						}
						if c, err := r.Wait(ctx); err != nil || c.Res != 0 {
							t.Errorf("nop: %+v %v", c, err)
							return
						}
						r.Release()
						if i%16 == 0 {
							time.Sleep(time.Microsecond) // park: resume on any thread
						}
					}
				}()
			}
			wg.Wait()
			st := l.Stats()
			if want := uint64(goroutines * perG); st.Completed != want {
				t.Fatalf("completed %d of %d: %+v", st.Completed, want, st)
			}
			// A Do call runs on the owner thread too (io_uring_register
			// also checks the issuer under SINGLE_ISSUER).
			if err := l.Do(func(r *ring.Ring) error { _, err := r.Probe(); return err }); err != nil {
				t.Fatalf("Do(Probe) from another goroutine: %v", err)
			}
		})
	}
}
