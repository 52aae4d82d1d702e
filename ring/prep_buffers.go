package ring

// Legacy provided buffers (5.7): PROVIDE_BUFFERS hands the kernel n buffers
// of size bytes each, carved from mem, as ids id..id+n-1 of group; a request
// with IOSQE_BUFFER_SELECT on that group consumes one and reports its id in
// the CQE. (Provided buffer rings, REGISTER_PBUF_RING, are the newer way.)

// PrepProvideBuffers prepares IORING_OP_PROVIDE_BUFFERS: add n buffers of
// size bytes from mem (len(mem) >= n*size) to group, ids from id.
// Res: 0 (some kernels: the number added). CQE flags: none. Since 5.7.
// Memory: mem until every buffer is consumed and its CQE reaped, or removed.
func (s *SQE) PrepProvideBuffers(mem []byte, size uint32, n uint32, group uint16, id uint16) {
	*s = SQE{Opcode: OpProvideBuffers, Fd: int32(n), Addr: addrOf(mem), Len: size, Off: uint64(id), BufIndex: group}
}

// PrepRemoveBuffers prepares IORING_OP_REMOVE_BUFFERS: take up to n unused
// buffers out of group. Res: the number removed. CQE flags: none.
// Since 5.7. Memory: none (the removed buffers are the caller's again).
func (s *SQE) PrepRemoveBuffers(n uint32, group uint16) {
	*s = SQE{Opcode: OpRemoveBuffers, Fd: int32(n), BufIndex: group}
}
