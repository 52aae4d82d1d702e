package uringos

import (
	"io/fs"
	"os"
	"time"
)

// The package-level path functions: each is the method of the same name
// on Default(). When there is neither io_uring nor a fallback, they return
// the error os would, with the reason (matching ring.ErrUnavailable) inside.

// Stat is os.Stat on the default Loop.
func Stat(name string) (fs.FileInfo, error) {
	s, err := defaultSys()
	if err != nil {
		return nil, pathErr("stat", name, err)
	}
	return s.Stat(name)
}

// Lstat is os.Lstat on the default Loop.
func Lstat(name string) (fs.FileInfo, error) {
	s, err := defaultSys()
	if err != nil {
		return nil, pathErr("lstat", name, err)
	}
	return s.Lstat(name)
}

// Mkdir is os.Mkdir on the default Loop.
func Mkdir(name string, perm fs.FileMode) error {
	s, err := defaultSys()
	if err != nil {
		return pathErr("mkdir", name, err)
	}
	return s.Mkdir(name, perm)
}

// MkdirAll is os.MkdirAll on the default Loop.
func MkdirAll(path string, perm fs.FileMode) error {
	s, err := defaultSys()
	if err != nil {
		return pathErr("mkdir", path, err)
	}
	return s.MkdirAll(path, perm)
}

// Remove is os.Remove on the default Loop.
func Remove(name string) error {
	s, err := defaultSys()
	if err != nil {
		return pathErr("remove", name, err)
	}
	return s.Remove(name)
}

// Rename is os.Rename on the default Loop.
func Rename(oldname, newname string) error {
	s, err := defaultSys()
	if err != nil {
		return linkErr("rename", oldname, newname, err)
	}
	return s.Rename(oldname, newname)
}

// Link is os.Link on the default Loop.
func Link(oldname, newname string) error {
	s, err := defaultSys()
	if err != nil {
		return linkErr("link", oldname, newname, err)
	}
	return s.Link(oldname, newname)
}

// Symlink is os.Symlink on the default Loop.
func Symlink(oldname, newname string) error {
	s, err := defaultSys()
	if err != nil {
		return linkErr("symlink", oldname, newname, err)
	}
	return s.Symlink(oldname, newname)
}

// Truncate is os.Truncate: truncate(2), since io_uring truncates only
// descriptors (see Sys.Truncate).
func Truncate(name string, size int64) error { return os.Truncate(name, size) }

// Chtimes is os.Chtimes: utimensat(2), since io_uring has no operation
// for it.
func Chtimes(name string, atime, mtime time.Time) error { return os.Chtimes(name, atime, mtime) }

// Chmod is os.Chmod: fchmodat(2), since io_uring has no operation for it.
func Chmod(name string, mode fs.FileMode) error { return os.Chmod(name, mode) }

// Readlink is os.Readlink: readlinkat(2), since io_uring has no operation
// for it.
func Readlink(name string) (string, error) { return os.Readlink(name) }
