package future

import (
	"errors"
	"sync"
	"unsafe"

	"github.com/uringkit/uring/ring"
	"golang.org/x/sys/unix"
)

// BufferRing is a provided-buffer ring (IORING_REGISTER_PBUF_RING, 5.19)
// registered on a Loop: count buffers of size bytes that the kernel
// picks from when a buffer-select receive or read has data. Operations that
// use it (RecvBuffer, ReadBuffer, RecvMultishot, ReadMultishot) give a
// Buffer, which goes back to the ring when released. Safe for concurrent
// use.
type BufferRing struct {
	mu    sync.Mutex
	loop  *ring.Loop
	pb    *ring.PbufRing
	group uint16
}

// NewBufferRing registers a ring of count buffers (a power of two, at most
// 32768) of size bytes each as buffer group group on l. On a Loop made
// WithRings(n > 1) the group lives on its home ring
// (ring.Loop.DoBufferGroup), and the Loop submits every operation that
// selects a buffer there.
func NewBufferRing(l *ring.Loop, group uint16, count int, size int) (*BufferRing, error) {
	if l == nil {
		return nil, ErrNilLoop
	}
	if count <= 0 || size <= 0 {
		return nil, errors.New("future: NewBufferRing needs a positive count and size")
	}
	b := &BufferRing{loop: l, group: group}
	err := l.DoBufferGroup(group, func(r *ring.Ring) error {
		pb, err := r.RegisterPbufRing(group, uint32(count), 0)
		b.pb = pb
		return err
	})
	if err != nil {
		return nil, err
	}
	mem := make([]byte, count*size)
	for i := range count {
		if err := b.pb.Add(mem[i*size:(i+1)*size:(i+1)*size], uint16(i)); err != nil {
			return nil, err
		}
	}
	b.pb.Advance(count)
	return b, nil
}

// Group returns the buffer group id.
func (b *BufferRing) Group() uint16 { return b.group }

// Close unregisters the ring. A Buffer released afterwards, or after the
// Loop's Close (which unmaps the ring), is dropped: there is no ring to
// give it back to. An operation whose CQE is decoded after Close (awaited,
// or still queued in a stream) still gets its data: the Loop's ring keeps
// the buffers of an unregistered group (ring.Ring.UnregisterPbufRing).
func (b *BufferRing) Close() error {
	return b.loop.DoBufferGroup(b.group, func(r *ring.Ring) error { return r.UnregisterPbufRing(b.group) })
}

// give puts buffer bid back into the ring.
func (b *BufferRing) give(bid uint16) {
	b.mu.Lock()
	defer b.mu.Unlock()
	if buf := b.pb.Buffer(bid); buf != nil && b.pb.Add(buf[:cap(buf)], bid) == nil {
		b.pb.Advance(1)
	}
}

// Buffer is data the kernel put into a provided buffer. Data is valid until
// Release, which gives the buffer back to its ring; release every Buffer
// exactly once (an empty Buffer, from end of file, needs none).
type Buffer struct {
	Data []byte
	ring *BufferRing
	id   uint16
}

// ID returns the provided buffer's id.
func (b Buffer) ID() uint16 { return b.id }

// Release gives the buffer back to its ring; once the ring or its Loop is
// closed it does nothing.
func (b Buffer) Release() {
	if b.ring != nil {
		b.ring.give(b.id)
	}
}

// decodeBuffer finds the buffer the kernel chose (IORING_CQE_F_BUFFER).
func decodeBuffer(c ring.CQE, keep unsafe.Pointer) (Buffer, error) {
	br := (*BufferRing)(keep)
	id, ok := c.BufferID()
	if !ok {
		if c.Res == 0 {
			return Buffer{}, nil
		}
		return Buffer{}, ErrNoBuffer
	}
	br.mu.Lock()
	buf := br.pb.Buffer(id)
	br.mu.Unlock()
	if int(c.Res) > len(buf) {
		// No buffer with that id was ever added (the ring keeps every
		// buffer it was given, also once unregistered): not ours to read.
		return Buffer{}, ring.ErrPbufRingClosed
	}
	return Buffer{Data: buf[:c.Res], ring: br, id: id}, nil
}

