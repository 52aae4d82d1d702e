//go:build linux

package ring_test

import (
	"context"
	"errors"
	"fmt"
	"sort"
	"sync"
	"testing"
	"time"

	"github.com/google/go-cmp/cmp"
	"golang.org/x/sys/unix"

	"github.com/uringkit/uring/ring"
)

// loopSelectRead submits a read of up to 16 bytes from fd into a buffer of
// group bgid on l and returns its CQE.
func loopSelectRead(ctx context.Context, l *ring.Loop, fd int, bgid uint16) (ring.CQE, error) {
	r := ring.NewRequest()
	selectReadSQE(fd, bgid, 16, 0)(&r.SQE)
	if err := l.Submit(ctx, r); err != nil {
		return ring.CQE{}, err
	}
	return r.Wait(ctx)
}

// TestLoopRingsBufferGroups: on a Loop over three rings, buffer groups
// registered through DoBufferGroup live on the home ring, and Submit sends
// the requests that select from a group there, whichever P they are
// submitted from. Six goroutines read from their pipes into buffers of two
// provided-buffer rings: every read gets its message, none gets ENOBUFS
// from a ring without the group. Legacy PROVIDE_BUFFERS buffers go to the
// home ring too, and reads from four goroutines get them.
func TestLoopRingsBufferGroups(t *testing.T) {
	for _, m := range loopModes {
		t.Run(m.name, func(t *testing.T) {
			l := newTestLoop(t, append(m.opts, ring.WithRings(3), ring.WithEntries(8))...)
			ctx := context.Background()
			var mu sync.Mutex // PbufRing.Add/Advance are single-owner
			var pbs [2]*ring.PbufRing
			for i := range pbs {
				bgid := uint16(20 + i)
				if err := l.DoBufferGroup(bgid, func(r *ring.Ring) error {
					pb, err := r.RegisterPbufRing(bgid, 8, 0)
					if err != nil {
						return err
					}
					for j := range uint16(8) {
						if err := pb.Add(make([]byte, 16), j); err != nil {
							return err
						}
					}
					pb.Advance(8)
					pbs[i] = pb
					return nil
				}); err != nil {
					t.Fatalf("DoBufferGroup(%d): %v", bgid, err)
				}
			}
			const workers, rounds = 6, 60
			got := make([][]string, workers)
			var wg sync.WaitGroup
			for w := range workers {
				rfd, wfd := opPipe(t)
				wg.Go(func() {
					for i := range rounds {
						msg := fmt.Sprintf("w%d-%d", w, i)
						unix.Write(wfd, []byte(msg))
						pb := pbs[(w+i)%2]
						c, err := loopSelectRead(ctx, l, rfd, pb.Bgid())
						bid, ok := c.BufferID()
						if err != nil || c.Res < 0 || !ok {
							got[w] = append(got[w], fmt.Sprintf("group %d: %+v %v", pb.Bgid(), c, err))
							return
						}
						mu.Lock()
						buf := pb.Buffer(bid)
						got[w] = append(got[w], string(buf[:c.Res]))
						pb.Add(buf, bid)
						pb.Advance(1)
						mu.Unlock()
					}
				})
			}
			wg.Wait()
			want := make([][]string, workers)
			for w := range want {
				for i := range rounds {
					want[w] = append(want[w], fmt.Sprintf("w%d-%d", w, i))
				}
			}
			if d := cmp.Diff(want, got); d != "" {
				t.Fatalf("reads (-want +got):\n%s", d)
			}

			const legacy = 30
			mem := make([]byte, 4*16)
			p := ring.NewRequest()
			p.SQE.PrepProvideBuffers(mem, 16, 4, legacy, 0)
			if err := l.Submit(ctx, p); err != nil {
				t.Fatal(err)
			}
			if c, err := p.Wait(ctx); err != nil || c.Res < 0 {
				t.Fatalf("PROVIDE_BUFFERS: %+v %v", c, err)
			}
			bids := make([]int, 4)
			for w := range bids {
				rfd, wfd := opPipe(t)
				unix.Write(wfd, []byte("legacy"))
				wg.Go(func() {
					c, err := loopSelectRead(ctx, l, rfd, legacy)
					bid, ok := c.BufferID()
					if err != nil || c.Res != 6 || !ok || string(mem[int(bid)*16:int(bid)*16+6]) != "legacy" {
						bids[w] = -1
						t.Errorf("legacy read %d: %+v %v", w, c, err)
						return
					}
					bids[w] = int(bid)
				})
			}
			wg.Wait()
			sort.Ints(bids)
			if d := cmp.Diff([]int{0, 1, 2, 3}, bids); d != "" {
				t.Errorf("legacy buffer ids (-want +got):\n%s", d)
			}
		})
	}
}

