package future

import (
	"errors"
	"fmt"
	"sync"
	"syscall"
	"unsafe"

	"github.com/uringkit/uring/ring"
	"golang.org/x/sys/unix"
)

// BufferRing is a provided-buffer ring (IORING_REGISTER_PBUF_RING, 5.19)
// registered on a Loop: count buffers of size bytes that the kernel
// picks from when a buffer-select receive or read has data. Operations that
// use it (RecvBuffer, ReadBuffer, RecvMultishot, ReadMultishot) give a
// Buffer, which goes back to the ring when released. A multishot
// operation ends with ENOBUFS when data arrives while the ring is empty, so
// size it for the data that can be held at once (by Buffers not yet
// released and by CQEs not yet ranged over), and release promptly. Safe
// for concurrent use.
type BufferRing struct {
	mu    sync.Mutex
	loop  *ring.Loop
	pb    *ring.PbufRing
	group uint16

	// out[bid] is the generation of the Buffer that holds bid now, 0 while
	// the buffer is in the ring: give takes back only that Buffer, once.
	// A second Release (of the Buffer or of a copy of it) would otherwise
	// add bid to the ring twice; the kernel reads no count, so the
	// duplicate overwrites a slot it has not consumed (that buffer is lost)
	// and later hands bid to two receives at once, the second writing over
	// the data of the first while its Buffer is still in use.
	out []uint32
	gen uint32 // the last generation handed out
}

// NewBufferRing registers a ring of count buffers (a power of two, at most
// 32768) of size bytes each as buffer group group on l. On a Loop made
// WithRings(n > 1) the group lives on its home ring
// (ring.Loop.DoBufferGroup), and the Loop submits every operation that
// selects a buffer there. A group id in use on l already fails with an
// error matching syscall.EEXIST.
func NewBufferRing(l *ring.Loop, group uint16, count int, size int) (*BufferRing, error) {
	if l == nil {
		return nil, ErrNilLoop
	}
	if count <= 0 || size <= 0 {
		return nil, errors.New("future: NewBufferRing needs a positive count and size")
	}
	b := &BufferRing{loop: l, group: group, out: make([]uint32, count)}
	err := l.DoBufferGroup(group, func(r *ring.Ring) error {
		pb, err := r.RegisterPbufRing(group, uint32(count), 0)
		b.pb = pb
		return err
	})
	if errors.Is(err, syscall.EEXIST) {
		return nil, fmt.Errorf("future: NewBufferRing: buffer group %d is registered already on this Loop (close its BufferRing first, or use another group id): %w", group, err)
	}
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
// or still queued in a stream) still gets its data: it references the
// BufferRing, which holds the buffers. The Loop keeps them too, while an
// operation that may have taken one before Close is in flight
// (ring.Ring.UnregisterPbufRing), and then drops them: once the program
// drops the BufferRing and its Buffers, their memory is collected, so
// rings made and closed over and over on one Loop do not accumulate.
// Close does not end the operations in flight that select from the ring:
// a multishot receive armed on it waits for its next data and then ends
// with ENOBUFS. End them first (their context, Future.Cancel, or
// CancelFd).
func (b *BufferRing) Close() error {
	return b.loop.DoBufferGroup(b.group, func(r *ring.Ring) error { return r.UnregisterPbufRing(b.group) })
}

// take records that buffer bid now belongs to a new Buffer and returns
// that Buffer's generation; mu is held.
func (b *BufferRing) take(bid uint16) uint32 {
	b.gen++
	if b.gen == 0 { // 0 means "in the ring"
		b.gen = 1
	}
	if int(bid) < len(b.out) {
		b.out[bid] = b.gen
	}
	return b.gen
}

// give puts buffer bid back into the ring if the Buffer of generation gen
// still holds it: a second Release of one Buffer, or a Release of a stale
// copy after bid went to a newer Buffer, does nothing.
func (b *BufferRing) give(bid uint16, gen uint32) {
	b.mu.Lock()
	defer b.mu.Unlock()
	if int(bid) >= len(b.out) || b.out[bid] != gen {
		return
	}
	b.out[bid] = 0
	if buf := b.pb.Buffer(bid); buf != nil && b.pb.Add(buf[:cap(buf)], bid) == nil {
		b.pb.Advance(1)
	}
}

// Buffer is data the kernel put into a provided buffer. Data is valid until
// Release, which gives the buffer back to its ring; release every Buffer
// (an empty Buffer, from end of file, needs none). Releasing it again, or
// releasing a copy of it, does nothing.
type Buffer struct {
	Data []byte
	ring *BufferRing
	id   uint16
	gen  uint32 // BufferRing.out: which holder of id this is
}

// ID returns the provided buffer's id.
func (b Buffer) ID() uint16 { return b.id }

// Release gives the buffer back to its ring, once: a second Release of
// the same Buffer (or of a copy) does nothing, and so does a Release once
// the ring or its Loop is closed.
func (b Buffer) Release() {
	if b.ring != nil {
		b.ring.give(b.id, b.gen)
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
	defer br.mu.Unlock()
	buf := br.pb.Buffer(id)
	if int(c.Res) > len(buf) {
		// No buffer with that id was ever added (the ring keeps every
		// buffer it was given, also once unregistered): not ours to read.
		return Buffer{}, ring.ErrPbufRingClosed
	}
	return Buffer{Data: buf[:c.Res], ring: br, id: id, gen: br.take(id)}, nil
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
// Range over it with Stream. If data arrives while br has no free buffer
// (every one held by a Buffer not yet released, or by CQEs not yet
// ranged over) the kernel ends the stream with ENOBUFS
// (errors.Is(err, syscall.ENOBUFS)); the data stays in the socket, and a
// new RecvMultishot, once buffers are released, receives it.
func RecvMultishot(fd int, br *BufferRing, msgFlags int) Op[Buffer] {
	var s ring.SQE
	s.PrepRecvMultishot(int32(fd), uint32(msgFlags), groupOf(br))
	return bufferOp(s, br, true)
}

// ReadMultishot is IORING_OP_READ_MULTISHOT (6.7): one Buffer per read from
// a pipe or socket-like fd until end of file, an error, or a cancel.
// Range over it with Stream. Like RecvMultishot it ends with ENOBUFS when
// data arrives while br has no free buffer; the data stays in the fd.
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
// Like RecvMultishot it ends with ENOBUFS when a message arrives while br
// has no free buffer.
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
