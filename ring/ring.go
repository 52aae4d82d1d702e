package ring

import (
	"syscall"
	"unsafe"
)

// Ring is one io_uring instance: its fd, the mapped SQ and CQ rings and the
// SQE array. A Ring has a single owner, like liburing's struct io_uring: its
// methods take no locks and must not be called from several goroutines at
// once (the Loop is the goroutine-safe driver). The hot-path methods
// (GetSQE, Submit, PeekCQE, CQESeen) do not allocate.
type Ring struct {
	fd         int        // ring fd, or registered index with REGISTERED_FD_ONLY
	enterFd    int        // fd passed to io_uring_enter: fd, or the registered ring index
	enterFlags EnterFlags // EnterRegisteredRing once the ring fd is registered
	params     Params
	flags      SetupFlags
	sq         submissionQueue
	_          cacheLinePad
	cq         completionQueue

	ringMem  []byte // SQ ring (and CQ ring with FEAT_SINGLE_MMAP or NO_MMAP)
	cqMem    []byte // CQ ring when mapped separately
	sqeMem   []byte // SQE array
	ownMem   bool   // NO_MMAP memory allocated by New (unmapped by Close)
	mapped   bool   // ringMem/cqMem/sqeMem come from mmap of the ring fd
	closed   bool
	probe    *Probe // cached by CheckOp
	regIndex int    // registered ring fd index, -1 if none

	arg GeteventsArg // EXT_ARG scratch, kept here so no wait allocates
	ts  Timespec

	reg registrations // memory handed to the kernel by io_uring_register (register_state.go)

	// After Close the queue pointers aim here instead of at unmapped
	// memory: an empty, zero-sized ring, so GetSQE returns nil and the CQ
	// is empty without a closed check on the hot path.
	closedWords [8]uint32
}

type submissionQueue struct {
	khead, ktail, kflags, kdropped *uint32
	array                          *uint32 // nil with NO_SQARRAY
	mask, entries                  uint32
	sqes                           unsafe.Pointer
	sqeShift                       uint   // 6 for 64-byte SQEs, 7 for 128
	sqeHead, sqeTail               uint32 // local: SQEs handed out but not yet published
}

type completionQueue struct {
	khead, ktail, koverflow, kflags *uint32
	mask, entries                   uint32
	cqes                            unsafe.Pointer
	cqeShift                        uint // 4 for 16-byte slots, 5 for CQE32
	mixed                           bool // CQE_MIXED: F_32 CQEs take two slots, F_SKIP fillers
}

// New sets up a ring with at least entries SQEs (rounded up to a power of
// two, at most 32768) and maps it. Options select the IORING_SETUP_* flags.
// If io_uring is off limits for the process the error is an
// *UnavailableError (errors.Is(err, ErrUnavailable)); if the options break
// a setup rule it is a *SetupError naming the rule.
func New(entries uint32, opts ...Option) (*Ring, error) {
	if isOtherOS {
		return nil, ErrUnsupportedOS
	}
	var c config
	for _, o := range opts {
		o(&c)
	}
	if err := validate(entries, &c); err != nil {
		return nil, err
	}
	r := &Ring{regIndex: -1}
	r.params = Params{
		CQEntries:    c.cqEntries,
		Flags:        c.flags,
		SQThreadCPU:  uint32(c.sqThreadCPU),
		SQThreadIdle: sqThreadIdle(c.sqIdle),
		WQFd:         c.wqFd,
	}
	if c.flags&SetupNoMmap != 0 {
		if err := r.provideMemory(entries, &c); err != nil {
			return nil, err
		}
	}
	fd, errno := sysSetup(entries, &r.params)
	if errno != 0 {
		r.freeOwnMem()
		if err := unavailable(errno); err != nil {
			return nil, err
		}
		return nil, &SyscallError{Call: "io_uring_setup", Err: errno}
	}
	r.fd, r.enterFd, r.flags = fd, fd, r.params.Flags
	if r.flags&SetupRegisteredFdOnly != 0 {
		// fd is an index into this thread's registered-ring table.
		r.enterFlags = EnterRegisteredRing
		r.regIndex = fd
		r.fd = -1
	}
	if err := r.mapRings(); err != nil {
		r.closeFd()
		r.freeOwnMem()
		return nil, err
	}
	r.setupPointers()
	return r, nil
}

