package ring

// This file holds the io_uring constants of the Linux 6.18 uapi
// (include/uapi/linux/io_uring.h) that are not opcodes. Values and first
// kernels come from ../shared/reference/kernel-interface.md, sections 1a-5.

// SetupFlags are the IORING_SETUP_* flags passed to io_uring_setup(2).
type SetupFlags uint32

// IORING_SETUP_* flags.
const (
	SetupIOPoll           SetupFlags = 1 << 0  // IORING_SETUP_IOPOLL (5.1)
	SetupSQPoll           SetupFlags = 1 << 1  // IORING_SETUP_SQPOLL (5.1)
	SetupSQAff            SetupFlags = 1 << 2  // IORING_SETUP_SQ_AFF (5.1)
	SetupCQSize           SetupFlags = 1 << 3  // IORING_SETUP_CQSIZE (5.5)
	SetupClamp            SetupFlags = 1 << 4  // IORING_SETUP_CLAMP (5.6)
	SetupAttachWQ         SetupFlags = 1 << 5  // IORING_SETUP_ATTACH_WQ (5.6)
	SetupRDisabled        SetupFlags = 1 << 6  // IORING_SETUP_R_DISABLED (5.10)
	SetupSubmitAll        SetupFlags = 1 << 7  // IORING_SETUP_SUBMIT_ALL (5.18)
	SetupCoopTaskrun      SetupFlags = 1 << 8  // IORING_SETUP_COOP_TASKRUN (5.19)
	SetupTaskrunFlag      SetupFlags = 1 << 9  // IORING_SETUP_TASKRUN_FLAG (5.19)
	SetupSQE128           SetupFlags = 1 << 10 // IORING_SETUP_SQE128 (5.19)
	SetupCQE32            SetupFlags = 1 << 11 // IORING_SETUP_CQE32 (5.19)
	SetupSingleIssuer     SetupFlags = 1 << 12 // IORING_SETUP_SINGLE_ISSUER (6.0)
	SetupDeferTaskrun     SetupFlags = 1 << 13 // IORING_SETUP_DEFER_TASKRUN (6.1)
	SetupNoMmap           SetupFlags = 1 << 14 // IORING_SETUP_NO_MMAP (6.5)
	SetupRegisteredFdOnly SetupFlags = 1 << 15 // IORING_SETUP_REGISTERED_FD_ONLY (6.5)
	SetupNoSQArray        SetupFlags = 1 << 16 // IORING_SETUP_NO_SQARRAY (6.6)
	SetupHybridIOPoll     SetupFlags = 1 << 17 // IORING_SETUP_HYBRID_IOPOLL (6.13)
	SetupCQEMixed         SetupFlags = 1 << 18 // IORING_SETUP_CQE_MIXED (6.18)
	setupFlagsKnown       SetupFlags = 1<<19 - 1
)

// Features are the IORING_FEAT_* bits the kernel reports in params.features.
type Features uint32

