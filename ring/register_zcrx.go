package ring

import "unsafe"

// Zero-copy receive (IORING_REGISTER_ZCRX_IFQ, 6.15): a NIC receive queue
// is handed to the ring, packets land directly in an application memory
// area, RECV_ZC CQEs (32 bytes) point into it, and the application returns
// buffers through a refill queue. It needs a NIC and driver with header
// split and the netdev queue-management API (e.g. bnxt, mlx5, fbnic) and a
// receive queue set aside for it; CAP_NET_ADMIN; and a DEFER_TASKRUN ring
// with 32-byte CQEs (CQE32 or CQE_MIXED).

// RegisterZcrxIfq registers receive queue reg.IfRxq of interface
// reg.IfIdx for zero-copy receive (IORING_REGISTER_ZCRX_IFQ, 6.15).
// reg.AreaPtr points to a ZcrxAreaReg describing the buffer area
// (page-aligned user memory, or a dmabuf with IORING_ZCRX_AREA_DMABUF, 6.16), reg.RegionPtr
// to a RegionDesc for the refill queue (user memory, or 0 to have the
// kernel allocate it for mapping at the returned MmapOffset); on success
// the kernel fills in reg.Offsets, reg.ZcrxID and the area's RqAreaToken.
// All of that memory must stay valid and unmoved for the ring's lifetime:
// the caller owns it (allocate it outside the Go heap, or keep it
// reachable). An interface without zero-copy receive support answers
// EOPNOTSUPP (ENODEV for a missing interface, EPERM without CAP_NET_ADMIN).
func (r *Ring) RegisterZcrxIfq(reg *ZcrxIfqReg) error {
	switch {
	case reg == nil:
		return argError(RegisterZcrxIfq, "no ifq registration given")
	case reg.AreaPtr == 0 || reg.RegionPtr == 0:
		return argError(RegisterZcrxIfq, "need an area (AreaPtr) and a refill queue region (RegionPtr)")
	case r.flags&SetupDeferTaskrun == 0:
		return argError(RegisterZcrxIfq, "zero-copy receive needs a DEFER_TASKRUN ring")
	case r.flags&(SetupCQE32|SetupCQEMixed) == 0:
		return argError(RegisterZcrxIfq, "zero-copy receive needs 32-byte CQEs (CQE32 or CQE_MIXED)")
	}
	return r.register(RegisterZcrxIfq, unsafe.Pointer(reg), 1)
}
