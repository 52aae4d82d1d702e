package ring

// Kernel structs of the io_uring uapi, laid out exactly as on x86_64 and
// arm64 (both LP64). layout_test.go pins every size and field offset to the
// values in ../shared/reference/kernel-interface.md, section 6.

// SQE is struct io_uring_sqe, the 64-byte submission queue entry. Unions are
// flattened to their widest member; the comments name the others. Prefer the
// Prep methods, which overwrite every field, to filling one by hand.
type SQE struct {
	Opcode      Op       // opcode
	Flags       SQEFlags // IOSQE_* flags
	IoPrio      uint16   // ioprio; also accept, send/recv and recv flags
	Fd          int32    // fd, or registered file index with IOSQE_FIXED_FILE
	Off         uint64   // off; also addr2, cmd_op (low 32 bits)
	Addr        uint64   // addr; also splice_off_in, level/optname
	Len         uint32   // len
	OpFlags     uint32   // rw_flags, fsync_flags, poll32_events, timeout_flags, ... (per opcode)
	UserData    uint64   // user_data, copied into the CQE
	BufIndex    uint16   // buf_index or buf_group
	Personality uint16   // personality id
	SpliceFdIn  int32    // splice_fd_in; also file_index, optlen, addr_len (low 16 bits), zcrx_ifq_idx
	Addr3       uint64   // addr3; also attr_ptr, optval, the first 8 bytes of cmd
	Pad2        uint64   // __pad2; also attr_type_mask, the last 8 bytes of cmd
}

// SQE128 is a 128-byte SQE (IORING_SETUP_SQE128): the 64-byte SQE followed
// by 64 more bytes of command area. The command area (cmd) starts at
// Addr3 and is 80 bytes long: Addr3, Pad2 and Ext.
type SQE128 struct {
	SQE
	Ext [64]byte
}

// CQE is struct io_uring_cqe, the 16-byte completion queue entry.
type CQE struct {
	UserData uint64 // user_data of the SQE
	Res      int32  // result: like a syscall's return, or -errno
	Flags    uint32 // IORING_CQE_F_* flags
}

// CQE32 is a 32-byte CQE (IORING_SETUP_CQE32, or IORING_CQE_F_32 on a
// CQE_MIXED ring): the CQE followed by big_cqe[2].
type CQE32 struct {
	CQE
	Big [2]uint64
}

// BufferID returns the provided-buffer id in a CQE with IORING_CQE_F_BUFFER.
func (c *CQE) BufferID() (id uint16, ok bool) {
	return uint16(c.Flags >> CQEBufferShift), c.Flags&CQEFBuffer != 0
}

// More reports IORING_CQE_F_MORE: the SQE will post further CQEs.
func (c *CQE) More() bool { return c.Flags&CQEFMore != 0 }

// Notif reports IORING_CQE_F_NOTIF: the zero-copy notification CQE.
func (c *CQE) Notif() bool { return c.Flags&CQEFNotif != 0 }

// SQRingOffsets is struct io_sqring_offsets.
type SQRingOffsets struct {
	Head        uint32
	Tail        uint32
	RingMask    uint32
	RingEntries uint32
	Flags       uint32
	Dropped     uint32
	Array       uint32
	Resv1       uint32
	UserAddr    uint64 // SQE memory with IORING_SETUP_NO_MMAP (6.5)
}

// CQRingOffsets is struct io_cqring_offsets.
type CQRingOffsets struct {
	Head        uint32
	Tail        uint32
	RingMask    uint32
	RingEntries uint32
	Overflow    uint32
	CQEs        uint32
	Flags       uint32
	Resv1       uint32
	UserAddr    uint64 // ring memory with IORING_SETUP_NO_MMAP (6.5)
}