// IORING_FEAT_* bits.
const (
	FeatSingleMmap     Features = 1 << 0  // IORING_FEAT_SINGLE_MMAP (5.4)
	FeatNoDrop         Features = 1 << 1  // IORING_FEAT_NODROP (5.5)
	FeatSubmitStable   Features = 1 << 2  // IORING_FEAT_SUBMIT_STABLE (5.5)
	FeatRWCurPos       Features = 1 << 3  // IORING_FEAT_RW_CUR_POS (5.6)
	FeatCurPersonality Features = 1 << 4  // IORING_FEAT_CUR_PERSONALITY (5.6)
	FeatFastPoll       Features = 1 << 5  // IORING_FEAT_FAST_POLL (5.7)
	FeatPoll32Bits     Features = 1 << 6  // IORING_FEAT_POLL_32BITS (5.9)
	FeatSQPollNonfixed Features = 1 << 7  // IORING_FEAT_SQPOLL_NONFIXED (5.11)
	FeatExtArg         Features = 1 << 8  // IORING_FEAT_EXT_ARG (5.11)
	FeatNativeWorkers  Features = 1 << 9  // IORING_FEAT_NATIVE_WORKERS (5.12)
	FeatRsrcTags       Features = 1 << 10 // IORING_FEAT_RSRC_TAGS (5.13)
	FeatCQESkip        Features = 1 << 11 // IORING_FEAT_CQE_SKIP (5.17)
	FeatLinkedFile     Features = 1 << 12 // IORING_FEAT_LINKED_FILE (5.17)
	FeatRegRegRing     Features = 1 << 13 // IORING_FEAT_REG_REG_RING (6.3)
	FeatRecvSendBundle Features = 1 << 14 // IORING_FEAT_RECVSEND_BUNDLE (6.10)
	FeatMinTimeout     Features = 1 << 15 // IORING_FEAT_MIN_TIMEOUT (6.12)
	FeatRWAttr         Features = 1 << 16 // IORING_FEAT_RW_ATTR (6.14)
	FeatNoIOWait       Features = 1 << 17 // IORING_FEAT_NO_IOWAIT (6.15)
)

// EnterFlags are the IORING_ENTER_* flags of io_uring_enter(2).
type EnterFlags uint32

// IORING_ENTER_* flags.
const (
	EnterGetEvents      EnterFlags = 1 << 0 // IORING_ENTER_GETEVENTS (5.1)
	EnterSQWakeup       EnterFlags = 1 << 1 // IORING_ENTER_SQ_WAKEUP (5.1)
	EnterSQWait         EnterFlags = 1 << 2 // IORING_ENTER_SQ_WAIT (5.10)
	EnterExtArg         EnterFlags = 1 << 3 // IORING_ENTER_EXT_ARG (5.11)
	EnterRegisteredRing EnterFlags = 1 << 4 // IORING_ENTER_REGISTERED_RING (5.18)
	EnterAbsTimer       EnterFlags = 1 << 5 // IORING_ENTER_ABS_TIMER (6.12)
	EnterExtArgReg      EnterFlags = 1 << 6 // IORING_ENTER_EXT_ARG_REG (6.13)
	EnterNoIOWait       EnterFlags = 1 << 7 // IORING_ENTER_NO_IOWAIT (6.15)
)

// SQEFlags are the IOSQE_* flags of sqe->flags.
type SQEFlags uint8

// IOSQE_* flags.
const (
	SQEFixedFile      SQEFlags = 1 << 0 // IOSQE_FIXED_FILE: fd is an index into the registered file table (5.1)
	SQEIODrain        SQEFlags = 1 << 1 // IOSQE_IO_DRAIN: start only after all earlier SQEs complete (5.2)
	SQEIOLink         SQEFlags = 1 << 2 // IOSQE_IO_LINK: the next SQE starts only if this one succeeds (5.3)
	SQEIOHardlink     SQEFlags = 1 << 3 // IOSQE_IO_HARDLINK: link not severed by failure (5.5)
	SQEAsync          SQEFlags = 1 << 4 // IOSQE_ASYNC: punt to io-wq at once (5.6)
	SQEBufferSelect   SQEFlags = 1 << 5 // IOSQE_BUFFER_SELECT: pick a provided buffer from buf_group (5.7)
	SQECQESkipSuccess SQEFlags = 1 << 6 // IOSQE_CQE_SKIP_SUCCESS: post no CQE on success (5.17)
)

