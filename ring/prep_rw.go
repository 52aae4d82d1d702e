package ring

import "golang.org/x/sys/unix"

// Read/write family: READ, WRITE, READV, WRITEV, their registered-buffer
// forms, READ_MULTISHOT, SPLICE and TEE. off is a file offset; -1 means the
// file position (FEAT_RW_CUR_POS, 5.6), which also suits pipes and sockets.

// iovecAddr returns the address of iovs' first element (0 if empty). The
// kernel reads the array at submission for READV/WRITEV, but the buffers
// the iovecs point to are used until the CQE.
func iovecAddr(iovs []unix.Iovec) uint64 {
	if len(iovs) == 0 {
		return 0
	}
	return ptrAddr(&iovs[0])
}

// PrepRead prepares IORING_OP_READ: pread(2) of len(buf) bytes at off.
// Res: bytes read, 0 at end of file. CQE flags: none. Since 5.6.
// Memory: buf until the CQE.
func (s *SQE) PrepRead(fd int32, buf []byte, off int64) {
	*s = SQE{Opcode: OpRead, Fd: fd, Addr: addrOf(buf), Len: lenOf(buf), Off: uint64(off)}
}

// PrepReadSelect prepares IORING_OP_READ into a provided buffer: up to
// nbytes from a buffer of group, chosen when data is ready
// (IOSQE_BUFFER_SELECT, 5.7). Res: bytes read. CQE flags: F_BUFFER (the
// buffer id, CQE.BufferID). Since 5.7. Memory: the group's buffers until
// they are returned.
func (s *SQE) PrepReadSelect(fd int32, nbytes uint32, off int64, group uint16) {
	*s = SQE{Opcode: OpRead, Flags: SQEBufferSelect, Fd: fd, Len: nbytes, Off: uint64(off), BufIndex: group}
}

// PrepWrite prepares IORING_OP_WRITE: pwrite(2) of buf at off.
// Res: bytes written. CQE flags: none. Since 5.6. Memory: buf until the CQE.
func (s *SQE) PrepWrite(fd int32, buf []byte, off int64) {
	*s = SQE{Opcode: OpWrite, Fd: fd, Addr: addrOf(buf), Len: lenOf(buf), Off: uint64(off)}
}

// PrepReadv prepares IORING_OP_READV: preadv2(2) into iovs at off with
// RWF_* rwFlags. Res: bytes read. CQE flags: none. Since 5.1.
// Memory: iovs and the buffers they point to until the CQE.
func (s *SQE) PrepReadv(fd int32, iovs []unix.Iovec, off int64, rwFlags uint32) {
	*s = SQE{Opcode: OpReadv, Fd: fd, Addr: iovecAddr(iovs), Len: lenOf(iovs), Off: uint64(off), OpFlags: rwFlags}
}

// PrepWritev prepares IORING_OP_WRITEV: pwritev2(2) from iovs at off with
// RWF_* rwFlags. Res: bytes written. CQE flags: none. Since 5.1.
// Memory: iovs and the buffers they point to until the CQE.
func (s *SQE) PrepWritev(fd int32, iovs []unix.Iovec, off int64, rwFlags uint32) {
	*s = SQE{Opcode: OpWritev, Fd: fd, Addr: iovecAddr(iovs), Len: lenOf(iovs), Off: uint64(off), OpFlags: rwFlags}
}

// PrepReadFixed prepares IORING_OP_READ_FIXED: pread(2) into buf, which
// must lie inside registered buffer bufIndex (REGISTER_BUFFERS).
// Res: bytes read. CQE flags: none. Since 5.1. Memory: the registered
// buffer stays registered until the CQE.
func (s *SQE) PrepReadFixed(fd int32, buf []byte, off int64, bufIndex uint16) {
	*s = SQE{Opcode: OpReadFixed, Fd: fd, Addr: addrOf(buf), Len: lenOf(buf), Off: uint64(off), BufIndex: bufIndex}
}

