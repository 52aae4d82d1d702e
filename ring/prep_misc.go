package ring

import "encoding/binary"

// Miscellaneous: MSG_RING (data and fd passing), PIPE and the generic
// URING_CMD passthrough. NOP lives with the core preps.

// PrepMsgRing prepares IORING_OP_MSG_RING with IORING_MSG_DATA: post a CQE
// with res and userData on the ring with fd ringFd. flags: MsgRingCQESkip
// is for fd passing only.
// Res: 0 here (the target's CQE has res and userData). CQE flags: none.
// Since 5.18. Memory: none.
func (s *SQE) PrepMsgRing(ringFd int32, res uint32, userData uint64, flags uint32) {
	*s = SQE{Opcode: OpMsgRing, Fd: ringFd, Addr: MsgData, Len: res, Off: userData, OpFlags: flags}
}

// PrepMsgRingCQEFlags is PrepMsgRing that also sets the target CQE's flags
// to cqeFlags (IORING_MSG_RING_FLAGS_PASS).
// Res: 0 here. CQE flags: none (the target's CQE has cqeFlags). Since 6.3.
// Memory: none.
func (s *SQE) PrepMsgRingCQEFlags(ringFd int32, res uint32, userData uint64, flags uint32, cqeFlags uint32) {
	*s = SQE{Opcode: OpMsgRing, Fd: ringFd, Addr: MsgData, Len: res, Off: userData, OpFlags: flags | MsgRingFlagsPass, SpliceFdIn: int32(cqeFlags)}
}

// PrepMsgRingFd prepares IORING_OP_MSG_RING with IORING_MSG_SEND_FD: install
// this ring's direct descriptor srcSlot into slot dstSlot (FileIndexAlloc:
// any free slot) of the ring with fd ringFd, which gets a CQE with
// userData (res 0, or the slot chosen for FileIndexAlloc) unless flags has
// MsgRingCQESkip.
// Res: 0 here. CQE flags: none. Since 6.0. Memory: none.
func (s *SQE) PrepMsgRingFd(ringFd int32, srcSlot uint32, dstSlot uint32, userData uint64, flags uint32) {
	*s = SQE{Opcode: OpMsgRing, Fd: ringFd, Addr: MsgSendFd, Off: userData, Addr3: uint64(srcSlot), OpFlags: flags, SpliceFdIn: fileIndex(dstSlot)}
}

// PrepPipe prepares IORING_OP_PIPE: pipe2(2) with O_* flags; the read and
// write fds land in fds[0] and fds[1].
// Res: 0. CQE flags: none. Since 6.16. Memory: fds until the CQE.
func (s *SQE) PrepPipe(fds *[2]int32, flags uint32) {
	*s = SQE{Opcode: OpPipe, Addr: ptrAddr(fds), OpFlags: flags}
}

// PrepPipeDirect is PrepPipe installing both ends as direct descriptors,
// in slots slot and slot+1 (FileIndexAlloc: any free slots); fds receives
// the slots. Res: 0. CQE flags: none. Since 6.16. Memory: fds until the CQE.
func (s *SQE) PrepPipeDirect(fds *[2]int32, flags uint32, slot uint32) {
	*s = SQE{Opcode: OpPipe, Addr: ptrAddr(fds), OpFlags: flags, SpliceFdIn: fileIndex(slot)}
}

// PrepURingCmd prepares IORING_OP_URING_CMD: the driver-specific command
// cmdOp on fd with the 16-byte command area cmd (64-byte SQE), in memory order. Socket
// commands have their own preps (PrepSiocinq, PrepGetsockopt, ...).
// Res: driver-defined. CQE flags: driver-defined. Since 5.19.
// Memory: whatever cmd points to, until the CQE.
func (s *SQE) PrepURingCmd(fd int32, cmdOp uint32, cmd [16]byte) {
	*s = SQE{
		Opcode: OpURingCmd,
		Fd:     fd,
		Off:    uint64(cmdOp),
		Addr3:  binary.NativeEndian.Uint64(cmd[:8]),
		Pad2:   binary.NativeEndian.Uint64(cmd[8:]),
	}
}
