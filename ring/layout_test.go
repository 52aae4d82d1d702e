package ring

import (
	"reflect"
	"testing"
	"unsafe"

	"github.com/google/go-cmp/cmp"
)

// Kernel-free tests: every uapi struct's size and every field's offset and
// size are pinned to ../shared/reference/kernel-interface.md, section 6
// (x86_64; arm64 has the same LP64 layout). A wrong field fails here before
// any kernel sees it.

// field is one struct member: its Go name, byte offset and size.
type field struct {
	Name      string
	Off, Size uintptr
}

// layout is a struct's size and its members in declaration order.
type layout struct {
	Size   uintptr
	Fields []field
}

// layoutOf reads the layout of v's type. reflect's StructField.Offset is
// unsafe.Offsetof and Type.Size is unsafe.Sizeof.
func layoutOf(v any) layout {
	t := reflect.TypeOf(v)
	l := layout{Size: t.Size()}
	for i := range t.NumField() {
		f := t.Field(i)
		l.Fields = append(l.Fields, field{f.Name, f.Offset, f.Type.Size()})
	}
	return l
}

// alias is a union member the Go struct does not name: it must lie inside
// the Go field that carries it.
type alias struct {
	Name      string // the kernel's name
	Off, Size uintptr
	In        string // the Go field
}

