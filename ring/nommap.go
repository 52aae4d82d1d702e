package ring

// IORING_SETUP_NO_MMAP (6.5): the application provides the ring memory.

// NoMmapSizes returns how many bytes of ring memory and of SQE memory a
// NO_MMAP ring with these entries and options needs, each rounded up to
// whole pages, following the kernel's rings_size(): the io_rings header
// (64 bytes), the CQEs, then the SQ index array on a cache-line boundary.
func NoMmapSizes(entries uint32, opts ...Option) (rings, sqes int) {
	var c config
	for _, o := range opts {
		o(&c)
	}
	sq, cq := ringEntries(entries, &c)
	return noMmapSizes(sq, cq, c.flags)
}

func noMmapSizes(sq, cq uint32, f SetupFlags) (rings, sqes int) {
	const ioRingsHeader, cacheLine = 64, 64
	n := ioRingsHeader + int(cq)*16
	if f&SetupCQE32 != 0 {
		// rings_size() doubles the whole struct (header included), not
		// just the CQEs: 384 bytes, not 320, for 8 CQEs.
		n *= 2
	}
	if f&SetupNoSQArray == 0 {
		n = (n+cacheLine-1)&^(cacheLine-1) + int(sq)*4
	}
	return pageRound(n), pageRound(int(sq) * int(sqeSize(f)))
}

// IORING_MAX_ENTRIES and IORING_MAX_CQ_ENTRIES: the kernel's limits, which
// CLAMP clamps to.
const (
	maxSQEntries = 32768
	maxCQEntries = 2 * maxSQEntries
)

// ringEntries computes the SQ and CQ sizes the kernel will choose.
func ringEntries(entries uint32, c *config) (sq, cq uint32) {
	sq = roundPow2(min(entries, maxSQEntries))
	cq = 2 * sq
	if c.flags&SetupCQSize != 0 {
		cq = roundPow2(min(max(c.cqEntries, 1), maxCQEntries))
	}
	return sq, cq
}

func roundPow2(v uint32) uint32 {
	n := uint32(1)
	for n < v {
		n <<= 1
	}
	return n
}

func pageRound(n int) int {
	ps := pageSize()
	return (n + ps - 1) &^ (ps - 1)
}

// provideMemory sets params.cq_off.user_addr (rings) and sq_off.user_addr
// (SQEs), allocating anonymous memory when the caller gave none.
func (r *Ring) provideMemory(entries uint32, c *config) error {
	ringsSize, sqesSize := NoMmapSizes(entries, func(cc *config) { *cc = *c })
	rings, sqes := c.ringMem, c.sqeMem
	if rings == nil {
		var err error
		if rings, err = sysMmapAnon(ringsSize); err != nil {
			return mmapError("NO_MMAP rings", err)
		}
		if sqes, err = sysMmapAnon(sqesSize); err != nil {
			_ = sysMunmap(rings)
			return mmapError("NO_MMAP SQEs", err)
		}
		r.ownMem = true
	} else if len(rings) < ringsSize || len(sqes) < sqesSize {
		return &SetupError{Rule: "NO_MMAP memory too small: need " + itoa(int64(ringsSize)) +
			" bytes for the rings and " + itoa(int64(sqesSize)) + " for the SQEs (NoMmapSizes)"}
	} else if ps := uintptr(pageSize()); uintptrOf(rings)%ps != 0 || uintptrOf(sqes)%ps != 0 {
		// The kernel pins whole pages from user_addr and refuses an
		// unaligned address with EINVAL (verified on 6.18).
		return &SetupError{Rule: "NO_MMAP memory must be page-aligned (use memory from mmap)"}
	}
	r.ringMem, r.cqMem, r.sqeMem = rings, rings, sqes
	r.params.CQOff.UserAddr = uint64(uintptrOf(rings))
	r.params.SQOff.UserAddr = uint64(uintptrOf(sqes))
	return nil
}

func (r *Ring) freeOwnMem() {
	if !r.ownMem {
		return
	}
	_ = sysMunmap(r.ringMem)
	_ = sysMunmap(r.sqeMem)
	r.ringMem, r.cqMem, r.sqeMem, r.ownMem = nil, nil, nil, false
}
