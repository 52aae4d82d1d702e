//go:build linux

package ring_test

import (
	"syscall"
	"testing"

	"golang.org/x/sys/unix"

	"github.com/uringkit/uring/ring"
)

// Real-kernel proofs of the poll family.

func pollOpcodeTests() map[ring.Op]func(t *testing.T) {
	return map[ring.Op]func(t *testing.T){
		ring.OpPollAdd: func(t *testing.T) {
			r := newTRing(t)
			rfd, wfd := opPipe(t)
			opWrite(t, wfd, "x")
			c := r.do(withUD(1, func(s *ring.SQE) { s.PrepPollAdd(int32(rfd), unix.POLLIN) }))
			wantCQE(t, "POLL_ADD on a readable pipe", c, ring.CQE{UserData: 1, Res: unix.POLLIN})

			// Multishot: a CQE with F_MORE per wakeup until removed.
			r2, w2 := opPipe(t)
			r.submit(withUD(2, func(s *ring.SQE) { s.PrepPollMultishot(int32(r2), unix.POLLIN) }))
			r.noCQE()
			for range 2 {
				opWrite(t, w2, "y")
				wantCQE(t, "multishot POLL_ADD", r.wait(), ring.CQE{UserData: 2, Res: unix.POLLIN, Flags: ring.CQEFMore})
			}
			r.submit(withUD(3, func(s *ring.SQE) { s.PrepPollRemove(2) }))
			got := r.waitN(2)
			wantCQE(t, "POLL_REMOVE", got[3], ring.CQE{UserData: 3})
			wantCQE(t, "multishot POLL_ADD end", got[2], ring.CQE{UserData: 2, Res: -int32(syscall.ECANCELED)})
		},
		ring.OpPollRemove: func(t *testing.T) {
			r := newTRing(t)
			rfd, wfd := opPipe(t)
			r.submit(withUD(1, func(s *ring.SQE) { s.PrepPollAdd(int32(rfd), unix.POLLIN) }))
			// Update the armed poll's user_data in place, then make it fire.
			c := r.do(withUD(2, func(s *ring.SQE) { s.PrepPollUpdate(1, 10, 0, ring.PollUpdateUserData) }))
			wantCQE(t, "POLL_REMOVE update", c, ring.CQE{UserData: 2})
			opWrite(t, wfd, "z")
			wantCQE(t, "the updated poll", r.wait(), ring.CQE{UserData: 10, Res: unix.POLLIN})

			// Remove an armed poll: it completes with ECANCELED.
			r2, _ := opPipe(t)
			r.submit(withUD(3, func(s *ring.SQE) { s.PrepPollAdd(int32(r2), unix.POLLIN) }))
			r.submit(withUD(4, func(s *ring.SQE) { s.PrepPollRemove(3) }))
			got := r.waitN(2)
			wantCQE(t, "POLL_REMOVE", got[4], ring.CQE{UserData: 4})
			wantCQE(t, "removed poll", got[3], ring.CQE{UserData: 3, Res: -int32(syscall.ECANCELED)})
			wantErrno(t, "POLL_REMOVE unknown", r.do(func(s *ring.SQE) { s.PrepPollRemove(999) }), syscall.ENOENT)
		},
		ring.OpEpollCtl: func(t *testing.T) {
			r := newTRing(t)
			ep := opEpoll(t)
			rfd, wfd := opPipe(t)
			opWrite(t, wfd, "e")
			ev := &ring.EpollEvent{Events: unix.EPOLLIN, Fd: int32(rfd)}
			wantCQE(t, "EPOLL_CTL add", r.do(func(s *ring.SQE) { s.PrepEpollCtl(int32(ep), int32(rfd), unix.EPOLL_CTL_ADD, ev) }), ring.CQE{})
			evs := make([]unix.EpollEvent, 4)
			n, err := unix.EpollWait(ep, evs, 0)
			if err != nil || n != 1 || evs[0].Fd != int32(rfd) || evs[0].Events != unix.EPOLLIN {
				t.Errorf("epoll_wait after EPOLL_CTL: n %d %+v %v, want the pipe with EPOLLIN", n, evs[0], err)
			}
			c := r.do(func(s *ring.SQE) { s.PrepEpollCtl(int32(ep), int32(rfd), unix.EPOLL_CTL_ADD, ev) })
			wantErrno(t, "EPOLL_CTL add twice", c, syscall.EEXIST)
		},
		ring.OpEpollWait: func(t *testing.T) {
			r := newTRing(t)
			ep := opEpoll(t)
			rfd, wfd := opPipe(t)
			if err := unix.EpollCtl(ep, unix.EPOLL_CTL_ADD, rfd, &unix.EpollEvent{Events: unix.EPOLLIN, Fd: int32(rfd)}); err != nil {
				t.Fatal(err)
			}
			evs := make([]ring.EpollEvent, 4)
			r.submit(withUD(1, func(s *ring.SQE) { s.PrepEpollWait(int32(ep), evs) }))
			r.noCQE() // nothing ready yet: the wait stays pending
			opWrite(t, wfd, "w")
			wantCQE(t, "EPOLL_WAIT", r.wait(), ring.CQE{UserData: 1, Res: 1})
			if evs[0].Fd != int32(rfd) || evs[0].Events != unix.EPOLLIN {
				t.Errorf("event %+v, want the pipe's fd %d with EPOLLIN", evs[0], rfd)
			}
		},
	}
}

func opEpoll(t *testing.T) int {
	t.Helper()
	ep, err := unix.EpollCreate1(unix.EPOLL_CLOEXEC)
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { unix.Close(ep) })
	return ep
}