func TestStructLayout(t *testing.T) {
	tests := []struct {
		name    string // kernel struct
		got     any
		want    layout
		aliases []alias
	}{
		{"io_uring_sqe", SQE{}, layout{64, []field{
			{"Opcode", 0, 1}, {"Flags", 1, 1}, {"IoPrio", 2, 2}, {"Fd", 4, 4},
			{"Off", 8, 8}, {"Addr", 16, 8}, {"Len", 24, 4}, {"OpFlags", 28, 4},
			{"UserData", 32, 8}, {"BufIndex", 40, 2}, {"Personality", 42, 2},
			{"SpliceFdIn", 44, 4}, {"Addr3", 48, 8}, {"Pad2", 56, 8},
		}}, []alias{
			{"addr2", 8, 8, "Off"}, {"cmd_op", 8, 4, "Off"}, {"__pad1", 12, 4, "Off"},
			{"splice_off_in", 16, 8, "Addr"}, {"level", 16, 4, "Addr"}, {"optname", 20, 4, "Addr"},
			{"rw_flags", 28, 4, "OpFlags"}, {"fsync_flags", 28, 4, "OpFlags"},
			{"poll_events", 28, 2, "OpFlags"}, {"poll32_events", 28, 4, "OpFlags"},
			{"sync_range_flags", 28, 4, "OpFlags"}, {"msg_flags", 28, 4, "OpFlags"},
			{"timeout_flags", 28, 4, "OpFlags"}, {"accept_flags", 28, 4, "OpFlags"},
			{"cancel_flags", 28, 4, "OpFlags"}, {"open_flags", 28, 4, "OpFlags"},
			{"statx_flags", 28, 4, "OpFlags"}, {"fadvise_advice", 28, 4, "OpFlags"},
			{"splice_flags", 28, 4, "OpFlags"}, {"rename_flags", 28, 4, "OpFlags"},
			{"unlink_flags", 28, 4, "OpFlags"}, {"hardlink_flags", 28, 4, "OpFlags"},
			{"xattr_flags", 28, 4, "OpFlags"}, {"msg_ring_flags", 28, 4, "OpFlags"},
			{"uring_cmd_flags", 28, 4, "OpFlags"}, {"waitid_flags", 28, 4, "OpFlags"},
			{"futex_flags", 28, 4, "OpFlags"}, {"install_fd_flags", 28, 4, "OpFlags"},
			{"nop_flags", 28, 4, "OpFlags"}, {"pipe_flags", 28, 4, "OpFlags"},
			{"buf_group", 40, 2, "BufIndex"}, {"file_index", 44, 4, "SpliceFdIn"},
			{"zcrx_ifq_idx", 44, 4, "SpliceFdIn"}, {"optlen", 44, 4, "SpliceFdIn"},
			{"addr_len", 44, 2, "SpliceFdIn"}, {"__pad3", 46, 2, "SpliceFdIn"},
			{"attr_ptr", 48, 8, "Addr3"}, {"optval", 48, 8, "Addr3"},
			{"attr_type_mask", 56, 8, "Pad2"},
		}},
		{"io_uring_sqe (SQE128)", SQE128{}, layout{128, []field{{"SQE", 0, 64}, {"Ext", 64, 64}}}, nil},
		{"io_uring_cqe", CQE{}, layout{16, []field{{"UserData", 0, 8}, {"Res", 8, 4}, {"Flags", 12, 4}}}, nil},
		{"io_uring_cqe (CQE32)", CQE32{}, layout{32, []field{{"CQE", 0, 16}, {"Big", 16, 16}}}, nil},
		{"io_sqring_offsets", SQRingOffsets{}, layout{40, []field{
			{"Head", 0, 4}, {"Tail", 4, 4}, {"RingMask", 8, 4}, {"RingEntries", 12, 4},
			{"Flags", 16, 4}, {"Dropped", 20, 4}, {"Array", 24, 4}, {"Resv1", 28, 4}, {"UserAddr", 32, 8},
		}}, nil},
		{"io_cqring_offsets", CQRingOffsets{}, layout{40, []field{
			{"Head", 0, 4}, {"Tail", 4, 4}, {"RingMask", 8, 4}, {"RingEntries", 12, 4},
			{"Overflow", 16, 4}, {"CQEs", 20, 4}, {"Flags", 24, 4}, {"Resv1", 28, 4}, {"UserAddr", 32, 8},
		}}, nil},
		{"io_uring_params", Params{}, layout{120, []field{
			{"SQEntries", 0, 4}, {"CQEntries", 4, 4}, {"Flags", 8, 4}, {"SQThreadCPU", 12, 4},
			{"SQThreadIdle", 16, 4}, {"Features", 20, 4}, {"WQFd", 24, 4}, {"Resv", 28, 12},
			{"SQOff", 40, 40}, {"CQOff", 80, 40},
		}}, nil},
		{"io_uring_probe_op", ProbeOp{}, layout{8, []field{{"Op", 0, 1}, {"Resv", 1, 1}, {"Flags", 2, 2}, {"Resv2", 4, 4}}}, nil},
		{"io_uring_probe", probeHeader{}, layout{16, []field{{"LastOp", 0, 1}, {"OpsLen", 1, 1}, {"Resv", 2, 2}, {"Resv2", 4, 12}}}, nil},
		{"io_uring_buf", Buf{}, layout{16, []field{{"Addr", 0, 8}, {"Len", 8, 4}, {"Bid", 12, 2}, {"Resv", 14, 2}}}, nil},
		{"io_uring_buf_ring", BufRing{}, layout{16, []field{{"Resv1", 0, 8}, {"Resv2", 8, 4}, {"Resv3", 12, 2}, {"Tail", 14, 2}}}, nil},
		// 6.18 has resv[3] after flags; min_left (offset 16) is newer.
		{"io_uring_buf_reg", BufReg{}, layout{40, []field{{"RingAddr", 0, 8}, {"RingEntries", 8, 4}, {"Bgid", 12, 2}, {"Flags", 14, 2}, {"Resv", 16, 24}}}, nil},
		{"io_uring_buf_status", BufStatus{}, layout{40, []field{{"BufGroup", 0, 4}, {"Head", 4, 4}, {"Resv", 8, 32}}}, nil},
		{"io_uring_rsrc_register", RsrcRegister{}, layout{32, []field{{"Nr", 0, 4}, {"Flags", 4, 4}, {"Resv2", 8, 8}, {"Data", 16, 8}, {"Tags", 24, 8}}}, nil},
		{"io_uring_rsrc_update", RsrcUpdate{}, layout{16, []field{{"Offset", 0, 4}, {"Resv", 4, 4}, {"Data", 8, 8}}}, nil},
		{"io_uring_rsrc_update2", RsrcUpdate2{}, layout{32, []field{{"Offset", 0, 4}, {"Resv", 4, 4}, {"Data", 8, 8}, {"Tags", 16, 8}, {"Nr", 24, 4}, {"Resv2", 28, 4}}}, nil},
		{"io_uring_files_update", FilesUpdate{}, layout{16, []field{{"Offset", 0, 4}, {"Resv", 4, 4}, {"Fds", 8, 8}}}, nil},
		{"__kernel_timespec", Timespec{}, layout{16, []field{{"Sec", 0, 8}, {"Nsec", 8, 8}}}, nil},
		{"io_uring_sync_cancel_reg", SyncCancelReg{}, layout{64, []field{
			{"Addr", 0, 8}, {"Fd", 8, 4}, {"Flags", 12, 4}, {"Timeout", 16, 16}, {"Opcode", 32, 1}, {"Pad", 33, 7}, {"Pad2", 40, 24},
		}}, nil},
		{"io_uring_getevents_arg", GeteventsArg{}, layout{24, []field{{"Sigmask", 0, 8}, {"SigmaskSz", 8, 4}, {"MinWaitUsec", 12, 4}, {"Ts", 16, 8}}}, nil},
		{"io_uring_reg_wait", RegWait{}, layout{64, []field{
			{"Ts", 0, 16}, {"MinWaitUsec", 16, 4}, {"Flags", 20, 4}, {"Sigmask", 24, 8}, {"SigmaskSz", 32, 4}, {"Pad", 36, 12}, {"Pad2", 48, 16},
		}}, nil},
		{"io_uring_region_desc", RegionDesc{}, layout{64, []field{
			{"UserAddr", 0, 8}, {"Size", 8, 8}, {"Flags", 16, 4}, {"ID", 20, 4}, {"MmapOffset", 24, 8}, {"Resv", 32, 32},
		}}, nil},
		{"io_uring_mem_region_reg", MemRegionReg{}, layout{32, []field{{"RegionUptr", 0, 8}, {"Flags", 8, 8}, {"Resv", 16, 16}}}, nil},
		{"io_uring_file_index_range", FileIndexRange{}, layout{16, []field{{"Off", 0, 4}, {"Len", 4, 4}, {"Resv", 8, 8}}}, nil},
		{"io_uring_restriction", Restriction{}, layout{16, []field{{"Opcode", 0, 2}, {"Arg", 2, 1}, {"Resv", 3, 1}, {"Resv2", 4, 12}}},
			[]alias{{"register_op", 2, 1, "Arg"}, {"sqe_op", 2, 1, "Arg"}, {"sqe_flags", 2, 1, "Arg"}}},
		// The 6.13+ kernel layout (section 6 notes): opcode and op_param
		// replaced part of liburing's pad[3]/resv.
		{"io_uring_napi", Napi{}, layout{16, []field{
			{"BusyPollTo", 0, 4}, {"PreferBusyPoll", 4, 1}, {"Opcode", 5, 1}, {"Pad", 6, 2}, {"OpParam", 8, 4}, {"Resv", 12, 4},
		}}, nil},
		{"io_uring_clock_register", ClockRegister{}, layout{16, []field{{"ClockID", 0, 4}, {"Resv", 4, 12}}}, nil},
		{"io_uring_clone_buffers", CloneBuffers{}, layout{32, []field{
			{"SrcFd", 0, 4}, {"Flags", 4, 4}, {"SrcOff", 8, 4}, {"DstOff", 12, 4}, {"Nr", 16, 4}, {"Pad", 20, 12},
		}}, nil},
		{"io_uring_recvmsg_out", RecvmsgOut{}, layout{16, []field{{"Namelen", 0, 4}, {"Controllen", 4, 4}, {"Payloadlen", 8, 4}, {"Flags", 12, 4}}}, nil},
		{"io_uring_attr_pi", AttrPI{}, layout{32, []field{
			{"Flags", 0, 2}, {"AppTag", 2, 2}, {"Len", 4, 4}, {"Addr", 8, 8}, {"Seed", 16, 8}, {"Rsvd", 24, 8},
		}}, nil},
		{"io_uring_zcrx_rqe", ZcrxRqe{}, layout{16, []field{{"Off", 0, 8}, {"Len", 8, 4}, {"Pad", 12, 4}}}, nil},
		{"io_uring_zcrx_cqe", ZcrxCqe{}, layout{16, []field{{"Off", 0, 8}, {"Pad", 8, 8}}}, nil},
		{"io_uring_zcrx_offsets", ZcrxOffsets{}, layout{32, []field{{"Head", 0, 4}, {"Tail", 4, 4}, {"Rqes", 8, 4}, {"Resv2", 12, 4}, {"Resv", 16, 16}}}, nil},
		{"io_uring_zcrx_area_reg", ZcrxAreaReg{}, layout{48, []field{
			{"Addr", 0, 8}, {"Len", 8, 8}, {"RqAreaToken", 16, 8}, {"Flags", 24, 4}, {"DmabufFd", 28, 4}, {"Resv2", 32, 16},
		}}, nil},
		// rx_buf_len (offset 68) is post-6.18: Resv2 there.
		{"io_uring_zcrx_ifq_reg", ZcrxIfqReg{}, layout{96, []field{
			{"IfIdx", 0, 4}, {"IfRxq", 4, 4}, {"RqEntries", 8, 4}, {"Flags", 12, 4}, {"AreaPtr", 16, 8},
			{"RegionPtr", 24, 8}, {"Offsets", 32, 32}, {"ZcrxID", 64, 4}, {"Resv2", 68, 4}, {"Resv", 72, 24},
		}}, nil},
		{"io_uring_query_hdr", QueryHdr{}, layout{40, []field{
			{"NextEntry", 0, 8}, {"QueryData", 8, 8}, {"QueryOp", 16, 4}, {"Size", 20, 4}, {"Result", 24, 4}, {"Resv", 28, 12},
		}}, nil},
		{"io_uring_query_opcode", QueryOpcode{}, layout{48, []field{
			{"NrRequestOpcodes", 0, 4}, {"NrRegisterOpcodes", 4, 4}, {"FeatureFlags", 8, 8}, {"RingSetupFlags", 16, 8},
			{"EnterFlags", 24, 8}, {"SQEFlags", 32, 8}, {"NrQueryOpcodes", 40, 4}, {"Pad", 44, 4},
		}}, nil},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			got := layoutOf(tt.got)
			if diff := cmp.Diff(tt.want, got); diff != "" {
				t.Errorf("%s layout mismatch (-want +got):\n%s", tt.name, diff)
			}
			for _, a := range tt.aliases {
				f, ok := reflect.TypeOf(tt.got).FieldByName(a.In)
				if !ok {
					t.Errorf("%s: no Go field %s for %s", tt.name, a.In, a.Name)
					continue
				}
				if a.Off < f.Offset || a.Off+a.Size > f.Offset+f.Type.Size() {
					t.Errorf("%s.%s at [%d,%d) is not inside %s at [%d,%d)", tt.name, a.Name,
						a.Off, a.Off+a.Size, a.In, f.Offset, f.Offset+f.Type.Size())
				}
			}
		})
	}
}