// validate checks the setup rules the kernel enforces (verified on 6.18,
// ../shared/reference/kernel-interface.md section 2) so that a bad
// combination gets an error naming the rule instead of a bare EINVAL.
func validate(entries uint32, c *config) error {
	f := c.flags
	rule := func(s string) error { return &SetupError{Rule: s} }
	sq, cq := ringEntries(entries, c)
	switch {
	case entries == 0:
		return rule("entries must be at least 1")
	case entries > maxSQEntries && f&SetupClamp == 0:
		return rule("entries must be at most 32768 (or use WithClamp)")
	case f&^setupFlagsKnown != 0:
		return &NotSupportedError{What: "IORING_SETUP flags " + hex(uint64(f&^setupFlagsKnown))}
	case f&SetupSQAff != 0 && f&SetupSQPoll == 0:
		return rule("SQ_AFF needs SQPOLL")
	case f&SetupSQAff != 0 && (c.sqThreadCPU < 0 || uint64(c.sqThreadCPU) > 1<<32-1):
		return rule("SQ_AFF needs a CPU number from 0 to 4294967295")
	case c.sqIdle < 0:
		// uint32 of a negative millisecond count is about 49 days of spinning.
		return rule("SQPOLL idle must not be negative")
	case c.sqIdle > maxSQIdle:
		return rule("SQPOLL idle must be at most 4294967295 ms (about 49.7 days)")
	case f&SetupTaskrunFlag != 0 && f&(SetupCoopTaskrun|SetupDeferTaskrun) == 0:
		return rule("TASKRUN_FLAG needs COOP_TASKRUN or DEFER_TASKRUN")
	case f&SetupDeferTaskrun != 0 && f&SetupSingleIssuer == 0:
		return rule("DEFER_TASKRUN needs SINGLE_ISSUER")
	case f&SetupSQPoll != 0 && f&SetupDeferTaskrun != 0:
		return rule("SQPOLL cannot be combined with DEFER_TASKRUN")
	case f&SetupSQPoll != 0 && f&SetupCoopTaskrun != 0:
		return rule("SQPOLL cannot be combined with COOP_TASKRUN")
	case f&SetupCQSize != 0 && c.cqEntries == 0:
		return rule("CQSIZE needs a CQ size of at least 1")
	case f&SetupCQSize != 0 && c.cqEntries > maxCQEntries && f&SetupClamp == 0:
		return rule("CQSIZE must be at most 65536 entries (or use WithClamp)")
	case f&SetupCQSize != 0 && cq < sq:
		// The kernel compares the sizes after rounding both up to powers
		// of two (and after CLAMP), so 7 CQ entries for 8 SQEs is fine.
		return rule("CQSIZE needs at least as many CQ entries as SQ entries")
	case f&SetupRegisteredFdOnly != 0 && f&SetupNoMmap == 0:
		return rule("REGISTERED_FD_ONLY needs NO_MMAP")
	case f&SetupHybridIOPoll != 0 && f&SetupIOPoll == 0:
		return rule("HYBRID_IOPOLL needs IOPOLL")
	case f&SetupCQEMixed != 0 && f&SetupCQE32 != 0:
		return rule("CQE_MIXED cannot be combined with CQE32")
	case f&SetupNoMmap != 0 && (len(c.ringMem) == 0) != (len(c.sqeMem) == 0):
		return rule("NO_MMAP needs both ring and SQE memory, or neither")
	}
	return nil
}

// sqeSize and cqeSize are the slot sizes the flags select.
func sqeSize(f SetupFlags) uintptr {
	if f&SetupSQE128 != 0 {
		return 128
	}
	return 64
}

func cqeSize(f SetupFlags) uintptr {
	if f&SetupCQE32 != 0 {
		return 32
	}
	return 16
}

