//go:build linux

package ring

import (
	"errors"
	"testing"

	"golang.org/x/sys/unix"
)

// TestOwnerDoorbellAfterClose: a submitter that saw the owner asleep and
// stalled before it rang the doorbell must not write once the Loop has
// closed, when the doorbell's fd number may name another file of the
// process. The test closes the Loop, takes the number back with an
// eventfd of its own and then lets the stalled submitter go on (ringBell
// is what ownerKick runs after its load of sleeping).
func TestOwnerDoorbellAfterClose(t *testing.T) {
	l, err := NewLoop(WithMode(ModeOwner))
	if err != nil {
		t.Fatalf("NewLoop: %v", err)
	}
	efd := l.owner.efd
	if err := l.Close(); err != nil {
		t.Fatalf("Close: %v", err)
	}
	if l.owner.bellRung.Load() {
		t.Fatal("bellRung is set after Close: the stalled ring below would not reach the write")
	}
	mine := -1
	for range 16 {
		fd, err := unix.Eventfd(0, unix.EFD_CLOEXEC|unix.EFD_NONBLOCK)
		if err != nil {
			t.Fatal(err)
		}
		t.Cleanup(func() { unix.Close(fd) })
		if fd == efd {
			mine = fd
			break
		}
	}
	if mine < 0 {
		t.Fatalf("fd %d (the doorbell's) was not reused by 16 new eventfds", efd)
	}
	if l.ringBell() {
		t.Error("ringBell reports a write after Close")
	}
	var buf [8]byte
	if n, err := unix.Read(mine, buf[:]); !errors.Is(err, unix.EAGAIN) {
		t.Errorf("the eventfd that took the doorbell's fd number holds data after Close: read %d bytes %v, err %v; want EAGAIN", n, buf, err)
	}
}
