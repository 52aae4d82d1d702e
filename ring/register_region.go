package ring

import (
	"syscall"
	"unsafe"
)

// Registered memory region (IORING_REGISTER_MEM_REGION, 6.13): one block
// of memory shared between the application and the kernel per ring. On
// 6.18 its use is the registered wait argument: with
// IORING_MEM_REGION_REG_WAIT_ARG the region is an array of
// struct io_uring_reg_wait slots, and a wait names a slot by its byte
// offset (IORING_ENTER_EXT_ARG_REG) instead of passing a fresh
// io_uring_getevents_arg each time, which saves the kernel a copy per
// wait.

// RegisterMemRegion registers mem, which must be page-aligned and a whole
// number of pages, as the ring's memory region (IORING_REGISTER_MEM_REGION
// with IORING_MEM_REGION_TYPE_USER, 6.13). flags may hold
// MemRegionRegWaitArg, which needs a ring that is still disabled
// (WithDisabled; EINVAL otherwise, verified on 6.18). A ring has one
// region: a second is EBUSY. The kernel pins the pages; the Ring keeps mem
// reachable for as long as it exists.
func (r *Ring) RegisterMemRegion(mem []byte, flags uint64) error {
	ps := pageSize()
	switch {
	case len(mem) == 0:
		return argError(RegisterMemRegion, "empty region")
	case uintptrOf(mem)%uintptr(ps) != 0 || len(mem)%ps != 0:
		return argError(RegisterMemRegion, "region must be page-aligned and a whole number of pages")
	}
	desc := RegionDesc{UserAddr: uint64(uintptrOf(mem)), Size: uint64(len(mem)), Flags: MemRegionTypeUser}
	reg := MemRegionReg{RegionUptr: ptrAddr(&desc), Flags: flags}
	if err := r.register(RegisterMemRegion, unsafe.Pointer(&reg), 1); err != nil {
		return err
	}
	r.reg.region = mem
	if flags&MemRegionRegWaitArg != 0 {
		r.reg.waitSlots = unsafe.Slice((*RegWait)(unsafe.Pointer(unsafe.SliceData(mem))), len(mem)/int(unsafe.Sizeof(RegWait{})))
	}
	return nil
}

// RegisterWaitRegion allocates page-aligned memory for at least n
// io_uring_reg_wait slots, registers it as the ring's wait-argument region
// (RegisterMemRegion with MemRegionRegWaitArg) and returns the slots. The
// ring must still be disabled (WithDisabled), so call this before Enable.
// Fill a slot (Ts with Flags = RegWaitTS for a timeout, MinWaitUsec,
// Sigmask) and wait with SubmitAndWaitReg; the kernel reads the slot at
// every such wait.
func (r *Ring) RegisterWaitRegion(n int) ([]RegWait, error) {
	if n <= 0 {
		return nil, argError(RegisterMemRegion, "need at least one wait slot")
	}
	if err := r.RegisterMemRegion(pageAlignedAlloc(n*int(unsafe.Sizeof(RegWait{}))), MemRegionRegWaitArg); err != nil {
		return nil, err
	}
	return r.reg.waitSlots, nil
}

// SubmitAndWaitReg submits like Submit, then waits for waitNr CQEs with
// the wait parameters of slot slot of the registered wait region
// (IORING_ENTER_EXT_ARG | IORING_ENTER_EXT_ARG_REG, 6.13): a timeout there
// (RegWaitTS) that expires gives an error wrapping syscall.ETIME. EINTR is
// retried with the slot as it is, so a relative timeout starts over. It
// returns how many SQEs were submitted.
func (r *Ring) SubmitAndWaitReg(waitNr uint32, slot int) (int, error) {
	if r.closed {
		return 0, ErrClosed
	}
	if slot < 0 || slot >= len(r.reg.waitSlots) {
		return 0, argError(RegisterMemRegion, "wait slot "+itoa(int64(slot))+" outside the registered wait region ("+
			itoa(int64(len(r.reg.waitSlots)))+" slots)")
	}
	off := uintptr(slot) * unsafe.Sizeof(RegWait{})
	published, pending := r.flushSQ()
	flags := r.enterFlags | EnterGetEvents | EnterExtArg | EnterExtArgReg
	toSubmit := pending
	if r.flags&SetupSQPoll != 0 {
		// The poller submits; the enter only waits (and wakes it).
		toSubmit = 0
		if pending > 0 && r.sqFlags()&SQNeedWakeup != 0 {
			flags |= EnterSQWakeup
		}
	}
	for {
		n, errno := sysEnterRegWait(r.enterFd, toSubmit, waitNr, flags, off)
		switch {
		case errno == syscall.EINTR:
			continue
		case errno != 0:
			return 0, enterError(errno)
		case r.flags&SetupSQPoll != 0:
			return int(published), nil
		}
		return n, nil
	}
}

// pageAlignedAlloc returns n bytes (rounded up to whole pages) of zeroed,
// page-aligned Go heap memory. The Go heap does not move objects, so the
// kernel may pin these pages.
func pageAlignedAlloc(n int) []byte {
	ps := pageSize()
	size := pageRound(n)
	buf := make([]byte, size+ps)
	off := (ps - int(uintptrOf(buf)%uintptr(ps))) % ps
	return buf[off : off+size : off+size]
}