// separateMaps makes mapRings map the CQ ring on its own even with
// FEAT_SINGLE_MMAP, as on kernels before 5.4; the tests set it to exercise
// that path (the kernel serves IORING_OFF_CQ_RING either way).
var separateMaps bool

// mapRings maps the kernel's ring memory (or adopts NO_MMAP memory). With
// FEAT_SINGLE_MMAP (5.4) the SQ and CQ rings share one mapping.
func (r *Ring) mapRings() error {
	p := &r.params
	if r.flags&SetupNoMmap != 0 {
		return nil // memory is already ours, see provideMemory
	}
	sqSize := int(p.SQOff.Array) + int(p.SQEntries)*4
	cqSize := int(p.CQOff.CQEs) + int(p.CQEntries)*int(cqeSize(r.flags))
	single := p.Features&FeatSingleMmap != 0 && !separateMaps
	if single {
		sqSize = max(sqSize, cqSize)
	}
	var err error
	if r.ringMem, err = sysMmap(r.fd, offSQRing, sqSize); err != nil {
		return mmapError("SQ ring", err)
	}
	r.mapped = true
	if single {
		r.cqMem = r.ringMem
	} else if r.cqMem, err = sysMmap(r.fd, offCQRing, cqSize); err != nil {
		r.unmap()
		return mmapError("CQ ring", err)
	}
	if r.sqeMem, err = sysMmap(r.fd, offSQEs, int(p.SQEntries)*int(sqeSize(r.flags))); err != nil {
		r.unmap()
		return mmapError("SQE array", err)
	}
	return nil
}

func mmapError(what string, err error) error {
	if errno, ok := err.(syscall.Errno); ok {
		return &SyscallError{Call: "mmap(" + what + ")", Err: errno}
	}
	return err
}

func (r *Ring) setupPointers() {
	p := &r.params
	base := unsafe.Pointer(unsafe.SliceData(r.ringMem))
	at := func(b unsafe.Pointer, off uint32) *uint32 { return (*uint32)(unsafe.Add(b, uintptr(off))) }
	r.sq.khead = at(base, p.SQOff.Head)
	r.sq.ktail = at(base, p.SQOff.Tail)
	r.sq.kflags = at(base, p.SQOff.Flags)
	r.sq.kdropped = at(base, p.SQOff.Dropped)
	r.sq.mask = *at(base, p.SQOff.RingMask)
	r.sq.entries = *at(base, p.SQOff.RingEntries)
	r.sq.sqes = unsafe.Pointer(unsafe.SliceData(r.sqeMem))
	r.sq.sqeShift = 6
	if r.flags&SetupSQE128 != 0 {
		r.sq.sqeShift = 7
	}
	if r.flags&SetupNoSQArray == 0 {
		// Identity-map the index array once, so SQE i is always slot i
		// (liburing does the same): publishing is then just the tail store.
		r.sq.array = at(base, p.SQOff.Array)
		arr := unsafe.Slice(r.sq.array, r.sq.entries)
		for i := range arr {
			arr[i] = uint32(i)
		}
	}
	cbase := unsafe.Pointer(unsafe.SliceData(r.cqMem))
	r.cq.khead = at(cbase, p.CQOff.Head)
	r.cq.ktail = at(cbase, p.CQOff.Tail)
	r.cq.koverflow = at(cbase, p.CQOff.Overflow)
	if p.CQOff.Flags != 0 {
		r.cq.kflags = at(cbase, p.CQOff.Flags)
	}
	r.cq.mask = *at(cbase, p.CQOff.RingMask)
	r.cq.entries = *at(cbase, p.CQOff.RingEntries)
	r.cq.cqes = unsafe.Add(cbase, uintptr(p.CQOff.CQEs))
	r.cq.cqeShift = 4
	if r.flags&SetupCQE32 != 0 {
		r.cq.cqeShift = 5
	}
	r.cq.mixed = r.flags&SetupCQEMixed != 0
}

