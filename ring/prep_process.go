package ring

// Process family: IORING_OP_WAITID.

// PrepWaitid prepares IORING_OP_WAITID: waitid(2) for idtype (unix.P_PID,
// P_PGID, P_ALL, P_PIDFD) and id, with options (unix.WEXITED, ...), filling
// info. Res: 0 (info describes the child). CQE flags: none. Since 6.7.
// Memory: info until the CQE.
func (s *SQE) PrepWaitid(idtype int32, id int32, info *Siginfo, options int32) {
	*s = SQE{Opcode: OpWaitid, Fd: id, Len: uint32(idtype), SpliceFdIn: options, Off: ptrAddr(info)}
}
