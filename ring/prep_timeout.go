package ring

// Timeout family: TIMEOUT, TIMEOUT_REMOVE (remove and update forms) and
// LINK_TIMEOUT. flags are the IORING_TIMEOUT_* bits: TimeoutAbs,
// TimeoutBoottime / TimeoutRealtime (the clock; MONOTONIC without them),
// TimeoutETimeSuccess, TimeoutMultishot. The kernel copies the Timespec
// when the SQE is submitted, but keep it until the CQE all the same: a
// prep can be submitted late (the SQ was full, a link waits).

// PrepTimeout prepares IORING_OP_TIMEOUT: complete after ts, or once count
// other CQEs have been posted (count 0: time only). With TimeoutMultishot
// it fires every ts, count times (0: until removed).
// Res: -ETIME when the time expired, 0 when count was reached, -ECANCELED
// when removed. CQE flags: F_MORE on multishot expiries but the last.
// Since 5.4 (multishot 6.4). Memory: ts until the CQE.
func (s *SQE) PrepTimeout(ts *Timespec, count uint32, flags uint32) {
	*s = SQE{Opcode: OpTimeout, Fd: -1, Addr: ptrAddr(ts), Len: 1, Off: uint64(count), OpFlags: flags}
}

// PrepTimeoutRemove prepares IORING_OP_TIMEOUT_REMOVE: cancel the timeout
// whose SQE had user_data target; it completes with -ECANCELED.
// Res: 0, -ENOENT (not found) or -EALREADY (already expiring).
// CQE flags: none. Since 5.5. Memory: none.
func (s *SQE) PrepTimeoutRemove(target uint64, flags uint32) {
	*s = SQE{Opcode: OpTimeoutRemove, Fd: -1, Addr: target, OpFlags: flags}
}

// PrepTimeoutUpdate prepares IORING_OP_TIMEOUT_REMOVE with
// IORING_TIMEOUT_UPDATE: re-arm the timeout with user_data target to ts
// (flags may add TimeoutAbs). The timeout keeps the clock it was armed
// with: TimeoutBoottime or TimeoutRealtime in flags fails with -EINVAL.
// Res: 0, -ENOENT, or -EINVAL. CQE flags: none. Since 5.11. Memory: ts until the CQE.
func (s *SQE) PrepTimeoutUpdate(ts *Timespec, target uint64, flags uint32) {
	*s = SQE{Opcode: OpTimeoutRemove, Fd: -1, Addr: target, Off: ptrAddr(ts), OpFlags: flags | TimeoutUpdate}
}

// PrepLinkTimeoutUpdate prepares IORING_OP_TIMEOUT_REMOVE with
// IORING_TIMEOUT_UPDATE | IORING_LINK_TIMEOUT_UPDATE: re-arm the linked
// timeout with user_data target to ts; flags as PrepTimeoutUpdate
// (TimeoutAbs only). (Both bits: the kernel treats an SQE without
// TIMEOUT_UPDATE as a removal, which finds no plain timeout and fails with
// -ENOENT.)
// Res: 0, -ENOENT, or -EINVAL. CQE flags: none. Since 5.15. Memory: ts until the CQE.
func (s *SQE) PrepLinkTimeoutUpdate(ts *Timespec, target uint64, flags uint32) {
	*s = SQE{Opcode: OpTimeoutRemove, Fd: -1, Addr: target, Off: ptrAddr(ts), OpFlags: flags | TimeoutUpdate | LinkTimeoutUpdate}
}

// PrepLinkTimeout prepares IORING_OP_LINK_TIMEOUT: cancel the previous SQE
// (which must carry IOSQE_IO_LINK) if it has not completed after ts.
// Res: -ETIME if it fired (the target then gets -ECANCELED or -EINTR),
// -ECANCELED if the target finished first. CQE flags: none. Since 5.5.
// Memory: ts until the CQE.
func (s *SQE) PrepLinkTimeout(ts *Timespec, flags uint32) {
	*s = SQE{Opcode: OpLinkTimeout, Fd: -1, Addr: ptrAddr(ts), Len: 1, OpFlags: flags}
}