func bufferOp(s ring.SQE, br *BufferRing, multishot bool) Op[Buffer] {
	op := newOp(s, unsafe.Pointer(br), decodeBuffer)
	op.multishot = multishot
	if br == nil {
		return op.withErr(errNilBufferRing)
	}
	return op
}

// errNilBufferRing is the build error of a buffer-select op without a ring.
const errNilBufferRing = "nil BufferRing"

// groupOf returns br's buffer group, 0 for a nil br (whose op carries
// errNilBufferRing and is never submitted).
func groupOf(br *BufferRing) uint16 {
	if br == nil {
		return 0
	}
	return br.group
}

// RecvBuffer is IORING_OP_RECV with IOSQE_BUFFER_SELECT (5.7): receive up
// to the buffer size into a buffer of br. With a nil br this and the other
// buffer-select operations carry an *ArgError (Op.Err).
func RecvBuffer(fd int, br *BufferRing, msgFlags int) Op[Buffer] {
	var s ring.SQE
	s.PrepRecvSelect(int32(fd), 0, uint32(msgFlags), groupOf(br))
	return bufferOp(s, br, false)
}

// ReadBuffer is IORING_OP_READ with IOSQE_BUFFER_SELECT (5.7): read up to n
// bytes at off into a buffer of br.
func ReadBuffer(fd int, br *BufferRing, n uint32, off int64) Op[Buffer] {
	var s ring.SQE
	s.PrepReadSelect(int32(fd), n, off, groupOf(br))
	return bufferOp(s, br, false)
}

// RecvMultishot is multishot IORING_OP_RECV (6.0): one Buffer per arrival
// until the peer closes (a final empty Buffer), an error, or a cancel.
// Range over it with Stream.
func RecvMultishot(fd int, br *BufferRing, msgFlags int) Op[Buffer] {
	var s ring.SQE
	s.PrepRecvMultishot(int32(fd), uint32(msgFlags), groupOf(br))
	return bufferOp(s, br, true)
}

// ReadMultishot is IORING_OP_READ_MULTISHOT (6.7): one Buffer per read from
// a pipe or socket-like fd until end of file, an error, or a cancel.
// Range over it with Stream.
func ReadMultishot(fd int, br *BufferRing, off int64) Op[Buffer] {
	var s ring.SQE
	s.PrepReadMultishot(int32(fd), 0, off, groupOf(br))
	return bufferOp(s, br, true)
}

// recvmsgKeep keeps the msghdr template and the ring of a multishot recvmsg.
type recvmsgKeep struct {
	br  *BufferRing
	msg *unix.Msghdr
}

// RecvmsgMultishot is multishot IORING_OP_RECVMSG (6.0): one Buffer per
// message, each starting with a struct io_uring_recvmsg_out followed by the
// name, control and payload sized by msg's namelen and controllen (the
// kernel's layout; see io_uring_recvmsg_out(3)). Range over it with Stream.
func RecvmsgMultishot(fd int, br *BufferRing, msg *unix.Msghdr, msgFlags int) Op[Buffer] {
	var s ring.SQE
	s.PrepRecvmsgMultishot(int32(fd), msg, uint32(msgFlags), groupOf(br))
	k := &recvmsgKeep{br: br, msg: msg}
	op := newOp(s, unsafe.Pointer(k), decodeRecvmsgBuffer)
	op.multishot = true
	if br == nil {
		return op.withErr(errNilBufferRing)
	}
	return op
}

func decodeRecvmsgBuffer(c ring.CQE, keep unsafe.Pointer) (Buffer, error) {
	return decodeBuffer(c, unsafe.Pointer((*recvmsgKeep)(keep).br))
}
