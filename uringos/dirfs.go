package uringos

import (
	"errors"
	"io/fs"
	"strings"
)

// DirFS returns the file system rooted at dir on the default Loop, like
// os.DirFS: an fs.FS that is also an fs.StatFS, fs.ReadFileFS,
// fs.ReadDirFS and fs.ReadLinkFS, whose files are *File. It passes testing/fstest.TestFS.
// As with os.DirFS, names are slash-separated and validated with
// fs.ValidPath, and symbolic links inside dir may point outside it.
func DirFS(dir string) fs.FS { return &dirFS{dir: dir} }

// DirFS is DirFS on s.
func (s *Sys) DirFS(dir string) fs.FS { return &dirFS{sys: s, dir: dir} }

type dirFS struct {
	sys *Sys // nil: Default() at each call
	dir string
}

var (
	_ fs.StatFS     = (*dirFS)(nil)
	_ fs.ReadFileFS = (*dirFS)(nil)
	_ fs.ReadDirFS  = (*dirFS)(nil)
	_ fs.ReadLinkFS = (*dirFS)(nil)
)

func (d *dirFS) system(op, name string) (*Sys, error) {
	if d.sys != nil {
		return d.sys, nil
	}
	s, err := defaultSys()
	if err != nil {
		return nil, pathErr(op, name, err)
	}
	return s, nil
}

// join is the path of name under d.dir, or an error for an invalid name.
func (d *dirFS) join(op, name string) (string, error) {
	if d.dir == "" {
		return "", &fs.PathError{Op: op, Path: name, Err: errors.New("os: DirFS with empty root")}
	}
	if !fs.ValidPath(name) {
		return "", &fs.PathError{Op: op, Path: name, Err: fs.ErrInvalid}
	}
	return strings.TrimSuffix(d.dir, "/") + "/" + name, nil
}

// rename puts name (the fs.FS name) into a *fs.PathError in place of the
// full path, as os.DirFS does.
func rename(err error, name string) error {
	var pe *fs.PathError
	if errors.As(err, &pe) {
		pe.Path = name
	}
	return err
}

// Open opens name for reading (fs.FS).
func (d *dirFS) Open(name string) (fs.File, error) {
	full, err := d.join("open", name)
	if err != nil {
		return nil, err
	}
	s, err := d.system("open", name)
	if err != nil {
		return nil, err
	}
	f, err := s.Open(full)
	if err != nil {
		return nil, rename(err, name)
	}
	return f, nil
}

// Stat returns name's FileInfo (fs.StatFS).
func (d *dirFS) Stat(name string) (fs.FileInfo, error) {
	full, err := d.join("stat", name)
	if err != nil {
		return nil, err
	}
	s, err := d.system("stat", name)
	if err != nil {
		return nil, err
	}
	fi, err := s.Stat(full)
	if err != nil {
		return nil, rename(err, name)
	}
	return fi, nil
}

// ReadFile returns name's contents (fs.ReadFileFS).
func (d *dirFS) ReadFile(name string) ([]byte, error) {
	full, err := d.join("readfile", name)
	if err != nil {
		return nil, err
	}
	s, err := d.system("readfile", name)
	if err != nil {
		return nil, err
	}
	b, err := s.ReadFile(full)
	if err != nil {
		return nil, rename(err, name)
	}
	return b, nil
}

// ReadDir returns the entries of directory name sorted by name
// (fs.ReadDirFS).
func (d *dirFS) ReadDir(name string) ([]fs.DirEntry, error) {
	full, err := d.join("readdir", name)
	if err != nil {
		return nil, err
	}
	s, err := d.system("readdir", name)
	if err != nil {
		return nil, err
	}
	ents, err := s.ReadDir(full)
	if err != nil {
		return nil, rename(err, name)
	}
	return ents, nil
}

// Lstat returns name's FileInfo without following a final symbolic link
// (fs.ReadLinkFS).
func (d *dirFS) Lstat(name string) (fs.FileInfo, error) {
	full, err := d.join("lstat", name)
	if err != nil {
		return nil, err
	}
	s, err := d.system("lstat", name)
	if err != nil {
		return nil, err
	}
	fi, err := s.Lstat(full)
	if err != nil {
		return nil, rename(err, name)
	}
	return fi, nil
}

// ReadLink returns the target of the symbolic link name (fs.ReadLinkFS).
// io_uring has no readlinkat operation: this is readlinkat(2), and, as
// with os.DirFS, an error names the full path.
func (d *dirFS) ReadLink(name string) (string, error) {
	full, err := d.join("readlink", name)
	if err != nil {
		return "", err
	}
	s, err := d.system("readlink", name)
	if err != nil {
		return "", err
	}
	return s.Readlink(full)
}
