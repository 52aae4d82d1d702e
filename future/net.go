package future

import (
	"net/netip"
	"unsafe"

	"github.com/uringkit/uring/ring"
	"golang.org/x/sys/unix"
)

// Socket family. fds are sockets (or registered files with .Fixed()).
// Send and receive values are byte counts; with MSG_WAITALL a smaller
// count is short, which breaks a soft link in a chain.

// Socket is IORING_OP_SOCKET (5.19): socket(2); the value is the new fd.
// typ is passed as given: add SOCK_CLOEXEC (package net does) to keep the
// fd from child processes.
func Socket(domain, typ, protocol int) Op[FD] {
	var s ring.SQE
	s.PrepSocket(int32(domain), int32(typ), int32(protocol))
	return newOp(s, nil, decodeFD).withMade(madeFD)
}

// SocketDirect is IORING_OP_SOCKET (5.19) installing the socket as a direct
// descriptor in slot (ring.FileIndexAlloc: any free slot, reported as the
// value).
func SocketDirect(domain, typ, protocol int, slot uint32) Op[Direct] {
	var s ring.SQE
	s.PrepSocketDirect(int32(domain), int32(typ), int32(protocol), slot)
	op := newOp(s, nil, decodeDirect)
	if slot != ring.FileIndexAlloc {
		op.decode = decodeSlot(slot)
	}
	return op.withMade(madeDirect)
}

func addrOp(op ring.Op, addr netip.AddrPort, prep func(s *ring.SQE, sa *unix.RawSockaddrAny, n uint32)) Op[struct{}] {
	var s ring.SQE
	sa, n, ok := sockaddr(addr)
	if !ok {
		s.Opcode = op
		return newOp(s, nil, decodeVoid).withErr("address is not a valid IPv4 or IPv6 address")
	}
	prep(&s, sa, n)
	return newOp(s, unsafe.Pointer(sa), decodeVoid)
}

// Connect is IORING_OP_CONNECT (5.5): connect(2) to an IPv4 or IPv6 address.
func Connect(fd int, addr netip.AddrPort) Op[struct{}] {
	return addrOp(ring.OpConnect, addr, func(s *ring.SQE, sa *unix.RawSockaddrAny, n uint32) { s.PrepConnect(int32(fd), sa, n) })
}

// Bind is IORING_OP_BIND (6.11): bind(2) to an IPv4 or IPv6 address.
func Bind(fd int, addr netip.AddrPort) Op[struct{}] {
	return addrOp(ring.OpBind, addr, func(s *ring.SQE, sa *unix.RawSockaddrAny, n uint32) { s.PrepBind(int32(fd), sa, n) })
}

// Listen is IORING_OP_LISTEN (6.11): listen(2).
func Listen(fd int, backlog int) Op[struct{}] {
	var s ring.SQE
	s.PrepListen(int32(fd), uint32(backlog))
	return newOp(s, nil, decodeVoid)
}

// Accept is IORING_OP_ACCEPT (5.5): accept4(2) with SOCK_* flags (pass
// SOCK_CLOEXEC, as package net does); the value is the connection's fd.
// For many connections use AcceptMultishot.
func Accept(fd int, flags int) Op[FD] {
	var s ring.SQE
	s.PrepAccept(int32(fd), nil, nil, uint32(flags))
	return newOp(s, nil, decodeFD).withMade(madeFD)
}

// AcceptDirect is IORING_OP_ACCEPT (5.15) installing the connection as a
// direct descriptor in slot (ring.FileIndexAlloc: any free slot, reported
// as the value).
func AcceptDirect(fd int, flags int, slot uint32) Op[Direct] {
	var s ring.SQE
	s.PrepAcceptDirect(int32(fd), nil, nil, uint32(flags), slot)
	op := newOp(s, nil, decodeDirect)
	if slot != ring.FileIndexAlloc {
		op.decode = decodeSlot(slot)
	}
	return op.withMade(madeDirect)
}

// AcceptMultishot is multishot IORING_OP_ACCEPT (5.19): one CQE per
// connection until cancelled or failed. Range over it with Stream.
func AcceptMultishot(fd int, flags int) Op[FD] {
	var s ring.SQE
	s.PrepAcceptMultishot(int32(fd), nil, nil, uint32(flags))
	op := newOp(s, nil, decodeFD).withMade(madeFD)
	op.multishot = true
	return op
}

// Shutdown is IORING_OP_SHUTDOWN (5.11): shutdown(2) with unix.SHUT_*.
func Shutdown(fd int, how int) Op[struct{}] {
	var s ring.SQE
	s.PrepShutdown(int32(fd), int32(how))
	return newOp(s, nil, decodeVoid)
}

