package uringos

import (
	"time"

	"golang.org/x/sys/unix"

	"github.com/uringkit/uring/ring"
)

// newFileStat makes the FileInfo of a statx result for path.
func newFileStat(path string, st *ring.Statx) *fileStat {
	fs := &fileStat{sys: *st}
	fs.fill(path)
	return fs
}

// fill sets the FileInfo fields from fs.sys, the statx result for path
// (which the kernel may have written in place).
func (fs *fileStat) fill(path string) {
	fs.name = baseName(path)
	fs.mode = fileModeOf(uint32(fs.sys.Mode))
}

// Size is stx_size.
func (fs *fileStat) Size() int64 { return int64(fs.sys.Size) }

// ModTime is stx_mtime, in the local time zone as os gives it.
func (fs *fileStat) ModTime() time.Time {
	return time.Unix(fs.sys.Mtime.Sec, int64(fs.sys.Mtime.Nsec))
}

// sameInode reports whether two statx results are of one file.
func sameInode(a, b *ring.Statx) bool {
	return a.Ino == b.Ino && a.Dev_major == b.Dev_major && a.Dev_minor == b.Dev_minor
}

// statxID is the FileID of a statx result, with st_dev encoded as stat(2)
// encodes it.
func statxID(st *ring.Statx) FileID {
	return FileID{Dev: unix.Mkdev(st.Dev_major, st.Dev_minor), Ino: st.Ino}
}

const (
	atEmptyPath = unix.AT_EMPTY_PATH // statx of the descriptor itself
	statxSize   = unix.STATX_SIZE
)

func statxSizeOf(st *ring.Statx) int64 { return int64(st.Size) }

// oPathDir opens a directory only to resolve names relative to it.
const oPathDir = unix.O_PATH | unix.O_DIRECTORY | unix.O_CLOEXEC