// TestSQESizes pins the slot sizes the ring code derives from the flags.
func TestSQESizes(t *testing.T) {
	got := []uintptr{unsafe.Sizeof(SQE{}), unsafe.Sizeof(SQE128{}), unsafe.Sizeof(CQE{}), unsafe.Sizeof(CQE32{}),
		sqeSize(0), sqeSize(SetupSQE128), cqeSize(0), cqeSize(SetupCQE32)}
	want := []uintptr{64, 128, 16, 32, 64, 128, 16, 32}
	if diff := cmp.Diff(want, got); diff != "" {
		t.Errorf("slot sizes (-want +got):\n%s", diff)
	}
	// The 128-byte SQE's cmd area is 80 bytes from offset 48 (Addr3).
	if off, end := unsafe.Offsetof(SQE{}.Addr3), unsafe.Sizeof(SQE128{}); end-off != 80 {
		t.Errorf("SQE128 cmd area = %d bytes from %d, want 80 from 48", end-off, off)
	}
}

// TestConstants pins the uapi constants to the values in the reference
// (sections 1-5). Each table maps the kernel's name to the Go value.
func TestConstants(t *testing.T) {
	t.Run("opcodes", func(t *testing.T) {
		names := []string{
			"NOP", "READV", "WRITEV", "FSYNC", "READ_FIXED", "WRITE_FIXED", "POLL_ADD", "POLL_REMOVE",
			"SYNC_FILE_RANGE", "SENDMSG", "RECVMSG", "TIMEOUT", "TIMEOUT_REMOVE", "ACCEPT", "ASYNC_CANCEL",
			"LINK_TIMEOUT", "CONNECT", "FALLOCATE", "OPENAT", "CLOSE", "FILES_UPDATE", "STATX", "READ",
			"WRITE", "FADVISE", "MADVISE", "SEND", "RECV", "OPENAT2", "EPOLL_CTL", "SPLICE",
			"PROVIDE_BUFFERS", "REMOVE_BUFFERS", "TEE", "SHUTDOWN", "RENAMEAT", "UNLINKAT", "MKDIRAT",
			"SYMLINKAT", "LINKAT", "MSG_RING", "FSETXATTR", "SETXATTR", "FGETXATTR", "GETXATTR", "SOCKET",
			"URING_CMD", "SEND_ZC", "SENDMSG_ZC", "READ_MULTISHOT", "WAITID", "FUTEX_WAIT", "FUTEX_WAKE",
			"FUTEX_WAITV", "FIXED_FD_INSTALL", "FTRUNCATE", "BIND", "LISTEN", "RECV_ZC", "EPOLL_WAIT",
			"READV_FIXED", "WRITEV_FIXED", "PIPE",
		}
		want := map[string]Op{}
		for i, n := range names {
			want[n] = Op(i) // enum io_uring_op: NOP = 0 ... PIPE = 62
		}
		got := map[string]Op{
			"NOP": OpNop, "READV": OpReadv, "WRITEV": OpWritev, "FSYNC": OpFsync, "READ_FIXED": OpReadFixed,
			"WRITE_FIXED": OpWriteFixed, "POLL_ADD": OpPollAdd, "POLL_REMOVE": OpPollRemove,
			"SYNC_FILE_RANGE": OpSyncFileRange, "SENDMSG": OpSendmsg, "RECVMSG": OpRecvmsg, "TIMEOUT": OpTimeout,
			"TIMEOUT_REMOVE": OpTimeoutRemove, "ACCEPT": OpAccept, "ASYNC_CANCEL": OpAsyncCancel,
			"LINK_TIMEOUT": OpLinkTimeout, "CONNECT": OpConnect, "FALLOCATE": OpFallocate, "OPENAT": OpOpenat,
			"CLOSE": OpClose, "FILES_UPDATE": OpFilesUpdate, "STATX": OpStatx, "READ": OpRead, "WRITE": OpWrite,
			"FADVISE": OpFadvise, "MADVISE": OpMadvise, "SEND": OpSend, "RECV": OpRecv, "OPENAT2": OpOpenat2,
			"EPOLL_CTL": OpEpollCtl, "SPLICE": OpSplice, "PROVIDE_BUFFERS": OpProvideBuffers,
			"REMOVE_BUFFERS": OpRemoveBuffers, "TEE": OpTee, "SHUTDOWN": OpShutdown, "RENAMEAT": OpRenameat,
			"UNLINKAT": OpUnlinkat, "MKDIRAT": OpMkdirat, "SYMLINKAT": OpSymlinkat, "LINKAT": OpLinkat,
			"MSG_RING": OpMsgRing, "FSETXATTR": OpFsetxattr, "SETXATTR": OpSetxattr, "FGETXATTR": OpFgetxattr,
			"GETXATTR": OpGetxattr, "SOCKET": OpSocket, "URING_CMD": OpURingCmd, "SEND_ZC": OpSendZC,
			"SENDMSG_ZC": OpSendmsgZC, "READ_MULTISHOT": OpReadMultishot, "WAITID": OpWaitid,
			"FUTEX_WAIT": OpFutexWait, "FUTEX_WAKE": OpFutexWake, "FUTEX_WAITV": OpFutexWaitv,
			"FIXED_FD_INSTALL": OpFixedFdInstall, "FTRUNCATE": OpFtruncate, "BIND": OpBind, "LISTEN": OpListen,
			"RECV_ZC": OpRecvZC, "EPOLL_WAIT": OpEpollWait, "READV_FIXED": OpReadvFixed,
			"WRITEV_FIXED": OpWritevFixed, "PIPE": OpPipe,
		}
		if diff := cmp.Diff(want, got); diff != "" {
			t.Errorf("opcodes (-want +got):\n%s", diff)
		}
		if OpLast != 63 {
			t.Errorf("OpLast = %d, want 63 (IORING_OP_LAST on 6.18)", OpLast)
		}
		var gotNames []string
		for op := range OpLast {
			gotNames = append(gotNames, op.String())
		}
		if diff := cmp.Diff(names, gotNames); diff != "" {
			t.Errorf("Op.String (-want +got):\n%s", diff)
		}
	})
	t.Run("setup flags", func(t *testing.T) {
		got := map[string]uint64{
			"IOPOLL": uint64(SetupIOPoll), "SQPOLL": uint64(SetupSQPoll), "SQ_AFF": uint64(SetupSQAff),
			"CQSIZE": uint64(SetupCQSize), "CLAMP": uint64(SetupClamp), "ATTACH_WQ": uint64(SetupAttachWQ),
			"R_DISABLED": uint64(SetupRDisabled), "SUBMIT_ALL": uint64(SetupSubmitAll),
			"COOP_TASKRUN": uint64(SetupCoopTaskrun), "TASKRUN_FLAG": uint64(SetupTaskrunFlag),
			"SQE128": uint64(SetupSQE128), "CQE32": uint64(SetupCQE32), "SINGLE_ISSUER": uint64(SetupSingleIssuer),
			"DEFER_TASKRUN": uint64(SetupDeferTaskrun), "NO_MMAP": uint64(SetupNoMmap),
			"REGISTERED_FD_ONLY": uint64(SetupRegisteredFdOnly), "NO_SQARRAY": uint64(SetupNoSQArray),
			"HYBRID_IOPOLL": uint64(SetupHybridIOPoll), "CQE_MIXED": uint64(SetupCQEMixed),
			"known mask": uint64(setupFlagsKnown),
		}
		want := map[string]uint64{
			"IOPOLL": 0x1, "SQPOLL": 0x2, "SQ_AFF": 0x4, "CQSIZE": 0x8, "CLAMP": 0x10, "ATTACH_WQ": 0x20,
			"R_DISABLED": 0x40, "SUBMIT_ALL": 0x80, "COOP_TASKRUN": 0x100, "TASKRUN_FLAG": 0x200,
			"SQE128": 0x400, "CQE32": 0x800, "SINGLE_ISSUER": 0x1000, "DEFER_TASKRUN": 0x2000,
			"NO_MMAP": 0x4000, "REGISTERED_FD_ONLY": 0x8000, "NO_SQARRAY": 0x10000,
			"HYBRID_IOPOLL": 0x20000, "CQE_MIXED": 0x40000,
			"known mask": 0x7ffff, // QUERY's ring_setup_flags on 6.18
		}
		if diff := cmp.Diff(want, got); diff != "" {
			t.Errorf("setup flags (-want +got):\n%s", diff)
		}
	})
	t.Run("features", func(t *testing.T) {
		got := []Features{FeatSingleMmap, FeatNoDrop, FeatSubmitStable, FeatRWCurPos, FeatCurPersonality,
			FeatFastPoll, FeatPoll32Bits, FeatSQPollNonfixed, FeatExtArg, FeatNativeWorkers, FeatRsrcTags,
			FeatCQESkip, FeatLinkedFile, FeatRegRegRing, FeatRecvSendBundle, FeatMinTimeout, FeatRWAttr, FeatNoIOWait}
		var want []Features
		for i := range 18 {
			want = append(want, 1<<i) // IORING_FEAT_SINGLE_MMAP = 1<<0 ... NO_IOWAIT = 1<<17
		}
		if diff := cmp.Diff(want, got); diff != "" {
			t.Errorf("features (-want +got):\n%s", diff)
		}
		if s := Features(0x3ffff).String(); s != "SINGLE_MMAP|NODROP|SUBMIT_STABLE|RW_CUR_POS|CUR_PERSONALITY|FAST_POLL|"+
			"POLL_32BITS|SQPOLL_NONFIXED|EXT_ARG|NATIVE_WORKERS|RSRC_TAGS|CQE_SKIP|LINKED_FILE|REG_REG_RING|"+
			"RECVSEND_BUNDLE|MIN_TIMEOUT|RW_ATTR|NO_IOWAIT" {
			t.Errorf("Features(0x3ffff).String() = %q", s)
		}
	})
	t.Run("enter flags", func(t *testing.T) {
		got := []EnterFlags{EnterGetEvents, EnterSQWakeup, EnterSQWait, EnterExtArg, EnterRegisteredRing,
			EnterAbsTimer, EnterExtArgReg, EnterNoIOWait}
		want := []EnterFlags{1, 2, 4, 8, 16, 32, 64, 128}
		if diff := cmp.Diff(want, got); diff != "" {
			t.Errorf("enter flags (-want +got):\n%s", diff)
		}
	})
	t.Run("SQE and CQE flags", func(t *testing.T) {
		got := map[string]uint64{
			"IOSQE_FIXED_FILE": uint64(SQEFixedFile), "IOSQE_IO_DRAIN": uint64(SQEIODrain),
			"IOSQE_IO_LINK": uint64(SQEIOLink), "IOSQE_IO_HARDLINK": uint64(SQEIOHardlink),
			"IOSQE_ASYNC": uint64(SQEAsync), "IOSQE_BUFFER_SELECT": uint64(SQEBufferSelect),
			"IOSQE_CQE_SKIP_SUCCESS": uint64(SQECQESkipSuccess),
			"IORING_CQE_F_BUFFER":    uint64(CQEFBuffer), "IORING_CQE_F_MORE": uint64(CQEFMore),
			"IORING_CQE_F_SOCK_NONEMPTY": uint64(CQEFSockNonempty), "IORING_CQE_F_NOTIF": uint64(CQEFNotif),
			"IORING_CQE_F_BUF_MORE": uint64(CQEFBufMore), "IORING_CQE_F_SKIP": uint64(CQEFSkip),
			"IORING_CQE_F_32": uint64(CQEF32), "IORING_CQE_BUFFER_SHIFT": CQEBufferShift,
			"IORING_SQ_NEED_WAKEUP": uint64(SQNeedWakeup), "IORING_SQ_CQ_OVERFLOW": uint64(SQCQOverflow),
			"IORING_SQ_TASKRUN": uint64(SQTaskrun), "IORING_CQ_EVENTFD_DISABLED": uint64(CQEventfdDisabled),
			"IORING_OFF_SQ_RING": offSQRing, "IORING_OFF_CQ_RING": offCQRing, "IORING_OFF_SQES": offSQEs,
			"IORING_OFF_PBUF_RING": offPbufRing, "IORING_OFF_PBUF_SHIFT": offPbufShift,
			"IO_URING_OP_SUPPORTED": probeOpSupported, "IORING_REGISTER_USE_REGISTERED_RING": registerUseRegisteredRing,
		}
		want := map[string]uint64{
			"IOSQE_FIXED_FILE": 1, "IOSQE_IO_DRAIN": 2, "IOSQE_IO_LINK": 4, "IOSQE_IO_HARDLINK": 8,
			"IOSQE_ASYNC": 16, "IOSQE_BUFFER_SELECT": 32, "IOSQE_CQE_SKIP_SUCCESS": 64,
			"IORING_CQE_F_BUFFER": 1, "IORING_CQE_F_MORE": 2, "IORING_CQE_F_SOCK_NONEMPTY": 4,
			"IORING_CQE_F_NOTIF": 8, "IORING_CQE_F_BUF_MORE": 16, "IORING_CQE_F_SKIP": 32,
			"IORING_CQE_F_32": 1 << 15, "IORING_CQE_BUFFER_SHIFT": 16,
			"IORING_SQ_NEED_WAKEUP": 1, "IORING_SQ_CQ_OVERFLOW": 2, "IORING_SQ_TASKRUN": 4,
			"IORING_CQ_EVENTFD_DISABLED": 1,
			"IORING_OFF_SQ_RING":         0, "IORING_OFF_CQ_RING": 0x8000000, "IORING_OFF_SQES": 0x10000000,
			"IORING_OFF_PBUF_RING": 0x80000000, "IORING_OFF_PBUF_SHIFT": 16,
			"IO_URING_OP_SUPPORTED": 1, "IORING_REGISTER_USE_REGISTERED_RING": 1 << 31,
		}
		if diff := cmp.Diff(want, got); diff != "" {
			t.Errorf("SQE/CQE/ring flags (-want +got):\n%s", diff)
		}
	})
	t.Run("register opcodes", func(t *testing.T) {
		got := []RegisterOp{RegisterBuffers, UnregisterBuffers, RegisterFiles, UnregisterFiles,
			RegisterEventfd, UnregisterEventfd, RegisterFilesUpdate, RegisterEventfdAsync, RegisterProbe,
			RegisterPersonality, UnregisterPersonality, RegisterRestrictions, RegisterEnableRings,
			RegisterFiles2, RegisterFilesUpdate2, RegisterBuffers2, RegisterBuffersUpdate, RegisterIOWQAff,
			UnregisterIOWQAff, RegisterIOWQMaxWorkers, RegisterRingFds, UnregisterRingFds, RegisterPbufRing,
			UnregisterPbufRing, RegisterSyncCancel, RegisterFileAllocRange, RegisterPbufStatus, RegisterNapi,
			UnregisterNapi, RegisterClock, RegisterCloneBuffers, RegisterSendMsgRing, RegisterZcrxIfq,
			RegisterResizeRings, RegisterMemRegion, RegisterQuery}
		var want []RegisterOp
		for i := range 36 {
			want = append(want, RegisterOp(i)) // IORING_REGISTER_BUFFERS = 0 ... QUERY = 35
		}
		if diff := cmp.Diff(want, got); diff != "" {
			t.Errorf("register opcodes (-want +got):\n%s", diff)
		}
	})
	t.Run("per-opcode flags", func(t *testing.T) {
		got := map[string]uint64{
			"TIMEOUT_ABS": uint64(TimeoutAbs), "TIMEOUT_UPDATE": uint64(TimeoutUpdate),
			"TIMEOUT_BOOTTIME": uint64(TimeoutBoottime), "TIMEOUT_REALTIME": uint64(TimeoutRealtime),
			"LINK_TIMEOUT_UPDATE": uint64(LinkTimeoutUpdate), "TIMEOUT_ETIME_SUCCESS": uint64(TimeoutETimeSuccess),
			"TIMEOUT_MULTISHOT": uint64(TimeoutMultishot),
			"ASYNC_CANCEL_ALL":  uint64(CancelAll), "ASYNC_CANCEL_FD": uint64(CancelFd),
			"ASYNC_CANCEL_ANY": uint64(CancelAny), "ASYNC_CANCEL_FD_FIXED": uint64(CancelFdFixed),
			"ASYNC_CANCEL_USERDATA": uint64(CancelUserData), "ASYNC_CANCEL_OP": uint64(CancelOp),
			"POLL_ADD_MULTI": uint64(PollAddMulti), "POLL_UPDATE_EVENTS": uint64(PollUpdateEvents),
			"POLL_UPDATE_USER_DATA": uint64(PollUpdateUserData), "POLL_ADD_LEVEL": uint64(PollAddLevel),
			"ACCEPT_MULTISHOT": uint64(AcceptMultishot), "ACCEPT_DONTWAIT": uint64(AcceptDontwait),
			"ACCEPT_POLL_FIRST":   uint64(AcceptPollFirst),
			"RECVSEND_POLL_FIRST": uint64(RecvSendPollFirst), "RECV_MULTISHOT": uint64(RecvMultishot),
			"RECVSEND_FIXED_BUF": uint64(RecvSendFixedBuf), "SEND_ZC_REPORT_USAGE": uint64(SendZCReportUsage),
			"RECVSEND_BUNDLE": uint64(RecvSendBundle), "SEND_VECTORIZED": uint64(SendVectorized),
			"NOTIF_USAGE_ZC_COPIED": uint64(NotifUsageZCCopied),
			"MSG_DATA":              MsgData, "MSG_SEND_FD": MsgSendFd, "MSG_RING_CQE_SKIP": uint64(MsgRingCQESkip),
			"MSG_RING_FLAGS_PASS": uint64(MsgRingFlagsPass),
			"FSYNC_DATASYNC":      uint64(FsyncDatasync), "SPLICE_F_FD_IN_FIXED": uint64(SpliceFFdInFixed),
			"FILE_INDEX_ALLOC": uint64(FileIndexAlloc), "FIXED_FD_NO_CLOEXEC": uint64(FixedFdNoCloexec),
			"URING_CMD_FIXED": uint64(URingCmdFixed), "NOP_INJECT_RESULT": uint64(NopInjectResult),
			"NOP_FILE": uint64(NopFile), "NOP_FIXED_FILE": uint64(NopFixedFile),
			"NOP_FIXED_BUFFER": uint64(NopFixedBuffer), "NOP_TW": uint64(NopTW), "NOP_CQE32": uint64(NopCQE32),
			"RW_ATTR_FLAG_PI": RWAttrFlagPI, "IOU_PBUF_RING_MMAP": uint64(PbufRingMmap),
			"IOU_PBUF_RING_INC": uint64(PbufRingInc), "RSRC_REGISTER_SPARSE": uint64(RsrcRegisterSparse),
			"REGISTER_SRC_REGISTERED": uint64(RegisterSrcRegistered), "REGISTER_DST_REPLACE": uint64(RegisterDstReplace),
			"MEM_REGION_TYPE_USER": uint64(MemRegionTypeUser), "MEM_REGION_REG_WAIT_ARG": MemRegionRegWaitArg,
			"REG_WAIT_TS":             uint64(RegWaitTS),
			"SOCKET_URING_OP_SIOCINQ": uint64(SocketURingOpSIOCINQ), "SOCKET_URING_OP_SIOCOUTQ": uint64(SocketURingOpSIOCOUTQ),
			"SOCKET_URING_OP_GETSOCKOPT": uint64(SocketURingOpGetsockopt), "SOCKET_URING_OP_SETSOCKOPT": uint64(SocketURingOpSetsockopt),
			"SOCKET_URING_OP_TX_TIMESTAMP": uint64(SocketURingOpTxTimestamp),
			"RESTRICTION_REGISTER_OP":      uint64(RestrictionRegisterOp), "RESTRICTION_SQE_OP": uint64(RestrictionSQEOp),
			"RESTRICTION_SQE_FLAGS_ALLOWED":  uint64(RestrictionSQEFlagsAllowed),
			"RESTRICTION_SQE_FLAGS_REQUIRED": uint64(RestrictionSQEFlagsRequired),
			"IO_WQ_BOUND":                    IOWQBound, "IO_WQ_UNBOUND": IOWQUnbound,
			"NAPI_REGISTER_OP": uint64(NapiRegisterOp), "NAPI_STATIC_ADD_ID": uint64(NapiStaticAddID),
			"NAPI_STATIC_DEL_ID": uint64(NapiStaticDelID), "NAPI_TRACKING_DYNAMIC": uint64(NapiTrackingDynamic),
			"NAPI_TRACKING_STATIC": uint64(NapiTrackingStatic), "NAPI_TRACKING_INACTIVE": uint64(NapiTrackingInactive),
			"QUERY_OPCODES": uint64(QueryOpcodes),
		}
		want := map[string]uint64{
			"TIMEOUT_ABS": 1, "TIMEOUT_UPDATE": 2, "TIMEOUT_BOOTTIME": 4, "TIMEOUT_REALTIME": 8,
			"LINK_TIMEOUT_UPDATE": 16, "TIMEOUT_ETIME_SUCCESS": 32, "TIMEOUT_MULTISHOT": 64,
			"ASYNC_CANCEL_ALL": 1, "ASYNC_CANCEL_FD": 2, "ASYNC_CANCEL_ANY": 4, "ASYNC_CANCEL_FD_FIXED": 8,
			"ASYNC_CANCEL_USERDATA": 16, "ASYNC_CANCEL_OP": 32,
			"POLL_ADD_MULTI": 1, "POLL_UPDATE_EVENTS": 2, "POLL_UPDATE_USER_DATA": 4, "POLL_ADD_LEVEL": 8,
			"ACCEPT_MULTISHOT": 1, "ACCEPT_DONTWAIT": 2, "ACCEPT_POLL_FIRST": 4,
			"RECVSEND_POLL_FIRST": 1, "RECV_MULTISHOT": 2, "RECVSEND_FIXED_BUF": 4, "SEND_ZC_REPORT_USAGE": 8,
			"RECVSEND_BUNDLE": 16, "SEND_VECTORIZED": 32, "NOTIF_USAGE_ZC_COPIED": 1 << 31,
			"MSG_DATA": 0, "MSG_SEND_FD": 1, "MSG_RING_CQE_SKIP": 1, "MSG_RING_FLAGS_PASS": 2,
			"FSYNC_DATASYNC": 1, "SPLICE_F_FD_IN_FIXED": 1 << 31, "FILE_INDEX_ALLOC": 0xffffffff,
			"FIXED_FD_NO_CLOEXEC": 1, "URING_CMD_FIXED": 1, "NOP_INJECT_RESULT": 1, "NOP_FILE": 2,
			"NOP_FIXED_FILE": 4, "NOP_FIXED_BUFFER": 8, "NOP_TW": 16, "NOP_CQE32": 32,
			"RW_ATTR_FLAG_PI": 1, "IOU_PBUF_RING_MMAP": 1, "IOU_PBUF_RING_INC": 2, "RSRC_REGISTER_SPARSE": 1,
			"REGISTER_SRC_REGISTERED": 1, "REGISTER_DST_REPLACE": 2, "MEM_REGION_TYPE_USER": 1,
			"MEM_REGION_REG_WAIT_ARG": 1, "REG_WAIT_TS": 1,
			"SOCKET_URING_OP_SIOCINQ": 0, "SOCKET_URING_OP_SIOCOUTQ": 1, "SOCKET_URING_OP_GETSOCKOPT": 2,
			"SOCKET_URING_OP_SETSOCKOPT": 3, "SOCKET_URING_OP_TX_TIMESTAMP": 4,
			"RESTRICTION_REGISTER_OP": 0, "RESTRICTION_SQE_OP": 1, "RESTRICTION_SQE_FLAGS_ALLOWED": 2,
			"RESTRICTION_SQE_FLAGS_REQUIRED": 3, "IO_WQ_BOUND": 0, "IO_WQ_UNBOUND": 1,
			"NAPI_REGISTER_OP": 0, "NAPI_STATIC_ADD_ID": 1, "NAPI_STATIC_DEL_ID": 2,
			"NAPI_TRACKING_DYNAMIC": 0, "NAPI_TRACKING_STATIC": 1, "NAPI_TRACKING_INACTIVE": 255,
			"QUERY_OPCODES": 0,
		}
		if diff := cmp.Diff(want, got); diff != "" {
			t.Errorf("per-opcode flags (-want +got):\n%s", diff)
		}
		if RegisterFilesSkip != -2 {
			t.Errorf("RegisterFilesSkip = %d, want -2 (IORING_REGISTER_FILES_SKIP)", RegisterFilesSkip)
		}
	})
}
