package ring

import "golang.org/x/sys/unix"

// File-system family: open, close, stat, sync, allocate, advise, truncate,
// the *at path operations, the registered file table and FIXED_FD_INSTALL.
// Paths are *byte pointing at a NUL-terminated string (build one with
// unix.BytePtrFromString or PathBytes); the kernel copies a path when the
// request starts, which may be after submission, so keep it until the CQE.

// PathBytes returns path as a NUL-terminated byte string for the path
// preps, or unix.EINVAL if path contains a NUL byte.
func PathBytes(path string) (*byte, error) { return unix.BytePtrFromString(path) }

// PrepFsync prepares IORING_OP_FSYNC: fsync(2), or fdatasync(2) with
// FsyncDatasync in flags. Res: 0. CQE flags: none. Since 5.1. Memory: none.
func (s *SQE) PrepFsync(fd int32, flags uint32) {
	*s = SQE{Opcode: OpFsync, Fd: fd, OpFlags: flags}
}

// PrepSyncFileRange prepares IORING_OP_SYNC_FILE_RANGE: sync_file_range(2)
// of n bytes at off with SYNC_FILE_RANGE_* flags.
// Res: 0. CQE flags: none. Since 5.2. Memory: none.
func (s *SQE) PrepSyncFileRange(fd int32, off int64, n uint32, flags uint32) {
	*s = SQE{Opcode: OpSyncFileRange, Fd: fd, Off: uint64(off), Len: n, OpFlags: flags}
}

// PrepFallocate prepares IORING_OP_FALLOCATE: fallocate(2) with mode over
// length bytes at off. Res: 0. CQE flags: none. Since 5.6. Memory: none.
func (s *SQE) PrepFallocate(fd int32, mode uint32, off, length int64) {
	// The kernel takes the length from addr and the mode from len.
	*s = SQE{Opcode: OpFallocate, Fd: fd, Len: mode, Off: uint64(off), Addr: uint64(length)}
}

// PrepFadvise prepares IORING_OP_FADVISE: posix_fadvise(2) of advice
// (FADV_*) over n bytes at off. Res: 0. CQE flags: none. Since 5.6.
// Memory: none.
func (s *SQE) PrepFadvise(fd int32, off int64, n uint32, advice uint32) {
	*s = SQE{Opcode: OpFadvise, Fd: fd, Off: uint64(off), Len: n, OpFlags: advice}
}

// PrepMadvise prepares IORING_OP_MADVISE: madvise(2) of advice (MADV_*)
// over mem, which should be page aligned (an mmap'd region). The SQE's
// length is 32 bits: over a longer mem the advice covers only its first
// math.MaxUint32 bytes, and res is still 0 (future.Madvise refuses such a
// mem instead).
// Res: 0. CQE flags: none. Since 5.6. Memory: mem until the CQE.
func (s *SQE) PrepMadvise(mem []byte, advice uint32) {
	*s = SQE{Opcode: OpMadvise, Fd: -1, Addr: addrOf(mem), Len: lenOf(mem), OpFlags: advice}
}

// PrepFtruncate prepares IORING_OP_FTRUNCATE: ftruncate(2) to length.
// Res: 0. CQE flags: none. Since 6.9. Memory: none.
func (s *SQE) PrepFtruncate(fd int32, length int64) {
	*s = SQE{Opcode: OpFtruncate, Fd: fd, Off: uint64(length)}
}

// PrepOpenat prepares IORING_OP_OPENAT: openat(2) of path relative to dirfd
// (unix.AT_FDCWD for the working directory) with O_* flags and mode.
// Res: the new fd. CQE flags: none. Since 5.6. Memory: path until the CQE.
func (s *SQE) PrepOpenat(dirfd int32, path *byte, flags uint32, mode uint32) {
	*s = SQE{Opcode: OpOpenat, Fd: dirfd, Addr: ptrAddr(path), Len: mode, OpFlags: flags}
}

// PrepOpenatDirect is PrepOpenat installing the file as direct descriptor
// slot of the registered file table instead of a process fd; with slot
// FileIndexAlloc the kernel picks a free slot. O_CLOEXEC in flags is
// refused (EINVAL): a direct descriptor is not in the fd table.
// Res: 0, or the slot with FileIndexAlloc. CQE flags: none. Since 5.15
// (FileIndexAlloc 5.19). Memory: path until the CQE.
func (s *SQE) PrepOpenatDirect(dirfd int32, path *byte, flags uint32, mode uint32, slot uint32) {
	*s = SQE{Opcode: OpOpenat, Fd: dirfd, Addr: ptrAddr(path), Len: mode, OpFlags: flags, SpliceFdIn: fileIndex(slot)}
}

// PrepOpenat2 prepares IORING_OP_OPENAT2: openat2(2) of path relative to
// dirfd with how. Res: the new fd. CQE flags: none. Since 5.6.
// Memory: path and how until the CQE.
func (s *SQE) PrepOpenat2(dirfd int32, path *byte, how *OpenHow) {
	*s = SQE{Opcode: OpOpenat2, Fd: dirfd, Addr: ptrAddr(path), Len: openHowSize, Off: ptrAddr(how)}
}

// PrepOpenat2Direct is PrepOpenat2 installing a direct descriptor, as
// PrepOpenatDirect (no O_CLOEXEC). Res: 0, or the slot with FileIndexAlloc.
// CQE flags: none. Since 5.15. Memory: path and how until the CQE.
func (s *SQE) PrepOpenat2Direct(dirfd int32, path *byte, how *OpenHow, slot uint32) {
	*s = SQE{Opcode: OpOpenat2, Fd: dirfd, Addr: ptrAddr(path), Len: openHowSize, Off: ptrAddr(how), SpliceFdIn: fileIndex(slot)}
}