// CQE flags (cqe->flags).
const (
	CQEFBuffer       uint32 = 1 << 0  // IORING_CQE_F_BUFFER: upper 16 bits hold the buffer id (5.7)
	CQEFMore         uint32 = 1 << 1  // IORING_CQE_F_MORE: more CQEs follow for this SQE (5.13)
	CQEFSockNonempty uint32 = 1 << 2  // IORING_CQE_F_SOCK_NONEMPTY: the socket has more data (5.19)
	CQEFNotif        uint32 = 1 << 3  // IORING_CQE_F_NOTIF: zero-copy send notification (6.0)
	CQEFBufMore      uint32 = 1 << 4  // IORING_CQE_F_BUF_MORE: incremental buffer will be used again (6.12)
	CQEFSkip         uint32 = 1 << 5  // IORING_CQE_F_SKIP: CQE_MIXED filler, ignore (6.18)
	CQEF32           uint32 = 1 << 15 // IORING_CQE_F_32: CQE_MIXED 32-byte CQE (6.18)
	CQEBufferShift          = 16      // IORING_CQE_BUFFER_SHIFT
)

// SQ ring flags (kernel-written, *(sq_ring + sq_off.flags)).
const (
	SQNeedWakeup uint32 = 1 << 0 // IORING_SQ_NEED_WAKEUP (5.1)
	SQCQOverflow uint32 = 1 << 1 // IORING_SQ_CQ_OVERFLOW (5.8)
	SQTaskrun    uint32 = 1 << 2 // IORING_SQ_TASKRUN (5.19)
)

// CQ ring flags (application-written, *(cq_ring + cq_off.flags)).
const (
	CQEventfdDisabled uint32 = 1 << 0 // IORING_CQ_EVENTFD_DISABLED (5.8)
)

// mmap offsets.
const (
	offSQRing    = 0x0        // IORING_OFF_SQ_RING
	offCQRing    = 0x8000000  // IORING_OFF_CQ_RING
	offSQEs      = 0x10000000 // IORING_OFF_SQES
	offPbufRing  = 0x80000000 // IORING_OFF_PBUF_RING (6.4)
	offPbufShift = 16         // IORING_OFF_PBUF_SHIFT
)

// Timeout flags (sqe->timeout_flags for TIMEOUT, LINK_TIMEOUT, TIMEOUT_REMOVE).
const (
	TimeoutAbs          uint32 = 1 << 0 // IORING_TIMEOUT_ABS (5.4)
	TimeoutUpdate       uint32 = 1 << 1 // IORING_TIMEOUT_UPDATE (5.11)
	TimeoutBoottime     uint32 = 1 << 2 // IORING_TIMEOUT_BOOTTIME (5.15)
	TimeoutRealtime     uint32 = 1 << 3 // IORING_TIMEOUT_REALTIME (5.15)
	LinkTimeoutUpdate   uint32 = 1 << 4 // IORING_LINK_TIMEOUT_UPDATE (5.15)
	TimeoutETimeSuccess uint32 = 1 << 5 // IORING_TIMEOUT_ETIME_SUCCESS (5.16)
	TimeoutMultishot    uint32 = 1 << 6 // IORING_TIMEOUT_MULTISHOT (6.4)
	TimeoutClockMask           = TimeoutBoottime | TimeoutRealtime
	TimeoutUpdateMask          = TimeoutUpdate | LinkTimeoutUpdate
)

// Cancel flags (sqe->cancel_flags for ASYNC_CANCEL and REGISTER_SYNC_CANCEL).
const (
	CancelAll      uint32 = 1 << 0 // IORING_ASYNC_CANCEL_ALL (5.19)
	CancelFd       uint32 = 1 << 1 // IORING_ASYNC_CANCEL_FD (5.19)
	CancelAny      uint32 = 1 << 2 // IORING_ASYNC_CANCEL_ANY (5.19)
	CancelFdFixed  uint32 = 1 << 3 // IORING_ASYNC_CANCEL_FD_FIXED (6.0)
	CancelUserData uint32 = 1 << 4 // IORING_ASYNC_CANCEL_USERDATA (6.6)
	CancelOp       uint32 = 1 << 5 // IORING_ASYNC_CANCEL_OP (6.6)
)

