//go:build linux

package ring_test

import (
	"context"
	"errors"
	"fmt"
	"os"
	"path/filepath"
	"runtime"
	"sync"
	"syscall"
	"testing"
	"time"

	"github.com/google/go-cmp/cmp"
	"golang.org/x/sys/unix"

	"github.com/uringkit/uring/ring"
)

// loopDo submits one prepared Request to l and waits for its CQE's res.
func loopDo(ctx context.Context, l *ring.Loop, r *ring.Request) int32 {
	if err := l.Submit(ctx, r); err != nil {
		return -int32(syscall.EINVAL)
	}
	c, err := r.Wait(ctx)
	if err != nil {
		return -int32(syscall.EINVAL)
	}
	return c.Res
}

// TestLoopRingsHomeState: on a Loop over three rings, direct descriptors
// and timeouts live on the home ring, so requests that name them find
// them whichever P they are submitted from. Four goroutines each open a
// file into their own direct descriptor slot, read it through the slot
// (IOSQE_FIXED_FILE) and close the slot, 100 times, with a Gosched in
// between to move among Ps: every step succeeds (without the routing,
// reads and closes on a ring without the slot fail with EBADF in most
// runs). Then 50 times a 10 s timeout is removed by its user_data
// (TIMEOUT_REMOVE) from another goroutine: every remove finds it and the
// timeout ends with ECANCELED.
func TestLoopRingsHomeState(t *testing.T) {
	for _, m := range loopModes {
		t.Run(m.name, func(t *testing.T) {
			l := newTestLoop(t, append(m.opts, ring.WithRings(3), ring.WithEntries(16))...)
			if err := l.Do(func(r *ring.Ring) error { return r.RegisterFilesSparse(8) }); err != nil {
				t.Fatal(err)
			}
			path := filepath.Join(t.TempDir(), "f")
			if err := os.WriteFile(path, []byte("direct"), 0o600); err != nil {
				t.Fatal(err)
			}
			ctx := context.Background()
			const workers, rounds = 4, 100
			bad := make([][]string, workers)
			var wg sync.WaitGroup
			for w := range workers {
				wg.Go(func() {
					slot := uint32(w)
					for i := range rounds {
						p, _ := ring.PathBytes(path)
						o := ring.NewRequest()
						o.Keep = p
						o.SQE.PrepOpenatDirect(unix.AT_FDCWD, p, unix.O_RDONLY, 0, slot)
						runtime.Gosched()
						rd := ring.NewRequest()
						rd.Buf = make([]byte, 8)
						rd.SQE.PrepRead(int32(slot), rd.Buf, 0)
						rd.SQE.Flags |= ring.SQEFixedFile
						runtime.Gosched()
						cl := ring.NewRequest()
						cl.SQE.PrepCloseDirect(slot)
						res := [3]int32{loopDo(ctx, l, o), loopDo(ctx, l, rd), loopDo(ctx, l, cl)}
						if res != [3]int32{0, 6, 0} || string(rd.Buf[:6]) != "direct" {
							bad[w] = append(bad[w], fmt.Sprintf("round %d: open, read, close = %v, %q", i, res, rd.Buf))
						}
					}
				})
			}
			wg.Wait()
			if d := cmp.Diff(make([][]string, workers), bad); d != "" {
				t.Errorf("direct descriptors (-want +got):\n%s", d)
			}

			var removes []int32
			for range 50 {
				ts := &ring.Timespec{Sec: 10}
				tr := ring.NewRequest()
				tr.Keep = ts
				tr.SQE.PrepTimeout(ts, 0, 0)
				if err := l.Submit(ctx, tr); err != nil {
					t.Fatal(err)
				}
				ud := tr.UserData()
				done := make(chan int32)
				go func() {
					rm := ring.NewRequest()
					rm.SQE.PrepTimeoutRemove(ud, 0)
					done <- loopDo(ctx, l, rm)
				}()
				removes = append(removes, <-done)
				if c, err := tr.Wait(ctx); err != nil || c.Res != -int32(syscall.ECANCELED) {
					t.Fatalf("removed timeout: %+v %v, want -ECANCELED", c, err)
				}
			}
			if d := cmp.Diff(make([]int32, 50), removes); d != "" {
				t.Errorf("TIMEOUT_REMOVE results (-want +got):\n%s", d)
			}
		})
	}
}

