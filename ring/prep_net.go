package ring

import "golang.org/x/sys/unix"

// Network family: socket, bind, listen, accept, connect, send/recv and their
// msg, zero-copy, multishot and bundle forms, shutdown, RECV_ZC, and the
// socket URING_CMD operations. Socket addresses are *unix.RawSockaddrAny
// with their length (RawSockaddr builds one from a unix.Sockaddr). msg_flags
// are the MSG_* flags of send(2)/recv(2); per-opcode ioprio flags
// (RecvSendPollFirst, AcceptDontwait, ...) are added with SetIoPrio.

// PrepSocket prepares IORING_OP_SOCKET: socket(2) with domain, typ
// (SOCK_* including SOCK_CLOEXEC/SOCK_NONBLOCK) and protocol.
// Res: the new fd. CQE flags: none. Since 5.19. Memory: none.
func (s *SQE) PrepSocket(domain, typ, protocol int32) {
	*s = SQE{Opcode: OpSocket, Fd: domain, Off: uint64(typ), Len: uint32(protocol)}
}

// PrepSocketDirect is PrepSocket installing the socket as direct descriptor
// slot (FileIndexAlloc: any free slot).
// Res: 0, or the slot with FileIndexAlloc. CQE flags: none. Since 5.19.
// Memory: none.
func (s *SQE) PrepSocketDirect(domain, typ, protocol int32, slot uint32) {
	*s = SQE{Opcode: OpSocket, Fd: domain, Off: uint64(typ), Len: uint32(protocol), SpliceFdIn: fileIndex(slot)}
}

// PrepBind prepares IORING_OP_BIND: bind(2) to sa of saLen bytes.
// Res: 0. CQE flags: none. Since 6.11. Memory: sa until the CQE.
func (s *SQE) PrepBind(fd int32, sa *unix.RawSockaddrAny, saLen uint32) {
	*s = SQE{Opcode: OpBind, Fd: fd, Addr: ptrAddr(sa), Off: uint64(saLen)}
}

// PrepListen prepares IORING_OP_LISTEN: listen(2) with backlog.
// Res: 0. CQE flags: none. Since 6.11. Memory: none.
func (s *SQE) PrepListen(fd int32, backlog uint32) {
	*s = SQE{Opcode: OpListen, Fd: fd, Len: backlog}
}

// PrepAccept prepares IORING_OP_ACCEPT: accept4(2) with SOCK_* flags; the
// peer address goes to sa and its length to *saLen, which holds sa's size
// on entry (sa and saLen may both be nil). AcceptDontwait and
// AcceptPollFirst (6.10) can be added with SetIoPrio.
// Res: the new fd. CQE flags: none. Since 5.5. Memory: sa and saLen until
// the CQE.
func (s *SQE) PrepAccept(fd int32, sa *unix.RawSockaddrAny, saLen *uint32, flags uint32) {
	*s = SQE{Opcode: OpAccept, Fd: fd, Addr: ptrAddr(sa), Off: ptrAddr(saLen), OpFlags: flags}
}

// PrepAcceptDirect is PrepAccept installing the connection as direct
// descriptor slot (FileIndexAlloc: any free slot).
// Res: 0, or the slot with FileIndexAlloc. CQE flags: none. Since 5.15.
// Memory: sa and saLen until the CQE.
func (s *SQE) PrepAcceptDirect(fd int32, sa *unix.RawSockaddrAny, saLen *uint32, flags uint32, slot uint32) {
	*s = SQE{Opcode: OpAccept, Fd: fd, Addr: ptrAddr(sa), Off: ptrAddr(saLen), OpFlags: flags, SpliceFdIn: fileIndex(slot)}
}

// PrepAcceptMultishot prepares IORING_OP_ACCEPT with
// IORING_ACCEPT_MULTISHOT: one SQE accepts every incoming connection until
// cancelled or an error. sa/saLen are overwritten by each accept; pass nil
// unless only the last peer matters.
// Res: a new fd per CQE. CQE flags: F_MORE while armed. Since 5.19.
// Memory: sa and saLen until the CQE without F_MORE.
func (s *SQE) PrepAcceptMultishot(fd int32, sa *unix.RawSockaddrAny, saLen *uint32, flags uint32) {
	*s = SQE{Opcode: OpAccept, IoPrio: AcceptMultishot, Fd: fd, Addr: ptrAddr(sa), Off: ptrAddr(saLen), OpFlags: flags}
}

