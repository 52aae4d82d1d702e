package ring

// The preps share one shape: every Prep method assigns a complete SQE
// literal, so no field of an earlier use of the slot survives (the kernel
// rejects stale bits in reserved fields with EINVAL, and a stale
// IOSQE_FIXED_FILE or buf_group silently changes the meaning). Flags and
// user_data are set afterwards with the setters below. Addresses of Go
// memory go through addrOf/ptrAddr, which move the object to the heap; the
// caller keeps it reachable until the CQE each prep's comment names.
//
// Each prep's comment follows one template: the syscall it matches, what
// the CQE's res means, the CQE flags it can set, the first kernel, and the
// memory the kernel uses until which CQE.

// PrepRW fills the whole SQE for a read/write-shaped opcode: op, fd, addr,
// len and off, everything else zero. It is the escape hatch for a layout
// the named preps do not cover; prefer those, which type the arguments.
func (s *SQE) PrepRW(op Op, fd int32, addr uint64, length uint32, off uint64) {
	*s = SQE{Opcode: op, Fd: fd, Addr: addr, Len: length, Off: off}
}

// PrepNop prepares IORING_OP_NOP: no syscall, nothing happens.
// Res: 0. CQE flags: none. Since 5.1. Memory: none.
func (s *SQE) PrepNop() { *s = SQE{Opcode: OpNop} }

// PrepNopInject prepares IORING_OP_NOP with IORING_NOP_INJECT_RESULT: the
// NOP completes with res, which lets tests fail a link step on purpose
// (a negative res breaks an IOSQE_IO_LINK chain like a real error).
// Res: res. CQE flags: none. Since 6.10. Memory: none.
func (s *SQE) PrepNopInject(res int32) {
	*s = SQE{Opcode: OpNop, Len: uint32(res), OpFlags: NopInjectResult}
}

// SetUserData sets user_data, which the kernel copies into the CQE.
func (s *SQE) SetUserData(v uint64) { s.UserData = v }

// SetFlags ORs IOSQE_* flags into the SQE.
func (s *SQE) SetFlags(f SQEFlags) { s.Flags |= f }

// SetFixedFile sets IOSQE_FIXED_FILE (5.1): the SQE's fd is an index into
// the ring's registered file table, not a process fd.
func (s *SQE) SetFixedFile() { s.Flags |= SQEFixedFile }

// SetBufferSelect sets IOSQE_BUFFER_SELECT (5.7) and buf_group: the kernel
// picks a buffer from provided-buffer group group when the data is ready
// and reports its id in the CQE (IORING_CQE_F_BUFFER, CQE.BufferID).
func (s *SQE) SetBufferSelect(group uint16) {
	s.Flags |= SQEBufferSelect
	s.BufIndex = group
}

// SetAsync sets IOSQE_ASYNC (5.6): skip the non-blocking attempt and hand
// the request to an io-wq worker at once.
func (s *SQE) SetAsync() { s.Flags |= SQEAsync }

// SetLink sets IOSQE_IO_LINK (5.3): the next SQE starts only after this one
// completes, and is cancelled (-ECANCELED) if this one fails or is short.
func (s *SQE) SetLink() { s.Flags |= SQEIOLink }

// SetHardlink sets IOSQE_IO_HARDLINK (5.5): like SetLink, but a failed
// completion does not sever the chain (a submission-time failure still does).
func (s *SQE) SetHardlink() { s.Flags |= SQEIOHardlink }

// SetDrain sets IOSQE_IO_DRAIN (5.2): start only after every earlier SQE
// has completed; later SQEs wait for this one. Do not mix with
// CQE_SKIP_SUCCESS on one ring (6.18 then fails DRAIN SQEs with EOPNOTSUPP).
func (s *SQE) SetDrain() { s.Flags |= SQEIODrain }

// SetCQESkipSuccess sets IOSQE_CQE_SKIP_SUCCESS (5.17, FEAT_CQE_SKIP): no
// CQE is posted when the request succeeds.
func (s *SQE) SetCQESkipSuccess() { s.Flags |= SQECQESkipSuccess }

// SetIoPrio ORs per-opcode ioprio flags into the SQE: AcceptDontwait,
// AcceptPollFirst, RecvSendPollFirst, RecvSendBundle, SendZCReportUsage and
// the like, for the opcodes whose comment names them.
func (s *SQE) SetIoPrio(flags uint16) { s.IoPrio |= flags }

// SetPersonality sets the credentials id from REGISTER_PERSONALITY (5.6).
func (s *SQE) SetPersonality(id uint16) { s.Personality = id }

// fileIndex encodes a direct-descriptor slot for sqe->file_index, which
// holds slot+1 (0 means "install a normal fd"), or IORING_FILE_INDEX_ALLOC
// unchanged (the kernel picks a free slot and returns it in res).
func fileIndex(slot uint32) int32 {
	if slot == FileIndexAlloc {
		return -1 // IORING_FILE_INDEX_ALLOC, ~0U
	}
	return int32(slot + 1)
}