// Params is struct io_uring_params (120 bytes), in and out of io_uring_setup(2).
type Params struct {
	SQEntries    uint32
	CQEntries    uint32
	Flags        SetupFlags
	SQThreadCPU  uint32
	SQThreadIdle uint32 // milliseconds
	Features     Features
	WQFd         uint32
	Resv         [3]uint32
	SQOff        SQRingOffsets
	CQOff        CQRingOffsets
}

// ProbeOp is struct io_uring_probe_op.
type ProbeOp struct {
	Op    uint8
	Resv  uint8
	Flags uint16
	Resv2 uint32
}

// probeHeader is struct io_uring_probe without its flexible ops array.
type probeHeader struct {
	LastOp uint8
	OpsLen uint8
	Resv   uint16
	Resv2  [3]uint32
}

// Timespec is struct __kernel_timespec.
type Timespec struct {
	Sec  int64
	Nsec int64
}

// GeteventsArg is struct io_uring_getevents_arg (IORING_ENTER_EXT_ARG).
type GeteventsArg struct {
	Sigmask     uint64
	SigmaskSz   uint32
	MinWaitUsec uint32 // 6.12, FEAT_MIN_TIMEOUT
	Ts          uint64 // *Timespec
}

// RegWait is struct io_uring_reg_wait, one slot of a registered wait region (6.13).
type RegWait struct {
	Ts          Timespec
	MinWaitUsec uint32
	Flags       uint32
	Sigmask     uint64
	SigmaskSz   uint32
	Pad         [3]uint32
	Pad2        [2]uint64
}

// Buf is struct io_uring_buf, one entry of a provided buffer ring.
type Buf struct {
	Addr uint64
	Len  uint32
	Bid  uint16
	Resv uint16
}

// BufRing is struct io_uring_buf_ring: the header that overlays the first
// Buf of a provided buffer ring. Only Tail is meaningful; the kernel reads
// it with an acquire load, so the application publishes it with an atomic
// 16-bit store after filling the Bufs.
type BufRing struct {
	Resv1 uint64
	Resv2 uint32
	Resv3 uint16
	Tail  uint16
}

// BufReg is struct io_uring_buf_reg (REGISTER_PBUF_RING).
type BufReg struct {
	RingAddr    uint64
	RingEntries uint32
	Bgid        uint16
	Flags       uint16
	Resv        [3]uint64
}

// BufStatus is struct io_uring_buf_status (REGISTER_PBUF_STATUS).
type BufStatus struct {
	BufGroup uint32
	Head     uint32
	Resv     [8]uint32
}

// RsrcRegister is struct io_uring_rsrc_register (REGISTER_FILES2 / BUFFERS2).
type RsrcRegister struct {
	Nr    uint32
	Flags uint32
	Resv2 uint64
	Data  uint64
	Tags  uint64
}

// RsrcUpdate is struct io_uring_rsrc_update (FILES_UPDATE, RING_FDS).
type RsrcUpdate struct {
	Offset uint32
	Resv   uint32
	Data   uint64
}

// FilesUpdate is struct io_uring_files_update (REGISTER_FILES_UPDATE):
// Fds is the address of an int32 array.
type FilesUpdate struct {
	Offset uint32
	Resv   uint32
	Fds    uint64
}

// RsrcUpdate2 is struct io_uring_rsrc_update2 (FILES_UPDATE2 / BUFFERS_UPDATE).
type RsrcUpdate2 struct {
	Offset uint32
	Resv   uint32
	Data   uint64
	Tags   uint64
	Nr     uint32
	Resv2  uint32
}

// SyncCancelReg is struct io_uring_sync_cancel_reg (REGISTER_SYNC_CANCEL).
type SyncCancelReg struct {
	Addr    uint64
	Fd      int32
	Flags   uint32
	Timeout Timespec
	Opcode  uint8
	Pad     [7]uint8
	Pad2    [3]uint64
}

// RegionDesc is struct io_uring_region_desc.
type RegionDesc struct {
	UserAddr   uint64
	Size       uint64
	Flags      uint32
	ID         uint32
	MmapOffset uint64
	Resv       [4]uint64
}

