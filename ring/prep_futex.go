package ring

import "unsafe"

// Futex family (futex2 interface, 6.7): FUTEX_WAIT, FUTEX_WAKE, FUTEX_WAITV.
// flags are FUTEX2_* flags: a size (Futex2SizeU32 for a Go uint32) and
// optionally Futex2Private. mask selects bitset waiters (FutexBitsetMatchAny).

// FUTEX2_* flags and the match-any bitset of futex(2).
const (
	Futex2SizeU8        uint32 = 0x00       // FUTEX2_SIZE_U8
	Futex2SizeU16       uint32 = 0x01       // FUTEX2_SIZE_U16
	Futex2SizeU32       uint32 = 0x02       // FUTEX2_SIZE_U32
	Futex2SizeU64       uint32 = 0x03       // FUTEX2_SIZE_U64
	Futex2Numa          uint32 = 0x04       // FUTEX2_NUMA
	Futex2Private       uint32 = 128        // FUTEX2_PRIVATE (FUTEX_PRIVATE_FLAG)
	FutexBitsetMatchAny uint64 = 0xffffffff // FUTEX_BITSET_MATCH_ANY
)

// FutexWaitv is struct futex_waitv, one entry of FUTEX_WAITV. Uaddr is a Go
// pointer so the collector keeps the futex word alive while it is listed;
// the kernel reads it as a __u64, which on a 32-bit platform is the
// pointer and then 4 zero bytes (little-endian 32-bit platforms only: 386,
// arm, mipsle).
type FutexWaitv struct {
	Val      uint64  // expected value
	Uaddr    *uint32 // the futex word
	_        [8 - unsafe.Sizeof(uintptr(0))]byte
	Flags    uint32 // FUTEX2_* flags
	Reserved uint32
}

// PrepFutexWait prepares IORING_OP_FUTEX_WAIT: wait while *uaddr == val,
// until a FUTEX_WAKE whose mask intersects mask.
// Res: 0 when woken, -EAGAIN if *uaddr != val at the start. CQE flags: none.
// Since 6.7. Memory: uaddr until the CQE.
func (s *SQE) PrepFutexWait(uaddr *uint32, val uint64, mask uint64, flags uint32) {
	*s = SQE{Opcode: OpFutexWait, Fd: int32(flags), Addr: ptrAddr(uaddr), Off: val, Addr3: mask}
}

// PrepFutexWake prepares IORING_OP_FUTEX_WAKE: wake up to n waiters on
// uaddr whose mask intersects mask.
// Res: the number woken. CQE flags: none. Since 6.7. Memory: uaddr until
// the CQE.
func (s *SQE) PrepFutexWake(uaddr *uint32, n uint64, mask uint64, flags uint32) {
	*s = SQE{Opcode: OpFutexWake, Fd: int32(flags), Addr: ptrAddr(uaddr), Off: n, Addr3: mask}
}

// PrepFutexWaitv prepares IORING_OP_FUTEX_WAITV: futex_waitv(2) on up to
// 128 futexes at once.
// Res: the index of the futex that was woken. CQE flags: none. Since 6.7.
// Memory: futexes and their words until the CQE.
func (s *SQE) PrepFutexWaitv(futexes []FutexWaitv) {
	var addr uint64
	if len(futexes) > 0 {
		addr = ptrAddr(&futexes[0])
	}
	*s = SQE{Opcode: OpFutexWaitv, Addr: addr, Len: lenOf(futexes)}
}
