package ring

import (
	"runtime"
	"unsafe"
)

// Fixed files: a per-ring table of file references. An SQE with
// IOSQE_FIXED_FILE names a slot instead of an fd, which saves the fd
// lookup and reference counting per request; direct-descriptor opcodes
// (OPENAT, ACCEPT, SOCKET with a file index) put new files straight into
// the table. The kernel takes its own reference on every file, so the fds
// passed here may be closed afterwards.

// maxFixedFiles is the kernel's hard cap on the table (rlimit NOFILE may
// lower it).
const maxFixedFiles = 1 << 20

// fdsOf converts fds to the __s32 array the kernel reads.
func fdsOf(fds []int) []int32 {
	out := make([]int32, len(fds))
	for i, fd := range fds {
		out[i] = int32(fd)
	}
	return out
}

// RegisterFiles registers fds as the fixed-file table 0..len(fds)-1
// (IORING_REGISTER_FILES, 5.1). An fd of -1 leaves its slot empty (5.5).
// A ring has one table: registering a second one fails with EBUSY.
func (r *Ring) RegisterFiles(fds []int) error {
	if err := checkFiles(RegisterFiles, fds, nil); err != nil {
		return err
	}
	arr := fdsOf(fds)
	err := r.register(RegisterFiles, unsafe.Pointer(unsafe.SliceData(arr)), uint32(len(arr)))
	runtime.KeepAlive(arr)
	return err
}

// RegisterFilesTagged registers fds like RegisterFiles with a tag per file
// (IORING_REGISTER_FILES2 with tags, 5.13; FEAT_RSRC_TAGS). When a file
// with a non-zero tag leaves the table (UpdateFiles, UnregisterFiles, a
// CLOSE of the direct descriptor) the kernel posts a CQE with
// user_data = the tag and res = 0 once no request uses it any more.
func (r *Ring) RegisterFilesTagged(fds []int, tags []uint64) error {
	if err := checkFiles(RegisterFiles2, fds, tags); err != nil {
		return err
	}
	arr := fdsOf(fds)
	rr := RsrcRegister{Nr: uint32(len(fds)), Data: sliceAddr(arr), Tags: sliceAddr(tags)}
	err := r.register(RegisterFiles2, unsafe.Pointer(&rr), uint32(unsafe.Sizeof(rr)))
	runtime.KeepAlive(arr)
	runtime.KeepAlive(tags)
	return err
}

// RegisterFilesSparse registers a table of n empty slots
// (IORING_REGISTER_FILES2 with IORING_RSRC_REGISTER_SPARSE, 5.19), for
// direct descriptors and UpdateFiles to fill.
func (r *Ring) RegisterFilesSparse(n uint32) error {
	if n == 0 || n > maxFixedFiles {
		return argError(RegisterFiles2, "a sparse file table needs 1 to 1048576 slots, not "+itoa(int64(n)))
	}
	rr := RsrcRegister{Nr: n, Flags: RsrcRegisterSparse}
	return r.register(RegisterFiles2, unsafe.Pointer(&rr), uint32(unsafe.Sizeof(rr)))
}

// UpdateFiles replaces slots off..off+len(fds)-1 of the file table
// (IORING_REGISTER_FILES_UPDATE, 5.5). An fd of -1 empties its slot;
// RegisterFilesSkip leaves it unchanged. It returns how many slots were
// updated.
func (r *Ring) UpdateFiles(off uint32, fds []int) (int, error) {
	if err := checkFiles(RegisterFilesUpdate, fds, nil); err != nil {
		return 0, err
	}
	arr := fdsOf(fds)
	up := FilesUpdate{Offset: off, Fds: sliceAddr(arr)}
	n, err := r.registerN(RegisterFilesUpdate, unsafe.Pointer(&up), uint32(len(arr)))
	runtime.KeepAlive(arr)
	return n, err
}

// UpdateFilesTagged is UpdateFiles with a tag per new file
// (IORING_REGISTER_FILES_UPDATE2, 5.13); tags may be nil. The replaced
// files' own tags post their CQEs once the kernel is done with them.
func (r *Ring) UpdateFilesTagged(off uint32, fds []int, tags []uint64) (int, error) {
	if err := checkFiles(RegisterFilesUpdate2, fds, tags); err != nil {
		return 0, err
	}
	arr := fdsOf(fds)
	up := RsrcUpdate2{Offset: off, Data: sliceAddr(arr), Tags: sliceAddr(tags), Nr: uint32(len(fds))}
	n, err := r.registerN(RegisterFilesUpdate2, unsafe.Pointer(&up), uint32(unsafe.Sizeof(up)))
	runtime.KeepAlive(arr)
	runtime.KeepAlive(tags)
	return n, err
}

// UnregisterFiles drops the fixed-file table (IORING_UNREGISTER_FILES,
// 5.1); ENXIO if none is registered.
func (r *Ring) UnregisterFiles() error {
	return r.register(UnregisterFiles, nil, 0)
}

// RegisterFileAllocRange limits the slots the kernel picks for
// IORING_FILE_INDEX_ALLOC (direct OPENAT, ACCEPT, SOCKET, FIXED_FD_INSTALL
// with FileIndexAlloc) to off..off+n-1 (IORING_REGISTER_FILE_ALLOC_RANGE,
// 6.0), so that the other slots stay the caller's to manage. The range
// must lie inside the registered table (EINVAL otherwise); once it is
// full, allocation fails with ENFILE.
func (r *Ring) RegisterFileAllocRange(off, n uint32) error {
	if n == 0 {
		return argError(RegisterFileAllocRange, "empty allocation range")
	}
	rng := FileIndexRange{Off: off, Len: n}
	// nr_args must be 0 (verified on 6.18: 16, the struct size, is EINVAL).
	return r.register(RegisterFileAllocRange, unsafe.Pointer(&rng), 0)
}

func checkFiles(op RegisterOp, fds []int, tags []uint64) error {
	switch {
	case len(fds) == 0:
		return argError(op, "no files given")
	case len(fds) > maxFixedFiles:
		return argError(op, "at most 1048576 fixed files, not "+itoa(int64(len(fds))))
	case tags != nil && len(tags) != len(fds):
		return argError(op, "need one tag per file: "+itoa(int64(len(tags)))+" tags for "+itoa(int64(len(fds)))+" files")
	}
	return nil
}
