//go:build linux

package ring_test

import (
	"context"
	"errors"
	"runtime"
	"syscall"
	"testing"
	"time"
	"unsafe"
	"weak"

	"github.com/google/go-cmp/cmp"

	"github.com/uringkit/uring/ring"
)

// A Loop keeps the buffers of an unregistered provided-buffer ring only
// while a request that may have selected one of them is in flight: one
// that selects from the group (IOSQE_BUFFER_SELECT) and was submitted
// before the unregister. Then it drops them. (It kept every unregistered
// ring for the life of the Ring, so a program that registered and
// unregistered buffer groups grew without bound.)

// registerPbufs registers a provided-buffer ring for group bgid on l with
// one buffer of size bytes per id in bids, and returns weak pointers to
// the buffers: the Loop's Ring holds the only references.
func registerPbufs(t *testing.T, l *ring.Loop, bgid uint16, size int, bids ...uint16) []weak.Pointer[byte] {
	t.Helper()
	wps := make([]weak.Pointer[byte], len(bids))
	if err := l.DoBufferGroup(bgid, func(r *ring.Ring) error {
		pb, err := r.RegisterPbufRing(bgid, 8, 0)
		if err != nil {
			return err
		}
		for i, bid := range bids {
			b := make([]byte, size)
			wps[i] = weak.Make(&b[0])
			if err := pb.Add(b, bid); err != nil {
				return err
			}
		}
		pb.Advance(len(bids))
		return nil
	}); err != nil {
		t.Fatalf("registering group %d: %v", bgid, err)
	}
	return wps
}

func unregisterPbufs(t *testing.T, l *ring.Loop, bgid uint16) {
	t.Helper()
	if err := l.DoBufferGroup(bgid, func(r *ring.Ring) error { return r.UnregisterPbufRing(bgid) }); err != nil {
		t.Fatalf("unregistering group %d: %v", bgid, err)
	}
}

// waitPbufHead waits until the kernel has taken n buffers from group
// bgid's ring (IORING_REGISTER_PBUF_STATUS).
func waitPbufHead(t *testing.T, l *ring.Loop, bgid, n uint16) {
	t.Helper()
	mustFinish(t, "buffer selection", func() {
		for {
			var head uint16
			if err := l.DoBufferGroup(bgid, func(r *ring.Ring) (err error) {
				head, err = r.PbufStatus(bgid)
				return err
			}); err != nil {
				t.Fatalf("PbufStatus(%d): %v", bgid, err)
			}
			if head == n {
				return
			}
			time.Sleep(50 * time.Microsecond)
		}
	})
}

// heldRead prepares a read of up to size bytes from fd into a buffer of
// group bgid, with IOSQE_ASYNC: the io-wq worker that issues it takes
// the buffer from the ring for good before it finds the pipe empty
// (unlocked, the kernel cannot put it back), and the read then waits for
// data with the buffer in hand, across an unregister of the group. Without
// IOSQE_ASYNC the read would wait without a buffer and fail with ENOBUFS.
func heldRead(fd int, bgid uint16, size uint32) *ring.Request {
	r := ring.NewRequest()
	selectReadSQE(fd, bgid, size, 0)(&r.SQE)
	r.SQE.Flags |= ring.SQEAsync
	return r
}

// alive reports which of wps still point at a live object after two
// collections.
func alive(wps ...weak.Pointer[byte]) []bool {
	escaped.Store(nil)
	runtime.GC()
	runtime.GC()
	out := make([]bool, len(wps))
	for i, p := range wps {
		out[i] = p.Value() != nil
	}
	return out
}

// readInto writes msg to wfd, waits for req, a buffer-select read from
// the pipe, and checks its CQE (the data in buffer bid) and that buf, the
// start of that buffer, holds msg. The caller's buf keeps the buffer
// reachable from before the write.
func readInto(t *testing.T, req *ring.Request, wfd int, msg string, bid uint16, buf *byte) {
	t.Helper()
	if buf == nil {
		t.Fatalf("buffer %d was collected", bid)
	}
	write(t, wfd, msg)
	var c ring.CQE
	var err error
	mustFinish(t, "buffer-select read", func() { c, err = req.Wait(context.Background()) })
	if d := cmp.Diff(bufCQE(c.UserData, int32(len(msg)), bid, false), c); err != nil || d != "" {
		t.Fatalf("read (-want +got, err %v):\n%s", err, d)
	}
	if got := string(unsafe.Slice(buf, len(msg))); got != msg {
		t.Fatalf("buffer %d holds %q, want %q", bid, got, msg)
	}
}

