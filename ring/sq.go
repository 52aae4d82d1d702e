package ring

import (
	"sync/atomic"
	"unsafe"
)

// The submission queue. Memory ordering (../shared/DESIGN.md): the SQE
// bytes are written with plain stores, then the SQ tail is published with an
// atomic store, which the kernel reads with an acquire load; Go's atomics
// are sequentially consistent, so the store also orders against the
// NEED_WAKEUP load that follows it under SQPOLL. The SQ head is written by
// the kernel and read with an atomic load.

// GetSQE returns the next free SQE, zeroed, or nil when the SQ is full
// (submit first). The SQE is the caller's to fill until the next Submit;
// the Prep methods overwrite every field. On a SQE128 ring use GetSQE128.
func (r *Ring) GetSQE() *SQE {
	s := r.nextSQE()
	if s == nil {
		return nil
	}
	if r.sq.sqeShift == 7 {
		*(*SQE128)(unsafe.Pointer(s)) = SQE128{}
	} else {
		*s = SQE{}
	}
	return s
}

// nextSQE is GetSQE without zeroing, for a caller that overwrites the
// whole SQE (the Loop's Submit copies the Request's SQE into it).
func (r *Ring) nextSQE() *SQE {
	sq := &r.sq
	if sq.sqeTail-atomic.LoadUint32(sq.khead) >= sq.entries {
		return nil
	}
	p := unsafe.Add(sq.sqes, uintptr(sq.sqeTail&sq.mask)<<sq.sqeShift)
	sq.sqeTail++
	return (*SQE)(p)
}

// GetSQE128 returns the next free 128-byte SQE of a SQE128 ring, zeroed, or
// nil when the SQ is full or the ring does not have 128-byte SQEs.
func (r *Ring) GetSQE128() *SQE128 {
	if r.sq.sqeShift != 7 {
		return nil
	}
	return (*SQE128)(unsafe.Pointer(r.GetSQE()))
}

// SQSpace returns how many SQEs GetSQE can still hand out.
func (r *Ring) SQSpace() uint32 {
	return r.sq.entries - (r.sq.sqeTail - atomic.LoadUint32(r.sq.khead))
}

// SQReady returns how many SQEs are filled but not yet consumed by the
// kernel (handed out by GetSQE and not yet taken by a Submit, plus those
// published and not yet read by the SQPOLL thread).
func (r *Ring) SQReady() uint32 {
	return r.sq.sqeTail - atomic.LoadUint32(r.sq.khead)
}

// UnpublishedSQEs returns how many SQEs were handed out by GetSQE since the
// last Submit.
func (r *Ring) UnpublishedSQEs() uint32 { return r.sq.sqeTail - r.sq.sqeHead }

// flushSQ publishes the SQEs handed out since the last flush with one
// atomic tail store. It returns how many it published now and how many the
// kernel has yet to consume in all (more than published when an earlier
// submission was cut short, or while the SQPOLL thread lags behind).
func (r *Ring) flushSQ() (published, pending uint32) {
	sq := &r.sq
	tail := sq.sqeTail
	published = tail - sq.sqeHead
	if published != 0 {
		sq.sqeHead = tail
		// Release: every SQE write above happens before the kernel sees the tail.
		atomic.StoreUint32(sq.ktail, tail)
	}
	return published, tail - atomic.LoadUint32(sq.khead)
}

// sqFlags is the kernel-written SQ ring flags word.
func (r *Ring) sqFlags() uint32 { return atomic.LoadUint32(r.sq.kflags) }

// SQFlags returns the kernel-written SQ ring flags (SQNeedWakeup,
// SQCQOverflow, SQTaskrun).
func (r *Ring) SQFlags() uint32 { return r.sqFlags() }

// SQDropped returns the kernel's count of invalid SQEs it skipped.
func (r *Ring) SQDropped() uint32 { return atomic.LoadUint32(r.sq.kdropped) }
