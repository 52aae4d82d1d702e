package ring_test

import (
	"bytes"
	"context"
	"runtime/pprof"
	"sync"
	"testing"
	"time"

	"github.com/uringkit/uring/ring"
)

// TestLoopDependentChain: 100,000 dependent ops, each submitted by the code
// that runs after the previous one's Wait returned (its input is the
// previous result), on a Loop whose admission is nearly exhausted by other
// goroutines' work, cannot deadlock: the dispatcher never runs user code
// and never holds a lock a submitter needs while it delivers. 10,000 ops
// under the race detector.
func TestLoopDependentChain(t *testing.T) {
	n := scaled(100000, 100000, 10000)
	for _, m := range loopModes {
		t.Run(m.name, func(t *testing.T) { dependentChain(t, m.opts, n) })
	}
}

// dependentChain runs n dependent ops on a Loop made with opts (and a
// tiny SQ and CQ), with 8 goroutines submitting NOPs alongside.
func dependentChain(t *testing.T, opts []ring.LoopOption, n int) {
	l := newTestLoop(t, append(opts, ring.WithEntries(8), ring.WithLoopCQSize(16))...)
	stop := make(chan struct{})
	var bg sync.WaitGroup
	for g := 0; g < 8; g++ { // background load competing for credits
		bg.Add(1)
		go func() {
			defer bg.Done()
			for {
				select {
				case <-stop:
					return
				default:
				}
				r := nopReq()
				if err := l.Submit(context.Background(), r); err != nil {
					t.Error(err)
					return
				}
				r.Wait(context.Background())
				r.Release()
			}
		}()
	}
	ctx := context.Background()
	r := ring.NewRequest()
	prev := int32(0)
	for i := 0; i < n; i++ {
		nopResult(r, prev+1, 0)
		if err := l.Submit(ctx, r); err != nil {
			t.Fatal(err)
		}
		c, err := r.Wait(ctx)
		if err != nil {
			t.Fatal(err)
		}
		prev = c.Res
	}
	close(stop)
	bg.Wait()
	if prev != int32(n) {
		t.Fatalf("chain ended at %d, want %d", prev, n)
	}
}

// TestLoopUnderCPUProfile: the Loop works while a CPU profile is taken.
// SIGPROF interrupts enters that sleep in the kernel (EINTR), which the
// Loop retries; results must be unaffected.
func TestLoopUnderCPUProfile(t *testing.T) {
	var prof bytes.Buffer
	if err := pprof.StartCPUProfile(&prof); err != nil {
		t.Skipf("a CPU profile is already running (go test -cpuprofile?): %v", err)
	}
	defer pprof.StopCPUProfile()
	for _, m := range loopModes {
		t.Run(m.name, func(t *testing.T) {
			l := newTestLoop(t, m.opts...)
			pr, pw := ring.IdlePipe(t)
			var wg sync.WaitGroup
			// Readers that sleep in the kernel until the writer wakes them.
			const readers = 8
			for i := 0; i < readers; i++ {
				wg.Add(1)
				go func() {
					defer wg.Done()
					for k := 0; k < 20; k++ {
						r := ring.NewRequest()
						r.Buf = make([]byte, 1)
						r.SQE.PrepRW(ring.OpRead, int32(pr.Fd()), bufAddr(r.Buf), 1, ^uint64(0))
						if err := l.Submit(context.Background(), r); err != nil {
							t.Error(err)
							return
						}
						if c, err := r.Wait(context.Background()); err != nil || c.Res != 1 || r.Buf[0] != 'x' {
							t.Errorf("read: %+v %v", c, err)
							return
						}
					}
				}()
			}
			// CPU-bound NOP traffic so the profiler has samples to take.
			for i := 0; i < 4; i++ {
				wg.Add(1)
				go func() {
					defer wg.Done()
					for k := 0; k < scaled(20000, 20000, 2000); k++ {
						r := nopReq()
						if err := l.Submit(context.Background(), r); err != nil {
							t.Error(err)
							return
						}
						if c, err := r.Wait(context.Background()); err != nil || c.Res != 0 {
							t.Errorf("nop: %+v %v", c, err)
							return
						}
						r.Release()
					}
				}()
			}
			for k := 0; k < readers*20; k++ {
				time.Sleep(200 * time.Microsecond)
				if _, err := pw.Write([]byte("x")); err != nil {
					t.Fatal(err)
				}
			}
			wg.Wait()
			t.Logf("stats: %+v", l.Stats())
		})
	}
}
