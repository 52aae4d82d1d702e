//go:build linux

package ring_test

import (
	"syscall"
	"testing"

	"github.com/uringkit/uring/ring"
)

// SEND_MSG_RING posts a CQE on the target ring without any source ring.
func TestSendMsgRing(t *testing.T) {
	target := newTestRing(t, 4)
	if err := ring.SendMsgRing(target.Fd(), 77, 0xfeed, 0); err != nil {
		t.Fatal(err)
	}
	if err := ring.SendMsgRing(target.Fd(), -5, 0xbeef, 0x40); err != nil {
		t.Fatal(err)
	}
	diff(t, "CQEs on the target", reap(t, target, 2), []ring.CQE{
		{UserData: 0xbeef, Res: -5, Flags: 0x40},
		{UserData: 0xfeed, Res: 77},
	})
	tmp, _ := opPipe(t)
	err := ring.SendMsgRing(tmp, 1, 1, 0)
	wantSyscallErr(t, err, ring.RegisterSendMsgRing, syscall.EBADFD)
	wantArgErr(t, target, ring.SendMsgRing(-1, 1, 1, 0))
}
