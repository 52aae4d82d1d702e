package ring

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
// the preps, the probe errors, the docs and the tests draw on.
type opFacts struct {
	name   string        // name without the IORING_OP_ prefix
	kernel KernelVersion // first kernel that implements it
}

var opTable = [OpLast]opFacts{
	OpNop:            {"NOP", KernelVersion{5, 1}},
	OpReadv:          {"READV", KernelVersion{5, 1}},
	OpWritev:         {"WRITEV", KernelVersion{5, 1}},
	OpFsync:          {"FSYNC", KernelVersion{5, 1}},
	OpReadFixed:      {"READ_FIXED", KernelVersion{5, 1}},
	OpWriteFixed:     {"WRITE_FIXED", KernelVersion{5, 1}},
	OpPollAdd:        {"POLL_ADD", KernelVersion{5, 1}},
	OpPollRemove:     {"POLL_REMOVE", KernelVersion{5, 1}},
	OpSyncFileRange:  {"SYNC_FILE_RANGE", KernelVersion{5, 2}},
	OpSendmsg:        {"SENDMSG", KernelVersion{5, 3}},
	OpRecvmsg:        {"RECVMSG", KernelVersion{5, 3}},
	OpTimeout:        {"TIMEOUT", KernelVersion{5, 4}},
	OpTimeoutRemove:  {"TIMEOUT_REMOVE", KernelVersion{5, 5}},
	OpAccept:         {"ACCEPT", KernelVersion{5, 5}},
	OpAsyncCancel:    {"ASYNC_CANCEL", KernelVersion{5, 5}},
	OpLinkTimeout:    {"LINK_TIMEOUT", KernelVersion{5, 5}},
	OpConnect:        {"CONNECT", KernelVersion{5, 5}},
	OpFallocate:      {"FALLOCATE", KernelVersion{5, 6}},
	OpOpenat:         {"OPENAT", KernelVersion{5, 6}},
	OpClose:          {"CLOSE", KernelVersion{5, 6}},
	OpFilesUpdate:    {"FILES_UPDATE", KernelVersion{5, 6}},
	OpStatx:          {"STATX", KernelVersion{5, 6}},
	OpRead:           {"READ", KernelVersion{5, 6}},
	OpWrite:          {"WRITE", KernelVersion{5, 6}},
	OpFadvise:        {"FADVISE", KernelVersion{5, 6}},
	OpMadvise:        {"MADVISE", KernelVersion{5, 6}},
	OpSend:           {"SEND", KernelVersion{5, 6}},
	OpRecv:           {"RECV", KernelVersion{5, 6}},
	OpOpenat2:        {"OPENAT2", KernelVersion{5, 6}},
	OpEpollCtl:       {"EPOLL_CTL", KernelVersion{5, 6}},
	OpSplice:         {"SPLICE", KernelVersion{5, 7}},
	OpProvideBuffers: {"PROVIDE_BUFFERS", KernelVersion{5, 7}},
	OpRemoveBuffers:  {"REMOVE_BUFFERS", KernelVersion{5, 7}},
	OpTee:            {"TEE", KernelVersion{5, 8}},
	OpShutdown:       {"SHUTDOWN", KernelVersion{5, 11}},
	OpRenameat:       {"RENAMEAT", KernelVersion{5, 11}},
	OpUnlinkat:       {"UNLINKAT", KernelVersion{5, 11}},
	OpMkdirat:        {"MKDIRAT", KernelVersion{5, 15}},
	OpSymlinkat:      {"SYMLINKAT", KernelVersion{5, 15}},
	OpLinkat:         {"LINKAT", KernelVersion{5, 15}},
	OpMsgRing:        {"MSG_RING", KernelVersion{5, 18}},
	OpFsetxattr:      {"FSETXATTR", KernelVersion{5, 19}},
	OpSetxattr:       {"SETXATTR", KernelVersion{5, 19}},
	OpFgetxattr:      {"FGETXATTR", KernelVersion{5, 19}},
	OpGetxattr:       {"GETXATTR", KernelVersion{5, 19}},
	OpSocket:         {"SOCKET", KernelVersion{5, 19}},
	OpURingCmd:       {"URING_CMD", KernelVersion{5, 19}},
	OpSendZC:         {"SEND_ZC", KernelVersion{6, 0}},
	OpSendmsgZC:      {"SENDMSG_ZC", KernelVersion{6, 1}},
	OpReadMultishot:  {"READ_MULTISHOT", KernelVersion{6, 7}},
	OpWaitid:         {"WAITID", KernelVersion{6, 7}},
	OpFutexWait:      {"FUTEX_WAIT", KernelVersion{6, 7}},
	OpFutexWake:      {"FUTEX_WAKE", KernelVersion{6, 7}},
	OpFutexWaitv:     {"FUTEX_WAITV", KernelVersion{6, 7}},
	OpFixedFdInstall: {"FIXED_FD_INSTALL", KernelVersion{6, 8}},
	OpFtruncate:      {"FTRUNCATE", KernelVersion{6, 9}},
	OpBind:           {"BIND", KernelVersion{6, 11}},
	OpListen:         {"LISTEN", KernelVersion{6, 11}},
	OpRecvZC:         {"RECV_ZC", KernelVersion{6, 15}},
	OpEpollWait:      {"EPOLL_WAIT", KernelVersion{6, 15}},
	OpReadvFixed:     {"READV_FIXED", KernelVersion{6, 15}},
	OpWritevFixed:    {"WRITEV_FIXED", KernelVersion{6, 15}},
	OpPipe:           {"PIPE", KernelVersion{6, 16}},
}

// String returns the opcode's name without the IORING_OP_ prefix, e.g. "READV".
func (op Op) String() string {
	if op < OpLast {
		return opTable[op].name
	}
	return "OP(" + itoa(int64(op)) + ")"
}

// Kernel returns the first Linux version that implements the opcode.
func (op Op) Kernel() KernelVersion {
	if op < OpLast {
		return opTable[op].kernel
	}
	return KernelVersion{}
}
