//go:build linux

package ring_test

import (
	"syscall"
	"testing"

	"golang.org/x/sys/unix"

	"github.com/uringkit/uring/ring"
)

// Real-kernel proofs of timeouts, linked timeouts and cancellation. The
// timers are short (1 ms) or long (an hour, never reached); no test depends
// on how long anything takes.

var (
	ms   = ring.Timespec{Nsec: 1e6}
	hour = ring.Timespec{Sec: 3600}
)

var ecanceled = -int32(syscall.ECANCELED)

func timeoutOpcodeTests() map[ring.Op]func(t *testing.T) {
	return map[ring.Op]func(t *testing.T){
		ring.OpTimeout: func(t *testing.T) {
			r := newTRing(t)
			ts := ms
			wantErrno(t, "TIMEOUT 1 ms", r.do(func(s *ring.SQE) { s.PrepTimeout(&ts, 0, 0) }), syscall.ETIME)

			// The clock flags: absolute MONOTONIC, relative BOOTTIME,
			// absolute REALTIME (already past). Each expires.
			var now unix.Timespec
			unix.ClockGettime(unix.CLOCK_MONOTONIC, &now)
			abs := ring.Timespec{Sec: int64(now.Sec), Nsec: int64(now.Nsec) + 1e6}
			wantErrno(t, "TIMEOUT ABS", r.do(func(s *ring.SQE) { s.PrepTimeout(&abs, 0, ring.TimeoutAbs) }), syscall.ETIME)
			wantErrno(t, "TIMEOUT BOOTTIME", r.do(func(s *ring.SQE) { s.PrepTimeout(&ts, 0, ring.TimeoutBoottime) }), syscall.ETIME)
			unix.ClockGettime(unix.CLOCK_REALTIME, &now)
			real := ring.Timespec{Sec: int64(now.Sec), Nsec: int64(now.Nsec)}
			wantErrno(t, "TIMEOUT ABS REALTIME", r.do(func(s *ring.SQE) { s.PrepTimeout(&real, 0, ring.TimeoutAbs|ring.TimeoutRealtime) }), syscall.ETIME)
			wantErrno(t, "TIMEOUT BOOTTIME|REALTIME", r.do(func(s *ring.SQE) { s.PrepTimeout(&ts, 0, ring.TimeoutBoottime|ring.TimeoutRealtime) }), syscall.EINVAL)

			// ETIME_SUCCESS: the expiry still says ETIME but does not break the link.
			r.submit(withUD(10, func(s *ring.SQE) { s.PrepTimeout(&ts, 0, ring.TimeoutETimeSuccess); s.SetLink() }), withUD(11, func(s *ring.SQE) { s.PrepNop() }))
			got := r.waitN(2)
			wantCQE(t, "ETIME_SUCCESS timeout", got[10], ring.CQE{UserData: 10, Res: -int32(syscall.ETIME)})
			wantCQE(t, "NOP linked after it", got[11], ring.CQE{UserData: 11})

			// A count timeout completes with 0 once one other CQE is posted.
			long := hour
			r.submit(withUD(1, func(s *ring.SQE) { s.PrepTimeout(&long, 1, 0) }), withUD(2, func(s *ring.SQE) { s.PrepNop() }))
			got = r.waitN(2)
			wantCQE(t, "count TIMEOUT", got[1], ring.CQE{UserData: 1})

			// Multishot: three expiries, F_MORE on all but the last.
			r.submit(withUD(3, func(s *ring.SQE) { s.PrepTimeout(&ts, 3, ring.TimeoutMultishot) }))
			for i := range 3 {
				want := ring.CQE{UserData: 3, Res: -int32(syscall.ETIME), Flags: ring.CQEFMore}
				if i == 2 {
					want.Flags = 0
				}
				wantCQE(t, "multishot TIMEOUT", r.wait(), want)
			}
		},
		ring.OpTimeoutRemove: func(t *testing.T) {
			r := newTRing(t)
			long, short := hour, ms
			r.submit(withUD(1, func(s *ring.SQE) { s.PrepTimeout(&long, 0, 0) }), withUD(2, func(s *ring.SQE) { s.PrepTimeoutRemove(1, 0) }))
			got := r.waitN(2)
			wantCQE(t, "TIMEOUT_REMOVE", got[2], ring.CQE{UserData: 2})
			wantCQE(t, "removed TIMEOUT", got[1], ring.CQE{UserData: 1, Res: ecanceled})

			// Update: an hour-long timeout re-armed to 1 ms expires.
			r.submit(withUD(3, func(s *ring.SQE) { s.PrepTimeout(&long, 0, 0) }), withUD(4, func(s *ring.SQE) { s.PrepTimeoutUpdate(&short, 3, 0) }))
			got = r.waitN(2)
			wantCQE(t, "TIMEOUT_REMOVE update", got[4], ring.CQE{UserData: 4})
			wantCQE(t, "updated TIMEOUT", got[3], ring.CQE{UserData: 3, Res: -int32(syscall.ETIME)})

			// LINK_TIMEOUT_UPDATE: shorten the timeout guarding a blocked read.
			rfd, _ := opPipe(t)
			buf := make([]byte, 8)
			r.submit(
				withUD(5, func(s *ring.SQE) { s.PrepRead(int32(rfd), buf, -1); s.SetLink() }),
				withUD(6, func(s *ring.SQE) { s.PrepLinkTimeout(&long, 0) }),
			)
			r.submit(withUD(7, func(s *ring.SQE) { s.PrepLinkTimeoutUpdate(&short, 6, 0) }))
			got = r.waitN(3)
			wantCQE(t, "LINK_TIMEOUT_UPDATE", got[7], ring.CQE{UserData: 7})
			wantCQE(t, "updated LINK_TIMEOUT", got[6], ring.CQE{UserData: 6, Res: -int32(syscall.ETIME)})
			wantCQE(t, "read it cancelled", got[5], ring.CQE{UserData: 5, Res: ecanceled})

			wantErrno(t, "TIMEOUT_REMOVE unknown", r.do(func(s *ring.SQE) { s.PrepTimeoutRemove(999, 0) }), syscall.ENOENT)
			// An update keeps the timeout's clock: a clock flag is refused
			// whatever the target (only TimeoutAbs may be added).
			wantErrno(t, "TIMEOUT_REMOVE update with BOOTTIME", r.do(func(s *ring.SQE) { s.PrepTimeoutUpdate(&short, 999, ring.TimeoutBoottime) }), syscall.EINVAL)
			wantErrno(t, "LINK_TIMEOUT_UPDATE with REALTIME", r.do(func(s *ring.SQE) { s.PrepLinkTimeoutUpdate(&short, 999, ring.TimeoutRealtime) }), syscall.EINVAL)
			wantErrno(t, "TIMEOUT_REMOVE update with ABS", r.do(func(s *ring.SQE) { s.PrepTimeoutUpdate(&short, 999, ring.TimeoutAbs) }), syscall.ENOENT)
		},
		ring.OpLinkTimeout: func(t *testing.T) {
			r := newTRing(t)
			rfd, _ := opPipe(t)
			buf := make([]byte, 8)
			ts, long := ms, hour
			// A read of an empty pipe is cancelled by its 1 ms linked timeout.
			r.submit(
				withUD(1, func(s *ring.SQE) { s.PrepRead(int32(rfd), buf, -1); s.SetLink() }),
				withUD(2, func(s *ring.SQE) { s.PrepLinkTimeout(&ts, 0) }),
			)
			got := r.waitN(2)
			wantCQE(t, "LINK_TIMEOUT fired", got[2], ring.CQE{UserData: 2, Res: -int32(syscall.ETIME)})
			wantCQE(t, "guarded read", got[1], ring.CQE{UserData: 1, Res: ecanceled})
			// A NOP finishes first: the timeout is disarmed with ECANCELED.
			r.submit(
				withUD(3, func(s *ring.SQE) { s.PrepNop(); s.SetLink() }),
				withUD(4, func(s *ring.SQE) { s.PrepLinkTimeout(&long, 0) }),
			)
			got = r.waitN(2)
			wantCQE(t, "guarded NOP", got[3], ring.CQE{UserData: 3})
			wantCQE(t, "LINK_TIMEOUT disarmed", got[4], ring.CQE{UserData: 4, Res: ecanceled})
		},
		ring.OpAsyncCancel: func(t *testing.T) {
			r := newTRing(t)
			rfd, _ := opPipe(t)
			if err := r.RegisterFiles([]int{rfd}); err != nil {
				t.Fatal(err)
			}
			buf := make([]byte, 8)
			read := func(v uint64) func(*ring.SQE) {
				return withUD(v, func(s *ring.SQE) { s.PrepRead(int32(rfd), buf, -1) })
			}
			for _, tc := range []struct {
				name   string
				target func(*ring.SQE)
				cancel func(*ring.SQE)
			}{
				{"by user_data", read(1), func(s *ring.SQE) { s.PrepCancel(1, 0) }},
				{"by fd", read(1), func(s *ring.SQE) { s.PrepCancelFd(int32(rfd), 0) }},
				{"by opcode", read(1), func(s *ring.SQE) { s.PrepCancelOp(ring.OpRead, 0) }},
				{"by fixed fd", withUD(1, func(s *ring.SQE) { s.PrepRead(0, buf, -1); s.SetFixedFile() }), func(s *ring.SQE) { s.PrepCancelFixedFd(0, 0) }},
			} {
				r.submit(tc.target)
				r.noCQE()
				r.submit(withUD(100, tc.cancel))
				got := r.waitN(2)
				wantCQE(t, "ASYNC_CANCEL "+tc.name, got[100], ring.CQE{UserData: 100})
				wantCQE(t, "read cancelled "+tc.name, got[1], ring.CQE{UserData: 1, Res: ecanceled})
			}
			// ANY|ALL cancels every request and counts them.
			r.submit(read(1), read(2))
			r.submit(withUD(100, func(s *ring.SQE) { s.PrepCancelAny(ring.CancelAll) }))
			got := r.waitN(3)
			wantCQE(t, "ASYNC_CANCEL ANY|ALL", got[100], ring.CQE{UserData: 100, Res: 2})
			wantCQE(t, "read 1", got[1], ring.CQE{UserData: 1, Res: ecanceled})
			wantCQE(t, "read 2", got[2], ring.CQE{UserData: 2, Res: ecanceled})
			wantErrno(t, "ASYNC_CANCEL no match", r.do(func(s *ring.SQE) { s.PrepCancel(12345, 0) }), syscall.ENOENT)
		},
	}
}