// TestLoopRingsLinkTimeoutUpdate: on a Loop over three rings, a chain
// with a LINK_TIMEOUT goes to the home ring, where Submit also sends the
// TIMEOUT_REMOVE that updates it (IORING_LINK_TIMEOUT_UPDATE searches the
// ring's list of linked timeouts: -ENOENT on another ring). 50 times, a
// read of an idle pipe linked to a 10 s timeout is submitted, and another
// goroutine moves the timeout to 1 ms: every update finds it (res 0), the
// read ends with -ECANCELED and the timeout with -ETIME. Without the
// routing, updates from other Ps fail with -ENOENT and wait 10 s.
func TestLoopRingsLinkTimeoutUpdate(t *testing.T) {
	for _, m := range loopModes {
		t.Run(m.name, func(t *testing.T) {
			l := newTestLoop(t, append(m.opts, ring.WithRings(3), ring.WithEntries(16))...)
			if err := l.CheckOp(ring.OpLinkTimeout); err != nil {
				t.Skip(err)
			}
			pr, _ := ring.IdlePipe(t)
			ctx := context.Background()
			type out struct{ Update, Read, Timeout int32 }
			var got []out
			for range 50 {
				rd := ring.NewRequest()
				rd.Buf = make([]byte, 1)
				rd.SQE.PrepRead(int32(pr.Fd()), rd.Buf, -1)
				rd.SQE.Flags |= ring.SQEIOLink
				ts := &ring.Timespec{Sec: 10}
				lt := ring.NewRequest()
				lt.Keep = ts
				lt.SQE.PrepLinkTimeout(ts, 0)
				runtime.Gosched()
				if err := l.Submit(ctx, rd, lt); err != nil {
					t.Fatal(err)
				}
				ud := lt.UserData()
				done := make(chan int32)
				go func() {
					short := &ring.Timespec{Nsec: 1e6}
					up := ring.NewRequest()
					up.Keep = short
					up.SQE.PrepLinkTimeoutUpdate(short, ud, 0)
					done <- loopDo(ctx, l, up)
				}()
				o := out{Update: <-done}
				c1, err1 := rd.Wait(ctx)
				c2, err2 := lt.Wait(ctx)
				if err1 != nil || err2 != nil {
					t.Fatal(err1, err2)
				}
				o.Read, o.Timeout = c1.Res, c2.Res
				got = append(got, o)
			}
			want := make([]out, 50)
			for i := range want {
				want[i] = out{0, -int32(syscall.ECANCELED), -int32(syscall.ETIME)}
			}
			if d := cmp.Diff(want, got); d != "" {
				t.Errorf("(update, read, timeout) results (-want +got):\n%s", d)
			}
		})
	}
}

// TestLoopRefusalsReturnCredits: a Submit refused after it took its
// admission credits (on a Loop over several rings the home ring's are
// taken before the request is checked) gives them back. After more
// refused requests than the Loop admits at once, a full load of reads
// that stay in flight (an empty pipe) is still admitted without waiting,
// on the default Loop and on one ring.
func TestLoopRefusalsReturnCredits(t *testing.T) {
	for _, tc := range []struct {
		name string
		opts []ring.LoopOption
	}{{"default", nil}, {"one ring", []ring.LoopOption{ring.WithRings(1)}}} {
		t.Run(tc.name, func(t *testing.T) {
			l := newTestLoop(t, append([]ring.LoopOption{ring.WithEntries(8)}, tc.opts...)...)
			ctx := context.Background()
			twice := nopReq()
			capacity := l.Stats().Capacity
			for range capacity {
				if err := l.Submit(ctx, twice, twice); !errors.Is(err, ring.ErrRequestBusy) {
					t.Fatalf("same request twice in a group: %v", err)
				}
			}
			rfd, wfd := opPipe(t)
			reads := make([]*ring.Request, capacity)
			tctx, cancel := context.WithTimeout(ctx, 10*time.Second)
			defer cancel()
			for i := range reads {
				r := ring.NewRequest()
				r.Buf = make([]byte, 1)
				r.SQE.PrepRW(ring.OpRead, int32(rfd), bufAddr(r.Buf), 1, ^uint64(0))
				reads[i] = r
				if err := l.Submit(tctx, r); err != nil {
					t.Fatalf("read %d of %d after the refusals: %v", i+1, capacity, err)
				}
			}
			if _, err := unix.Write(wfd, make([]byte, capacity)); err != nil {
				t.Fatal(err)
			}
			want := make([]int32, capacity)
			for i := range want {
				want[i] = 1
			}
			if diff := cmp.Diff(want, waitAll(t, reads)); diff != "" {
				t.Errorf("results (-want +got):\n%s", diff)
			}
		})
	}
}

// TestLoopDependentChainOnOneP: TestLoopDependentChain's load at
// GOMAXPROCS=1 on the shared-mode Loops, where the eight background
// goroutines' NOPs complete inside their own enters and they never park.
// A submitter that yields there (flushProbe) waits behind all of them,
// each running until the scheduler preempts it: on two rings, with every
// ring probing, the chain took 140 s for 100,000 ops instead of 0.3 s.
// 50,000 ops here; the hang detector (mustFinish) fires after a minute.
func TestLoopDependentChainOnOneP(t *testing.T) {
	defer runtime.GOMAXPROCS(runtime.GOMAXPROCS(1))
	n := scaled(50000, 50000, 5000)
	for _, m := range loopModes {
		if m.name == "owner" || m.name == "owner-rings2" {
			continue // one thread hand-off per op: slow at one P, and no probe
		}
		t.Run(m.name, func(t *testing.T) {
			mustFinish(t, "50,000 dependent ops at GOMAXPROCS=1", func() { dependentChain(t, m.opts, n) })
		})
	}
}