// MemRegionReg is struct io_uring_mem_region_reg (REGISTER_MEM_REGION).
type MemRegionReg struct {
	RegionUptr uint64
	Flags      uint64
	Resv       [2]uint64
}

// FileIndexRange is struct io_uring_file_index_range (REGISTER_FILE_ALLOC_RANGE).
type FileIndexRange struct {
	Off  uint32
	Len  uint32
	Resv uint64
}

// Restriction is struct io_uring_restriction (REGISTER_RESTRICTIONS). Arg
// holds register_op, sqe_op, sqe_flags as the kind says.
type Restriction struct {
	Opcode uint16
	Arg    uint8
	Resv   uint8
	Resv2  [3]uint32
}

// Napi is struct io_uring_napi (REGISTER_NAPI), in the 6.13+ kernel layout.
type Napi struct {
	BusyPollTo     uint32
	PreferBusyPoll uint8
	Opcode         uint8
	Pad            [2]uint8
	OpParam        uint32
	Resv           uint32
}

// ClockRegister is struct io_uring_clock_register (REGISTER_CLOCK).
type ClockRegister struct {
	ClockID uint32
	Resv    [3]uint32
}

// CloneBuffers is struct io_uring_clone_buffers (REGISTER_CLONE_BUFFERS).
type CloneBuffers struct {
	SrcFd  uint32
	Flags  uint32
	SrcOff uint32
	DstOff uint32
	Nr     uint32
	Pad    [3]uint32
}

// RecvmsgOut is struct io_uring_recvmsg_out, the header multishot recvmsg
// writes at the start of each provided buffer.
type RecvmsgOut struct {
	Namelen    uint32
	Controllen uint32
	Payloadlen uint32
	Flags      uint32
}

// AttrPI is struct io_uring_attr_pi (read/write protection information, 6.14).
type AttrPI struct {
	Flags  uint16
	AppTag uint16
	Len    uint32
	Addr   uint64
	Seed   uint64
	Rsvd   uint64
}

// QueryHdr is struct io_uring_query_hdr (REGISTER_QUERY).
type QueryHdr struct {
	NextEntry uint64
	QueryData uint64
	QueryOp   uint32
	Size      uint32
	Result    int32
	Resv      [3]uint32
}

// QueryOpcode is struct io_uring_query_opcode, the answer to IO_URING_QUERY_OPCODES.
type QueryOpcode struct {
	NrRequestOpcodes  uint32
	NrRegisterOpcodes uint32
	FeatureFlags      uint64
	RingSetupFlags    uint64
	EnterFlags        uint64
	SQEFlags          uint64
	NrQueryOpcodes    uint32
	Pad               uint32
}

// ZcrxRqe is struct io_uring_zcrx_rqe.
type ZcrxRqe struct {
	Off uint64
	Len uint32
	Pad uint32
}

// ZcrxCqe is struct io_uring_zcrx_cqe.
type ZcrxCqe struct {
	Off uint64
	Pad uint64
}

// ZcrxOffsets is struct io_uring_zcrx_offsets.
type ZcrxOffsets struct {
	Head  uint32
	Tail  uint32
	Rqes  uint32
	Resv2 uint32
	Resv  [2]uint64
}

// ZcrxAreaReg is struct io_uring_zcrx_area_reg.
type ZcrxAreaReg struct {
	Addr        uint64
	Len         uint64
	RqAreaToken uint64
	Flags       uint32
	DmabufFd    uint32
	Resv2       [2]uint64
}

// ZcrxIfqReg is struct io_uring_zcrx_ifq_reg (REGISTER_ZCRX_IFQ).
type ZcrxIfqReg struct {
	IfIdx     uint32
	IfRxq     uint32
	RqEntries uint32
	Flags     uint32
	AreaPtr   uint64
	RegionPtr uint64
	Offsets   ZcrxOffsets
	ZcrxID    uint32
	Resv2     uint32
	Resv      [3]uint64
}