// TestLoopUnregisteredPbufRingsReleased registers and unregisters a
// buffer group 1,000 times on one Loop, every hundredth time with a read
// that selects a buffer from it and completes before the unregister: no
// request that could use them is in flight, so none of the unregistered
// rings' buffers may stay reachable.
func TestLoopUnregisteredPbufRingsReleased(t *testing.T) {
	const rounds = 1000
	for _, m := range loopModes {
		t.Run(m.name, func(t *testing.T) {
			l := newTestLoop(t, m.opts...)
			rfd, wfd := opPipe(t)
			var wps []weak.Pointer[byte]
			for i := range rounds {
				bgid := uint16(60 + i%3) // ids are registered again
				wps = append(wps, registerPbufs(t, l, bgid, 64, 1)...)
				if i%100 == 0 {
					req := ring.NewRequest()
					selectReadSQE(rfd, bgid, 64, 0)(&req.SQE)
					if err := l.Submit(context.Background(), req); err != nil {
						t.Fatal(err)
					}
					readInto(t, req, wfd, "round", 1, wps[len(wps)-1].Value())
					req.Release()
				}
				unregisterPbufs(t, l, bgid)
			}
			kept := 0
			for _, a := range alive(wps...) {
				if a {
					kept++
				}
			}
			if kept != 0 {
				t.Fatalf("%d of %d unregistered rings' buffers are still reachable", kept, rounds)
			}
		})
	}
}

// TestLoopUnregisteredPbufRingKeptForSelectedBuffer: a read took a buffer
// from a group before the group was unregistered and waits for data with
// it. Under GC stress, the buffer, reachable only from the Loop, survives
// the unregister, receives the read's bytes, and is dropped after the
// read's CQE.
func TestLoopUnregisteredPbufRingKeptForSelectedBuffer(t *testing.T) {
	gcStress(t)
	for _, m := range loopModes {
		t.Run(m.name, func(t *testing.T) {
			l := newTestLoop(t, m.opts...)
			rfd, wfd := opPipe(t)
			const bgid, bid = 70, 3
			wp := registerPbufs(t, l, bgid, 4096, bid)[0]
			req := heldRead(rfd, bgid, 4096)
			if err := l.Submit(context.Background(), req); err != nil {
				t.Fatal(err)
			}
			waitPbufHead(t, l, bgid, 1)
			unregisterPbufs(t, l, bgid)
			if d := cmp.Diff([]bool{true}, alive(wp)); d != "" {
				t.Fatalf("the buffer a read in flight took was collected after the unregister (-want +got):\n%s", d)
			}
			readInto(t, req, wfd, "held across the unregister", bid, wp.Value())
			req.Release()
			if d := cmp.Diff([]bool{false}, alive(wp)); d != "" {
				t.Fatalf("the unregistered group's buffer is still reachable after the read's CQE (-want +got):\n%s", d)
			}
		})
	}
}

