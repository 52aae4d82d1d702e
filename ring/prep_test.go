//go:build linux

package ring

import (
	"reflect"
	"strings"
	"testing"
	"unsafe"

	"github.com/google/go-cmp/cmp"
	"golang.org/x/sys/unix"
)

// Kernel-free tests of the preps: each case runs one prep on an SQE filled
// with 0xff bytes and compares the whole SQE with the value the kernel's
// uapi (and liburing's helper of the same name) expects, so a prep that
// leaves a stale field or puts a value in the wrong union member fails.
// Addresses are computed here independently of addrOf/ptrAddr.

// at is the address of the object p points to.
func at[T any](p *T) uint64 { return uint64(uintptr(unsafe.Pointer(p))) }

type prepCase struct {
	name string // "<Prep method>" or "<Prep method>/<variant>"
	prep func(s *SQE)
	want SQE
}

func prepCases() []prepCase {
	buf := make([]byte, 64)
	b0 := at(&buf[0])
	iovs := []unix.Iovec{{Base: &buf[0], Len: 8}, {Base: &buf[8], Len: 8}}
	iv := at(&iovs[0])
	path, path2, name := new(byte), new(byte), new(byte)
	pa, pa2, na := at(path), at(path2), at(name)
	ts := &Timespec{Sec: 1, Nsec: 2}
	tsa := at(ts)
	sa, saLen := new(unix.RawSockaddrAny), new(uint32)
	saa, sla := at(sa), at(saLen)
	msg := new(unix.Msghdr)
	ma := at(msg)
	how := new(OpenHow)
	stx := new(Statx)
	fds := []int32{3, 4}
	ev := []EpollEvent{{}, {}}
	info := new(Siginfo)
	futex := new(uint32)
	fw := []FutexWaitv{{Uaddr: futex, Flags: Futex2SizeU32}}
	pipe := new([2]int32)
	const ud = 0x1122334455667788

	return []prepCase{
		// misc and core
		{"PrepNop", func(s *SQE) { s.PrepNop() }, SQE{Opcode: OpNop}},
		{"PrepNopInject", func(s *SQE) { s.PrepNopInject(-int32(unix.EIO)) }, SQE{Opcode: OpNop, Len: uint32(0xfffffffb), OpFlags: NopInjectResult}},
		{"PrepRW", func(s *SQE) { s.PrepRW(OpRead, 3, 4, 5, 6) }, SQE{Opcode: OpRead, Fd: 3, Addr: 4, Len: 5, Off: 6}},

		// read/write
		{"PrepRead", func(s *SQE) { s.PrepRead(5, buf, 100) }, SQE{Opcode: OpRead, Fd: 5, Addr: b0, Len: 64, Off: 100}},
		{"PrepRead/current-position", func(s *SQE) { s.PrepRead(5, buf, -1) }, SQE{Opcode: OpRead, Fd: 5, Addr: b0, Len: 64, Off: ^uint64(0)}},
		{"PrepRead/empty", func(s *SQE) { s.PrepRead(5, nil, 0) }, SQE{Opcode: OpRead, Fd: 5}},
		{"PrepReadSelect", func(s *SQE) { s.PrepReadSelect(5, 512, -1, 7) }, SQE{Opcode: OpRead, Flags: SQEBufferSelect, Fd: 5, Len: 512, Off: ^uint64(0), BufIndex: 7}},
		{"PrepWrite", func(s *SQE) { s.PrepWrite(5, buf[:10], 8) }, SQE{Opcode: OpWrite, Fd: 5, Addr: b0, Len: 10, Off: 8}},
		{"PrepReadv", func(s *SQE) { s.PrepReadv(5, iovs, 16, unix.RWF_NOWAIT) }, SQE{Opcode: OpReadv, Fd: 5, Addr: iv, Len: 2, Off: 16, OpFlags: unix.RWF_NOWAIT}},
		{"PrepWritev", func(s *SQE) { s.PrepWritev(5, iovs, 16, unix.RWF_DSYNC) }, SQE{Opcode: OpWritev, Fd: 5, Addr: iv, Len: 2, Off: 16, OpFlags: unix.RWF_DSYNC}},
		{"PrepReadFixed", func(s *SQE) { s.PrepReadFixed(5, buf[:32], 0, 3) }, SQE{Opcode: OpReadFixed, Fd: 5, Addr: b0, Len: 32, BufIndex: 3}},
		{"PrepWriteFixed", func(s *SQE) { s.PrepWriteFixed(5, buf[:32], 4096, 3) }, SQE{Opcode: OpWriteFixed, Fd: 5, Addr: b0, Len: 32, Off: 4096, BufIndex: 3}},
		{"PrepReadvFixed", func(s *SQE) { s.PrepReadvFixed(5, iovs, 0, 0, 2) }, SQE{Opcode: OpReadvFixed, Fd: 5, Addr: iv, Len: 2, BufIndex: 2}},
		{"PrepWritevFixed", func(s *SQE) { s.PrepWritevFixed(5, iovs, 1, unix.RWF_HIPRI, 2) }, SQE{Opcode: OpWritevFixed, Fd: 5, Addr: iv, Len: 2, Off: 1, OpFlags: unix.RWF_HIPRI, BufIndex: 2}},
		{"PrepReadMultishot", func(s *SQE) { s.PrepReadMultishot(5, 0, -1, 9) }, SQE{Opcode: OpReadMultishot, Flags: SQEBufferSelect, Fd: 5, Off: ^uint64(0), BufIndex: 9}},
		{"PrepSplice", func(s *SQE) { s.PrepSplice(3, 10, 4, -1, 100, unix.SPLICE_F_MOVE) }, SQE{Opcode: OpSplice, Fd: 4, Off: ^uint64(0), Addr: 10, Len: 100, OpFlags: unix.SPLICE_F_MOVE, SpliceFdIn: 3}},
		{"PrepSplice/fixed-input", func(s *SQE) { s.PrepSplice(0, -1, 4, -1, 100, SpliceFFdInFixed) }, SQE{Opcode: OpSplice, Fd: 4, Off: ^uint64(0), Addr: ^uint64(0), Len: 100, OpFlags: SpliceFFdInFixed}},
		{"PrepTee", func(s *SQE) { s.PrepTee(3, 4, 100, 0) }, SQE{Opcode: OpTee, Fd: 4, Len: 100, SpliceFdIn: 3}},

		// file system
		{"PrepFsync", func(s *SQE) { s.PrepFsync(5, 0) }, SQE{Opcode: OpFsync, Fd: 5}},
		{"PrepFsync/datasync", func(s *SQE) { s.PrepFsync(5, FsyncDatasync) }, SQE{Opcode: OpFsync, Fd: 5, OpFlags: FsyncDatasync}},
		{"PrepSyncFileRange", func(s *SQE) { s.PrepSyncFileRange(5, 4096, 512, unix.SYNC_FILE_RANGE_WRITE) }, SQE{Opcode: OpSyncFileRange, Fd: 5, Off: 4096, Len: 512, OpFlags: unix.SYNC_FILE_RANGE_WRITE}},
		{"PrepFallocate", func(s *SQE) { s.PrepFallocate(5, unix.FALLOC_FL_KEEP_SIZE, 4096, 1<<33) }, SQE{Opcode: OpFallocate, Fd: 5, Len: unix.FALLOC_FL_KEEP_SIZE, Off: 4096, Addr: 1 << 33}},
		{"PrepFadvise", func(s *SQE) { s.PrepFadvise(5, 0, 4096, unix.FADV_DONTNEED) }, SQE{Opcode: OpFadvise, Fd: 5, Len: 4096, OpFlags: unix.FADV_DONTNEED}},
		{"PrepMadvise", func(s *SQE) { s.PrepMadvise(buf, unix.MADV_DONTNEED) }, SQE{Opcode: OpMadvise, Fd: -1, Addr: b0, Len: 64, OpFlags: unix.MADV_DONTNEED}},
		{"PrepFtruncate", func(s *SQE) { s.PrepFtruncate(5, 1<<40) }, SQE{Opcode: OpFtruncate, Fd: 5, Off: 1 << 40}},
		{"PrepOpenat", func(s *SQE) { s.PrepOpenat(unix.AT_FDCWD, path, unix.O_RDONLY|unix.O_CLOEXEC, 0o644) }, SQE{Opcode: OpOpenat, Fd: unix.AT_FDCWD, Addr: pa, Len: 0o644, OpFlags: unix.O_RDONLY | unix.O_CLOEXEC}},
		{"PrepOpenatDirect", func(s *SQE) { s.PrepOpenatDirect(unix.AT_FDCWD, path, 0, 0, 4) }, SQE{Opcode: OpOpenat, Fd: unix.AT_FDCWD, Addr: pa, SpliceFdIn: 5}},
		{"PrepOpenatDirect/alloc", func(s *SQE) { s.PrepOpenatDirect(unix.AT_FDCWD, path, 0, 0, FileIndexAlloc) }, SQE{Opcode: OpOpenat, Fd: unix.AT_FDCWD, Addr: pa, SpliceFdIn: -1}},
		{"PrepOpenat2", func(s *SQE) { s.PrepOpenat2(7, path, how) }, SQE{Opcode: OpOpenat2, Fd: 7, Addr: pa, Len: 24, Off: at(how)}},
		{"PrepOpenat2Direct", func(s *SQE) { s.PrepOpenat2Direct(7, path, how, 0) }, SQE{Opcode: OpOpenat2, Fd: 7, Addr: pa, Len: 24, Off: at(how), SpliceFdIn: 1}},
		{"PrepClose", func(s *SQE) { s.PrepClose(9) }, SQE{Opcode: OpClose, Fd: 9}},
		{"PrepCloseDirect", func(s *SQE) { s.PrepCloseDirect(2) }, SQE{Opcode: OpClose, SpliceFdIn: 3}},
		{"PrepStatx", func(s *SQE) { s.PrepStatx(7, path, unix.AT_SYMLINK_NOFOLLOW, unix.STATX_BASIC_STATS, stx) }, SQE{Opcode: OpStatx, Fd: 7, Addr: pa, Len: unix.STATX_BASIC_STATS, Off: at(stx), OpFlags: unix.AT_SYMLINK_NOFOLLOW}},
		{"PrepRenameat", func(s *SQE) { s.PrepRenameat(7, path, 8, path2, unix.RENAME_NOREPLACE) }, SQE{Opcode: OpRenameat, Fd: 7, Addr: pa, Len: 8, Off: pa2, OpFlags: unix.RENAME_NOREPLACE}},
		{"PrepUnlinkat", func(s *SQE) { s.PrepUnlinkat(7, path, unix.AT_REMOVEDIR) }, SQE{Opcode: OpUnlinkat, Fd: 7, Addr: pa, OpFlags: unix.AT_REMOVEDIR}},
		{"PrepMkdirat", func(s *SQE) { s.PrepMkdirat(7, path, 0o750) }, SQE{Opcode: OpMkdirat, Fd: 7, Addr: pa, Len: 0o750}},
		{"PrepSymlinkat", func(s *SQE) { s.PrepSymlinkat(path, 8, path2) }, SQE{Opcode: OpSymlinkat, Fd: 8, Addr: pa, Off: pa2}},
		{"PrepLinkat", func(s *SQE) { s.PrepLinkat(7, path, unix.AT_FDCWD, path2, unix.AT_SYMLINK_FOLLOW) }, SQE{Opcode: OpLinkat, Fd: 7, Addr: pa, Len: uint32(0xffffff9c), Off: pa2, OpFlags: unix.AT_SYMLINK_FOLLOW}},
		{"PrepFilesUpdate", func(s *SQE) { s.PrepFilesUpdate(fds, 3) }, SQE{Opcode: OpFilesUpdate, Fd: -1, Addr: at(&fds[0]), Len: 2, Off: 3}},
		{"PrepFilesUpdate/alloc", func(s *SQE) { s.PrepFilesUpdate(fds, FileIndexAlloc) }, SQE{Opcode: OpFilesUpdate, Fd: -1, Addr: at(&fds[0]), Len: 2, Off: 0xffffffff}},
		{"PrepFixedFdInstall", func(s *SQE) { s.PrepFixedFdInstall(2, FixedFdNoCloexec) }, SQE{Opcode: OpFixedFdInstall, Flags: SQEFixedFile, Fd: 2, OpFlags: FixedFdNoCloexec}},

		// network
		{"PrepSocket", func(s *SQE) { s.PrepSocket(unix.AF_INET, unix.SOCK_STREAM|unix.SOCK_CLOEXEC, 0) }, SQE{Opcode: OpSocket, Fd: unix.AF_INET, Off: unix.SOCK_STREAM | unix.SOCK_CLOEXEC}},
		{"PrepSocketDirect", func(s *SQE) { s.PrepSocketDirect(unix.AF_UNIX, unix.SOCK_DGRAM, 0, FileIndexAlloc) }, SQE{Opcode: OpSocket, Fd: unix.AF_UNIX, Off: unix.SOCK_DGRAM, SpliceFdIn: -1}},
		{"PrepBind", func(s *SQE) { s.PrepBind(5, sa, 16) }, SQE{Opcode: OpBind, Fd: 5, Addr: saa, Off: 16}},
		{"PrepListen", func(s *SQE) { s.PrepListen(5, 128) }, SQE{Opcode: OpListen, Fd: 5, Len: 128}},
		{"PrepAccept", func(s *SQE) { s.PrepAccept(5, sa, saLen, unix.SOCK_CLOEXEC) }, SQE{Opcode: OpAccept, Fd: 5, Addr: saa, Off: sla, OpFlags: unix.SOCK_CLOEXEC}},
		{"PrepAccept/no-address", func(s *SQE) { s.PrepAccept(5, nil, nil, 0) }, SQE{Opcode: OpAccept, Fd: 5}},
		{"PrepAccept/dontwait-pollfirst", func(s *SQE) { s.PrepAccept(5, nil, nil, 0); s.SetIoPrio(AcceptDontwait | AcceptPollFirst) }, SQE{Opcode: OpAccept, IoPrio: 6, Fd: 5}},
		{"PrepAcceptDirect", func(s *SQE) { s.PrepAcceptDirect(5, nil, nil, 0, 9) }, SQE{Opcode: OpAccept, Fd: 5, SpliceFdIn: 10}},
		{"PrepAcceptMultishot", func(s *SQE) { s.PrepAcceptMultishot(5, nil, nil, unix.SOCK_NONBLOCK) }, SQE{Opcode: OpAccept, IoPrio: 1, Fd: 5, OpFlags: unix.SOCK_NONBLOCK}},
		{"PrepAcceptMultishotDirect", func(s *SQE) { s.PrepAcceptMultishotDirect(5, nil, nil, 0) }, SQE{Opcode: OpAccept, IoPrio: 1, Fd: 5, SpliceFdIn: -1}},
		{"PrepConnect", func(s *SQE) { s.PrepConnect(5, sa, 28) }, SQE{Opcode: OpConnect, Fd: 5, Addr: saa, Off: 28}},
		{"PrepShutdown", func(s *SQE) { s.PrepShutdown(5, unix.SHUT_WR) }, SQE{Opcode: OpShutdown, Fd: 5, Len: unix.SHUT_WR}},
		{"PrepSend", func(s *SQE) { s.PrepSend(5, buf, unix.MSG_NOSIGNAL) }, SQE{Opcode: OpSend, Fd: 5, Addr: b0, Len: 64, OpFlags: unix.MSG_NOSIGNAL}},
		{"PrepSend/poll-first", func(s *SQE) { s.PrepSend(5, buf, 0); s.SetIoPrio(RecvSendPollFirst) }, SQE{Opcode: OpSend, IoPrio: 1, Fd: 5, Addr: b0, Len: 64}},
		{"PrepSendto", func(s *SQE) { s.PrepSendto(5, buf, 0, sa, 16) }, SQE{Opcode: OpSend, Fd: 5, Addr: b0, Len: 64, Off: saa, SpliceFdIn: 16}},
		{"PrepSendv", func(s *SQE) { s.PrepSendv(5, iovs, 0) }, SQE{Opcode: OpSend, IoPrio: 1 << 5, Fd: 5, Addr: iv, Len: 2}},
		{"PrepSendBundle", func(s *SQE) { s.PrepSendBundle(5, 0, 0, 3) }, SQE{Opcode: OpSend, Flags: SQEBufferSelect, IoPrio: 1 << 4, Fd: 5, BufIndex: 3}},
		{"PrepRecv", func(s *SQE) { s.PrepRecv(5, buf, unix.MSG_WAITALL) }, SQE{Opcode: OpRecv, Fd: 5, Addr: b0, Len: 64, OpFlags: unix.MSG_WAITALL}},
		{"PrepRecvSelect", func(s *SQE) { s.PrepRecvSelect(5, 100, 0, 3) }, SQE{Opcode: OpRecv, Flags: SQEBufferSelect, Fd: 5, Len: 100, BufIndex: 3}},
		{"PrepRecvMultishot", func(s *SQE) { s.PrepRecvMultishot(5, 0, 3) }, SQE{Opcode: OpRecv, Flags: SQEBufferSelect, IoPrio: 1 << 1, Fd: 5, BufIndex: 3}},
		{"PrepRecvBundle", func(s *SQE) { s.PrepRecvBundle(5, 0, 3) }, SQE{Opcode: OpRecv, Flags: SQEBufferSelect, IoPrio: 1 << 4, Fd: 5, BufIndex: 3}},
		{"PrepRecvBundle/multishot", func(s *SQE) { s.PrepRecvBundle(5, 0, 3); s.SetIoPrio(RecvMultishot) }, SQE{Opcode: OpRecv, Flags: SQEBufferSelect, IoPrio: 1<<4 | 1<<1, Fd: 5, BufIndex: 3}},
		{"PrepSendmsg", func(s *SQE) { s.PrepSendmsg(5, msg, unix.MSG_DONTWAIT) }, SQE{Opcode: OpSendmsg, Fd: 5, Addr: ma, Len: 1, OpFlags: unix.MSG_DONTWAIT}},
		{"PrepRecvmsg", func(s *SQE) { s.PrepRecvmsg(5, msg, 0) }, SQE{Opcode: OpRecvmsg, Fd: 5, Addr: ma, Len: 1}},
		{"PrepRecvmsgMultishot", func(s *SQE) { s.PrepRecvmsgMultishot(5, msg, 0, 3) }, SQE{Opcode: OpRecvmsg, Flags: SQEBufferSelect, IoPrio: 1 << 1, Fd: 5, Addr: ma, Len: 1, BufIndex: 3}},
		{"PrepSendZC", func(s *SQE) { s.PrepSendZC(5, buf, 0, SendZCReportUsage) }, SQE{Opcode: OpSendZC, IoPrio: 1 << 3, Fd: 5, Addr: b0, Len: 64}},
		{"PrepSendZCFixed", func(s *SQE) { s.PrepSendZCFixed(5, buf, 0, 0, 2) }, SQE{Opcode: OpSendZC, IoPrio: 1 << 2, Fd: 5, Addr: b0, Len: 64, BufIndex: 2}},
		{"PrepSendmsgZC", func(s *SQE) { s.PrepSendmsgZC(5, msg, 0) }, SQE{Opcode: OpSendmsgZC, Fd: 5, Addr: ma, Len: 1}},
		{"PrepRecvZC", func(s *SQE) { s.PrepRecvZC(5, 1, 0) }, SQE{Opcode: OpRecvZC, IoPrio: 1 << 1, Fd: 5, SpliceFdIn: 1}},
		{"PrepSiocinq", func(s *SQE) { s.PrepSiocinq(5) }, SQE{Opcode: OpURingCmd, Fd: 5}},
		{"PrepSiocoutq", func(s *SQE) { s.PrepSiocoutq(5) }, SQE{Opcode: OpURingCmd, Fd: 5, Off: 1}},
		{"PrepGetsockopt", func(s *SQE) { s.PrepGetsockopt(5, unix.SOL_SOCKET, unix.SO_RCVBUF, buf[:4]) }, SQE{Opcode: OpURingCmd, Fd: 5, Off: 2, Addr: unix.SOL_SOCKET | unix.SO_RCVBUF<<32, SpliceFdIn: 4, Addr3: b0}},
		{"PrepSetsockopt", func(s *SQE) { s.PrepSetsockopt(5, unix.SOL_SOCKET, unix.SO_SNDBUF, buf[:4]) }, SQE{Opcode: OpURingCmd, Fd: 5, Off: 3, Addr: unix.SOL_SOCKET | unix.SO_SNDBUF<<32, SpliceFdIn: 4, Addr3: b0}},
		{"PrepURingCmd", func(s *SQE) { s.PrepURingCmd(5, 0x42, [16]byte{1, 0, 0, 0, 0, 0, 0, 0, 2}) }, SQE{Opcode: OpURingCmd, Fd: 5, Off: 0x42, Addr3: 1, Pad2: 2}},

		// poll
		{"PrepPollAdd", func(s *SQE) { s.PrepPollAdd(5, unix.POLLIN) }, SQE{Opcode: OpPollAdd, Fd: 5, OpFlags: unix.POLLIN}},
		{"PrepPollMultishot", func(s *SQE) { s.PrepPollMultishot(5, unix.POLLIN|unix.POLLOUT) }, SQE{Opcode: OpPollAdd, Fd: 5, Len: PollAddMulti, OpFlags: unix.POLLIN | unix.POLLOUT}},
		{"PrepPollRemove", func(s *SQE) { s.PrepPollRemove(ud) }, SQE{Opcode: OpPollRemove, Fd: -1, Addr: ud}},
		{"PrepPollUpdate", func(s *SQE) { s.PrepPollUpdate(ud, 99, unix.POLLOUT, PollUpdateEvents|PollUpdateUserData) }, SQE{Opcode: OpPollRemove, Fd: -1, Addr: ud, Off: 99, Len: 6, OpFlags: unix.POLLOUT}},
		{"PrepEpollCtl", func(s *SQE) { s.PrepEpollCtl(5, 6, unix.EPOLL_CTL_ADD, &ev[0]) }, SQE{Opcode: OpEpollCtl, Fd: 5, Addr: at(&ev[0]), Len: unix.EPOLL_CTL_ADD, Off: 6}},
		{"PrepEpollWait", func(s *SQE) { s.PrepEpollWait(5, ev) }, SQE{Opcode: OpEpollWait, Fd: 5, Addr: at(&ev[0]), Len: 2}},

		// timeout
		{"PrepTimeout", func(s *SQE) { s.PrepTimeout(ts, 0, 0) }, SQE{Opcode: OpTimeout, Fd: -1, Addr: tsa, Len: 1}},
		{"PrepTimeout/count-abs-realtime", func(s *SQE) { s.PrepTimeout(ts, 3, TimeoutAbs|TimeoutRealtime) }, SQE{Opcode: OpTimeout, Fd: -1, Addr: tsa, Len: 1, Off: 3, OpFlags: 1 | 1<<3}},
		{"PrepTimeout/boottime", func(s *SQE) { s.PrepTimeout(ts, 0, TimeoutBoottime) }, SQE{Opcode: OpTimeout, Fd: -1, Addr: tsa, Len: 1, OpFlags: 1 << 2}},
		{"PrepTimeout/etime-success", func(s *SQE) { s.PrepTimeout(ts, 0, TimeoutETimeSuccess) }, SQE{Opcode: OpTimeout, Fd: -1, Addr: tsa, Len: 1, OpFlags: 1 << 5}},
		{"PrepTimeout/multishot", func(s *SQE) { s.PrepTimeout(ts, 3, TimeoutMultishot) }, SQE{Opcode: OpTimeout, Fd: -1, Addr: tsa, Len: 1, Off: 3, OpFlags: 1 << 6}},
		{"PrepTimeoutRemove", func(s *SQE) { s.PrepTimeoutRemove(ud, 0) }, SQE{Opcode: OpTimeoutRemove, Fd: -1, Addr: ud}},
		{"PrepTimeoutUpdate", func(s *SQE) { s.PrepTimeoutUpdate(ts, ud, TimeoutAbs) }, SQE{Opcode: OpTimeoutRemove, Fd: -1, Addr: ud, Off: tsa, OpFlags: 1<<1 | 1}},
		{"PrepLinkTimeoutUpdate", func(s *SQE) { s.PrepLinkTimeoutUpdate(ts, ud, 0) }, SQE{Opcode: OpTimeoutRemove, Fd: -1, Addr: ud, Off: tsa, OpFlags: 1<<1 | 1<<4}},
		{"PrepLinkTimeout", func(s *SQE) { s.PrepLinkTimeout(ts, 0) }, SQE{Opcode: OpLinkTimeout, Fd: -1, Addr: tsa, Len: 1}},

		// cancel
		{"PrepCancel", func(s *SQE) { s.PrepCancel(ud, 0) }, SQE{Opcode: OpAsyncCancel, Fd: -1, Addr: ud}},
		{"PrepCancel/all", func(s *SQE) { s.PrepCancel(ud, CancelAll) }, SQE{Opcode: OpAsyncCancel, Fd: -1, Addr: ud, OpFlags: 1}},
		{"PrepCancelFd", func(s *SQE) { s.PrepCancelFd(5, 0) }, SQE{Opcode: OpAsyncCancel, Fd: 5, OpFlags: 1 << 1}},
		{"PrepCancelFixedFd", func(s *SQE) { s.PrepCancelFixedFd(2, CancelAll) }, SQE{Opcode: OpAsyncCancel, Fd: 2, OpFlags: 1 | 1<<1 | 1<<3}},
		{"PrepCancelOp", func(s *SQE) { s.PrepCancelOp(OpRead, CancelAll) }, SQE{Opcode: OpAsyncCancel, Fd: -1, Len: 22, OpFlags: 1 | 1<<5}},
		{"PrepCancelAny", func(s *SQE) { s.PrepCancelAny(CancelAll) }, SQE{Opcode: OpAsyncCancel, Fd: -1, OpFlags: 1 | 1<<2}},

		// buffers
		{"PrepProvideBuffers", func(s *SQE) { s.PrepProvideBuffers(buf, 16, 4, 7, 100) }, SQE{Opcode: OpProvideBuffers, Fd: 4, Addr: b0, Len: 16, Off: 100, BufIndex: 7}},
		{"PrepRemoveBuffers", func(s *SQE) { s.PrepRemoveBuffers(4, 7) }, SQE{Opcode: OpRemoveBuffers, Fd: 4, BufIndex: 7}},

		// xattr
		{"PrepFsetxattr", func(s *SQE) { s.PrepFsetxattr(5, name, buf[:3], unix.XATTR_CREATE) }, SQE{Opcode: OpFsetxattr, Fd: 5, Addr: na, Off: b0, Len: 3, OpFlags: unix.XATTR_CREATE}},
		{"PrepSetxattr", func(s *SQE) { s.PrepSetxattr(path, name, buf[:3], unix.XATTR_REPLACE) }, SQE{Opcode: OpSetxattr, Addr: na, Off: b0, Len: 3, OpFlags: unix.XATTR_REPLACE, Addr3: pa}},
		{"PrepFgetxattr", func(s *SQE) { s.PrepFgetxattr(5, name, buf) }, SQE{Opcode: OpFgetxattr, Fd: 5, Addr: na, Off: b0, Len: 64}},
		{"PrepGetxattr", func(s *SQE) { s.PrepGetxattr(path, name, buf) }, SQE{Opcode: OpGetxattr, Addr: na, Off: b0, Len: 64, Addr3: pa}},

		// futex
		{"PrepFutexWait", func(s *SQE) { s.PrepFutexWait(futex, 7, FutexBitsetMatchAny, Futex2SizeU32|Futex2Private) }, SQE{Opcode: OpFutexWait, Fd: 130, Addr: at(futex), Off: 7, Addr3: 0xffffffff}},
		{"PrepFutexWake", func(s *SQE) { s.PrepFutexWake(futex, 1, FutexBitsetMatchAny, Futex2SizeU32) }, SQE{Opcode: OpFutexWake, Fd: 2, Addr: at(futex), Off: 1, Addr3: 0xffffffff}},
		{"PrepFutexWaitv", func(s *SQE) { s.PrepFutexWaitv(fw) }, SQE{Opcode: OpFutexWaitv, Addr: at(&fw[0]), Len: 1}},

		// process
		{"PrepWaitid", func(s *SQE) { s.PrepWaitid(unix.P_PID, 1234, info, unix.WEXITED) }, SQE{Opcode: OpWaitid, Fd: 1234, Len: unix.P_PID, Off: at(info), SpliceFdIn: unix.WEXITED}},

		// misc
		{"PrepMsgRing", func(s *SQE) { s.PrepMsgRing(8, 42, ud, 0) }, SQE{Opcode: OpMsgRing, Fd: 8, Len: 42, Off: ud}},
		{"PrepMsgRingCQEFlags", func(s *SQE) { s.PrepMsgRingCQEFlags(8, 42, ud, 0, 0x10000) }, SQE{Opcode: OpMsgRing, Fd: 8, Len: 42, Off: ud, OpFlags: 1 << 1, SpliceFdIn: 0x10000}},
		{"PrepMsgRingFd", func(s *SQE) { s.PrepMsgRingFd(8, 1, 2, ud, 0) }, SQE{Opcode: OpMsgRing, Fd: 8, Addr: 1, Off: ud, Addr3: 1, SpliceFdIn: 3}},
		{"PrepMsgRingFd/alloc-skip", func(s *SQE) { s.PrepMsgRingFd(8, 1, FileIndexAlloc, ud, MsgRingCQESkip) }, SQE{Opcode: OpMsgRing, Fd: 8, Addr: 1, Off: ud, Addr3: 1, OpFlags: 1, SpliceFdIn: -1}},
		{"PrepPipe", func(s *SQE) { s.PrepPipe(pipe, unix.O_CLOEXEC) }, SQE{Opcode: OpPipe, Addr: at(pipe), OpFlags: unix.O_CLOEXEC}},
		{"PrepPipeDirect", func(s *SQE) { s.PrepPipeDirect(pipe, 0, FileIndexAlloc) }, SQE{Opcode: OpPipe, Addr: at(pipe), SpliceFdIn: -1}},

		// flag setters on top of a prep
		{"SetFixedFile", func(s *SQE) { s.PrepNop(); s.SetFixedFile() }, SQE{Opcode: OpNop, Flags: 1}},
		{"SetDrain", func(s *SQE) { s.PrepNop(); s.SetDrain() }, SQE{Opcode: OpNop, Flags: 2}},
		{"SetLink", func(s *SQE) { s.PrepNop(); s.SetLink() }, SQE{Opcode: OpNop, Flags: 4}},
		{"SetHardlink", func(s *SQE) { s.PrepNop(); s.SetHardlink() }, SQE{Opcode: OpNop, Flags: 8}},
		{"SetAsync", func(s *SQE) { s.PrepNop(); s.SetAsync() }, SQE{Opcode: OpNop, Flags: 16}},
		{"SetBufferSelect", func(s *SQE) { s.PrepNop(); s.SetBufferSelect(9) }, SQE{Opcode: OpNop, Flags: 32, BufIndex: 9}},
		{"SetCQESkipSuccess", func(s *SQE) { s.PrepNop(); s.SetCQESkipSuccess() }, SQE{Opcode: OpNop, Flags: 64}},
		{"SetUserData", func(s *SQE) { s.PrepNop(); s.SetUserData(ud); s.SetPersonality(3) }, SQE{Opcode: OpNop, UserData: ud, Personality: 3}},
		{"SetFlags", func(s *SQE) { s.PrepNop(); s.SetFlags(SQEIOLink | SQECQESkipSuccess) }, SQE{Opcode: OpNop, Flags: 4 | 64}},
	}
}

