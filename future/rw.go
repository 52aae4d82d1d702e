package future

import (
	"github.com/uringkit/uring/ring"
)

// Read/write family. off is a file offset; -1 means the file position
// (pipes, sockets, FEAT_RW_CUR_POS). The value is the byte count; a count
// other than the requested length is short, which breaks a soft link in a
// chain. Registered buffers: .FixedBuffer(index); registered files: .Fixed().

// Read is IORING_OP_READ (5.6): pread(2) into buf at off, or read(2) at
// the fd's file position, which it advances, when off is -1 (use -1 for
// pipes and sockets). The value is the byte count, 0 at end of file (not
// io.EOF). buf is kept until the CQE.
func Read(fd int, buf []byte, off int64) Op[int] {
	var s ring.SQE
	s.PrepRead(int32(fd), buf, off)
	o := newOp(s, bytesPtr(buf), decodeInt)
	o.expect = int64(len(buf))
	return o
}

// Write is IORING_OP_WRITE (5.6): pwrite(2) of buf at off, or write(2) at
// the fd's file position when off is -1. The value is the byte count,
// which may be short.
func Write(fd int, buf []byte, off int64) Op[int] {
	var s ring.SQE
	s.PrepWrite(int32(fd), buf, off)
	o := newOp(s, bytesPtr(buf), decodeInt)
	o.expect = int64(len(buf))
	return o
}

// Readv is IORING_OP_READV (5.1): preadv2(2) into bufs at off with RWF_*
// flags. It allocates the iovec array.
func Readv(fd int, bufs [][]byte, off int64, rwFlags uint32) Op[int] {
	iov, total := iovecs(bufs)
	var s ring.SQE
	s.PrepReadv(int32(fd), iov, off, rwFlags)
	o := newOp(s, iovPtr(iov), decodeInt)
	o.expect = total
	return o
}

// Writev is IORING_OP_WRITEV (5.1): pwritev2(2) of bufs at off with RWF_*
// flags. It allocates the iovec array.
func Writev(fd int, bufs [][]byte, off int64, rwFlags uint32) Op[int] {
	iov, total := iovecs(bufs)
	var s ring.SQE
	s.PrepWritev(int32(fd), iov, off, rwFlags)
	o := newOp(s, iovPtr(iov), decodeInt)
	o.expect = total
	return o
}

// Splice is IORING_OP_SPLICE (5.7): splice(2) of n bytes from fdIn at
// offIn to fdOut at offOut (-1: the fd's position; required for pipes).
// flags are SPLICE_F_*; ring.SpliceFFdInFixed makes fdIn a registered file.
// On 6.18 a splice from an empty pipe blocks in an io-wq worker, where a
// linked timeout does not cut it off; cancel it through the context.
func Splice(fdIn int, offIn int64, fdOut int, offOut int64, n uint32, flags uint32) Op[int] {
	var s ring.SQE
	s.PrepSplice(int32(fdIn), offIn, int32(fdOut), offOut, n, flags)
	o := newOp(s, nil, decodeInt)
	o.expect = int64(n)
	return o
}

// Tee is IORING_OP_TEE (5.8): tee(2) of n bytes from pipe fdIn to pipe fdOut.
func Tee(fdIn, fdOut int, n uint32, flags uint32) Op[int] {
	var s ring.SQE
	s.PrepTee(int32(fdIn), int32(fdOut), n, flags)
	o := newOp(s, nil, decodeInt)
	o.expect = int64(n)
	return o
}
