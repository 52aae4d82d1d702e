//go:build linux

package ring_test

import (
	"bytes"
	"context"
	"errors"
	"runtime"
	"sync"
	"syscall"
	"testing"
	"time"
	"weak"

	"github.com/uringkit/uring/ring"
)

// TestLoopSendZC: a zero-copy send posts its result CQE (F_MORE) and then
// a NOTIF CQE once the kernel no longer needs the buffer. Next returns
// both, in that order; Wait returns the result CQE, and only after the
// NOTIF arrived (so the buffer is free when Wait returns).
func TestLoopSendZC(t *testing.T) {
	forEachMode(t, modeLoop(), func(t *testing.T, l *ring.Loop) {
		if err := l.CheckOp(ring.OpSendZC); err != nil {
			t.Skip(err)
		}
		fd, peer := tcpPair(t)
		const n = 4096
		for _, useNext := range []bool{true, false} {
			r := ring.NewRequest()
			r.Buf = bytes.Repeat([]byte{'z'}, n)
			r.SQE.PrepSendZC(int32(fd), r.Buf, 0, 0)
			if err := l.Submit(context.Background(), r); err != nil {
				t.Fatal(err)
			}
			if useNext {
				var got []ring.CQE
				for {
					c, ok, err := r.Next(context.Background())
					if err != nil {
						t.Fatal(err)
					}
					if !ok {
						break
					}
					got = append(got, c)
				}
				if len(got) != 2 || got[0].Res != n || got[0].Flags&ring.CQEFMore == 0 ||
					got[1].Flags&ring.CQEFNotif == 0 || got[1].Flags&ring.CQEFMore != 0 {
					t.Fatalf("zero-copy send CQEs %+v: want the result with F_MORE, then NOTIF", got)
				}
			} else {
				c, err := r.Wait(context.Background())
				if err != nil || c.Res != n || c.Flags&ring.CQEFNotif != 0 {
					t.Fatalf("Wait on a zero-copy send = %+v, %v: want the result CQE", c, err)
				}
			}
			opReadN(t, "peer", peer, string(r.Buf))
		}
	})
}

// TestLoopCloseWithUnsentZeroCopy: zero-copy sends to a peer that does
// not read fill the socket; their NOTIFs cannot come while the data sits
// there. Close must still return (it used to wait for good): every send's
// waiter gets its result, with ErrClosed if its NOTIF had not arrived
// (the Loop keeps such a buffer reachable for good, the kernel may still
// send from it), and no goroutine is left.
func TestLoopCloseWithUnsentZeroCopy(t *testing.T) {
	defer ring.ShortCloseNotifWait()()
	for _, m := range loopModes {
		t.Run(m.name, func(t *testing.T) {
			check := goroutineLeakCheck(t)
			l, err := ring.NewLoop(m.opts...)
			if err != nil {
				t.Fatal(err)
			}
			if err := l.CheckOp(ring.OpSendZC); err != nil {
				l.Close()
				t.Skip(err)
			}
			fd, _ := tcpPair(t) // the peer never reads
			const sends, size = 16, 1 << 20
			reqs := make([]*ring.Request, sends)
			for i := range reqs {
				r := ring.NewRequest()
				r.Buf = bytes.Repeat([]byte{byte('a' + i)}, size)
				r.SQE.PrepSendZC(int32(fd), r.Buf, 0, 0)
				if err := l.Submit(context.Background(), r); err != nil {
					t.Fatal(err)
				}
				reqs[i] = r
			}
			type outcome struct {
				Sent   bool // Res > 0, or -ECANCELED for a send that never started
				Closed bool // ErrClosed: its NOTIF had not come
			}
			got := make([]outcome, sends)
			var wg sync.WaitGroup
			for i, r := range reqs {
				wg.Go(func() {
					c, err := r.Wait(context.Background())
					switch {
					case err == nil || errors.Is(err, ring.ErrClosed):
						got[i] = outcome{Sent: c.Res > 0 || c.Res == -int32(syscall.ECANCELED), Closed: err != nil}
					default:
						t.Errorf("send %d: %+v, %v", i, c, err)
					}
				})
			}
			time.Sleep(20 * time.Millisecond) // the socket fills, the rest block
			mustFinish(t, "Close with zero-copy sends unacknowledged", func() {
				if err := l.Close(); err != nil {
					t.Errorf("Close: %v", err)
				}
			})
			mustFinish(t, "waiters of the zero-copy sends", wg.Wait)
			closed := 0
			var kept []weak.Pointer[byte]
			for i, o := range got {
				if !o.Sent {
					t.Errorf("send %d: no result", i)
				}
				if o.Closed {
					closed++
					// The waiter may hand the Request back (Release drops
					// its Buf): the buffer must outlive it.
					kept = append(kept, weak.Make(&reqs[i].Buf[0]))
				}
				reqs[i].Release()
				reqs[i] = nil
			}
			runtime.GC()
			runtime.GC()
			for i, p := range kept {
				if p.Value() == nil {
					t.Errorf("the buffer of abandoned send %d was collected: the kernel may still send from it", i)
				}
			}
			if closed == 0 {
				t.Errorf("no send ended with ErrClosed: the peer read nothing, so some NOTIF cannot have come")
			}
			if st := l.Stats(); st.InFlight != 0 {
				t.Errorf("in flight after Close: %d", st.InFlight)
			}
			check()
		})
	}
}
