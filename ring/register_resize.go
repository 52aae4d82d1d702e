package ring

import "unsafe"

// ResizeRings changes the ring's SQ and CQ sizes in place
// (IORING_REGISTER_RESIZE_RINGS, 6.13): the kernel allocates new rings,
// copies the unconsumed SQEs and CQEs over (EOVERFLOW, ring unchanged, if
// they do not fit) and frees the old ones; this method then maps the new
// rings and carries on. sqEntries and cqEntries are rounded up to powers
// of two; cqEntries 0 means twice sqEntries, otherwise it must be at least
// sqEntries. Only DEFER_TASKRUN rings can be resized (6.18), and only
// rings whose memory the kernel maps (not NO_MMAP). SQEs handed out by
// GetSQE must be submitted first. A *SQE or *CQE obtained before the call
// points into the old rings and must not be used after it. If mapping the
// new rings fails the Ring is unusable and should be closed.
func (r *Ring) ResizeRings(sqEntries, cqEntries uint32) error {
	switch {
	case r.closed:
		return ErrClosed
	case r.flags&SetupDeferTaskrun == 0:
		return argError(RegisterResizeRings, "only DEFER_TASKRUN rings can be resized")
	case r.flags&SetupNoMmap != 0:
		return argError(RegisterResizeRings, "NO_MMAP rings cannot be resized by ResizeRings")
	case sqEntries == 0:
		return argError(RegisterResizeRings, "SQ entries must be at least 1")
	case cqEntries != 0 && cqEntries < sqEntries:
		return argError(RegisterResizeRings, "CQ entries must be at least the SQ entries")
	case r.UnpublishedSQEs() != 0:
		return argError(RegisterResizeRings, "submit the SQEs handed out by GetSQE first")
	}
	p := Params{SQEntries: sqEntries}
	if cqEntries != 0 {
		p.Flags, p.CQEntries = SetupCQSize, cqEntries
	}
	if err := r.register(RegisterResizeRings, unsafe.Pointer(&p), 1); err != nil {
		return err
	}
	return r.remap(&p)
}

// remap replaces the mappings of the old rings with the new ones the
// kernel described in p (entries and offsets), and points the SQ and CQ
// at them. The kernel carried the SQ and CQ heads and tails over, so the
// local SQE counters stay valid; the SQ index array is new and gets the
// identity mapping again.
func (r *Ring) remap(p *Params) error {
	if r.flags&SetupNoSQArray == 0 && p.SQOff.Array == 0 {
		// 6.18 hands back every offset but the SQ index array's (0), so
		// compute it the way the kernel's rings_size() places it: after
		// struct io_rings with its 16-byte CQEs, that whole size doubled
		// for CQE32 (header included: a CQE32 ring with 8 CQEs has its
		// array at 384, not 320), on a cache-line (64-byte) boundary.
		const cacheLine = 64
		end := uintptr(p.CQOff.CQEs) + uintptr(p.CQEntries)*unsafe.Sizeof(CQE{})
		if r.flags&SetupCQE32 != 0 {
			end *= 2
		}
		p.SQOff.Array = uint32((end + cacheLine - 1) &^ (cacheLine - 1))
	}
	r.unmap()
	r.params.SQEntries, r.params.CQEntries = p.SQEntries, p.CQEntries
	r.params.SQOff, r.params.CQOff = p.SQOff, p.CQOff
	if err := r.mapRings(); err != nil {
		return err
	}
	r.setupPointers()
	return nil
}
