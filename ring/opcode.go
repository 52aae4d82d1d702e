package ring

//go:generate go test -run TestDocsOpcodesTable -update-opcodes-doc .

// Op is an io_uring opcode (enum io_uring_op, sqe->opcode).
type Op uint8

// IORING_OP_* opcodes implemented by Linux 6.18 (0-62).
const (
	OpNop            Op = iota // IORING_OP_NOP
	OpReadv                    // IORING_OP_READV
	OpWritev                   // IORING_OP_WRITEV
	OpFsync                    // IORING_OP_FSYNC
	OpReadFixed                // IORING_OP_READ_FIXED
	OpWriteFixed               // IORING_OP_WRITE_FIXED
	OpPollAdd                  // IORING_OP_POLL_ADD
	OpPollRemove               // IORING_OP_POLL_REMOVE
	OpSyncFileRange            // IORING_OP_SYNC_FILE_RANGE
	OpSendmsg                  // IORING_OP_SENDMSG
	OpRecvmsg                  // IORING_OP_RECVMSG
	OpTimeout                  // IORING_OP_TIMEOUT
	OpTimeoutRemove            // IORING_OP_TIMEOUT_REMOVE
	OpAccept                   // IORING_OP_ACCEPT
	OpAsyncCancel              // IORING_OP_ASYNC_CANCEL
	OpLinkTimeout              // IORING_OP_LINK_TIMEOUT
	OpConnect                  // IORING_OP_CONNECT
	OpFallocate                // IORING_OP_FALLOCATE
	OpOpenat                   // IORING_OP_OPENAT
	OpClose                    // IORING_OP_CLOSE
	OpFilesUpdate              // IORING_OP_FILES_UPDATE
	OpStatx                    // IORING_OP_STATX
	OpRead                     // IORING_OP_READ
	OpWrite                    // IORING_OP_WRITE
	OpFadvise                  // IORING_OP_FADVISE
	OpMadvise                  // IORING_OP_MADVISE
	OpSend                     // IORING_OP_SEND
	OpRecv                     // IORING_OP_RECV
	OpOpenat2                  // IORING_OP_OPENAT2
	OpEpollCtl                 // IORING_OP_EPOLL_CTL
	OpSplice                   // IORING_OP_SPLICE
	OpProvideBuffers           // IORING_OP_PROVIDE_BUFFERS
	OpRemoveBuffers            // IORING_OP_REMOVE_BUFFERS
	OpTee                      // IORING_OP_TEE
	OpShutdown                 // IORING_OP_SHUTDOWN
	OpRenameat                 // IORING_OP_RENAMEAT
	OpUnlinkat                 // IORING_OP_UNLINKAT
	OpMkdirat                  // IORING_OP_MKDIRAT
	OpSymlinkat                // IORING_OP_SYMLINKAT
	OpLinkat                   // IORING_OP_LINKAT
	OpMsgRing                  // IORING_OP_MSG_RING
	OpFsetxattr                // IORING_OP_FSETXATTR
	OpSetxattr                 // IORING_OP_SETXATTR
	OpFgetxattr                // IORING_OP_FGETXATTR
	OpGetxattr                 // IORING_OP_GETXATTR
	OpSocket                   // IORING_OP_SOCKET
	OpURingCmd                 // IORING_OP_URING_CMD
	OpSendZC                   // IORING_OP_SEND_ZC
	OpSendmsgZC                // IORING_OP_SENDMSG_ZC
	OpReadMultishot            // IORING_OP_READ_MULTISHOT
	OpWaitid                   // IORING_OP_WAITID
	OpFutexWait                // IORING_OP_FUTEX_WAIT
	OpFutexWake                // IORING_OP_FUTEX_WAKE
	OpFutexWaitv               // IORING_OP_FUTEX_WAITV
	OpFixedFdInstall           // IORING_OP_FIXED_FD_INSTALL
	OpFtruncate                // IORING_OP_FTRUNCATE
	OpBind                     // IORING_OP_BIND
	OpListen                   // IORING_OP_LISTEN
	OpRecvZC                   // IORING_OP_RECV_ZC
	OpEpollWait                // IORING_OP_EPOLL_WAIT
	OpReadvFixed               // IORING_OP_READV_FIXED
	OpWritevFixed              // IORING_OP_WRITEV_FIXED
	OpPipe                     // IORING_OP_PIPE

	// OpLast is one past the last opcode this package knows (IORING_OP_LAST on 6.18).
	OpLast
)

