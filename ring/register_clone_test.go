//go:build linux

package ring_test

import (
	"syscall"
	"testing"

	"github.com/uringkit/uring/ring"
)

// Buffers cloned from another ring are the same memory: a READ_FIXED on
// the clone fills the slice the source registered, also after the source
// dropped its table.
func TestCloneBuffers(t *testing.T) {
	src := newTestRing(t, 4)
	dst := newTestRing(t, 4)
	_, fd := tempFile(t, "cloned!")
	bufs := [][]byte{make([]byte, 32), make([]byte, 32)}
	if err := src.RegisterBuffers(bufs); err != nil {
		t.Fatal(err)
	}
	if err := dst.CloneBuffers(src, 0, 0, 0, false); err != nil {
		t.Fatal(err)
	}
	if &dst.FixedBuffer(1)[0] != &bufs[1][0] {
		t.Fatal("the clone does not hold the source's buffer 1")
	}
	diff(t, "READ_FIXED on the clone", submitOne(t, dst, readFixedSQE(fd, bufs[1][:7], 1, 1)), cqe(1, 7))
	diff(t, "source buffer 1", string(bufs[1][:7]), "cloned!")

	// A second clone needs DST_REPLACE; with it, slot 0 becomes source slot 1.
	wantSyscallErr(t, dst.CloneBuffers(src, 0, 0, 0, false), ring.RegisterCloneBuffers, syscall.EBUSY)
	if err := dst.CloneBuffers(src, 1, 0, 1, true); err != nil {
		t.Fatal(err)
	}
	clear(bufs[1])
	if err := src.UnregisterBuffers(); err != nil {
		t.Fatal(err)
	}
	diff(t, "READ_FIXED on replaced slot 0 after the source unregistered", submitOne(t, dst, readFixedSQE(fd, bufs[1][:6], 0, 2)), cqe(2, 6))
	diff(t, "source buffer 1", string(bufs[1][:6]), "cloned")
	wantArgErr(t, dst, dst.CloneBuffers(nil, 0, 0, 0, false))
}