// PrepAcceptMultishotDirect is PrepAcceptMultishot installing each
// connection in a free direct-descriptor slot (IORING_FILE_INDEX_ALLOC).
// Res: the slot per CQE. CQE flags: F_MORE while armed. Since 5.19.
// Memory: sa and saLen until the CQE without F_MORE.
func (s *SQE) PrepAcceptMultishotDirect(fd int32, sa *unix.RawSockaddrAny, saLen *uint32, flags uint32) {
	*s = SQE{Opcode: OpAccept, IoPrio: AcceptMultishot, Fd: fd, Addr: ptrAddr(sa), Off: ptrAddr(saLen), OpFlags: flags, SpliceFdIn: fileIndex(FileIndexAlloc)}
}

// PrepConnect prepares IORING_OP_CONNECT: connect(2) to sa of saLen bytes.
// Res: 0. CQE flags: none. Since 5.5. Memory: sa until the CQE.
func (s *SQE) PrepConnect(fd int32, sa *unix.RawSockaddrAny, saLen uint32) {
	*s = SQE{Opcode: OpConnect, Fd: fd, Addr: ptrAddr(sa), Off: uint64(saLen)}
}

// PrepShutdown prepares IORING_OP_SHUTDOWN: shutdown(2) with how (SHUT_*).
// Res: 0. CQE flags: none. Since 5.11. Memory: none.
func (s *SQE) PrepShutdown(fd int32, how int32) {
	*s = SQE{Opcode: OpShutdown, Fd: fd, Len: uint32(how)}
}

// PrepSend prepares IORING_OP_SEND: send(2) of buf with msgFlags.
// RecvSendPollFirst can be added with SetIoPrio.
// Res: bytes sent. CQE flags: none. Since 5.6. Memory: buf until the CQE.
func (s *SQE) PrepSend(fd int32, buf []byte, msgFlags uint32) {
	*s = SQE{Opcode: OpSend, Fd: fd, Addr: addrOf(buf), Len: lenOf(buf), OpFlags: msgFlags}
}

// PrepSendto prepares IORING_OP_SEND with a destination address: sendto(2)
// of buf to sa (saLen bytes, at most 65535).
// Res: bytes sent. CQE flags: none. Since 6.0. Memory: buf and sa until
// the CQE.
func (s *SQE) PrepSendto(fd int32, buf []byte, msgFlags uint32, sa *unix.RawSockaddrAny, saLen uint32) {
	*s = SQE{Opcode: OpSend, Fd: fd, Addr: addrOf(buf), Len: lenOf(buf), OpFlags: msgFlags, Off: ptrAddr(sa), SpliceFdIn: int32(uint16(saLen))}
}

// PrepSendv prepares IORING_OP_SEND with IORING_SEND_VECTORIZED: send of
// the buffers iovs point to, like sendmsg(2) without a msghdr.
// Res: bytes sent. CQE flags: none. Since 6.17. Memory: iovs and their
// buffers until the CQE.
func (s *SQE) PrepSendv(fd int32, iovs []unix.Iovec, msgFlags uint32) {
	*s = SQE{Opcode: OpSend, IoPrio: SendVectorized, Fd: fd, Addr: iovecAddr(iovs), Len: lenOf(iovs), OpFlags: msgFlags}
}

// PrepSendBundle prepares IORING_OP_SEND with IORING_RECVSEND_BUNDLE: send
// as many consecutive buffers of provided-buffer ring group as are queued
// (up to n bytes, 0: no limit) in one operation (FEAT_RECVSEND_BUNDLE).
// Res: bytes sent. CQE flags: F_BUFFER (the first buffer's id). Since 6.10.
// Memory: the group's buffers until the CQE.
func (s *SQE) PrepSendBundle(fd int32, n uint32, msgFlags uint32, group uint16) {
	*s = SQE{Opcode: OpSend, Flags: SQEBufferSelect, IoPrio: RecvSendBundle, Fd: fd, Len: n, OpFlags: msgFlags, BufIndex: group}
}

// PrepRecv prepares IORING_OP_RECV: recv(2) into buf with msgFlags.
// Res: bytes received, 0 when the peer shut down. CQE flags:
// F_SOCK_NONEMPTY. Since 5.6. Memory: buf until the CQE.
func (s *SQE) PrepRecv(fd int32, buf []byte, msgFlags uint32) {
	*s = SQE{Opcode: OpRecv, Fd: fd, Addr: addrOf(buf), Len: lenOf(buf), OpFlags: msgFlags}
}

