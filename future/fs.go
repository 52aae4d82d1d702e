package future

import (
	"math"
	"unsafe"

	"github.com/uringkit/uring/ring"
)

// File-system family. dirfd is a directory fd or unix.AT_FDCWD; paths are
// copied to NUL-terminated heap memory the Op keeps until the CQE. A path
// with a NUL byte gives an Op whose Err (and submission) is EINVAL.

// pathOp prepares an op that uses one path.
func pathOp[T any](op ring.Op, path string, decode func(ring.CQE, unsafe.Pointer) (T, error), prep func(s *ring.SQE, p *byte)) Op[T] {
	p, err := cstr(path)
	var s ring.SQE
	if err != nil {
		s.Opcode = op
		return newOp(s, nil, decode).withErr("path contains a NUL byte")
	}
	prep(&s, p)
	return newOp(s, unsafe.Pointer(p), decode)
}

// twoPathOp prepares an op that uses two paths.
func twoPathOp(op ring.Op, a, b string, prep func(s *ring.SQE, a, b *byte)) Op[struct{}] {
	pa, errA := cstr(a)
	pb, errB := cstr(b)
	var s ring.SQE
	if errA != nil || errB != nil {
		s.Opcode = op
		return newOp(s, nil, decodeVoid).withErr("path contains a NUL byte")
	}
	prep(&s, pa, pb)
	return newOp(s, unsafe.Pointer(&twoPaths{pa, pb}), decodeVoid)
}

// Fsync is IORING_OP_FSYNC (5.1): fsync(2).
func Fsync(fd int) Op[struct{}] {
	var s ring.SQE
	s.PrepFsync(int32(fd), 0)
	return newOp(s, nil, decodeVoid)
}

// Fdatasync is IORING_OP_FSYNC with IORING_FSYNC_DATASYNC (5.1): fdatasync(2).
func Fdatasync(fd int) Op[struct{}] {
	var s ring.SQE
	s.PrepFsync(int32(fd), ring.FsyncDatasync)
	return newOp(s, nil, decodeVoid)
}

// SyncFileRange is IORING_OP_SYNC_FILE_RANGE (5.2): sync_file_range(2).
func SyncFileRange(fd int, off int64, n uint32, flags uint32) Op[struct{}] {
	var s ring.SQE
	s.PrepSyncFileRange(int32(fd), off, n, flags)
	return newOp(s, nil, decodeVoid)
}

// Fallocate is IORING_OP_FALLOCATE (5.6): fallocate(2).
func Fallocate(fd int, mode uint32, off, length int64) Op[struct{}] {
	var s ring.SQE
	s.PrepFallocate(int32(fd), mode, off, length)
	return newOp(s, nil, decodeVoid)
}

// Fadvise is IORING_OP_FADVISE (5.6): posix_fadvise(2).
func Fadvise(fd int, off int64, n uint32, advice uint32) Op[struct{}] {
	var s ring.SQE
	s.PrepFadvise(int32(fd), off, n, advice)
	return newOp(s, nil, decodeVoid)
}

// Madvise is IORING_OP_MADVISE (5.6): madvise(2) over mem. mem longer
// than the SQE's 32-bit length can say (4 GiB - 1) is an *ArgError:
// madvise has no short count, so advice over only the first 4 GiB would
// look like success; split the range instead.
func Madvise(mem []byte, advice uint32) Op[struct{}] {
	var s ring.SQE
	s.PrepMadvise(mem, advice)
	op := newOp(s, bytesPtr(mem), decodeVoid)
	if uint64(len(mem)) > math.MaxUint32 {
		return op.withErr("mem is longer than 4 GiB - 1, the most one IORING_OP_MADVISE covers")
	}
	return op
}

// Ftruncate is IORING_OP_FTRUNCATE (6.9): ftruncate(2).
func Ftruncate(fd int, length int64) Op[struct{}] {
	var s ring.SQE
	s.PrepFtruncate(int32(fd), length)
	return newOp(s, nil, decodeVoid)
}

// Openat is IORING_OP_OPENAT (5.6): openat(2); the value is the new fd.
// flags are passed as given: unlike os.OpenFile, O_CLOEXEC is not added
// (and AT_FDCWD, not 0, is the current directory).
func Openat(dirfd int, path string, flags int, mode uint32) Op[FD] {
	return pathOp(ring.OpOpenat, path, decodeFD, func(s *ring.SQE, p *byte) { s.PrepOpenat(int32(dirfd), p, uint32(flags), mode) }).withMade(madeFD)
}

// OpenatDirect is IORING_OP_OPENAT (5.15) installing the file as a direct
// descriptor in slot (ring.FileIndexAlloc: any free slot; the value is
// then the slot, else 0 is mapped to slot).
func OpenatDirect(dirfd int, path string, flags int, mode uint32, slot uint32) Op[Direct] {
	op := pathOp(ring.OpOpenat, path, decodeDirect, func(s *ring.SQE, p *byte) {
		s.PrepOpenatDirect(int32(dirfd), p, uint32(flags), mode, slot)
	})
	if slot != ring.FileIndexAlloc {
		op.decode = decodeSlot(slot)
	}
	return op.withMade(madeDirect)
}

