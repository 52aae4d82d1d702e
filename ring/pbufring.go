package ring

import (
	"runtime"
	"sync"
	"sync/atomic"
	"unsafe"
)

// Provided-buffer rings (IORING_REGISTER_PBUF_RING, 5.19): a ring of
// struct io_uring_buf shared with the kernel. The application adds
// buffers at the tail; a request with IOSQE_BUFFER_SELECT and
// buf_group = the ring's group id takes the buffer at the head when it has
// data, and its CQE carries IORING_CQE_F_BUFFER with the buffer id in the
// upper 16 bits (CQE.BufferID). With IOU_PBUF_RING_INC (6.12) a buffer is
// consumed piecewise: each CQE says how many bytes it used, and
// IORING_CQE_F_BUF_MORE says the same buffer will receive more.
//
// The ring memory is mapped memory, never Go heap: either anonymous pages
// this package maps and the kernel pins (the default), or the kernel's own
// pages mapped from the ring fd (IOU_PBUF_RING_MMAP, 6.4). The head lives
// only in the kernel (PbufStatus reads it); the tail is bytes 14-15 of the
// ring (struct io_uring_buf_ring overlays the first entry's resv field),
// published with an atomic store.

// PbufRing is one registered provided-buffer ring. It owns the ring memory
// and keeps every buffer added to it reachable (by buffer id) for as long
// as it is reachable itself; its Ring keeps it while it is registered, and
// after UnregisterPbufRing for as long as a request may still use its
// buffers (see UnregisterPbufRing). Its methods are
// safe for concurrent use, also with the unregistration or the Close of
// its Ring or Loop, which unmap the ring memory: an Add after that is
// refused (ErrPbufRingClosed). A program that gives buffers back from
// several goroutines still decides which Advance publishes which Add.
type PbufRing struct {
	bgid    uint16
	flags   uint16
	entries uint32
	mask    uint32
	cleanup runtime.Cleanup

	// mu orders Add and Advance with the unmap of mem (unmap, from
	// UnregisterPbufRing and Ring.Close): without it a buffer given
	// back while a Loop closes wrote into unmapped memory, or into
	// whatever the process mapped there next
	// (TestPbufRingAddDuringLoopClose).
	mu    sync.Mutex
	mem   []byte   // ring memory: entries io_uring_buf slots; nil once unmapped
	tail  uint16   // tail published to the kernel
	added uint16   // entries written by Add since the last Advance
	bufs  [][]byte // buffers by bid, kept reachable for the kernel
}

// maxPbufEntries is the kernel's limit: ring_entries must be a power of
// two below 65536.
const maxPbufEntries = 1 << 15

// RegisterPbufRing registers a provided-buffer ring of entries slots (a
// power of two, at most 32768) for buffer group bgid
// (IORING_REGISTER_PBUF_RING, 5.19). flags may hold PbufRingMmap (6.4:
// the kernel allocates the ring, which is then mapped from the ring fd)
// and PbufRingInc (6.12: incremental consumption). The ring starts empty:
// Add buffers, then Advance. A group id already in use is EEXIST.
func (r *Ring) RegisterPbufRing(bgid uint16, entries uint32, flags uint16) (*PbufRing, error) {
	if entries == 0 || entries > maxPbufEntries || entries&(entries-1) != 0 {
		return nil, argError(RegisterPbufRing, "ring entries must be a power of two from 1 to 32768, not "+itoa(int64(entries)))
	}
	if flags&^(PbufRingMmap|PbufRingInc) != 0 {
		return nil, argError(RegisterPbufRing, "unknown IOU_PBUF_RING flags "+hex(uint64(flags)))
	}
	if r.closed {
		return nil, ErrClosed
	}
	if flags&PbufRingMmap != 0 && r.fd < 0 {
		return nil, argError(RegisterPbufRing, "IOU_PBUF_RING_MMAP needs a ring fd to map the ring from (REGISTERED_FD_ONLY ring)")
	}
	size := pageRound(int(entries) * int(unsafe.Sizeof(Buf{})))
	b := &PbufRing{bgid: bgid, flags: flags, entries: entries, mask: entries - 1}
	reg := BufReg{RingEntries: entries, Bgid: bgid, Flags: flags}
	if flags&PbufRingMmap == 0 {
		mem, err := sysMmapAnon(size)
		if err != nil {
			return nil, mmapError("provided buffer ring", err)
		}
		b.mem = mem
		reg.RingAddr = uint64(uintptrOf(mem))
	}
	if err := r.register(RegisterPbufRing, unsafe.Pointer(&reg), 1); err != nil {
		if b.mem != nil {
			_ = sysMunmap(b.mem)
		}
		return nil, err
	}
	if flags&PbufRingMmap != 0 {
		mem, err := sysMmap(r.fd, offPbufRing|int64(bgid)<<offPbufShift, size)
		if err != nil {
			_ = r.unregisterPbuf(bgid)
			return nil, mmapError("provided buffer ring", err)
		}
		b.mem = mem
	}
	// Should the PbufRing be dropped without UnregisterPbufRing (the Ring
	// abandoned), unmap its memory; the kernel holds its own page
	// references, so this is safe even while the ring is still registered.
	b.cleanup = runtime.AddCleanup(b, func(mem []byte) { _ = sysMunmap(mem) }, b.mem)
	if r.reg.bufRings == nil {
		r.reg.bufRings = make(map[uint16]*PbufRing)
	}
	r.reg.bufRings[bgid] = b
	return b, nil
}