// PrepRecvSelect prepares IORING_OP_RECV into a buffer of provided-buffer
// group group (IOSQE_BUFFER_SELECT), up to n bytes (0: the buffer's size).
// Res: bytes received. CQE flags: F_BUFFER, F_SOCK_NONEMPTY. Since 5.7.
// Memory: the group's buffers until they are returned.
func (s *SQE) PrepRecvSelect(fd int32, n uint32, msgFlags uint32, group uint16) {
	*s = SQE{Opcode: OpRecv, Flags: SQEBufferSelect, Fd: fd, Len: n, OpFlags: msgFlags, BufIndex: group}
}

// PrepRecvMultishot prepares IORING_OP_RECV with IORING_RECV_MULTISHOT: one
// SQE receives repeatedly, each time into a buffer of group, until an
// error, the peer's shutdown or a cancel.
// Res: bytes per CQE; the last CQE (no F_MORE) carries 0 or -errno.
// CQE flags: F_MORE while armed, F_BUFFER, F_SOCK_NONEMPTY. Since 6.0.
// Memory: the group's buffers until the CQE without F_MORE.
func (s *SQE) PrepRecvMultishot(fd int32, msgFlags uint32, group uint16) {
	*s = SQE{Opcode: OpRecv, Flags: SQEBufferSelect, IoPrio: RecvMultishot, Fd: fd, OpFlags: msgFlags, BufIndex: group}
}

// PrepRecvBundle prepares IORING_OP_RECV with IORING_RECVSEND_BUNDLE:
// receive into as many consecutive buffers of provided-buffer ring group as
// the data fills (FEAT_RECVSEND_BUNDLE). Add RecvMultishot with SetIoPrio
// for a multishot bundle.
// Res: bytes received. CQE flags: F_BUFFER (the first buffer's id),
// F_SOCK_NONEMPTY. Since 6.10. Memory: the group's buffers until the CQE.
func (s *SQE) PrepRecvBundle(fd int32, msgFlags uint32, group uint16) {
	*s = SQE{Opcode: OpRecv, Flags: SQEBufferSelect, IoPrio: RecvSendBundle, Fd: fd, OpFlags: msgFlags, BufIndex: group}
}

// PrepSendmsg prepares IORING_OP_SENDMSG: sendmsg(2) of msg with msgFlags.
// Res: bytes sent. CQE flags: none. Since 5.3. Memory: msg and everything it
// points to (name, iovecs and their buffers, control) until the CQE.
func (s *SQE) PrepSendmsg(fd int32, msg *unix.Msghdr, msgFlags uint32) {
	*s = SQE{Opcode: OpSendmsg, Fd: fd, Addr: ptrAddr(msg), Len: 1, OpFlags: msgFlags}
}

// PrepRecvmsg prepares IORING_OP_RECVMSG: recvmsg(2) into msg with msgFlags.
// Res: bytes received. CQE flags: F_SOCK_NONEMPTY. Since 5.3. Memory: msg
// and everything it points to until the CQE.
func (s *SQE) PrepRecvmsg(fd int32, msg *unix.Msghdr, msgFlags uint32) {
	*s = SQE{Opcode: OpRecvmsg, Fd: fd, Addr: ptrAddr(msg), Len: 1, OpFlags: msgFlags}
}

// PrepRecvmsgMultishot prepares IORING_OP_RECVMSG with
// IORING_RECV_MULTISHOT: each message lands in a buffer of group, prefixed
// by a RecvmsgOut header and then msg's name and control lengths' worth of
// space (msg gives only those lengths; its iovecs are ignored).
// Res: bytes written to the buffer per CQE. CQE flags: F_MORE while armed,
// F_BUFFER. Since 6.0. Memory: msg and the group's buffers until the CQE
// without F_MORE.
func (s *SQE) PrepRecvmsgMultishot(fd int32, msg *unix.Msghdr, msgFlags uint32, group uint16) {
	*s = SQE{Opcode: OpRecvmsg, Flags: SQEBufferSelect, IoPrio: RecvMultishot, Fd: fd, Addr: ptrAddr(msg), Len: 1, OpFlags: msgFlags, BufIndex: group}
}

// PrepSendZC prepares IORING_OP_SEND_ZC: a zero-copy send(2) of buf. The
// first CQE carries the result (with F_MORE); a second, F_NOTIF CQE says the
// kernel no longer uses buf. zcFlags: SendZCReportUsage (the notification's
// res then has NotifUsageZCCopied if the kernel copied).
// Res: bytes sent (first CQE); 0 or usage bits (notification).
// CQE flags: F_MORE, F_NOTIF. Since 6.0. Memory: buf until the F_NOTIF CQE.
func (s *SQE) PrepSendZC(fd int32, buf []byte, msgFlags uint32, zcFlags uint16) {
	*s = SQE{Opcode: OpSendZC, IoPrio: zcFlags, Fd: fd, Addr: addrOf(buf), Len: lenOf(buf), OpFlags: msgFlags}
}

