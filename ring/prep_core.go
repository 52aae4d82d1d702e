package ring

// PrepRW fills the whole SQE for a read/write-shaped opcode: op, fd, addr,
// len and off, everything else zero. The opcode preps build on it.
func (s *SQE) PrepRW(op Op, fd int32, addr uint64, length uint32, off uint64) {
	*s = SQE{Opcode: op, Fd: fd, Addr: addr, Len: length, Off: off}
}

// PrepNop prepares IORING_OP_NOP (5.1): completes with res 0.
func (s *SQE) PrepNop() { *s = SQE{Opcode: OpNop} }

// SetUserData sets user_data, which the kernel copies into the CQE.
func (s *SQE) SetUserData(v uint64) { s.UserData = v }

// SetFlags ORs IOSQE_* flags into the SQE.
func (s *SQE) SetFlags(f SQEFlags) { s.Flags |= f }