// openHowSize is sizeof(struct open_how), which OPENAT2 takes in len.
const openHowSize = 24

// PrepClose prepares IORING_OP_CLOSE: close(2).
// Res: 0. CQE flags: none. Since 5.6. Memory: none.
func (s *SQE) PrepClose(fd int32) {
	*s = SQE{Opcode: OpClose, Fd: fd}
}

// PrepCloseDirect prepares IORING_OP_CLOSE of direct descriptor slot.
// Res: 0. CQE flags: none. Since 5.15. Memory: none.
func (s *SQE) PrepCloseDirect(slot uint32) {
	*s = SQE{Opcode: OpClose, SpliceFdIn: fileIndex(slot)}
}

// PrepStatx prepares IORING_OP_STATX: statx(2) of path relative to dirfd
// (an empty path with unix.AT_EMPTY_PATH stats dirfd itself), AT_* flags,
// STATX_* mask, into stx.
// Res: 0. CQE flags: none. Since 5.6. Memory: path and stx until the CQE.
func (s *SQE) PrepStatx(dirfd int32, path *byte, flags uint32, mask uint32, stx *Statx) {
	*s = SQE{Opcode: OpStatx, Fd: dirfd, Addr: ptrAddr(path), Len: mask, Off: ptrAddr(stx), OpFlags: flags}
}

// PrepRenameat prepares IORING_OP_RENAMEAT: renameat2(2) of oldPath
// (relative to oldDirfd) to newPath (relative to newDirfd), RENAME_* flags.
// Res: 0. CQE flags: none. Since 5.11. Memory: both paths until the CQE.
func (s *SQE) PrepRenameat(oldDirfd int32, oldPath *byte, newDirfd int32, newPath *byte, flags uint32) {
	*s = SQE{Opcode: OpRenameat, Fd: oldDirfd, Addr: ptrAddr(oldPath), Len: uint32(newDirfd), Off: ptrAddr(newPath), OpFlags: flags}
}

// PrepUnlinkat prepares IORING_OP_UNLINKAT: unlinkat(2) of path relative to
// dirfd; unix.AT_REMOVEDIR in flags removes a directory.
// Res: 0. CQE flags: none. Since 5.11. Memory: path until the CQE.
func (s *SQE) PrepUnlinkat(dirfd int32, path *byte, flags uint32) {
	*s = SQE{Opcode: OpUnlinkat, Fd: dirfd, Addr: ptrAddr(path), OpFlags: flags}
}

// PrepMkdirat prepares IORING_OP_MKDIRAT: mkdirat(2) of path relative to
// dirfd with mode. Res: 0. CQE flags: none. Since 5.15.
// Memory: path until the CQE.
func (s *SQE) PrepMkdirat(dirfd int32, path *byte, mode uint32) {
	*s = SQE{Opcode: OpMkdirat, Fd: dirfd, Addr: ptrAddr(path), Len: mode}
}

// PrepSymlinkat prepares IORING_OP_SYMLINKAT: symlinkat(2) creating
// linkPath (relative to newDirfd) pointing at target.
// Res: 0. CQE flags: none. Since 5.15. Memory: both strings until the CQE.
func (s *SQE) PrepSymlinkat(target *byte, newDirfd int32, linkPath *byte) {
	*s = SQE{Opcode: OpSymlinkat, Fd: newDirfd, Addr: ptrAddr(target), Off: ptrAddr(linkPath)}
}

// PrepLinkat prepares IORING_OP_LINKAT: linkat(2) creating newPath
// (relative to newDirfd) as a hard link to oldPath (relative to oldDirfd),
// AT_* flags. Res: 0. CQE flags: none. Since 5.15.
// Memory: both paths until the CQE.
func (s *SQE) PrepLinkat(oldDirfd int32, oldPath *byte, newDirfd int32, newPath *byte, flags uint32) {
	*s = SQE{Opcode: OpLinkat, Fd: oldDirfd, Addr: ptrAddr(oldPath), Len: uint32(newDirfd), Off: ptrAddr(newPath), OpFlags: flags}
}

// PrepFilesUpdate prepares IORING_OP_FILES_UPDATE: replace registered file
// table slots offset.. with fds (-1 clears a slot); with offset
// FileIndexAlloc the kernel picks free slots and writes them back into fds.
// Res: number of slots updated. CQE flags: none. Since 5.6.
// Memory: fds until the CQE.
func (s *SQE) PrepFilesUpdate(fds []int32, offset uint32) {
	var addr uint64
	if len(fds) > 0 {
		addr = ptrAddr(&fds[0])
	}
	*s = SQE{Opcode: OpFilesUpdate, Fd: -1, Addr: addr, Len: lenOf(fds), Off: uint64(offset)}
}

// PrepFixedFdInstall prepares IORING_OP_FIXED_FD_INSTALL: install direct
// descriptor slot into the process fd table (IOSQE_FIXED_FILE is set, as the
// kernel requires); flags FixedFdNoCloexec leaves O_CLOEXEC off.
// Res: the new fd. CQE flags: none. Since 6.8. Memory: none.
func (s *SQE) PrepFixedFdInstall(slot int32, flags uint32) {
	*s = SQE{Opcode: OpFixedFdInstall, Flags: SQEFixedFile, Fd: slot, OpFlags: flags}
}