// PrepSendZCFixed is PrepSendZC from registered buffer bufIndex
// (IORING_RECVSEND_FIXED_BUF); buf must lie inside it.
// Res and CQE flags as PrepSendZC. Since 6.0. Memory: the registered buffer
// stays registered until the F_NOTIF CQE.
func (s *SQE) PrepSendZCFixed(fd int32, buf []byte, msgFlags uint32, zcFlags uint16, bufIndex uint16) {
	*s = SQE{Opcode: OpSendZC, IoPrio: zcFlags | RecvSendFixedBuf, Fd: fd, Addr: addrOf(buf), Len: lenOf(buf), OpFlags: msgFlags, BufIndex: bufIndex}
}

// PrepSendmsgZC prepares IORING_OP_SENDMSG_ZC: a zero-copy sendmsg(2), with
// the two-CQE model of PrepSendZC.
// Res: bytes sent (first CQE). CQE flags: F_MORE, F_NOTIF. Since 6.1.
// Memory: msg and everything it points to until the F_NOTIF CQE.
func (s *SQE) PrepSendmsgZC(fd int32, msg *unix.Msghdr, msgFlags uint32) {
	*s = SQE{Opcode: OpSendmsgZC, Fd: fd, Addr: ptrAddr(msg), Len: 1, OpFlags: msgFlags}
}

// PrepRecvZC prepares IORING_OP_RECV_ZC: multishot zero-copy receive of up
// to n bytes (0: no limit) through zero-copy receive interface queue ifq
// (REGISTER_ZCRX_IFQ); the ring needs DEFER_TASKRUN and 32-byte CQEs, whose
// second half is a ZcrxCqe locating the data in the registered area.
// Res: bytes per CQE. CQE flags: F_MORE while armed. Since 6.15.
// Memory: the registered area until the CQE without F_MORE.
func (s *SQE) PrepRecvZC(fd int32, ifq uint32, n uint32) {
	*s = SQE{Opcode: OpRecvZC, IoPrio: RecvMultishot, Fd: fd, Len: n, SpliceFdIn: int32(ifq)}
}

// prepCmdSock fills the socket URING_CMD layout: cmd_op in the low half of
// off, level and optname in addr, optlen in the file_index word, optval in
// addr3 (liburing's io_uring_prep_cmd_sock).
func (s *SQE) prepCmdSock(cmdOp uint32, fd int32, level, optname int32, optval []byte) {
	*s = SQE{
		Opcode:     OpURingCmd,
		Fd:         fd,
		Off:        uint64(cmdOp),
		Addr:       uint64(uint32(level)) | uint64(uint32(optname))<<32,
		SpliceFdIn: int32(len(optval)),
		Addr3:      addrOf(optval),
	}
}

// PrepSiocinq prepares IORING_OP_URING_CMD SOCKET_URING_OP_SIOCINQ: the
// ioctl(SIOCINQ) of a socket. Res: bytes queued for reading.
// CQE flags: none. Since 6.7. Memory: none.
func (s *SQE) PrepSiocinq(fd int32) { s.prepCmdSock(SocketURingOpSIOCINQ, fd, 0, 0, nil) }

// PrepSiocoutq prepares IORING_OP_URING_CMD SOCKET_URING_OP_SIOCOUTQ: the
// ioctl(SIOCOUTQ) of a socket. Res: bytes queued for sending and not yet
// acknowledged. CQE flags: none. Since 6.7. Memory: none.
func (s *SQE) PrepSiocoutq(fd int32) { s.prepCmdSock(SocketURingOpSIOCOUTQ, fd, 0, 0, nil) }

// PrepGetsockopt prepares IORING_OP_URING_CMD SOCKET_URING_OP_GETSOCKOPT:
// getsockopt(2) of level/optname into optval (SOL_SOCKET options only on
// 6.18). Res: the option's length. CQE flags: none. Since 6.7.
// Memory: optval until the CQE.
func (s *SQE) PrepGetsockopt(fd int32, level, optname int32, optval []byte) {
	s.prepCmdSock(SocketURingOpGetsockopt, fd, level, optname, optval)
}

// PrepSetsockopt prepares IORING_OP_URING_CMD SOCKET_URING_OP_SETSOCKOPT:
// setsockopt(2) of level/optname from optval. Res: 0. CQE flags: none.
// Since 6.7. Memory: optval until the CQE.
func (s *SQE) PrepSetsockopt(fd int32, level, optname int32, optval []byte) {
	s.prepCmdSock(SocketURingOpSetsockopt, fd, level, optname, optval)
}