// UnregisterPbufRing unregisters buffer group bgid's ring
// (IORING_UNREGISTER_PBUF_RING, 5.19) and, if it was registered through
// RegisterPbufRing, unmaps its memory: the PbufRing's Add is refused from
// then on (ErrPbufRingClosed). Its buffers stay reachable, and Buffer
// finds them, for as long as the PbufRing is: a request may have picked
// one before the unregister and still write into it (a read that an
// io-wq worker issued takes its buffer for good, then waits for data).
// The Ring, which does not see its requests, keeps the PbufRing for as
// long as the Ring is reachable. Through a Loop (Do, DoBufferGroup) the
// Loop takes it over when fn returns and keeps it only until every
// request that may have picked one of its buffers, one with
// IOSQE_BUFFER_SELECT and this buf_group submitted before the
// unregister, has had its terminal CQE; with none in flight it drops it
// at once. A group without a ring is ENOENT.
func (r *Ring) UnregisterPbufRing(bgid uint16) error {
	if err := r.unregisterPbuf(bgid); err != nil {
		return err
	}
	if b := r.reg.bufRings[bgid]; b != nil {
		delete(r.reg.bufRings, bgid)
		b.unmap()
		r.reg.retiredPbufs = append(r.reg.retiredPbufs, b)
	}
	return nil
}

// takePbufs hands the rings UnregisterPbufRing retired since the last
// call over to the caller, a Loop, which keeps each for as long as a
// request may still use its buffers (loop_pbuf_release.go) instead of the
// Ring keeping it for good. With closed (the Ring is closed) it hands
// over the rings still registered too.
func (r *Ring) takePbufs(closed bool) []*PbufRing {
	out := r.reg.retiredPbufs
	r.reg.retiredPbufs = nil
	if closed {
		for _, b := range r.reg.bufRings {
			out = append(out, b)
		}
		r.reg.bufRings = nil
	}
	return out
}

func (r *Ring) unregisterPbuf(bgid uint16) error {
	reg := BufReg{Bgid: bgid}
	return r.register(UnregisterPbufRing, unsafe.Pointer(&reg), 1)
}

// PbufStatus returns the kernel's head of buffer group bgid's ring
// (IORING_REGISTER_PBUF_STATUS, 6.8): how many entries the kernel has
// consumed, modulo 2^16. Tail minus head is how many buffers are left.
// A group without a ring is ENOENT.
func (r *Ring) PbufStatus(bgid uint16) (head uint16, err error) {
	st := BufStatus{BufGroup: uint32(bgid)}
	if err := r.register(RegisterPbufStatus, unsafe.Pointer(&st), 1); err != nil {
		return 0, err
	}
	return uint16(st.Head), nil
}

// PbufRing returns the ring registered for buffer group bgid through
// RegisterPbufRing, or nil.
func (r *Ring) PbufRing(bgid uint16) *PbufRing { return r.reg.bufRings[bgid] }

// unmap unmaps the ring memory, once. Stop the cleanup first: once
// unmapped, the address may be reused by another mapping, which a late
// cleanup would then unmap.
func (b *PbufRing) unmap() {
	b.mu.Lock()
	defer b.mu.Unlock()
	b.cleanup.Stop()
	if b.mem != nil {
		_ = sysMunmap(b.mem)
		b.mem = nil
	}
}