// PrepWriteFixed prepares IORING_OP_WRITE_FIXED: pwrite(2) from buf, which
// must lie inside registered buffer bufIndex.
// Res: bytes written. CQE flags: none. Since 5.1. Memory: the registered
// buffer stays registered until the CQE.
func (s *SQE) PrepWriteFixed(fd int32, buf []byte, off int64, bufIndex uint16) {
	*s = SQE{Opcode: OpWriteFixed, Fd: fd, Addr: addrOf(buf), Len: lenOf(buf), Off: uint64(off), BufIndex: bufIndex}
}

// PrepReadvFixed prepares IORING_OP_READV_FIXED: preadv2(2) into iovs,
// each of which must lie inside registered buffer bufIndex.
// Res: bytes read. CQE flags: none. Since 6.15. Memory: iovs until the
// CQE; the registered buffer stays registered until the CQE.
func (s *SQE) PrepReadvFixed(fd int32, iovs []unix.Iovec, off int64, rwFlags uint32, bufIndex uint16) {
	*s = SQE{Opcode: OpReadvFixed, Fd: fd, Addr: iovecAddr(iovs), Len: lenOf(iovs), Off: uint64(off), OpFlags: rwFlags, BufIndex: bufIndex}
}

// PrepWritevFixed prepares IORING_OP_WRITEV_FIXED: pwritev2(2) from iovs,
// each of which must lie inside registered buffer bufIndex.
// Res: bytes written. CQE flags: none. Since 6.15. Memory: iovs until the
// CQE; the registered buffer stays registered until the CQE.
func (s *SQE) PrepWritevFixed(fd int32, iovs []unix.Iovec, off int64, rwFlags uint32, bufIndex uint16) {
	*s = SQE{Opcode: OpWritevFixed, Fd: fd, Addr: iovecAddr(iovs), Len: lenOf(iovs), Off: uint64(off), OpFlags: rwFlags, BufIndex: bufIndex}
}

// PrepReadMultishot prepares IORING_OP_READ_MULTISHOT: repeated reads of up
// to nbytes (0: the buffer's size) from a pollable fd, each into a buffer of
// provided-buffer group group, until an error or end of file.
// Res: bytes read per CQE; the last CQE (no F_MORE) carries 0 or -errno.
// CQE flags: F_MORE while armed, F_BUFFER. Since 6.7. Memory: the group's
// buffers until the CQE without F_MORE.
func (s *SQE) PrepReadMultishot(fd int32, nbytes uint32, off int64, group uint16) {
	*s = SQE{Opcode: OpReadMultishot, Flags: SQEBufferSelect, Fd: fd, Len: nbytes, Off: uint64(off), BufIndex: group}
}

// PrepSplice prepares IORING_OP_SPLICE: splice(2) of n bytes from fdIn at
// offIn to fdOut at offOut (-1 for a pipe end). SPLICE_F_* flags; with
// SpliceFFdInFixed fdIn is a registered file index.
// Res: bytes moved. CQE flags: none. Since 5.7. Memory: none.
func (s *SQE) PrepSplice(fdIn int32, offIn int64, fdOut int32, offOut int64, n uint32, flags uint32) {
	*s = SQE{Opcode: OpSplice, Fd: fdOut, Off: uint64(offOut), Addr: uint64(offIn), Len: n, OpFlags: flags, SpliceFdIn: fdIn}
}

// PrepTee prepares IORING_OP_TEE: tee(2) of n bytes from pipe fdIn to pipe
// fdOut, without consuming them. SPLICE_F_* flags (SpliceFFdInFixed too).
// Res: bytes duplicated. CQE flags: none. Since 5.8. Memory: none.
func (s *SQE) PrepTee(fdIn, fdOut int32, n uint32, flags uint32) {
	*s = SQE{Opcode: OpTee, Fd: fdOut, Len: n, OpFlags: flags, SpliceFdIn: fdIn}
}
