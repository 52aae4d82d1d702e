package future

import (
	"unsafe"

	"github.com/uringkit/uring/ring"
)

// Cancel, messages, registered files and buffers, processes, futexes,
// pipes.

// NopResult is IORING_OP_NOP with IORING_NOP_INJECT_RESULT (6.10): completes
// with res (a negative errno makes it fail). Useful in tests.
func NopResult(res int32) Op[int] {
	var s ring.SQE
	s.PrepNopInject(res)
	return newOp(s, nil, decodeInt)
}

// Cancel is IORING_OP_ASYNC_CANCEL (5.5) of the request whose SQE had
// user_data target (Future.UserData), with IORING_ASYNC_CANCEL_* flags
// (ring.CancelAll: every match). The value is how many were found (0 or 1
// without CancelAll); -ENOENT if none, -EALREADY if it is already running.
func Cancel(target uint64, flags uint32) Op[int] {
	var s ring.SQE
	s.PrepCancel(target, flags)
	return newOp(s, nil, decodeInt)
}

// CancelFd is IORING_OP_ASYNC_CANCEL by file descriptor (5.19): the
// requests on fd (ring.CancelAll: all of them).
func CancelFd(fd int, flags uint32) Op[int] {
	var s ring.SQE
	s.PrepCancelFd(int32(fd), flags)
	return newOp(s, nil, decodeInt)
}

// CancelFixedFd is IORING_OP_ASYNC_CANCEL by registered file (6.0).
func CancelFixedFd(slot int, flags uint32) Op[int] {
	var s ring.SQE
	s.PrepCancelFixedFd(int32(slot), flags)
	return newOp(s, nil, decodeInt)
}

// CancelOp is IORING_OP_ASYNC_CANCEL by opcode (6.6).
func CancelOp(op ring.Op, flags uint32) Op[int] {
	var s ring.SQE
	s.PrepCancelOp(op, flags)
	return newOp(s, nil, decodeInt)
}

// CancelAny is IORING_OP_ASYNC_CANCEL of any request (5.19; with
// ring.CancelAll every request in flight).
func CancelAny(flags uint32) Op[int] {
	var s ring.SQE
	s.PrepCancelAny(flags)
	return newOp(s, nil, decodeInt)
}

// MsgRing is IORING_OP_MSG_RING (5.18): post a CQE with res and userData
// on the ring whose fd is ringFd.
func MsgRing(ringFd int, res uint32, userData uint64) Op[struct{}] {
	var s ring.SQE
	s.PrepMsgRing(int32(ringFd), res, userData, 0)
	return newOp(s, nil, decodeVoid)
}

// MsgRingFd is IORING_OP_MSG_RING with IORING_MSG_SEND_FD (6.0): install
// this ring's direct descriptor srcSlot into slot dstSlot
// (ring.FileIndexAlloc: any) of the ring ringFd, which gets a CQE with
// userData.
func MsgRingFd(ringFd int, srcSlot, dstSlot uint32, userData uint64) Op[struct{}] {
	var s ring.SQE
	s.PrepMsgRingFd(int32(ringFd), srcSlot, dstSlot, userData, 0)
	return newOp(s, nil, decodeVoid)
}

// FilesUpdate is IORING_OP_FILES_UPDATE (5.6): put fds into the registered
// file table from slot offset (ring.FileIndexAlloc: free slots, written
// back into fds). The value is how many were updated.
func FilesUpdate(fds []int32, offset uint32) Op[int] {
	var s ring.SQE
	s.PrepFilesUpdate(fds, offset)
	var keep unsafe.Pointer
	if len(fds) > 0 {
		keep = unsafe.Pointer(&fds[0])
	}
	return newOp(s, keep, decodeInt)
}

// FixedFdInstall is IORING_OP_FIXED_FD_INSTALL (6.8): make a normal fd of
// the direct descriptor in slot (flags: ring.FixedFdNoCloexec).
func FixedFdInstall(slot int, flags uint32) Op[FD] {
	var s ring.SQE
	s.PrepFixedFdInstall(int32(slot), flags)
	return newOp(s, nil, decodeFD).withMade(madeFD)
}

// ProvideBuffers is IORING_OP_PROVIDE_BUFFERS (5.7): hand n buffers of size
// bytes, carved from mem, to buffer group group with ids id, id+1, ... The
// value is how many were added. mem must stay alive until they are removed
// or used (the caller's job: the kernel writes into it later).
func ProvideBuffers(mem []byte, size uint32, n uint32, group uint16, id uint16) Op[int] {
	var s ring.SQE
	s.PrepProvideBuffers(mem, size, n, group, id)
	return newOp(s, bytesPtr(mem), decodeInt)
}