// decodeSlot returns a decoder that reports the fixed slot an operation
// installed into (res is 0 then).
func decodeSlot(slot uint32) func(ring.CQE, unsafe.Pointer) (Direct, error) {
	switch slot {
	case 0:
		return decodeSlot0
	}
	return func(ring.CQE, unsafe.Pointer) (Direct, error) { return Direct(slot), nil }
}

func decodeSlot0(ring.CQE, unsafe.Pointer) (Direct, error) { return 0, nil }

// openHow keeps openat2's path and struct open_how.
type openHow struct {
	path *byte
	how  ring.OpenHow
}

// Openat2 is IORING_OP_OPENAT2 (5.6): openat2(2) with how (RESOLVE_* and
// the rest); the value is the new fd.
func Openat2(dirfd int, path string, how ring.OpenHow) Op[FD] {
	p, err := cstr(path)
	var s ring.SQE
	if err != nil {
		s.Opcode = ring.OpOpenat2
		return newOp(s, nil, decodeFD).withErr("path contains a NUL byte")
	}
	k := &openHow{path: p, how: how}
	s.PrepOpenat2(int32(dirfd), p, &k.how)
	return newOp(s, unsafe.Pointer(k), decodeFD).withMade(madeFD)
}

// Close is IORING_OP_CLOSE (5.6): close(2).
func Close(fd int) Op[struct{}] {
	var s ring.SQE
	s.PrepClose(int32(fd))
	return newOp(s, nil, decodeVoid)
}

// CloseDirect is IORING_OP_CLOSE of the direct descriptor in slot (5.15).
func CloseDirect(slot uint32) Op[struct{}] {
	var s ring.SQE
	s.PrepCloseDirect(slot)
	return newOp(s, nil, decodeVoid)
}

// statxKeep keeps statx's path and result buffer.
type statxKeep struct {
	path *byte
	stx  ring.Statx
}

// Statx is IORING_OP_STATX (5.6): statx(2) with AT_* flags and STATX_*
// mask; the value is the struct statx.
func Statx(dirfd int, path string, flags int, mask uint32) Op[ring.Statx] {
	p, err := cstr(path)
	var s ring.SQE
	if err != nil {
		s.Opcode = ring.OpStatx
		return newOp(s, nil, decodeStatx).withErr("path contains a NUL byte")
	}
	k := &statxKeep{path: p}
	s.PrepStatx(int32(dirfd), p, uint32(flags), mask, &k.stx)
	op := newOp(s, unsafe.Pointer(k), decodeStatx)
	op.renew = renewStatx
	return op
}

// renewStatx gives a submission its own result buffer (Op.Fresh).
func renewStatx(s ring.SQE, keep unsafe.Pointer) (ring.SQE, unsafe.Pointer) {
	k := &statxKeep{path: (*statxKeep)(keep).path}
	s.Off = uint64(uintptr(unsafe.Pointer(&k.stx)))
	return s, unsafe.Pointer(k)
}

func decodeStatx(_ ring.CQE, keep unsafe.Pointer) (ring.Statx, error) {
	return (*statxKeep)(keep).stx, nil
}

// Renameat is IORING_OP_RENAMEAT (5.11): renameat2(2) with RENAME_* flags.
func Renameat(oldDirfd int, oldPath string, newDirfd int, newPath string, flags uint32) Op[struct{}] {
	return twoPathOp(ring.OpRenameat, oldPath, newPath, func(s *ring.SQE, a, b *byte) {
		s.PrepRenameat(int32(oldDirfd), a, int32(newDirfd), b, flags)
	})
}

// Unlinkat is IORING_OP_UNLINKAT (5.11): unlinkat(2); unix.AT_REMOVEDIR
// removes a directory.
func Unlinkat(dirfd int, path string, flags uint32) Op[struct{}] {
	return pathOp(ring.OpUnlinkat, path, decodeVoid, func(s *ring.SQE, p *byte) { s.PrepUnlinkat(int32(dirfd), p, flags) })
}

// Mkdirat is IORING_OP_MKDIRAT (5.15): mkdirat(2).
func Mkdirat(dirfd int, path string, mode uint32) Op[struct{}] {
	return pathOp(ring.OpMkdirat, path, decodeVoid, func(s *ring.SQE, p *byte) { s.PrepMkdirat(int32(dirfd), p, mode) })
}

// Symlinkat is IORING_OP_SYMLINKAT (5.15): symlinkat(2), a link at
// linkPath (relative to newDirfd) pointing to target.
func Symlinkat(target string, newDirfd int, linkPath string) Op[struct{}] {
	return twoPathOp(ring.OpSymlinkat, target, linkPath, func(s *ring.SQE, a, b *byte) {
		s.PrepSymlinkat(a, int32(newDirfd), b)
	})
}

// Linkat is IORING_OP_LINKAT (5.15): linkat(2) with AT_* flags.
func Linkat(oldDirfd int, oldPath string, newDirfd int, newPath string, flags uint32) Op[struct{}] {
	return twoPathOp(ring.OpLinkat, oldPath, newPath, func(s *ring.SQE, a, b *byte) {
		s.PrepLinkat(int32(oldDirfd), a, int32(newDirfd), b, flags)
	})
}
