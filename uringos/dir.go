package uringos

import (
	"errors"
	"io"
	"io/fs"
	"os"
	"slices"
	"strings"
	"syscall"
)

// Directory listing: io_uring has no getdents operation (patches were
// posted for 6.x but not merged), so names come from getdents64(2) on the
// descriptor; the file information, where it is wanted (Readdir, DirEntry
// Info, LstatAll), comes from statx through the ring, batched.

// dirReader is a File's position in its directory listing.
type dirReader struct {
	buf  []byte // getdents64 output
	p, n int    // unread part of buf
	eof  bool
}

// dirEntry is an fs.DirEntry of a listed directory.
type dirEntry struct {
	sys    *Sys
	parent string
	name   string
	typ    fs.FileMode
	info   fs.FileInfo // known when getdents gave no type (DT_UNKNOWN)
}

func (d *dirEntry) Name() string      { return d.name }
func (d *dirEntry) IsDir() bool       { return d.typ.IsDir() }
func (d *dirEntry) Type() fs.FileMode { return d.typ }
func (d *dirEntry) String() string    { return fs.FormatDirEntry(d) }

// Info lstats the entry through the ring, as os's DirEntry does with
// lstat(2); an entry removed since the listing gives an error matching
// fs.ErrNotExist.
func (d *dirEntry) Info() (fs.FileInfo, error) {
	if d.info != nil {
		return d.info, nil
	}
	return d.sys.Lstat(d.parent + "/" + d.name)
}

// ReadDir is os.ReadDir: the entries of the named directory, sorted by
// name.
func ReadDir(name string) ([]fs.DirEntry, error) {
	s, err := defaultSys()
	if err != nil {
		return nil, pathErr("open", name, err)
	}
	return s.ReadDir(name)
}

// ReadDir is os.ReadDir on s.
func (s *Sys) ReadDir(name string) ([]fs.DirEntry, error) {
	if s.useOS != nil {
		return os.ReadDir(name)
	}
	f, err := s.OpenFile(name, os.O_RDONLY|syscall.O_DIRECTORY, 0)
	if err != nil {
		return nil, err
	}
	defer f.Close()
	ents, err := f.ReadDir(-1)
	slices.SortFunc(ents, func(a, b fs.DirEntry) int { return strings.Compare(a.Name(), b.Name()) })
	return ents, err
}

// ReadDir reads the directory's entries in directory order, like
// os.File.ReadDir: with n > 0 at most n, and io.EOF once none are left;
// with n <= 0 all that are left, and a nil error.
func (f *File) ReadDir(n int) ([]fs.DirEntry, error) {
	if f != nil && f.osf != nil {
		return f.osf.ReadDir(n)
	}
	if err := f.begin("readdirent"); err != nil {
		return nil, err
	}
	defer f.end()
	f.posMu.Lock()
	defer f.posMu.Unlock()
	var out []fs.DirEntry
	var unknown []int // entries without a d_type: lstat them together
	err := f.readDirents(n, func(name string, typ fs.FileMode, known bool) {
		if !known {
			unknown = append(unknown, len(out))
		}
		out = append(out, &dirEntry{sys: f.sys, parent: f.name, name: name, typ: typ})
	})
	if len(unknown) > 0 {
		names := make([]string, len(unknown))
		for i, j := range unknown {
			names[i] = f.name + "/" + out[j].Name()
		}
		infos, errs := f.sys.LstatAll(names)
		kept := out[:0]
		for i, e := range out {
			if k, ok := slices.BinarySearch(unknown, i); ok {
				if errors.Is(errs[k], fs.ErrNotExist) {
					continue // removed since the listing, as os skips it
				}
				if errs[k] != nil {
					return kept, errs[k]
				}
				e.(*dirEntry).info, e.(*dirEntry).typ = infos[k], infos[k].Mode().Type()
			}
			kept = append(kept, e)
		}
		out = kept
	}
	if out == nil {
		out = []fs.DirEntry{} // never nil, as with os
	}
	if err == nil && n > 0 && len(out) == 0 {
		err = io.EOF
	}
	return out, err
}

// Readdirnames reads the directory's names, like os.File.Readdirnames.
func (f *File) Readdirnames(n int) ([]string, error) {
	if f != nil && f.osf != nil {
		return f.osf.Readdirnames(n)
	}
	if err := f.begin("readdirent"); err != nil {
		return nil, err
	}
	defer f.end()
	f.posMu.Lock()
	defer f.posMu.Unlock()
	var names []string
	err := f.readDirents(n, func(name string, _ fs.FileMode, _ bool) { names = append(names, name) })
	if names == nil {
		names = []string{} // never nil, as with os
	}
	if err == nil && n > 0 && len(names) == 0 {
		err = io.EOF
	}
	return names, err
}

// Readdir reads the directory's entries with their FileInfo, like
// os.File.Readdir; the lstat calls of one batch go to the kernel in one
// submission (LstatAll).
func (f *File) Readdir(n int) ([]fs.FileInfo, error) {
	if f != nil && f.osf != nil {
		return f.osf.Readdir(n)
	}
	names, err := f.Readdirnames(n)
	if len(names) == 0 {
		return []fs.FileInfo{}, err
	}
	paths := make([]string, len(names))
	for i, name := range names {
		paths[i] = f.name + "/" + name
	}
	infos, errs := f.sys.LstatAll(paths)
	out := infos[:0]
	for i, info := range infos {
		switch {
		case errs[i] == nil:
			out = append(out, info)
		case errors.Is(errs[i], fs.ErrNotExist): // removed since the listing: os skips it
		default:
			return out, errs[i]
		}
	}
	return out, err
}

// readDirents calls fn for up to n entries (all if n <= 0) of the
// directory, skipping "." and "..". Called with posMu held.
func (f *File) readDirents(n int, fn func(name string, typ fs.FileMode, known bool)) error {
	if f.dir == nil {
		f.dir = &dirReader{buf: make([]byte, 8192)}
	}
	d := f.dir
	count := 0
	for n <= 0 || count < n {
		if d.p >= d.n {
			if d.eof {
				return nil
			}
			m, err := getdents(f.fd, d.buf)
			if err != nil {
				return &fs.PathError{Op: "readdirent", Path: f.name, Err: err}
			}
			if m <= 0 {
				d.eof = true
				return nil
			}
			d.p, d.n = 0, m
		}
		name, typ, known, size := parseDirent(d.buf[d.p:d.n])
		if size == 0 {
			d.p = d.n // malformed record: drop the rest of the buffer
			continue
		}
		d.p += size
		if name == "." || name == ".." || name == "" {
			continue
		}
		fn(strings.Clone(name), typ, known)
		count++
	}
	return nil
}
