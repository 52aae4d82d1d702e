//go:build linux

package ring_test

import (
	"syscall"
	"testing"

	"github.com/uringkit/uring/ring"
)

// readFixedSQE is IORING_OP_READ_FIXED into buf, which lies in fixed buffer idx.
func readFixedSQE(fd int, buf []byte, idx uint16, ud uint64) func(*ring.SQE) {
	return func(s *ring.SQE) {
		*s = ring.SQE{Opcode: ring.OpReadFixed, Fd: int32(fd), Addr: addr(buf), Len: uint32(len(buf)), BufIndex: idx, UserData: ud}
	}
}

func TestRegisterBuffersReadFixed(t *testing.T) {
	r := newTestRing(t, 8)
	_, fd := tempFile(t, "fixed buffers")
	bufs := [][]byte{make([]byte, 64), make([]byte, 4096)}
	if err := r.RegisterBuffers(bufs); err != nil {
		t.Fatal(err)
	}
	if &r.FixedBuffer(1)[0] != &bufs[1][0] {
		t.Fatal("FixedBuffer(1) is not the registered slice")
	}
	got := submitOne(t, r, readFixedSQE(fd, bufs[1][:13], 1, 1))
	diff(t, "READ_FIXED CQE", got, cqe(1, 13))
	diff(t, "buffer 1", string(bufs[1][:13]), "fixed buffers")

	// An address outside the named buffer is refused by the kernel.
	got = submitOne(t, r, readFixedSQE(fd, bufs[0][:13], 1, 2))
	diff(t, "READ_FIXED outside buffer 1", got, cqe(2, errno(syscall.EFAULT)))

	if err := r.UnregisterBuffers(); err != nil {
		t.Fatal(err)
	}
	got = submitOne(t, r, readFixedSQE(fd, bufs[1][:13], 1, 3))
	diff(t, "READ_FIXED after unregister", got, cqe(3, errno(syscall.EFAULT)))
	if r.FixedBuffer(1) != nil {
		t.Fatal("Ring still holds buffer 1 after UnregisterBuffers")
	}
	wantSyscallErr(t, r.UnregisterBuffers(), ring.UnregisterBuffers, syscall.ENXIO)
}

func TestRegisterBuffersTwiceIsBusy(t *testing.T) {
	r := newTestRing(t, 4)
	bufs := [][]byte{make([]byte, 64)}
	if err := r.RegisterBuffers(bufs); err != nil {
		t.Fatal(err)
	}
	wantSyscallErr(t, r.RegisterBuffers(bufs), ring.RegisterBuffers, syscall.EBUSY)
}

func TestRegisterBuffersBadInput(t *testing.T) {
	r := newTestRing(t, 4)
	wantArgErr(t, r, r.RegisterBuffers(nil))
	wantArgErr(t, r, r.RegisterBuffersTagged([][]byte{make([]byte, 8)}, []uint64{1, 2}))
	wantArgErr(t, r, r.RegisterBuffersSparse(0))
	_, err := r.UpdateBuffers(0, nil, nil)
	wantArgErr(t, r, err)
}

// Tagged buffers: replacing or unregistering a buffer posts a CQE carrying
// its tag once the kernel no longer uses it.
func TestRegisterBuffersTaggedUpdate(t *testing.T) {
	r := newTestRing(t, 8)
	_, fd := tempFile(t, "tagged")
	old := [][]byte{make([]byte, 64), make([]byte, 64)}
	if err := r.RegisterBuffersTagged(old, []uint64{0x100, 0x200}); err != nil {
		t.Fatal(err)
	}
	repl := make([]byte, 128)
	n, err := r.UpdateBuffers(0, [][]byte{repl}, []uint64{0x300})
	if err != nil || n != 1 {
		t.Fatalf("UpdateBuffers = %d, %v", n, err)
	}
	diff(t, "tag CQE of the replaced buffer", reap(t, r, 1), []ring.CQE{cqe(0x100, 0)})

	got := submitOne(t, r, readFixedSQE(fd, repl[:6], 0, 1))
	diff(t, "READ_FIXED into the replacement", got, cqe(1, 6))
	diff(t, "replacement buffer", string(repl[:6]), "tagged")
	got = submitOne(t, r, readFixedSQE(fd, old[0][:6], 0, 2))
	diff(t, "READ_FIXED into the replaced buffer", got, cqe(2, errno(syscall.EFAULT)))

	if err := r.UnregisterBuffers(); err != nil {
		t.Fatal(err)
	}
	diff(t, "tag CQEs at unregister", reap(t, r, 2), []ring.CQE{cqe(0x200, 0), cqe(0x300, 0)})
}

func TestRegisterBuffersSparse(t *testing.T) {
	r := newTestRing(t, 8)
	_, fd := tempFile(t, "sparse")
	if err := r.RegisterBuffersSparse(4); err != nil {
		t.Fatal(err)
	}
	buf := make([]byte, 64)
	got := submitOne(t, r, readFixedSQE(fd, buf[:6], 2, 1))
	diff(t, "READ_FIXED into an empty slot", got, cqe(1, errno(syscall.EFAULT)))
	if n, err := r.UpdateBuffers(2, [][]byte{buf}, nil); err != nil || n != 1 {
		t.Fatalf("UpdateBuffers = %d, %v", n, err)
	}
	got = submitOne(t, r, readFixedSQE(fd, buf[:6], 2, 2))
	diff(t, "READ_FIXED into the filled slot", got, cqe(2, 6))
	diff(t, "buffer", string(buf[:6]), "sparse")
	// Emptying the slot again (an empty slice) makes it fault once more.
	if n, err := r.UpdateBuffers(2, [][]byte{nil}, nil); err != nil || n != 1 {
		t.Fatalf("UpdateBuffers(empty) = %d, %v", n, err)
	}
	got = submitOne(t, r, readFixedSQE(fd, buf[:6], 2, 3))
	diff(t, "READ_FIXED into the emptied slot", got, cqe(3, errno(syscall.EFAULT)))
}