// KernelVersion is a Linux kernel version, major.minor.
type KernelVersion struct{ Major, Minor int }

// String formats the version as "6.18".
func (v KernelVersion) String() string { return itoa(int64(v.Major)) + "." + itoa(int64(v.Minor)) }

// opFacts holds what the library knows about one opcode. It is the one table
// the preps, the probe errors, the docs (docs/opcodes.md, checked by
// TestDocsOpcodesTable) and the tests (TestPrepFieldsMatchFacts, TestOpcodes)
// draw on.
type opFacts struct {
	name     string        // name without the IORING_OP_ prefix; also its TestOpcodes subtest
	kernel   KernelVersion // first kernel that implements it
	preps    []string      // the SQE methods that prepare it
	fields   sqeFields     // the SQE fields its preps may set (besides flags, user_data, personality)
	res      string        // what a successful CQE's res means
	cqeFlags uint32        // the IORING_CQE_F_* flags its CQEs can carry
	proof    string        // what TestOpcodes/<name> shows the kernel did
}

// sqeFields is a set of SQE fields, named after the SQE struct's fields.
type sqeFields uint16

const (
	fFd sqeFields = 1 << iota
	fOff
	fAddr
	fLen
	fOpFlags
	fIoPrio
	fBufIndex
	fSpliceFdIn
	fAddr3
	fPad2
)

var sqeFieldNames = [...]string{"Fd", "Off", "Addr", "Len", "OpFlags", "IoPrio", "BufIndex", "SpliceFdIn", "Addr3", "Pad2"}

// String lists the fields, e.g. "Fd|Addr|Len".
func (f sqeFields) String() string { return bitNames(uint64(f), sqeFieldNames[:]) }