// TestLoopOneRingDoBufferGroup: on a Loop with one ring DoBufferGroup is
// Do, and buffer-select reads need no pinning.
func TestLoopOneRingDoBufferGroup(t *testing.T) {
	l := newTestLoop(t, ring.WithRings(1))
	var pb *ring.PbufRing
	if err := l.DoBufferGroup(5, func(r *ring.Ring) (err error) {
		pb, err = r.RegisterPbufRing(5, 2, 0)
		return err
	}); err != nil {
		t.Fatal(err)
	}
	pb.Add(make([]byte, 16), 1)
	pb.Advance(1)
	rfd, wfd := opPipe(t)
	unix.Write(wfd, []byte("one"))
	c, err := loopSelectRead(context.Background(), l, rfd, 5)
	// UserData is the Loop's own slot tag.
	if d := cmp.Diff(bufCQE(c.UserData, 3, 1, false), c); err != nil || d != "" {
		t.Fatalf("read (-want +got, err %v):\n%s", err, d)
	}
	if got := string(pb.Buffer(1)[:3]); got != "one" {
		t.Errorf("buffer 1 = %q", got)
	}
}

// TestPbufRingAddDuringLoopClose: goroutines keep giving buffers back to
// a provided-buffer ring of a Loop (Add and Advance, under their own lock,
// as the single-owner rule asks) while another goroutine closes the Loop,
// which unmaps the ring's memory. Every Add either lands before the unmap
// or is refused with ErrPbufRingClosed afterwards; none writes to the
// unmapped memory (a fault, or a write into whatever was mapped there
// next) and none races with Close (-race).
func TestPbufRingAddDuringLoopClose(t *testing.T) {
	for _, m := range loopModes {
		t.Run(m.name, func(t *testing.T) {
			for round := range 20 {
				l, err := ring.NewLoop(m.opts...)
				if err != nil {
					t.Fatal(err)
				}
				var pb *ring.PbufRing
				if err := l.DoBufferGroup(7, func(r *ring.Ring) (err error) {
					pb, err = r.RegisterPbufRing(7, 64, 0)
					return err
				}); err != nil {
					t.Fatal(err)
				}
				var mu sync.Mutex
				var wg sync.WaitGroup
				errs := make([]error, 4)
				started := make(chan struct{}, len(errs))
				for w := range errs {
					buf := make([]byte, 16)
					wg.Go(func() {
						for i := 0; ; i++ {
							if i == 8 {
								started <- struct{}{}
							}
							mu.Lock()
							err := pb.Add(buf, uint16(w))
							pb.Advance(1)
							mu.Unlock()
							if err != nil {
								errs[w] = err
								return
							}
						}
					})
				}
				for range errs {
					<-started
				}
				time.Sleep(time.Duration(round) * 20 * time.Microsecond)
				if err := l.Close(); err != nil {
					t.Fatalf("Close: %v", err)
				}
				wg.Wait()
				for w, err := range errs {
					if !errors.Is(err, ring.ErrPbufRingClosed) {
						t.Fatalf("round %d, goroutine %d: Add after Close: %v, want ErrPbufRingClosed", round, w, err)
					}
				}
			}
		})
	}
}

// TestLoopDoDuringClose: goroutines register and unregister
// provided-buffer rings through Do while another goroutine closes the
// Loop. Close must not close the ring under a running fn (which would
// then register on a closed, or reused, fd and change the Ring's tables
// while Close walks them): each Do either runs fn whole on the open ring
// (nil) or refuses with ErrClosed.
func TestLoopDoDuringClose(t *testing.T) {
	for _, m := range loopModes {
		t.Run(m.name, func(t *testing.T) {
			for round := range 8 {
				l, err := ring.NewLoop(m.opts...)
				if err != nil {
					t.Fatal(err)
				}
				var wg sync.WaitGroup
				errs := make([]error, 4)
				started := make(chan struct{}, len(errs))
				for w := range errs {
					bgid := uint16(40 + w)
					wg.Go(func() {
						for i := 0; ; i++ {
							if i == 4 {
								started <- struct{}{}
							}
							err := l.DoBufferGroup(bgid, func(r *ring.Ring) error {
								pb, err := r.RegisterPbufRing(bgid, 8, 0)
								if err != nil {
									return fmt.Errorf("RegisterPbufRing: %w", err)
								}
								if err := pb.Add(make([]byte, 8), 0); err != nil {
									return fmt.Errorf("Add: %w", err)
								}
								pb.Advance(1)
								if err := r.UnregisterPbufRing(bgid); err != nil {
									return fmt.Errorf("UnregisterPbufRing: %w", err)
								}
								return nil
							})
							if err != nil {
								errs[w] = err
								return
							}
						}
					})
				}
				for range errs {
					<-started
				}
				time.Sleep(time.Duration(round) * 50 * time.Microsecond)
				if err := l.Close(); err != nil {
					t.Fatalf("Close: %v", err)
				}
				wg.Wait()
				for w, err := range errs {
					if !errors.Is(err, ring.ErrClosed) {
						t.Fatalf("round %d, goroutine %d: Do during Close: %v, want ErrClosed", round, w, err)
					}
				}
			}
		})
	}
}