// Poll command flags (sqe->len for POLL_ADD and POLL_REMOVE).
const (
	PollAddMulti       uint32 = 1 << 0 // IORING_POLL_ADD_MULTI (5.13)
	PollUpdateEvents   uint32 = 1 << 1 // IORING_POLL_UPDATE_EVENTS (5.13)
	PollUpdateUserData uint32 = 1 << 2 // IORING_POLL_UPDATE_USER_DATA (5.13)
	PollAddLevel       uint32 = 1 << 3 // IORING_POLL_ADD_LEVEL (6.0)
)

// Accept flags (sqe->ioprio for ACCEPT).
const (
	AcceptMultishot uint16 = 1 << 0 // IORING_ACCEPT_MULTISHOT (5.19)
	AcceptDontwait  uint16 = 1 << 1 // IORING_ACCEPT_DONTWAIT (6.10)
	AcceptPollFirst uint16 = 1 << 2 // IORING_ACCEPT_POLL_FIRST (6.10)
)

// Send/recv flags (sqe->ioprio for SEND, RECV, SENDMSG, RECVMSG, SEND_ZC, SENDMSG_ZC).
const (
	RecvSendPollFirst  uint16 = 1 << 0  // IORING_RECVSEND_POLL_FIRST (5.19)
	RecvMultishot      uint16 = 1 << 1  // IORING_RECV_MULTISHOT (6.0)
	RecvSendFixedBuf   uint16 = 1 << 2  // IORING_RECVSEND_FIXED_BUF (6.0)
	SendZCReportUsage  uint16 = 1 << 3  // IORING_SEND_ZC_REPORT_USAGE (6.2)
	RecvSendBundle     uint16 = 1 << 4  // IORING_RECVSEND_BUNDLE (6.10)
	SendVectorized     uint16 = 1 << 5  // IORING_SEND_VECTORIZED (6.17)
	NotifUsageZCCopied uint32 = 1 << 31 // IORING_NOTIF_USAGE_ZC_COPIED, in the NOTIF CQE's res (6.2)
)

// MSG_RING commands (sqe->addr) and flags (sqe->msg_ring_flags).
const (
	MsgData          uint64 = 0      // IORING_MSG_DATA (5.18)
	MsgSendFd        uint64 = 1      // IORING_MSG_SEND_FD (6.0)
	MsgRingCQESkip   uint32 = 1 << 0 // IORING_MSG_RING_CQE_SKIP (6.0)
	MsgRingFlagsPass uint32 = 1 << 1 // IORING_MSG_RING_FLAGS_PASS (6.3)
)

// Other per-opcode flags and special values.
const (
	FsyncDatasync         uint32 = 1 << 0     // IORING_FSYNC_DATASYNC (5.1)
	SpliceFFdInFixed      uint32 = 1 << 31    // SPLICE_F_FD_IN_FIXED (5.7)
	FileIndexAlloc        uint32 = ^uint32(0) // IORING_FILE_INDEX_ALLOC (5.19)
	FixedFdNoCloexec      uint32 = 1 << 0     // IORING_FIXED_FD_NO_CLOEXEC (6.8)
	URingCmdFixed         uint32 = 1 << 0     // IORING_URING_CMD_FIXED (6.1)
	NopInjectResult       uint32 = 1 << 0     // IORING_NOP_INJECT_RESULT (6.10)
	NopFile               uint32 = 1 << 1     // IORING_NOP_FILE
	NopFixedFile          uint32 = 1 << 2     // IORING_NOP_FIXED_FILE
	NopFixedBuffer        uint32 = 1 << 3     // IORING_NOP_FIXED_BUFFER
	NopTW                 uint32 = 1 << 4     // IORING_NOP_TW
	NopCQE32              uint32 = 1 << 5     // IORING_NOP_CQE32 (6.18, CQE_MIXED rings)
	RWAttrFlagPI          uint64 = 1 << 0     // IORING_RW_ATTR_FLAG_PI (6.14)
	PbufRingMmap          uint16 = 1          // IOU_PBUF_RING_MMAP (6.4)
	PbufRingInc           uint16 = 2          // IOU_PBUF_RING_INC (6.12)
	RsrcRegisterSparse    uint32 = 1 << 0     // IORING_RSRC_REGISTER_SPARSE (5.19)
	RegisterFilesSkip     int32  = -2         // IORING_REGISTER_FILES_SKIP (5.12)
	RegisterSrcRegistered uint32 = 1 << 0     // IORING_REGISTER_SRC_REGISTERED (6.12)
	RegisterDstReplace    uint32 = 1 << 1     // IORING_REGISTER_DST_REPLACE (6.13)
	MemRegionTypeUser     uint32 = 1          // IORING_MEM_REGION_TYPE_USER (6.13)
	MemRegionRegWaitArg   uint64 = 1          // IORING_MEM_REGION_REG_WAIT_ARG (6.13)
	RegWaitTS             uint32 = 1 << 0     // IORING_REG_WAIT_TS (6.13)
)