func TestPrepWholeSQE(t *testing.T) {
	for _, c := range prepCases() {
		t.Run(c.name, func(t *testing.T) {
			var s SQE
			dirty(&s)
			c.prep(&s)
			if d := cmp.Diff(c.want, s); d != "" {
				t.Errorf("SQE (-want +got):\n%s", d)
			}
		})
	}
}

// dirty fills s with 0xff bytes, as a slot reused from an earlier request
// might be, so a prep that does not overwrite a field shows up.
func dirty(s *SQE) {
	b := unsafe.Slice((*byte)(unsafe.Pointer(s)), unsafe.Sizeof(*s))
	for i := range b {
		b[i] = 0xff
	}
}

// TestPrepFieldsMatchFacts checks the facts table against the preps: every
// prep the table names has a whole-SQE case, every Prep method of SQE is
// named by the table, and each case sets only the SQE fields the table
// declares for its opcode.
func TestPrepFieldsMatchFacts(t *testing.T) {
	owner := map[string]Op{}
	for op := Op(0); op < OpLast; op++ {
		for _, p := range opTable[op].preps {
			if prev, dup := owner[p]; dup {
				t.Errorf("%s listed for both %v and %v", p, prev, op)
			}
			owner[p] = op
		}
	}
	typ := reflect.TypeOf(&SQE{})
	for i := 0; i < typ.NumMethod(); i++ {
		m := typ.Method(i).Name
		if strings.HasPrefix(m, "Prep") && m != "PrepRW" {
			if _, ok := owner[m]; !ok {
				t.Errorf("SQE.%s is in no opTable entry's preps", m)
			}
		}
	}
	covered := map[string]bool{}
	for _, c := range prepCases() {
		prep, _, _ := strings.Cut(c.name, "/")
		covered[prep] = true
		op, ok := owner[prep]
		if !ok {
			continue // PrepRW and the flag setters
		}
		if c.want.Opcode != op {
			t.Errorf("%s: writes opcode %v, the table lists it under %v", c.name, c.want.Opcode, op)
		}
		if used := fieldsSet(&c.want); used&^opTable[op].fields != 0 {
			t.Errorf("%s: sets %v, which opTable[%v].fields (%v) does not declare", c.name, used&^opTable[op].fields, op, opTable[op].fields)
		}
	}
	for p, op := range owner {
		if !covered[p] {
			t.Errorf("%s (%v) has no whole-SQE case", p, op)
		}
	}
}