// TestLoopReregisteredPbufRingReleasedPerCohort: a group id is registered
// again while requests that selected from the old registration are in
// flight, and a request submitted before the unregister selects from the
// new registration (it was linked behind a read that had not completed,
// so the kernel issued it only later). An unregistered ring stays while
// any request submitted before its unregister is in flight, and not
// longer: a request submitted after the unregister, which can only select
// from later registrations, does not keep it.
func TestLoopReregisteredPbufRingReleasedPerCohort(t *testing.T) {
	gcStress(t)
	for _, m := range loopModes {
		t.Run(m.name, func(t *testing.T) {
			l := newTestLoop(t, m.opts...)
			ctx := context.Background()
			const bgid = 71
			var rfd, wfd [4]int
			for i := range rfd {
				rfd[i], wfd[i] = opPipe(t)
			}
			x := registerPbufs(t, l, bgid, 64, 1)
			r1 := heldRead(rfd[0], bgid, 64)
			if err := l.Submit(ctx, r1); err != nil {
				t.Fatal(err)
			}
			waitPbufHead(t, l, bgid, 1)
			// r0 waits behind a plain read of pipe 1 in a chain (of 2
			// bytes: a short read would break the link).
			head, r0 := ring.NewRequest(), heldRead(rfd[2], bgid, 64)
			head.Buf = make([]byte, 2)
			head.SQE.PrepRW(ring.OpRead, int32(rfd[1]), bufAddr(head.Buf), 2, ^uint64(0))
			head.SQE.Flags |= ring.SQEIOLink
			if err := l.Submit(ctx, head, r0); err != nil {
				t.Fatal(err)
			}
			unregisterPbufs(t, l, bgid)
			y := registerPbufs(t, l, bgid, 64, 4, 5)
			// r2, submitted after the unregister, takes buffer 4 of y.
			r2 := heldRead(rfd[3], bgid, 64)
			if err := l.Submit(ctx, r2); err != nil {
				t.Fatal(err)
			}
			waitPbufHead(t, l, bgid, 1)

			readInto(t, r1, wfd[0], "r1 into x", 1, x[0].Value())
			if d := cmp.Diff([]bool{true}, alive(x...)); d != "" {
				t.Fatalf("x dropped while r0, submitted before its unregister, is in flight (-want +got):\n%s", d)
			}
			write(t, wfd[1], "go")
			if c, err := head.Wait(ctx); err != nil || c.Res != 2 {
				t.Fatalf("chain head: %+v, %v", c, err)
			}
			waitPbufHead(t, l, bgid, 2) // r0 took buffer 5 of y
			unregisterPbufs(t, l, bgid)
			readInto(t, r0, wfd[2], "r0 into y", 5, y[1].Value())
			// x: no request from before its unregister is left. y: r2 is.
			if d := cmp.Diff([]bool{false, true, true}, alive(x[0], y[0], y[1])); d != "" {
				t.Fatalf("reachable after r0's CQE, [x, y buffer 4, y buffer 5] (-want +got):\n%s", d)
			}
			readInto(t, r2, wfd[3], "r2 into y", 4, y[0].Value())
			if d := cmp.Diff([]bool{false, false}, alive(y...)); d != "" {
				t.Fatalf("y reachable after r2's CQE (-want +got):\n%s", d)
			}
			for _, r := range []*ring.Request{r0, r1, r2, head} {
				r.Release()
			}
		})
	}
}

// TestLoopFatalErrorKeepsSelectedBuffer: a read holds a buffer it took
// from a provided-buffer ring when the ring breaks (a fatal enter error,
// breakRingFd: shared mode, whose enters name the ring fd). The Loop
// fails the read and keeps what the kernel may still write into for good:
// also that buffer, after the Loop is closed and gone. (It went with the
// Ring, which the closed Loop dropped.)
func TestLoopFatalErrorKeepsSelectedBuffer(t *testing.T) {
	ctx := context.Background()
	const bgid = 72
	var wp weak.Pointer[byte]
	func() {
		l, err := ring.NewLoop(ring.WithMode(ring.ModeShared), ring.WithRings(1))
		if err != nil {
			t.Fatal(err)
		}
		wp = registerPbufs(t, l, bgid, 64, 1)[0]
		rfd, _ := opPipe(t) // nothing is written: the read holds its buffer
		req := heldRead(rfd, bgid, 64)
		if err := l.Submit(ctx, req); err != nil {
			t.Fatal(err)
		}
		waitPbufHead(t, l, bgid, 1)
		breakRingFd(t, l)
		if err := l.Submit(ctx, nopReq()); err != nil && !errors.Is(err, syscall.EOPNOTSUPP) {
			t.Fatalf("Submit on the broken ring: %v, want nil or EOPNOTSUPP", err)
		}
		var werr error
		mustFinish(t, "Wait after the fatal error", func() { _, werr = req.Wait(ctx) })
		if !errors.Is(werr, syscall.EOPNOTSUPP) {
			t.Fatalf("Wait of the read holding a buffer: %v, want EOPNOTSUPP", werr)
		}
		if err := l.Close(); err != nil {
			t.Fatalf("Close: %v", err)
		}
		req.Release()
	}()
	if d := cmp.Diff([]bool{true}, alive(wp)); d != "" {
		t.Fatalf("the buffer of a read failed by a fatal error was collected once the Loop was gone (-want +got):\n%s", d)
	}
}