// Bgid returns the buffer group id (the SQE's buf_group).
func (b *PbufRing) Bgid() uint16 { return b.bgid }

// Entries returns the ring's number of slots.
func (b *PbufRing) Entries() uint32 { return b.entries }

// Tail returns the tail published to the kernel by Advance.
func (b *PbufRing) Tail() uint16 {
	b.mu.Lock()
	defer b.mu.Unlock()
	return b.tail
}

// slot returns the io_uring_buf at ring index i (masked); mu is held.
func (b *PbufRing) slot(i uint16) *Buf {
	return (*Buf)(unsafe.Add(unsafe.Pointer(unsafe.SliceData(b.mem)), uintptr(uint32(i)&b.mask)*unsafe.Sizeof(Buf{})))
}

// Add writes buf with buffer id bid into the next free slot after those
// added since the last Advance; the kernel sees it only after Advance. The
// PbufRing keeps buf reachable until bid is added again or the PbufRing
// is gone: hand a buffer back (Add it again) only after you are done
// with the data the kernel put in it. Adding more buffers than the ring
// has free slots overwrites ones the kernel has not consumed yet
// (PbufStatus tells how many it has). Once the ring is unregistered, or
// its Ring or Loop closed, Add returns ErrPbufRingClosed.
func (b *PbufRing) Add(buf []byte, bid uint16) error {
	b.mu.Lock()
	defer b.mu.Unlock()
	switch {
	case b.mem == nil:
		return ErrPbufRingClosed
	case len(buf) == 0:
		return &ArgError{Call: "PbufRing.Add", Reason: "empty provided buffer"}
	case uint64(len(buf)) > 1<<32-1:
		return &ArgError{Call: "PbufRing.Add", Reason: "provided buffer longer than 4 GiB"}
	case uint32(b.added) >= b.entries:
		return &ArgError{Call: "PbufRing.Add", Reason: "more than " + itoa(int64(b.entries)) + " buffers added without Advance"}
	}
	if int(bid) >= len(b.bufs) {
		b.bufs = append(b.bufs, make([][]byte, int(bid)+1-len(b.bufs))...)
	}
	b.bufs[bid] = buf
	*b.slot(b.tail + b.added) = Buf{Addr: addrOf(buf), Len: lenOf(buf), Bid: bid}
	b.added++
	return nil
}

// Advance publishes n of the buffers added since the last Advance (at most
// as many as were added) by moving the tail with one atomic store, after
// which the kernel may pick them. It does nothing once the ring is
// unregistered or closed.
func (b *PbufRing) Advance(n int) {
	b.mu.Lock()
	defer b.mu.Unlock()
	if b.mem == nil || n <= 0 {
		return
	}
	n = min(n, int(b.added))
	b.added -= uint16(n)
	b.tail += uint16(n)
	b.storeTail(b.tail)
}

// storeTail publishes the tail (io_uring_buf_ring.tail, bytes 14-15),
// which the kernel reads with smp_load_acquire. Go has no 16-bit atomic
// store, so the 32-bit word at bytes 12-15 is stored whole: its other half
// is resv3, which overlays bufs[0].bid, a field only the application
// writes (the kernel only reads it, and with IOU_PBUF_RING_INC updates
// addr and len, never bid), so rewriting it with its current value is
// harmless. The store has release semantics: every Add before it is
// visible to the kernel first. mu is held.
func (b *PbufRing) storeTail(tail uint16) {
	w := (*uint32)(unsafe.Add(unsafe.Pointer(unsafe.SliceData(b.mem)), 12))
	old := atomic.LoadUint32(w)
	var v uint32
	if littleEndian {
		v = old&0xffff | uint32(tail)<<16
	} else {
		v = old&0xffff0000 | uint32(tail)
	}
	atomic.StoreUint32(w, v)
}

// Buffer returns the buffer last added with id bid (nil if none): where
// the data of a CQE with IORING_CQE_F_BUFFER and that id is.
func (b *PbufRing) Buffer(bid uint16) []byte {
	b.mu.Lock()
	defer b.mu.Unlock()
	if int(bid) >= len(b.bufs) {
		return nil
	}
	return b.bufs[bid]
}

// littleEndian reports the byte order, which decides which half of a
// 32-bit word the 16-bit tail is.
var littleEndian = func() bool {
	x := uint16(1)
	return *(*byte)(unsafe.Pointer(&x)) == 1
}()
