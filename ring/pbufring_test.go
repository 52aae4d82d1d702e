//go:build linux

package ring_test

import (
	"errors"
	"syscall"
	"testing"

	"golang.org/x/sys/unix"

	"github.com/uringkit/uring/ring"
)

// selectReadSQE reads up to n bytes from fd into a buffer of group bgid.
func selectReadSQE(fd int, bgid uint16, n uint32, ud uint64) func(*ring.SQE) {
	return func(s *ring.SQE) {
		*s = ring.SQE{Opcode: ring.OpRead, Fd: int32(fd), Len: n, Off: ^uint64(0), Flags: ring.SQEBufferSelect,
			BufIndex: bgid, UserData: ud}
	}
}

func write(t *testing.T, fd int, s string) {
	t.Helper()
	if n, err := unix.Write(fd, []byte(s)); err != nil || n != len(s) {
		t.Fatalf("write %q: %d, %v", s, n, err)
	}
}

// bufCQE is the CQE of a read of res bytes into provided buffer bid.
func bufCQE(ud uint64, res int32, bid uint16, more bool) ring.CQE {
	c := ring.CQE{UserData: ud, Res: res, Flags: ring.CQEFBuffer | uint32(bid)<<ring.CQEBufferShift}
	if more {
		c.Flags |= ring.CQEFBufMore
	}
	return c
}

func pbufHead(t *testing.T, r *ring.Ring, bgid uint16) uint16 {
	t.Helper()
	h, err := r.PbufStatus(bgid)
	if err != nil {
		t.Fatal(err)
	}
	return h
}

// Reads with IOSQE_BUFFER_SELECT take buffers from the ring in order; the
// CQE names the buffer, the data is in it, and the kernel head moves.
func testPbufRingRead(t *testing.T, flags uint16) {
	r := newTestRing(t, 8)
	rfd, wfd := opPipe(t)
	const bgid = 7
	br, err := r.RegisterPbufRing(bgid, 4, flags)
	if err != nil {
		t.Fatal(err)
	}
	if r.PbufRing(bgid) != br {
		t.Fatal("PbufRing(bgid) is not the registered ring")
	}
	for i := range uint16(2) {
		if err := br.Add(make([]byte, 16), 10+i); err != nil {
			t.Fatal(err)
		}
	}
	diff(t, "head before any read", pbufHead(t, r, bgid), uint16(0))
	// Not yet published: the kernel sees an empty ring.
	write(t, wfd, "hello")
	diff(t, "read before Advance", submitOne(t, r, selectReadSQE(rfd, bgid, 16, 1)), cqe(1, errno(syscall.ENOBUFS)))
	br.Advance(2)
	diff(t, "tail", br.Tail(), uint16(2))

	diff(t, "first read", submitOne(t, r, selectReadSQE(rfd, bgid, 16, 2)), bufCQE(2, 5, 10, false))
	diff(t, "buffer 10", string(br.Buffer(10)[:5]), "hello")
	diff(t, "head after one read", pbufHead(t, r, bgid), uint16(1))
	write(t, wfd, "world!")
	diff(t, "second read", submitOne(t, r, selectReadSQE(rfd, bgid, 16, 3)), bufCQE(3, 6, 11, false))
	diff(t, "buffer 11", string(br.Buffer(11)[:6]), "world!")
	write(t, wfd, "x")
	diff(t, "read from an exhausted ring", submitOne(t, r, selectReadSQE(rfd, bgid, 16, 4)), cqe(4, errno(syscall.ENOBUFS)))

	// Hand buffer 10 back: the ring wraps around (4 slots, tail 2 -> 3).
	if err := br.Add(br.Buffer(10), 10); err != nil {
		t.Fatal(err)
	}
	br.Advance(1)
	diff(t, "read after re-adding", submitOne(t, r, selectReadSQE(rfd, bgid, 16, 5)), bufCQE(5, 1, 10, false))
	diff(t, "head", pbufHead(t, r, bgid), uint16(3))

	if err := r.UnregisterPbufRing(bgid); err != nil {
		t.Fatal(err)
	}
	if r.PbufRing(bgid) != nil {
		t.Fatal("ring still listed after UnregisterPbufRing")
	}
	wantSyscallErr(t, r.UnregisterPbufRing(bgid), ring.UnregisterPbufRing, syscall.ENOENT)
	_, err = r.PbufStatus(bgid)
	wantSyscallErr(t, err, ring.RegisterPbufStatus, syscall.ENOENT)
	if err := br.Add(make([]byte, 8), 1); !errors.Is(err, ring.ErrPbufRingClosed) {
		t.Fatalf("Add after UnregisterPbufRing: %v, want ErrPbufRingClosed", err)
	}
}

func TestPbufRingUserMemory(t *testing.T) { testPbufRingRead(t, 0) }

// IOU_PBUF_RING_MMAP: the kernel allocates the ring and it is mapped from
// the ring fd.
func TestPbufRingKernelMemory(t *testing.T) { testPbufRingRead(t, ring.PbufRingMmap) }

// IOU_PBUF_RING_INC: one buffer serves several reads, each continuing
// where the last stopped; IORING_CQE_F_BUF_MORE says it is not used up.
func TestPbufRingIncremental(t *testing.T) {
	r := newTestRing(t, 8)
	rfd, wfd := opPipe(t)
	br, err := r.RegisterPbufRing(3, 2, ring.PbufRingInc)
	if err != nil {
		t.Fatal(err)
	}
	buf := make([]byte, 16)
	if err := br.Add(buf, 5); err != nil {
		t.Fatal(err)
	}
	br.Advance(1)
	write(t, wfd, "0123456789")
	diff(t, "first read", submitOne(t, r, selectReadSQE(rfd, 3, 10, 1)), bufCQE(1, 10, 5, true))
	write(t, wfd, "abcdef")
	diff(t, "second read", submitOne(t, r, selectReadSQE(rfd, 3, 10, 2)), bufCQE(2, 6, 5, false))
	diff(t, "buffer filled piecewise", string(buf), "0123456789abcdef")
	diff(t, "head", pbufHead(t, r, 3), uint16(1))
}

func TestPbufRingBadInput(t *testing.T) {
	r := newTestRing(t, 4)
	_, err := r.RegisterPbufRing(1, 3, 0)
	wantArgErr(t, r, err)
	_, err = r.RegisterPbufRing(1, 1<<16, 0)
	wantArgErr(t, r, err)
	_, err = r.RegisterPbufRing(1, 4, 0x80)
	wantArgErr(t, r, err)
	br, err := r.RegisterPbufRing(1, 2, 0)
	if err != nil {
		t.Fatal(err)
	}
	wantArgErr(t, r, br.Add(nil, 0))
	for i := range uint16(2) {
		if err := br.Add(make([]byte, 1), i); err != nil {
			t.Fatal(err)
		}
	}
	wantArgErr(t, r, br.Add(make([]byte, 1), 2)) // a third Add without Advance
	_, err = r.RegisterPbufRing(1, 2, 0)
	wantSyscallErr(t, err, ring.RegisterPbufRing, syscall.EEXIST)
}