// fieldsSet returns the non-zero fields of s among those sqeFields tracks.
func fieldsSet(s *SQE) sqeFields {
	var f sqeFields
	set := func(nonzero bool, bit sqeFields) {
		if nonzero {
			f |= bit
		}
	}
	set(s.Fd != 0, fFd)
	set(s.Off != 0, fOff)
	set(s.Addr != 0, fAddr)
	set(s.Len != 0, fLen)
	set(s.OpFlags != 0, fOpFlags)
	set(s.IoPrio != 0, fIoPrio)
	set(s.BufIndex != 0, fBufIndex)
	set(s.SpliceFdIn != 0, fSpliceFdIn)
	set(s.Addr3 != 0, fAddr3)
	set(s.Pad2 != 0, fPad2)
	return f
}

// TestOpTable checks the facts table itself: every opcode has an entry
// whose name and first kernel are set, and names are unique.
func TestOpTable(t *testing.T) {
	seen := map[string]bool{}
	for op := Op(0); op < OpLast; op++ {
		f := opTable[op]
		if f.name == "" || f.kernel.Major == 0 || len(f.preps) == 0 || f.res == "" || f.proof == "" {
			t.Errorf("opTable[%d] incomplete: %+v", op, f)
		}
		if seen[f.name] {
			t.Errorf("duplicate name %s", f.name)
		}
		seen[f.name] = true
	}
	if OpLast != 63 || OpPipe != 62 {
		t.Errorf("OpLast = %d, OpPipe = %d; Linux 6.18 has 63 opcodes ending with PIPE = 62", OpLast, OpPipe)
	}
}

// TestPrepForcesHeap checks that memory whose address a prep stores is
// moved to the heap even when the caller declared it as a local: the
// stack can move, so it must never reach the kernel (the bug of peers that
// pass a local timespec's address).
func TestPrepForcesHeap(t *testing.T) {
	var s SQE
	for name, f := range map[string]func(){
		"timespec": func() { var ts Timespec; s.PrepTimeout(&ts, 0, 0) },
		"buffer":   func() { var b [64]byte; s.PrepRead(0, b[:], 0) },
		"fds":      func() { var fds [2]int32; s.PrepPipe(&fds, 0) },
		"iovecs":   func() { var v [2]unix.Iovec; s.PrepReadv(0, v[:], 0, 0) },
	} {
		if n := testing.AllocsPerRun(10, f); n != 1 {
			t.Errorf("%s: %v allocations, want 1 (the local escapes to the heap)", name, n)
		}
	}
}
