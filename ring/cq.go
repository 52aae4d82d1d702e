package ring

import (
	"sync/atomic"
	"unsafe"
)

// The completion queue. The CQ tail is written by the kernel and read with
// an atomic (acquire) load before any CQE is read; the head is published
// with an atomic (release) store after the CQEs are consumed, which hands
// their slots back to the kernel.

// cqeAt returns the CQE in slot index (not yet masked).
func (r *Ring) cqeAt(index uint32) *CQE {
	return (*CQE)(unsafe.Add(r.cq.cqes, uintptr(index&r.cq.mask)<<r.cq.cqeShift))
}

// slots is how many CQ slots a CQE occupies: 2 for a 32-byte CQE on a
// CQE_MIXED ring, else 1.
func (r *Ring) slots(c *CQE) uint32 {
	if r.cq.mixed && c.Flags&CQEF32 != 0 {
		return 2
	}
	return 1
}

// peek returns the first CQE that is not a CQE_MIXED filler, or nil.
func (r *Ring) peek() *CQE {
	head := atomic.LoadUint32(r.cq.khead)
	for {
		tail := atomic.LoadUint32(r.cq.ktail)
		if head == tail {
			return nil
		}
		c := r.cqeAt(head)
		if !r.cq.mixed || c.Flags&CQEFSkip == 0 {
			return c
		}
		head++ // IORING_CQE_F_SKIP: a filler before the wrap
		atomic.StoreUint32(r.cq.khead, head)
	}
}

// PeekCQE returns the next CQE without waiting, or nil if there is none. The
// CQE points into the ring: read it, then release its slot with CQESeen.
// When the CQ is empty but the kernel holds overflowed CQEs
// (IORING_SQ_CQ_OVERFLOW) or pending task work (IORING_SQ_TASKRUN), or the
// ring is an IOPOLL ring, PeekCQE enters the kernel once, submitting
// nothing, to flush them or poll. After
// Close it returns ErrClosed.
func (r *Ring) PeekCQE() (*CQE, error) {
	if c := r.peek(); c != nil {
		return c, nil
	}
	if r.closed {
		return nil, ErrClosed
	}
	if r.cqNeedsFlush() {
		if err := r.flushCQ(); err != nil {
			return nil, err
		}
		return r.peek(), nil
	}
	return nil, nil
}

// CQESeen releases the slot(s) of c, the CQE PeekCQE or WaitCQE returned.
func (r *Ring) CQESeen(c *CQE) {
	atomic.StoreUint32(r.cq.khead, *r.cq.khead+r.slots(c))
}

// CQAdvance releases n CQ slots. On a CQE_MIXED ring a 32-byte CQE is two
// slots; prefer CQESeen there.
func (r *Ring) CQAdvance(n uint32) {
	if n > 0 {
		atomic.StoreUint32(r.cq.khead, *r.cq.khead+n)
	}
}

// CQReady returns how many CQ slots hold unconsumed CQEs.
func (r *Ring) CQReady() uint32 {
	return atomic.LoadUint32(r.cq.ktail) - atomic.LoadUint32(r.cq.khead)
}

// cqTailAddr returns the address of the kernel's CQ tail (CQEs posted so
// far, mod 2^32), valid until Close unmaps the ring.
func (r *Ring) cqTailAddr() *uint32 { return r.cq.ktail }

// CQOverflow returns the kernel's count of CQEs that could not be posted
// (with FEAT_NODROP they are kept and flushed later, so this stays 0 unless
// the kernel ran out of memory for them, when waits fail with EBADR).
func (r *Ring) CQOverflow() uint32 { return atomic.LoadUint32(r.cq.koverflow) }

// SetCQFlags writes the application-owned CQ ring flags (CQEventfdDisabled).
func (r *Ring) SetCQFlags(flags uint32) {
	if r.cq.kflags != nil {
		atomic.StoreUint32(r.cq.kflags, flags)
	}
}

// CQFlags reads the CQ ring flags.
func (r *Ring) CQFlags() uint32 {
	if r.cq.kflags == nil {
		return 0
	}
	return atomic.LoadUint32(r.cq.kflags)
}

// BigCQE returns the extra 16 bytes (big_cqe) of a 32-byte CQE: every CQE
// of a CQE32 ring, and those flagged IORING_CQE_F_32 on a CQE_MIXED ring.
// It returns nil for a 16-byte CQE.
func (r *Ring) BigCQE(c *CQE) *[2]uint64 {
	if r.cq.cqeShift == 5 || (r.cq.mixed && c.Flags&CQEF32 != 0) {
		return &(*CQE32)(unsafe.Pointer(c)).Big
	}
	return nil
}

// PeekBatch copies up to len(dst) CQEs (their 16-byte part) into dst,
// skipping CQE_MIXED fillers, and releases their slots with a single head
// store. It returns how many it copied and does not enter the kernel; call
// PeekCQE or GetEvents when the SQ flags show overflow or task work.
func (r *Ring) PeekBatch(dst []CQE) int {
	head := *r.cq.khead // only this goroutine writes it
	tail := atomic.LoadUint32(r.cq.ktail)
	if head == tail || len(dst) == 0 {
		return 0
	}
	var n int
	if r.cq.cqeShift == 4 && !r.cq.mixed {
		// 16-byte CQEs, no fillers: at most two block copies (before and
		// after the wrap) instead of a loop.
		n = int(min(tail-head, uint32(min(uint64(len(dst)), 1<<31))))
		cqes := unsafe.Slice((*CQE)(r.cq.cqes), r.cq.entries)
		k := copy(dst[:n], cqes[head&r.cq.mask:])
		copy(dst[k:n], cqes)
		head += uint32(n)
	} else {
		for head != tail && n < len(dst) {
			c := r.cqeAt(head)
			head += r.slots(c)
			if r.cq.mixed && c.Flags&CQEFSkip != 0 {
				continue
			}
			dst[n] = *c
			n++
		}
	}
	// Release: the CQEs are copied out before the kernel may reuse the slots.
	atomic.StoreUint32(r.cq.khead, head)
	return n
}

// PeekBatch32 is PeekBatch for rings with 32-byte CQEs (CQE32, or
// CQE_MIXED, where 16-byte CQEs are copied with a zero Big part).
func (r *Ring) PeekBatch32(dst []CQE32) int {
	head := *r.cq.khead
	tail := atomic.LoadUint32(r.cq.ktail)
	n := 0
	for head != tail && n < len(dst) {
		c := r.cqeAt(head)
		head += r.slots(c)
		if r.cq.mixed && c.Flags&CQEFSkip != 0 {
			continue
		}
		dst[n] = CQE32{CQE: *c}
		if big := r.BigCQE(c); big != nil {
			dst[n].Big = *big
		}
		n++
	}
	atomic.StoreUint32(r.cq.khead, head)
	return n
}

// cqNeedsFlush reports overflowed CQEs or pending task work that only an
// enter with GETEVENTS brings into the CQ. On an IOPOLL ring nothing
// completes unless someone polls, which is also an enter with GETEVENTS
// (liburing's cq_ring_needs_enter does the same).
func (r *Ring) cqNeedsFlush() bool {
	return r.flags&SetupIOPoll != 0 || r.sqFlags()&(SQCQOverflow|SQTaskrun) != 0
}
