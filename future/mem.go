package future

import (
	"unsafe"

	"golang.org/x/sys/unix"
)

// Helpers that turn Go values into the kernel-visible memory an Op keeps.
// An Op keeps one pointer; it keeps the whole allocation it points into
// reachable, so one pointer per allocation is enough. Operations that use
// several allocations (two paths, a path and a result buffer) put them in
// one small struct.

// bytesPtr returns a pointer into b's backing array, or nil if b is empty.
func bytesPtr(b []byte) unsafe.Pointer {
	if len(b) == 0 {
		return nil
	}
	return unsafe.Pointer(unsafe.SliceData(b))
}

// cstr returns path as a NUL-terminated heap string, or an error if path
// contains a NUL byte.
func cstr(path string) (*byte, error) { return unix.BytePtrFromString(path) }

// iovecs builds the struct iovec array for bufs. The array holds the
// buffers' addresses as Go pointers, so keeping it keeps them reachable.
func iovecs(bufs [][]byte) ([]unix.Iovec, int64) {
	iov := make([]unix.Iovec, len(bufs))
	var total int64
	for i, b := range bufs {
		if len(b) > 0 {
			iov[i].Base = &b[0]
		}
		iov[i].SetLen(len(b))
		total += int64(len(b))
	}
	return iov, total
}

// iovPtr returns the array's first element, or nil.
func iovPtr(iov []unix.Iovec) unsafe.Pointer {
	if len(iov) == 0 {
		return nil
	}
	return unsafe.Pointer(&iov[0])
}

// twoPaths keeps two NUL-terminated paths (rename, link, symlink, xattr).
type twoPaths struct{ a, b *byte }