// Close unregisters the ring fd if it was registered, unmaps the rings and
// closes the ring fd; the kernel then cancels whatever is still in flight.
// Memory handed to the kernel must stay valid until those cancellations
// complete, which the Ring cannot observe after Close: drain first (the Loop
// does). A second Close returns nil.
func (r *Ring) Close() error {
	if r.closed {
		return nil
	}
	if r.regIndex >= 0 && r.flags&SetupRegisteredFdOnly == 0 {
		// Before closed is set, which register refuses: a registered ring
		// fd left in the thread's table would keep the ring alive until
		// the thread exits.
		_ = r.UnregisterRingFd()
	}
	r.closed = true
	r.detachQueues()
	r.unmap()
	err := r.closeFd()
	r.freeOwnMem()
	r.releasePbufRingMemory()
	return err
}

// releasePbufRingMemory unmaps the memory of the provided-buffer rings
// registered through RegisterPbufRing. The kernel pinned those pages, so
// the unmap cannot pull them from under a late completion; the buffers
// themselves (Go memory) stay referenced by the Ring, or, for a Loop's
// Ring, by the Loop while a request may use them (closeRetire).
func (r *Ring) releasePbufRingMemory() {
	for _, b := range r.reg.bufRings {
		b.unmap()
	}
}

// detachQueues points the SQ and CQ at the Ring's own zero words, so that a
// use after Close reads an empty ring instead of unmapped memory.
func (r *Ring) detachQueues() {
	w := &r.closedWords
	r.sq = submissionQueue{khead: &w[0], ktail: &w[1], kflags: &w[2], kdropped: &w[3], sqeShift: r.sq.sqeShift}
	r.cq = completionQueue{khead: &w[4], ktail: &w[5], koverflow: &w[6], kflags: &w[7]}
}

func (r *Ring) unmap() {
	if !r.mapped {
		return
	}
	if r.sqeMem != nil {
		_ = sysMunmap(r.sqeMem)
	}
	if r.cqMem != nil && unsafe.SliceData(r.cqMem) != unsafe.SliceData(r.ringMem) {
		_ = sysMunmap(r.cqMem)
	}
	if r.ringMem != nil {
		_ = sysMunmap(r.ringMem)
	}
	r.ringMem, r.cqMem, r.sqeMem, r.mapped = nil, nil, nil, false
}

func (r *Ring) closeFd() error {
	if r.flags&SetupRegisteredFdOnly != 0 {
		// The only reference is the registered index: dropping it frees the ring.
		upd := RsrcUpdate{Offset: uint32(r.regIndex)}
		_, errno := sysRegister(r.regIndex, uint32(UnregisterRingFds)|registerUseRegisteredRing, unsafe.Pointer(&upd), 1)
		if errno != 0 {
			return &SyscallError{Call: "io_uring_register(UNREGISTER_RING_FDS)", Err: errno}
		}
		return nil
	}
	if err := sysClose(r.fd); err != nil {
		if errno, ok := err.(syscall.Errno); ok {
			return &SyscallError{Call: "close", Err: errno}
		}
		return err
	}
	return nil
}

// Fd returns the ring's file descriptor, or -1 for a REGISTERED_FD_ONLY
// ring and after Close (the number may by then name another file, and a
// MSG_RING sent to it would reach whatever ring reused it).
func (r *Ring) Fd() int {
	if r.closed {
		return -1
	}
	return r.fd
}

// Params returns the io_uring_params the kernel filled in at setup.
func (r *Ring) Params() Params { return r.params }

// Flags returns the ring's setup flags.
func (r *Ring) Flags() SetupFlags { return r.flags }

// Features returns the IORING_FEAT_* bits the kernel reported.
func (r *Ring) Features() Features { return r.params.Features }

// SQEntries returns the number of SQ entries.
func (r *Ring) SQEntries() uint32 { return r.sq.entries }

// CQEntries returns the number of CQ entries (16-byte slots on a CQE_MIXED ring).
func (r *Ring) CQEntries() uint32 { return r.cq.entries }

func hex(v uint64) string {
	const digits = "0123456789abcdef"
	if v == 0 {
		return "0x0"
	}
	var b [18]byte
	i := len(b)
	for v > 0 {
		i--
		b[i] = digits[v&15]
		v >>= 4
	}
	i--
	b[i] = 'x'
	i--
	b[i] = '0'
	return string(b[i:])
}
