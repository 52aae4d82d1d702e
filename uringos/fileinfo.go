package uringos

import (
	"io/fs"
	"os"
	"path/filepath"
	"syscall"

	"github.com/uringkit/uring/ring"
)

// statxMask is what Stat asks statx for: the fields of struct stat, which
// is what os.Stat reports.
const statxMask = 0x7ff // STATX_BASIC_STATS

// fileStat is the fs.FileInfo of a statx result. Sys returns the
// *ring.Statx (struct statx), where os returns a *syscall.Stat_t. Size
// and ModTime read the statx result itself (fileinfo_linux.go): a batch
// allocates one fileStat per name, which the kernel writes into, and
// without copies of those fields each is 280 bytes instead of 312, with
// one pointer (name's) for the garbage collector to scan instead of two.
type fileStat struct {
	name string
	mode fs.FileMode
	sys  ring.Statx
}

func (s *fileStat) Name() string      { return s.name }
func (s *fileStat) Mode() fs.FileMode { return s.mode }
func (s *fileStat) IsDir() bool       { return s.mode.IsDir() }
func (s *fileStat) Sys() any          { return &s.sys }

// fileModeOf converts st_mode to an fs.FileMode the way os does.
func fileModeOf(mode uint32) fs.FileMode {
	m := fs.FileMode(mode & 0o777)
	switch mode & syscall.S_IFMT {
	case syscall.S_IFBLK:
		m |= fs.ModeDevice
	case syscall.S_IFCHR:
		m |= fs.ModeDevice | fs.ModeCharDevice
	case syscall.S_IFDIR:
		m |= fs.ModeDir
	case syscall.S_IFIFO:
		m |= fs.ModeNamedPipe
	case syscall.S_IFLNK:
		m |= fs.ModeSymlink
	case syscall.S_IFSOCK:
		m |= fs.ModeSocket
	}
	if mode&syscall.S_ISGID != 0 {
		m |= fs.ModeSetgid
	}
	if mode&syscall.S_ISUID != 0 {
		m |= fs.ModeSetuid
	}
	if mode&syscall.S_ISVTX != 0 {
		m |= fs.ModeSticky
	}
	return m
}

// syscallMode converts an fs.FileMode to the mode argument of open and
// mkdir, as os does.
func syscallMode(m fs.FileMode) uint32 {
	o := uint32(m.Perm())
	if m&fs.ModeSetuid != 0 {
		o |= syscall.S_ISUID
	}
	if m&fs.ModeSetgid != 0 {
		o |= syscall.S_ISGID
	}
	if m&fs.ModeSticky != 0 {
		o |= syscall.S_ISVTX
	}
	return o
}

// SameFile reports whether fi1 and fi2 describe the same file: for
// FileInfos from this package, the same device and inode; otherwise it is
// os.SameFile.
func SameFile(fi1, fi2 fs.FileInfo) bool {
	a, ok1 := fi1.(*fileStat)
	b, ok2 := fi2.(*fileStat)
	if !ok1 || !ok2 {
		return os.SameFile(fi1, fi2)
	}
	return sameInode(&a.sys, &b.sys)
}

// baseName is the Name os gives a FileInfo for path.
func baseName(path string) string { return filepath.Base(path) }

// FileID is a file's identity in the system: its device and inode
// numbers, as in struct stat's st_dev and st_ino.
type FileID struct{ Dev, Ino uint64 }

// FileIDOf returns the identity of the file fi describes, for FileInfos
// from this package and from package os (du-style tools count a file with
// several hard links once by it); false if fi carries none, or is nil.
func FileIDOf(fi fs.FileInfo) (FileID, bool) {
	if fi == nil {
		return FileID{}, false
	}
	if s, ok := fi.(*fileStat); ok {
		if s == nil {
			return FileID{}, false
		}
		return statxID(&s.sys), true
	}
	if st, ok := fi.Sys().(*syscall.Stat_t); ok && st != nil {
		return FileID{Dev: uint64(st.Dev), Ino: uint64(st.Ino)}, true
	}
	return FileID{}, false
}
