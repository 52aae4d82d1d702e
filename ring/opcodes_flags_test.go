//go:build linux

package ring_test

import (
	"syscall"
	"testing"

	"golang.org/x/sys/unix"

	"github.com/uringkit/uring/ring"
)

// TestSQEFlagSetters proves the IOSQE_* setters on the kernel (FIXED_FILE
// is used throughout TestOpcodes): each flag's documented effect, shown by
// the CQEs it produces.
func TestSQEFlagSetters(t *testing.T) {
	buf := make([]byte, 8)
	badRead := func(v uint64) func(*ring.SQE) {
		return withUD(v, func(s *ring.SQE) { s.PrepRead(-1, buf, 0) })
	}
	nopUD := func(v uint64) func(*ring.SQE) { return withUD(v, func(s *ring.SQE) { s.PrepNop() }) }
	ebadf, ecanceled := -int32(syscall.EBADF), -int32(syscall.ECANCELED)

	t.Run("LINK", func(t *testing.T) {
		r := newTRing(t)
		r.submit(func(s *ring.SQE) { badRead(1)(s); s.SetLink() }, nopUD(2))
		got := r.waitN(2)
		wantCQE(t, "failed head", got[1], ring.CQE{UserData: 1, Res: ebadf})
		wantCQE(t, "linked NOP", got[2], ring.CQE{UserData: 2, Res: ecanceled})
	})
	t.Run("HARDLINK", func(t *testing.T) {
		r := newTRing(t)
		r.submit(func(s *ring.SQE) { badRead(1)(s); s.SetHardlink() }, nopUD(2))
		got := r.waitN(2)
		wantCQE(t, "failed head", got[1], ring.CQE{UserData: 1, Res: ebadf})
		wantCQE(t, "hard-linked NOP still runs", got[2], ring.CQE{UserData: 2})
	})
	t.Run("CQE_SKIP_SUCCESS", func(t *testing.T) {
		r := newTRing(t)
		r.submit(func(s *ring.SQE) { nopUD(1)(s); s.SetCQESkipSuccess() }, func(s *ring.SQE) { badRead(2)(s); s.SetCQESkipSuccess() }, nopUD(3))
		got := r.waitN(2)
		wantCQE(t, "failure still posts", got[2], ring.CQE{UserData: 2, Res: ebadf})
		wantCQE(t, "plain NOP", got[3], ring.CQE{UserData: 3})
		r.noCQE() // nothing for the successful NOP
	})
	t.Run("DRAIN", func(t *testing.T) {
		r := newTRing(t)
		ts := ms
		// The drained NOP starts only after the 1 ms timeout completed.
		r.submit(withUD(1, func(s *ring.SQE) { s.PrepTimeout(&ts, 0, 0) }), func(s *ring.SQE) { nopUD(2)(s); s.SetDrain() })
		wantCQE(t, "first", r.wait(), ring.CQE{UserData: 1, Res: -int32(syscall.ETIME)})
		wantCQE(t, "drained NOP second", r.wait(), ring.CQE{UserData: 2})
	})
	t.Run("ASYNC", func(t *testing.T) {
		r := newTRing(t)
		_, fd := opFile(t, rwContent)
		c := r.do(func(s *ring.SQE) { s.PrepRead(int32(fd), buf, 0); s.SetAsync() })
		wantCQE(t, "READ punted to io-wq", c, ring.CQE{Res: 8})
		wantBytes(t, "data", buf, []byte(rwContent[:8]))
	})
	t.Run("BUFFER_SELECT", func(t *testing.T) {
		r := newTRing(t)
		a, b := sockPair(t, unix.SOCK_STREAM)
		mem := r.provide(6, 1, 16)
		opWrite(t, b, "selected")
		c := r.do(func(s *ring.SQE) { s.PrepRecv(int32(a), nil, 0); s.SetBufferSelect(6) })
		wantCQE(t, "RECV with a selected buffer", c, ring.CQE{Res: 8, Flags: ring.CQEFBuffer})
		wantBytes(t, "buffer", mem[:8], []byte("selected"))
	})
}