var opTable = [OpLast]opFacts{
	OpNop: {
		name: "NOP", kernel: KernelVersion{5, 1}, fields: fLen | fOpFlags, cqeFlags: 0,
		preps: []string{"PrepNop", "PrepNopInject"},
		res:   "0, or the injected result",
		proof: "a NOP completes with res 0, and PrepNopInject(-EIO) with EIO",
	},
	OpReadv: {
		name: "READV", kernel: KernelVersion{5, 1}, fields: fFd | fAddr | fLen | fOff | fOpFlags, cqeFlags: 0,
		preps: []string{"PrepReadv"},
		res:   "bytes read",
		proof: "the bytes read into two iovecs equal the file's; a bad fd gives EBADF",
	},
	OpWritev: {
		name: "WRITEV", kernel: KernelVersion{5, 1}, fields: fFd | fAddr | fLen | fOff | fOpFlags, cqeFlags: 0,
		preps: []string{"PrepWritev"},
		res:   "bytes written",
		proof: "the file holds the bytes written from two iovecs",
	},
	OpFsync: {
		name: "FSYNC", kernel: KernelVersion{5, 1}, fields: fFd | fOpFlags, cqeFlags: 0,
		preps: []string{"PrepFsync"},
		res:   "0",
		proof: "fsync and fdatasync (FsyncDatasync) of a written file succeed; a bad fd gives EBADF",
	},
	OpReadFixed: {
		name: "READ_FIXED", kernel: KernelVersion{5, 1}, fields: fFd | fAddr | fLen | fOff | fBufIndex, cqeFlags: 0,
		preps: []string{"PrepReadFixed"},
		res:   "bytes read",
		proof: "the bytes read into a registered buffer equal the file's",
	},
	OpWriteFixed: {
		name: "WRITE_FIXED", kernel: KernelVersion{5, 1}, fields: fFd | fAddr | fLen | fOff | fBufIndex, cqeFlags: 0,
		preps: []string{"PrepWriteFixed"},
		res:   "bytes written",
		proof: "the file holds the bytes written from a registered buffer",
	},
	OpPollAdd: {
		name: "POLL_ADD", kernel: KernelVersion{5, 1}, fields: fFd | fLen | fOpFlags, cqeFlags: CQEFMore,
		preps: []string{"PrepPollAdd", "PrepPollMultishot"},
		res:   "ready events mask",
		proof: "one-shot poll reports POLLIN on a readable pipe; multishot posts two CQEs with F_MORE and ends without it when removed",
	},
	OpPollRemove: {
		name: "POLL_REMOVE", kernel: KernelVersion{5, 1}, fields: fFd | fAddr | fOff | fLen | fOpFlags, cqeFlags: 0,
		preps: []string{"PrepPollRemove", "PrepPollUpdate"},
		res:   "0, -ENOENT",
		proof: "removing an armed poll gives 0 and the poll -ECANCELED; an update changes its user_data; an unknown target gives ENOENT",
	},
	OpSyncFileRange: {
		name: "SYNC_FILE_RANGE", kernel: KernelVersion{5, 2}, fields: fFd | fOff | fLen | fOpFlags, cqeFlags: 0,
		preps: []string{"PrepSyncFileRange"},
		res:   "0",
		proof: "sync_file_range of a written file succeeds; a bad fd gives EBADF",
	},
	OpSendmsg: {
		name: "SENDMSG", kernel: KernelVersion{5, 3}, fields: fFd | fAddr | fLen | fOpFlags, cqeFlags: 0,
		preps: []string{"PrepSendmsg"},
		res:   "bytes sent",
		proof: "the peer of a socket pair reads the bytes sent",
	},
	OpRecvmsg: {
		name: "RECVMSG", kernel: KernelVersion{5, 3}, fields: fFd | fAddr | fLen | fOpFlags | fIoPrio | fBufIndex, cqeFlags: CQEFMore | CQEFBuffer | CQEFSockNonempty,
		preps: []string{"PrepRecvmsg", "PrepRecvmsgMultishot"},
		res:   "bytes received",
		proof: "the bytes received equal the bytes the peer sent; multishot posts a RecvmsgOut-prefixed buffer per datagram with F_MORE and ends without it when cancelled",
	},
	OpTimeout: {
		name: "TIMEOUT", kernel: KernelVersion{5, 4}, fields: fFd | fAddr | fLen | fOff | fOpFlags, cqeFlags: CQEFMore,
		preps: []string{"PrepTimeout"},
		res:   "-ETIME on expiry, 0 on count",
		proof: "1 ms timeouts (relative, ABS, BOOTTIME, ABS|REALTIME) give ETIME and BOOTTIME|REALTIME EINVAL; with ETIME_SUCCESS a linked NOP still runs; a count timeout completes with 0 after a NOP; multishot fires 3 times, F_MORE on the first two",
	},
	OpTimeoutRemove: {
		name: "TIMEOUT_REMOVE", kernel: KernelVersion{5, 5}, fields: fFd | fAddr | fOff | fOpFlags, cqeFlags: 0,
		preps: []string{"PrepTimeoutRemove", "PrepTimeoutUpdate", "PrepLinkTimeoutUpdate"},
		res:   "0, -ENOENT, -EALREADY",
		proof: "removing an armed timeout gives 0 and the timeout ECANCELED; an update re-arms it to expire; a linked timeout updated to 1 ms fires; an unknown target gives ENOENT",
	},
	OpAccept: {
		name: "ACCEPT", kernel: KernelVersion{5, 5}, fields: fFd | fAddr | fOff | fOpFlags | fIoPrio | fSpliceFdIn, cqeFlags: CQEFMore,
		preps: []string{"PrepAccept", "PrepAcceptDirect", "PrepAcceptMultishot", "PrepAcceptMultishotDirect"},
		res:   "new fd (or slot)",
		proof: "the accepted fd carries the client's data and the peer address is the client's; a direct accept's slot sends to its client; multishot accepts two connections with F_MORE and ends when cancelled; multishot direct fills the free slot; DONTWAIT gives EAGAIN with no client, POLL_FIRST still accepts",
	},
	OpAsyncCancel: {
		name: "ASYNC_CANCEL", kernel: KernelVersion{5, 5}, fields: fFd | fAddr | fLen | fOpFlags, cqeFlags: 0,
		preps: []string{"PrepCancel", "PrepCancelFd", "PrepCancelFixedFd", "PrepCancelOp", "PrepCancelAny"},
		res:   "0 or count, -ENOENT, -EALREADY",
		proof: "cancel by user_data, fd, fixed fd and opcode each end a blocked read with ECANCELED; ANY|ALL cancels two reads and counts them; no match gives ENOENT",
	},
	OpLinkTimeout: {
		name: "LINK_TIMEOUT", kernel: KernelVersion{5, 5}, fields: fFd | fAddr | fLen | fOpFlags, cqeFlags: 0,
		preps: []string{"PrepLinkTimeout"},
		res:   "-ETIME if fired, -ECANCELED if not",
		proof: "a read of an empty pipe linked to a 1 ms timeout ends ECANCELED, the timeout ETIME; a NOP finishing first disarms it (ECANCELED)",
	},
	OpConnect: {
		name: "CONNECT", kernel: KernelVersion{5, 5}, fields: fFd | fAddr | fOff, cqeFlags: 0,
		preps: []string{"PrepConnect"},
		res:   "0",
		proof: "a socket connected to a listener carries data to the accepted end; a bad fd gives EBADF",
	},
	OpFallocate: {
		name: "FALLOCATE", kernel: KernelVersion{5, 6}, fields: fFd | fLen | fOff | fAddr, cqeFlags: 0,
		preps: []string{"PrepFallocate"},
		res:   "0",
		proof: "the file's size after fallocate is the requested length",
	},
	OpOpenat: {
		name: "OPENAT", kernel: KernelVersion{5, 6}, fields: fFd | fAddr | fLen | fOpFlags | fSpliceFdIn, cqeFlags: 0,
		preps: []string{"PrepOpenat", "PrepOpenatDirect"},
		res:   "new fd (or slot)",
		proof: "the opened fd reads the file's bytes; direct opens (a chosen slot and FILE_INDEX_ALLOC) are readable through their slots; a missing file gives ENOENT",
	},
	OpClose: {
		name: "CLOSE", kernel: KernelVersion{5, 6}, fields: fFd | fSpliceFdIn, cqeFlags: 0,
		preps: []string{"PrepClose", "PrepCloseDirect"},
		res:   "0",
		proof: "the closed fd is gone (fcntl and a second close give EBADF); after closing a direct slot, reads through it give EBADF",
	},
	OpFilesUpdate: {
		name: "FILES_UPDATE", kernel: KernelVersion{5, 6}, fields: fFd | fAddr | fLen | fOff, cqeFlags: 0,
		preps: []string{"PrepFilesUpdate"},
		res:   "slots updated",
		proof: "a file put in a sparse table, at an offset and with FILE_INDEX_ALLOC, is readable through its slot",
	},
	OpStatx: {
		name: "STATX", kernel: KernelVersion{5, 6}, fields: fFd | fAddr | fLen | fOff | fOpFlags, cqeFlags: 0,
		preps: []string{"PrepStatx"},
		res:   "0",
		proof: "statx size, mode and inode agree with os.Stat",
	},
	OpRead: {
		name: "READ", kernel: KernelVersion{5, 6}, fields: fFd | fAddr | fLen | fOff | fBufIndex, cqeFlags: CQEFBuffer,
		preps: []string{"PrepRead", "PrepReadSelect"},
		res:   "bytes read",
		proof: "the bytes read equal the file's; with a provided buffer the CQE names the buffer; a bad fd gives EBADF",
	},
	OpWrite: {
		name: "WRITE", kernel: KernelVersion{5, 6}, fields: fFd | fAddr | fLen | fOff, cqeFlags: 0,
		preps: []string{"PrepWrite"},
		res:   "bytes written",
		proof: "the file holds the bytes written; a bad fd gives EBADF",
	},
	OpFadvise: {
		name: "FADVISE", kernel: KernelVersion{5, 6}, fields: fFd | fOff | fLen | fOpFlags, cqeFlags: 0,
		preps: []string{"PrepFadvise"},
		res:   "0",
		proof: "FADV_DONTNEED on a file succeeds; a bad fd gives EBADF",
	},
	OpMadvise: {
		name: "MADVISE", kernel: KernelVersion{5, 6}, fields: fFd | fAddr | fLen | fOpFlags, cqeFlags: 0,
		preps: []string{"PrepMadvise"},
		res:   "0",
		proof: "MADV_DONTNEED zeroes the pages of an anonymous private mapping",
	},
	OpSend: {
		name: "SEND", kernel: KernelVersion{5, 6}, fields: fFd | fAddr | fLen | fOff | fOpFlags | fIoPrio | fBufIndex | fSpliceFdIn, cqeFlags: CQEFBuffer,
		preps: []string{"PrepSend", "PrepSendto", "PrepSendv", "PrepSendBundle"},
		res:   "bytes sent",
		proof: "the peer reads what send, vectorized send, sendto (UDP) and a bundle of two ring-provided buffers sent; a bad fd gives EBADF",
	},
	OpRecv: {
		name: "RECV", kernel: KernelVersion{5, 6}, fields: fFd | fAddr | fLen | fOpFlags | fIoPrio | fBufIndex, cqeFlags: CQEFMore | CQEFBuffer | CQEFSockNonempty | CQEFBufMore,
		preps: []string{"PrepRecv", "PrepRecvSelect", "PrepRecvMultishot", "PrepRecvBundle"},
		res:   "bytes received",
		proof: "recv gets the bytes sent, also with POLL_FIRST and into a selected provided buffer; a bundle fills several ring-provided buffers; multishot posts a CQE with F_MORE per message and ends without it at the peer's shutdown, also as a multishot bundle",
	},
	OpOpenat2: {
		name: "OPENAT2", kernel: KernelVersion{5, 6}, fields: fFd | fAddr | fLen | fOff | fSpliceFdIn, cqeFlags: 0,
		preps: []string{"PrepOpenat2", "PrepOpenat2Direct"},
		res:   "new fd (or slot)",
		proof: "the fd openat2 returns reads the file's bytes; a direct open fills a slot, and O_CLOEXEC with it gives EINVAL",
	},
	OpEpollCtl: {
		name: "EPOLL_CTL", kernel: KernelVersion{5, 6}, fields: fFd | fAddr | fLen | fOff, cqeFlags: 0,
		preps: []string{"PrepEpollCtl"},
		res:   "0",
		proof: "a readable pipe added with EPOLL_CTL is reported by epoll_wait(2); adding it twice gives EEXIST",
	},
	OpSplice: {
		name: "SPLICE", kernel: KernelVersion{5, 7}, fields: fFd | fOff | fAddr | fLen | fOpFlags | fSpliceFdIn, cqeFlags: 0,
		preps: []string{"PrepSplice"},
		res:   "bytes moved",
		proof: "bytes spliced from a file into a pipe read back equal; a fixed input fd (SpliceFFdInFixed) works",
	},
	OpProvideBuffers: {
		name: "PROVIDE_BUFFERS", kernel: KernelVersion{5, 7}, fields: fFd | fAddr | fLen | fOff | fBufIndex, cqeFlags: 0,
		preps: []string{"PrepProvideBuffers"},
		res:   "0",
		proof: "a buffer-select read lands in the provided buffer it names",
	},
	OpRemoveBuffers: {
		name: "REMOVE_BUFFERS", kernel: KernelVersion{5, 7}, fields: fFd | fBufIndex, cqeFlags: 0,
		preps: []string{"PrepRemoveBuffers"},
		res:   "buffers removed",
		proof: "removing provided buffers reports their count; a later buffer-select read gives ENOBUFS",
	},
	OpTee: {
		name: "TEE", kernel: KernelVersion{5, 8}, fields: fFd | fLen | fOpFlags | fSpliceFdIn, cqeFlags: 0,
		preps: []string{"PrepTee"},
		res:   "bytes duplicated",
		proof: "both pipes then hold the same bytes",
	},
	OpShutdown: {
		name: "SHUTDOWN", kernel: KernelVersion{5, 11}, fields: fFd | fLen, cqeFlags: 0,
		preps: []string{"PrepShutdown"},
		res:   "0",
		proof: "after SHUT_WR the peer reads end of file",
	},
	OpRenameat: {
		name: "RENAMEAT", kernel: KernelVersion{5, 11}, fields: fFd | fAddr | fLen | fOff | fOpFlags, cqeFlags: 0,
		preps: []string{"PrepRenameat"},
		res:   "0",
		proof: "the old name is gone and the new one has the content",
	},
	OpUnlinkat: {
		name: "UNLINKAT", kernel: KernelVersion{5, 11}, fields: fFd | fAddr | fOpFlags, cqeFlags: 0,
		preps: []string{"PrepUnlinkat"},
		res:   "0",
		proof: "the file is gone; AT_REMOVEDIR removes a directory; a missing name gives ENOENT",
	},
	OpMkdirat: {
		name: "MKDIRAT", kernel: KernelVersion{5, 15}, fields: fFd | fAddr | fLen, cqeFlags: 0,
		preps: []string{"PrepMkdirat"},
		res:   "0",
		proof: "the directory exists with mode 0700; making it again gives EEXIST",
	},
	OpSymlinkat: {
		name: "SYMLINKAT", kernel: KernelVersion{5, 15}, fields: fFd | fAddr | fOff, cqeFlags: 0,
		preps: []string{"PrepSymlinkat"},
		res:   "0",
		proof: "os.Readlink returns the target",
	},
	OpLinkat: {
		name: "LINKAT", kernel: KernelVersion{5, 15}, fields: fFd | fAddr | fLen | fOff | fOpFlags, cqeFlags: 0,
		preps: []string{"PrepLinkat"},
		res:   "0",
		proof: "both names are the same inode",
	},
	OpMsgRing: {
		name: "MSG_RING", kernel: KernelVersion{5, 18}, fields: fFd | fAddr | fLen | fOff | fOpFlags | fSpliceFdIn | fAddr3, cqeFlags: 0,
		preps: []string{"PrepMsgRing", "PrepMsgRingCQEFlags", "PrepMsgRingFd"},
		res:   "0",
		proof: "the other ring gets a CQE with the res, user_data and flags sent; a passed direct fd reads the file there; a non-ring fd gives EBADFD",
	},
	OpFsetxattr: {
		name: "FSETXATTR", kernel: KernelVersion{5, 19}, fields: fFd | fAddr | fOff | fLen | fOpFlags, cqeFlags: 0,
		preps: []string{"PrepFsetxattr"},
		res:   "0",
		proof: "a user.* xattr set on an fd reads back with getxattr(2)",
	},
	OpSetxattr: {
		name: "SETXATTR", kernel: KernelVersion{5, 19}, fields: fAddr | fOff | fLen | fOpFlags | fAddr3, cqeFlags: 0,
		preps: []string{"PrepSetxattr"},
		res:   "0",
		proof: "a user.* xattr set by path reads back with getxattr(2); XATTR_CREATE on an existing name gives EEXIST",
	},
	OpFgetxattr: {
		name: "FGETXATTR", kernel: KernelVersion{5, 19}, fields: fFd | fAddr | fOff | fLen, cqeFlags: 0,
		preps: []string{"PrepFgetxattr"},
		res:   "value length",
		proof: "the value read equals the one setxattr(2) set; a missing name gives ENODATA",
	},
	OpGetxattr: {
		name: "GETXATTR", kernel: KernelVersion{5, 19}, fields: fAddr | fOff | fLen | fAddr3, cqeFlags: 0,
		preps: []string{"PrepGetxattr"},
		res:   "value length",
		proof: "the value read by path equals the one setxattr(2) set",
	},
	OpSocket: {
		name: "SOCKET", kernel: KernelVersion{5, 19}, fields: fFd | fOff | fLen | fSpliceFdIn, cqeFlags: 0,
		preps: []string{"PrepSocket", "PrepSocketDirect"},
		res:   "new fd (or slot)",
		proof: "the socket's SO_TYPE and SO_DOMAIN are the ones asked for; a direct socket fills a free slot that FIXED_FD_INSTALL turns into that socket; a bad domain gives EAFNOSUPPORT",
	},
	OpURingCmd: {
		name: "URING_CMD", kernel: KernelVersion{5, 19}, fields: fFd | fOff | fAddr | fSpliceFdIn | fAddr3 | fPad2, cqeFlags: 0,
		preps: []string{"PrepURingCmd", "PrepSiocinq", "PrepSiocoutq", "PrepGetsockopt", "PrepSetsockopt"},
		res:   "command-defined",
		proof: "SIOCINQ counts the bytes queued on a TCP socket, SIOCOUTQ is 0, setsockopt SO_KEEPALIVE is seen by getsockopt(2), the getsockopt command reads SO_TYPE, and another level gives EOPNOTSUPP",
	},
	OpSendZC: {
		name: "SEND_ZC", kernel: KernelVersion{6, 0}, fields: fFd | fAddr | fLen | fOpFlags | fIoPrio | fBufIndex, cqeFlags: CQEFMore | CQEFNotif,
		preps: []string{"PrepSendZC", "PrepSendZCFixed"},
		res:   "bytes sent, then notification",
		proof: "the peer reads the bytes; a second CQE with F_NOTIF follows the first with F_MORE; from a registered buffer with REPORT_USAGE the notification reports the loopback copy",
	},
	OpSendmsgZC: {
		name: "SENDMSG_ZC", kernel: KernelVersion{6, 1}, fields: fFd | fAddr | fLen | fOpFlags, cqeFlags: CQEFMore | CQEFNotif,
		preps: []string{"PrepSendmsgZC"},
		res:   "bytes sent, then notification",
		proof: "the peer reads the bytes; the F_NOTIF CQE follows",
	},
	OpReadMultishot: {
		name: "READ_MULTISHOT", kernel: KernelVersion{6, 7}, fields: fFd | fLen | fOff | fBufIndex, cqeFlags: CQEFMore | CQEFBuffer,
		preps: []string{"PrepReadMultishot"},
		res:   "bytes read per CQE",
		proof: "two writes to a pipe give two CQEs with F_MORE and the data; closing the write end ends it without F_MORE",
	},
	OpWaitid: {
		name: "WAITID", kernel: KernelVersion{6, 7}, fields: fFd | fLen | fOff | fSpliceFdIn, cqeFlags: 0,
		preps: []string{"PrepWaitid"},
		res:   "0",
		proof: "waitid reaps a child started with os/exec: siginfo has SIGCHLD, CLD_EXITED, its pid and status 0, and wait4 then finds no child",
	},
	OpFutexWait: {
		name: "FUTEX_WAIT", kernel: KernelVersion{6, 7}, fields: fFd | fAddr | fOff | fAddr3, cqeFlags: 0,
		preps: []string{"PrepFutexWait"},
		res:   "0 when woken, -EAGAIN",
		proof: "a waiter stays pending until a FUTEX_WAKE, then completes with 0; a stale value gives EAGAIN",
	},
	OpFutexWake: {
		name: "FUTEX_WAKE", kernel: KernelVersion{6, 7}, fields: fFd | fAddr | fOff | fAddr3, cqeFlags: 0,
		preps: []string{"PrepFutexWake"},
		res:   "waiters woken",
		proof: "waking with no waiter reports 0; waking two waiters reports 2 and both complete",
	},
	OpFutexWaitv: {
		name: "FUTEX_WAITV", kernel: KernelVersion{6, 7}, fields: fAddr | fLen, cqeFlags: 0,
		preps: []string{"PrepFutexWaitv"},
		res:   "index woken",
		proof: "a wait on two futexes reports the index of the one woken",
	},
	OpFixedFdInstall: {
		name: "FIXED_FD_INSTALL", kernel: KernelVersion{6, 8}, fields: fFd | fOpFlags, cqeFlags: 0,
		preps: []string{"PrepFixedFdInstall"},
		res:   "new fd",
		proof: "the installed fd reads the file behind the direct descriptor, with FD_CLOEXEC unless FixedFdNoCloexec",
	},
	OpFtruncate: {
		name: "FTRUNCATE", kernel: KernelVersion{6, 9}, fields: fFd | fOff, cqeFlags: 0,
		preps: []string{"PrepFtruncate"},
		res:   "0",
		proof: "the file is cut to the new length",
	},
	OpBind: {
		name: "BIND", kernel: KernelVersion{6, 11}, fields: fFd | fAddr | fOff, cqeFlags: 0,
		preps: []string{"PrepBind"},
		res:   "0",
		proof: "getsockname shows the address bound",
	},
	OpListen: {
		name: "LISTEN", kernel: KernelVersion{6, 11}, fields: fFd | fLen, cqeFlags: 0,
		preps: []string{"PrepListen"},
		res:   "0",
		proof: "a client connects to the listening socket and its data is accepted",
	},
	OpRecvZC: {
		name: "RECV_ZC", kernel: KernelVersion{6, 15}, fields: fFd | fLen | fIoPrio | fSpliceFdIn, cqeFlags: CQEFMore,
		preps: []string{"PrepRecvZC"},
		res:   "bytes per CQE",
		proof: "skipped: needs a NIC with a zero-copy receive queue (REGISTER_ZCRX_IFQ); the SQE encoding is tested kernel-free",
	},
	OpEpollWait: {
		name: "EPOLL_WAIT", kernel: KernelVersion{6, 15}, fields: fFd | fAddr | fLen, cqeFlags: 0,
		preps: []string{"PrepEpollWait"},
		res:   "events written",
		proof: "epoll_wait stays pending until the pipe is written, then reports its fd with EPOLLIN",
	},
	OpReadvFixed: {
		name: "READV_FIXED", kernel: KernelVersion{6, 15}, fields: fFd | fAddr | fLen | fOff | fOpFlags | fBufIndex, cqeFlags: 0,
		preps: []string{"PrepReadvFixed"},
		res:   "bytes read",
		proof: "the bytes read into iovecs inside a registered buffer equal the file's",
	},
	OpWritevFixed: {
		name: "WRITEV_FIXED", kernel: KernelVersion{6, 15}, fields: fFd | fAddr | fLen | fOff | fOpFlags | fBufIndex, cqeFlags: 0,
		preps: []string{"PrepWritevFixed"},
		res:   "bytes written",
		proof: "the file holds the bytes written from iovecs inside a registered buffer",
	},
	OpPipe: {
		name: "PIPE", kernel: KernelVersion{6, 16}, fields: fAddr | fOpFlags | fSpliceFdIn, cqeFlags: 0,
		preps: []string{"PrepPipe", "PrepPipeDirect"},
		res:   "0",
		proof: "bytes written to the new pipe's write fd come out of its read fd; a direct pipe's two slots carry data",
	},
}

// laterOps names the opcodes added after Linux 6.18, which this package
// has no preps for, so that CheckOp can still say which kernel added them.
var laterOps = [...]struct {
	name   string
	kernel KernelVersion
}{
	{"NOP128", KernelVersion{6, 19}},       // 63: NOP in a 128-byte slot of an SQE_MIXED ring
	{"URING_CMD128", KernelVersion{6, 19}}, // 64: URING_CMD in a 128-byte slot
}

// String returns the opcode's name without the IORING_OP_ prefix, e.g. "READV".
func (op Op) String() string {
	switch {
	case op < OpLast:
		return opTable[op].name
	case int(op-OpLast) < len(laterOps):
		return laterOps[op-OpLast].name
	}
	return "OP(" + itoa(int64(op)) + ")"
}

// Kernel returns the first Linux version that implements the opcode (zero
// if unknown).
func (op Op) Kernel() KernelVersion {
	switch {
	case op < OpLast:
		return opTable[op].kernel
	case int(op-OpLast) < len(laterOps):
		return laterOps[op-OpLast].kernel
	}
	return KernelVersion{}
}