// Socket URING_CMD operations (sqe->cmd_op for IORING_OP_URING_CMD on a socket).
const (
	SocketURingOpSIOCINQ     uint32 = 0 // SOCKET_URING_OP_SIOCINQ (6.7)
	SocketURingOpSIOCOUTQ    uint32 = 1 // SOCKET_URING_OP_SIOCOUTQ (6.7)
	SocketURingOpGetsockopt  uint32 = 2 // SOCKET_URING_OP_GETSOCKOPT (6.7)
	SocketURingOpSetsockopt  uint32 = 3 // SOCKET_URING_OP_SETSOCKOPT (6.7)
	SocketURingOpTxTimestamp uint32 = 4 // SOCKET_URING_OP_TX_TIMESTAMP (6.17)
)

// Restriction kinds (io_uring_restriction.opcode).
const (
	RestrictionRegisterOp       uint16 = 0 // IORING_RESTRICTION_REGISTER_OP
	RestrictionSQEOp            uint16 = 1 // IORING_RESTRICTION_SQE_OP
	RestrictionSQEFlagsAllowed  uint16 = 2 // IORING_RESTRICTION_SQE_FLAGS_ALLOWED
	RestrictionSQEFlagsRequired uint16 = 3 // IORING_RESTRICTION_SQE_FLAGS_REQUIRED
)

// io-wq worker kinds (index into the IOWQ_MAX_WORKERS pair).
const (
	IOWQBound   = 0 // IO_WQ_BOUND
	IOWQUnbound = 1 // IO_WQ_UNBOUND
)

// NAPI register opcodes and tracking strategies (io_uring_napi.opcode / op_param).
const (
	NapiRegisterOp       uint8  = 0   // IO_URING_NAPI_REGISTER_OP
	NapiStaticAddID      uint8  = 1   // IO_URING_NAPI_STATIC_ADD_ID
	NapiStaticDelID      uint8  = 2   // IO_URING_NAPI_STATIC_DEL_ID
	NapiTrackingDynamic  uint32 = 0   // IO_URING_NAPI_TRACKING_DYNAMIC
	NapiTrackingStatic   uint32 = 1   // IO_URING_NAPI_TRACKING_STATIC
	NapiTrackingInactive uint32 = 255 // IO_URING_NAPI_TRACKING_INACTIVE
)

// Query operations (io_uring_query_hdr.query_op).
const (
	QueryOpcodes uint32 = 0 // IO_URING_QUERY_OPCODES (6.18)
)

// probeOpSupported is IO_URING_OP_SUPPORTED in io_uring_probe_op.flags.
const probeOpSupported = 1 << 0

// registerUseRegisteredRing is IORING_REGISTER_USE_REGISTERED_RING (6.3),
// OR'd into the register opcode when fd is a registered-ring index.
const registerUseRegisteredRing = 1 << 31