// RemoveBuffers is IORING_OP_REMOVE_BUFFERS (5.7): take up to n buffers
// out of group; the value is how many were removed.
func RemoveBuffers(n uint32, group uint16) Op[int] {
	var s ring.SQE
	s.PrepRemoveBuffers(n, group)
	return newOp(s, nil, decodeInt)
}

// Waitid is IORING_OP_WAITID (6.7): waitid(2) for idtype/id with WEXITED
// and the like; the value is the child's siginfo.
func Waitid(idtype, id int, options int) Op[ring.Siginfo] {
	k := new(ring.Siginfo)
	var s ring.SQE
	s.PrepWaitid(int32(idtype), int32(id), k, int32(options))
	op := newOp(s, unsafe.Pointer(k), decodeSiginfo)
	op.renew = renewSiginfo
	return op
}

// renewSiginfo gives a submission its own siginfo (Op.Fresh).
func renewSiginfo(s ring.SQE, _ unsafe.Pointer) (ring.SQE, unsafe.Pointer) {
	k := new(ring.Siginfo)
	s.Off = uint64(uintptr(unsafe.Pointer(k)))
	return s, unsafe.Pointer(k)
}

func decodeSiginfo(_ ring.CQE, keep unsafe.Pointer) (ring.Siginfo, error) {
	return *(*ring.Siginfo)(keep), nil
}

// FutexWait is IORING_OP_FUTEX_WAIT (6.7): sleep while *addr == val until a
// wake whose mask intersects mask (FUTEX2_* size flags in flags, e.g.
// ring.Futex2SizeU32 | ring.Futex2Private). The word must stay alive (the
// caller owns it).
func FutexWait(addr *uint32, val, mask uint64, flags uint32) Op[struct{}] {
	var s ring.SQE
	s.PrepFutexWait(addr, val, mask, flags)
	return newOp(s, unsafe.Pointer(addr), decodeVoid)
}

// FutexWake is IORING_OP_FUTEX_WAKE (6.7): wake up to n waiters on addr
// whose mask intersects mask; the value is how many woke.
func FutexWake(addr *uint32, n, mask uint64, flags uint32) Op[int] {
	var s ring.SQE
	s.PrepFutexWake(addr, n, mask, flags)
	return newOp(s, unsafe.Pointer(addr), decodeInt)
}

// FutexWaitv is IORING_OP_FUTEX_WAITV (6.7): wait on several futexes; the
// value is the index of the one that woke.
func FutexWaitv(futexes []ring.FutexWaitv) Op[int] {
	var s ring.SQE
	s.PrepFutexWaitv(futexes)
	var keep unsafe.Pointer
	if len(futexes) > 0 {
		keep = unsafe.Pointer(&futexes[0])
	}
	return newOp(s, keep, decodeInt)
}

// Pipe is IORING_OP_PIPE (6.16): pipe2(2) with O_* flags; the value is
// the read and write ends.
func Pipe(flags int) Op[[2]FD] {
	k := new([2]int32)
	var s ring.SQE
	s.PrepPipe(k, uint32(flags))
	op := newOp(s, unsafe.Pointer(k), decodePipe).withMade(madeFDPair)
	op.renew = renewPipe
	return op
}

// PipeDirect is IORING_OP_PIPE (6.16) installing both ends as direct
// descriptors in slot and slot+1 (ring.FileIndexAlloc: any free slots);
// the value is the two slots.
func PipeDirect(flags int, slot uint32) Op[[2]Direct] {
	k := new([2]int32)
	var s ring.SQE
	s.PrepPipeDirect(k, uint32(flags), slot)
	op := newOp(s, unsafe.Pointer(k), decodePipeDirect).withMade(madeDirectPair)
	op.renew = renewPipe
	return op
}

// renewPipe gives a submission its own pair of fds (Op.Fresh).
func renewPipe(s ring.SQE, _ unsafe.Pointer) (ring.SQE, unsafe.Pointer) {
	k := new([2]int32)
	s.Addr = uint64(uintptr(unsafe.Pointer(k)))
	return s, unsafe.Pointer(k)
}

func decodePipe(_ ring.CQE, keep unsafe.Pointer) ([2]FD, error) {
	p := (*[2]int32)(keep)
	return [2]FD{FD(p[0]), FD(p[1])}, nil
}

func decodePipeDirect(_ ring.CQE, keep unsafe.Pointer) ([2]Direct, error) {
	p := (*[2]int32)(keep)
	return [2]Direct{Direct(p[0]), Direct(p[1])}, nil
}