// waitAll returns the expected count of a send/recv: its length with
// MSG_WAITALL (the kernel then fails a shorter transfer), else -1.
func waitAll(n int, msgFlags int) int64 {
	if msgFlags&unix.MSG_WAITALL != 0 {
		return int64(n)
	}
	return -1
}

// Send is IORING_OP_SEND (5.6): send(2) of buf with MSG_* flags.
func Send(fd int, buf []byte, msgFlags int) Op[int] {
	var s ring.SQE
	s.PrepSend(int32(fd), buf, uint32(msgFlags))
	op := newOp(s, bytesPtr(buf), decodeInt)
	op.expect = waitAll(len(buf), msgFlags)
	return op
}

// Recv is IORING_OP_RECV (5.6): recv(2) into buf with MSG_* flags; 0 means
// the peer closed.
func Recv(fd int, buf []byte, msgFlags int) Op[int] {
	var s ring.SQE
	s.PrepRecv(int32(fd), buf, uint32(msgFlags))
	op := newOp(s, bytesPtr(buf), decodeInt)
	op.expect = waitAll(len(buf), msgFlags)
	return op
}

// Sendmsg is IORING_OP_SENDMSG (5.3): sendmsg(2). msg and everything it
// points to are kept until the CQE.
func Sendmsg(fd int, msg *unix.Msghdr, msgFlags int) Op[int] {
	var s ring.SQE
	s.PrepSendmsg(int32(fd), msg, uint32(msgFlags))
	return newOp(s, unsafe.Pointer(msg), decodeInt)
}

// Recvmsg is IORING_OP_RECVMSG (5.3): recvmsg(2). msg and everything it
// points to are kept until the CQE; the kernel updates msg's lengths.
func Recvmsg(fd int, msg *unix.Msghdr, msgFlags int) Op[int] {
	var s ring.SQE
	s.PrepRecvmsg(int32(fd), msg, uint32(msgFlags))
	return newOp(s, unsafe.Pointer(msg), decodeInt)
}

// SendZC is IORING_OP_SEND_ZC (6.0): a zero-copy send of buf. The kernel
// posts the byte count, then a notification CQE (IORING_CQE_F_NOTIF) when
// it no longer reads buf; Await returns after the notification, so buf may
// be reused then. zcFlags are IORING_RECVSEND_* / IORING_SEND_ZC_*.
func SendZC(fd int, buf []byte, msgFlags int, zcFlags uint16) Op[int] {
	var s ring.SQE
	s.PrepSendZC(int32(fd), buf, uint32(msgFlags), zcFlags)
	op := newOp(s, bytesPtr(buf), decodeInt)
	op.notif = true
	return op
}

// SendmsgZC is IORING_OP_SENDMSG_ZC (6.1): sendmsg(2) without copying;
// like SendZC, Await returns after the notification CQE.
func SendmsgZC(fd int, msg *unix.Msghdr, msgFlags int) Op[int] {
	var s ring.SQE
	s.PrepSendmsgZC(int32(fd), msg, uint32(msgFlags))
	op := newOp(s, unsafe.Pointer(msg), decodeInt)
	op.notif = true
	return op
}

// Siocinq is IORING_OP_URING_CMD SOCKET_URING_OP_SIOCINQ (6.7): the bytes
// waiting in the socket's receive queue.
func Siocinq(fd int) Op[int] {
	var s ring.SQE
	s.PrepSiocinq(int32(fd))
	return newOp(s, nil, decodeInt)
}

// Siocoutq is IORING_OP_URING_CMD SOCKET_URING_OP_SIOCOUTQ (6.7): the bytes
// not yet sent from the socket's send queue.
func Siocoutq(fd int) Op[int] {
	var s ring.SQE
	s.PrepSiocoutq(int32(fd))
	return newOp(s, nil, decodeInt)
}

// Getsockopt is IORING_OP_URING_CMD SOCKET_URING_OP_GETSOCKOPT (6.7):
// getsockopt(2) into optval; the value is the option's length.
func Getsockopt(fd int, level, optname int, optval []byte) Op[int] {
	var s ring.SQE
	s.PrepGetsockopt(int32(fd), int32(level), int32(optname), optval)
	return newOp(s, bytesPtr(optval), decodeInt)
}

// Setsockopt is IORING_OP_URING_CMD SOCKET_URING_OP_SETSOCKOPT (6.7):
// setsockopt(2) from optval.
func Setsockopt(fd int, level, optname int, optval []byte) Op[struct{}] {
	var s ring.SQE
	s.PrepSetsockopt(int32(fd), int32(level), int32(optname), optval)
	return newOp(s, bytesPtr(optval), decodeVoid)
}
