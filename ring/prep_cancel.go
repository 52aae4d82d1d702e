package ring

// Cancel family: IORING_OP_ASYNC_CANCEL matching by user_data, fd, fixed
// fd, opcode or anything. flags may add CancelAll (every match, res = the
// count) and, with 6.6, CancelUserData / CancelOp to combine criteria.
// The cancelled requests complete with -ECANCELED (or -EINTR if running).

// PrepCancel prepares IORING_OP_ASYNC_CANCEL of the request(s) whose
// user_data is target.
// Res: 0 (or the count with CancelAll), -ENOENT (none found), -EALREADY
// (running, signalled). CQE flags: none. Since 5.5. Memory: none.
func (s *SQE) PrepCancel(target uint64, flags uint32) {
	*s = SQE{Opcode: OpAsyncCancel, Fd: -1, Addr: target, OpFlags: flags}
}

// PrepCancelFd prepares IORING_OP_ASYNC_CANCEL of the request(s) on fd
// (IORING_ASYNC_CANCEL_FD). Res as PrepCancel. CQE flags: none.
// Since 5.19. Memory: none.
func (s *SQE) PrepCancelFd(fd int32, flags uint32) {
	*s = SQE{Opcode: OpAsyncCancel, Fd: fd, OpFlags: flags | CancelFd}
}

// PrepCancelFixedFd prepares IORING_OP_ASYNC_CANCEL of the request(s) on
// registered file slot (IORING_ASYNC_CANCEL_FD | _FD_FIXED).
// Res as PrepCancel. CQE flags: none.
// Since 6.0. Memory: none.
func (s *SQE) PrepCancelFixedFd(slot int32, flags uint32) {
	*s = SQE{Opcode: OpAsyncCancel, Fd: slot, OpFlags: flags | CancelFd | CancelFdFixed}
}

// PrepCancelOp prepares IORING_OP_ASYNC_CANCEL of the request(s) with
// opcode op (IORING_ASYNC_CANCEL_OP). Res as PrepCancel. CQE flags: none.
// Since 6.6.
// Memory: none.
func (s *SQE) PrepCancelOp(op Op, flags uint32) {
	*s = SQE{Opcode: OpAsyncCancel, Fd: -1, Len: uint32(op), OpFlags: flags | CancelOp}
}

// PrepCancelAny prepares IORING_OP_ASYNC_CANCEL of any in-flight request
// (IORING_ASYNC_CANCEL_ANY; with CancelAll, every one).
// Res as PrepCancel. CQE flags: none.
// Since 5.19. Memory: none.
func (s *SQE) PrepCancelAny(flags uint32) {
	*s = SQE{Opcode: OpAsyncCancel, Fd: -1, OpFlags: flags | CancelAny}
}
