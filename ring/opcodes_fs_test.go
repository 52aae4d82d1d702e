//go:build linux

package ring_test

import (
	"os"
	"path/filepath"
	"syscall"
	"testing"

	"golang.org/x/sys/unix"

	"github.com/uringkit/uring/ring"
)

// Real-kernel proofs of the file-system family and extended attributes.

// fixedRead reads through registered-file slot and returns the bytes.
func (r *tring) fixedRead(slot int32) []byte {
	r.t.Helper()
	buf := make([]byte, 128)
	c := r.do(func(s *ring.SQE) { s.PrepRead(slot, buf, 0); s.SetFixedFile() })
	return buf[:wantOK(r.t, "fixed-file READ", c)]
}

func fsOpcodeTests() map[ring.Op]func(t *testing.T) {
	return map[ring.Op]func(t *testing.T){
		ring.OpFsync: func(t *testing.T) {
			r := newTRing(t)
			_, fd := opFile(t, rwContent)
			wantCQE(t, "FSYNC", r.do(func(s *ring.SQE) { s.PrepFsync(int32(fd), 0) }), ring.CQE{})
			wantCQE(t, "FSYNC datasync", r.do(func(s *ring.SQE) { s.PrepFsync(int32(fd), ring.FsyncDatasync) }), ring.CQE{})
			wantErrno(t, "FSYNC bad fd", r.do(func(s *ring.SQE) { s.PrepFsync(-1, 0) }), syscall.EBADF)
		},
		ring.OpSyncFileRange: func(t *testing.T) {
			r := newTRing(t)
			_, fd := opFile(t, rwContent)
			c := r.do(func(s *ring.SQE) { s.PrepSyncFileRange(int32(fd), 0, 4, unix.SYNC_FILE_RANGE_WRITE) })
			wantCQE(t, "SYNC_FILE_RANGE", c, ring.CQE{})
			wantErrno(t, "SYNC_FILE_RANGE bad fd", r.do(func(s *ring.SQE) { s.PrepSyncFileRange(-1, 0, 4, 0) }), syscall.EBADF)
		},
		ring.OpFallocate: func(t *testing.T) {
			r := newTRing(t)
			path, fd := opFile(t, "")
			wantCQE(t, "FALLOCATE", r.do(func(s *ring.SQE) { s.PrepFallocate(int32(fd), 0, 0, 1<<20) }), ring.CQE{})
			if fi, err := os.Stat(path); err != nil || fi.Size() != 1<<20 {
				t.Errorf("size after FALLOCATE: %v %v, want %d", fi.Size(), err, 1<<20)
			}
		},
		ring.OpFadvise: func(t *testing.T) {
			r := newTRing(t)
			_, fd := opFile(t, rwContent)
			wantCQE(t, "FADVISE", r.do(func(s *ring.SQE) { s.PrepFadvise(int32(fd), 0, 0, unix.FADV_DONTNEED) }), ring.CQE{})
			wantErrno(t, "FADVISE bad fd", r.do(func(s *ring.SQE) { s.PrepFadvise(-1, 0, 0, unix.FADV_DONTNEED) }), syscall.EBADF)
		},
		ring.OpMadvise: func(t *testing.T) {
			r := newTRing(t)
			mem, err := unix.Mmap(-1, 0, 2*os.Getpagesize(), unix.PROT_READ|unix.PROT_WRITE, unix.MAP_PRIVATE|unix.MAP_ANONYMOUS)
			if err != nil {
				t.Fatal(err)
			}
			defer unix.Munmap(mem)
			mem[0], mem[len(mem)-1] = 1, 2
			wantCQE(t, "MADVISE", r.do(func(s *ring.SQE) { s.PrepMadvise(mem, unix.MADV_DONTNEED) }), ring.CQE{})
			// MADV_DONTNEED drops private anonymous pages: they read back as zero.
			if mem[0] != 0 || mem[len(mem)-1] != 0 {
				t.Errorf("after MADV_DONTNEED: %d %d, want 0 0", mem[0], mem[len(mem)-1])
			}
		},
		ring.OpFtruncate: func(t *testing.T) {
			r := newTRing(t)
			path, fd := opFile(t, rwContent)
			wantCQE(t, "FTRUNCATE", r.do(func(s *ring.SQE) { s.PrepFtruncate(int32(fd), 5) }), ring.CQE{})
			wantBytes(t, "file", opReadFile(t, path), []byte(rwContent[:5]))
		},
		ring.OpOpenat: func(t *testing.T) {
			r := newTRing(t)
			path, _ := opFile(t, rwContent)
			p := cstr(t, path)
			c := r.do(func(s *ring.SQE) { s.PrepOpenat(unix.AT_FDCWD, p, unix.O_RDONLY|unix.O_CLOEXEC, 0) })
			fd := wantOK(t, "OPENAT", c)
			closeFd(t, fd)
			buf := make([]byte, 64)
			n, _ := unix.Read(int(fd), buf)
			wantBytes(t, "read from the opened fd", buf[:max(n, 0)], []byte(rwContent))

			// Direct descriptors: an explicit slot, then one the kernel picks.
			if err := r.RegisterFilesSparse(4); err != nil {
				t.Fatal(err)
			}
			wantCQE(t, "OPENAT direct slot 2", r.do(func(s *ring.SQE) { s.PrepOpenatDirect(unix.AT_FDCWD, p, unix.O_RDONLY, 0, 2) }), ring.CQE{})
			wantBytes(t, "read through slot 2", r.fixedRead(2), []byte(rwContent))
			c = r.do(func(s *ring.SQE) { s.PrepOpenatDirect(unix.AT_FDCWD, p, unix.O_RDONLY, 0, ring.FileIndexAlloc) })
			if slot := wantOK(t, "OPENAT direct alloc", c); slot >= 4 || slot == 2 {
				t.Errorf("OPENAT direct alloc gave slot %d, want a free one of 0..3", slot)
			}
			wantBytes(t, "read through the allocated slot", r.fixedRead(c.Res), []byte(rwContent))
			wantErrno(t, "OPENAT missing", r.do(func(s *ring.SQE) { s.PrepOpenat(unix.AT_FDCWD, cstr(t, path+".missing"), unix.O_RDONLY, 0) }), syscall.ENOENT)
		},
		ring.OpOpenat2: func(t *testing.T) {
			r := newTRing(t)
			path, _ := opFile(t, rwContent)
			p := cstr(t, path)
			how := &ring.OpenHow{Flags: unix.O_RDONLY | unix.O_CLOEXEC}
			fd := wantOK(t, "OPENAT2", r.do(func(s *ring.SQE) { s.PrepOpenat2(unix.AT_FDCWD, p, how) }))
			closeFd(t, fd)
			buf := make([]byte, 64)
			n, _ := unix.Read(int(fd), buf)
			wantBytes(t, "read from the opened fd", buf[:max(n, 0)], []byte(rwContent))
			if err := r.RegisterFilesSparse(2); err != nil {
				t.Fatal(err)
			}
			// O_CLOEXEC means nothing for a direct descriptor: the kernel refuses it.
			wantErrno(t, "OPENAT2 direct O_CLOEXEC", r.do(func(s *ring.SQE) { s.PrepOpenat2Direct(unix.AT_FDCWD, p, how, 1) }), syscall.EINVAL)
			how = &ring.OpenHow{Flags: unix.O_RDONLY}
			wantCQE(t, "OPENAT2 direct", r.do(func(s *ring.SQE) { s.PrepOpenat2Direct(unix.AT_FDCWD, p, how, 1) }), ring.CQE{})
			wantBytes(t, "read through slot 1", r.fixedRead(1), []byte(rwContent))
		},
		ring.OpClose: func(t *testing.T) {
			r := newTRing(t)
			path, _ := opFile(t, rwContent)
			fd, err := unix.Open(path, unix.O_RDONLY|unix.O_CLOEXEC, 0)
			if err != nil {
				t.Fatal(err)
			}
			wantCQE(t, "CLOSE", r.do(func(s *ring.SQE) { s.PrepClose(int32(fd)) }), ring.CQE{})
			if _, err := unix.FcntlInt(uintptr(fd), unix.F_GETFD, 0); err != unix.EBADF {
				t.Errorf("fcntl on the closed fd: %v, want EBADF", err)
			}
			wantErrno(t, "CLOSE again", r.do(func(s *ring.SQE) { s.PrepClose(int32(fd)) }), syscall.EBADF)

			if err := r.RegisterFilesSparse(2); err != nil {
				t.Fatal(err)
			}
			wantCQE(t, "OPENAT direct", r.do(func(s *ring.SQE) { s.PrepOpenatDirect(unix.AT_FDCWD, cstr(t, path), unix.O_RDONLY, 0, 1) }), ring.CQE{})
			wantCQE(t, "CLOSE direct", r.do(func(s *ring.SQE) { s.PrepCloseDirect(1) }), ring.CQE{})
			buf := make([]byte, 8)
			c := r.do(func(s *ring.SQE) { s.PrepRead(1, buf, 0); s.SetFixedFile() })
			wantErrno(t, "READ through the closed slot", c, syscall.EBADF)
		},
		ring.OpFilesUpdate: func(t *testing.T) {
			r := newTRing(t)
			_, fd := opFile(t, rwContent)
			if err := r.RegisterFilesSparse(4); err != nil {
				t.Fatal(err)
			}
			fds := []int32{int32(fd)}
			wantCQE(t, "FILES_UPDATE", r.do(func(s *ring.SQE) { s.PrepFilesUpdate(fds, 3) }), ring.CQE{Res: 1})
			wantBytes(t, "read through slot 3", r.fixedRead(3), []byte(rwContent))
			// FILE_INDEX_ALLOC: the kernel writes the slot it chose into fds.
			fds = []int32{int32(fd)}
			wantCQE(t, "FILES_UPDATE alloc", r.do(func(s *ring.SQE) { s.PrepFilesUpdate(fds, ring.FileIndexAlloc) }), ring.CQE{Res: 1})
			if fds[0] != 0 {
				t.Errorf("allocated slot %d, want 0 (the first free)", fds[0])
			}
			wantBytes(t, "read through the allocated slot", r.fixedRead(fds[0]), []byte(rwContent))
		},
		ring.OpStatx: func(t *testing.T) {
			r := newTRing(t)
			path, _ := opFile(t, rwContent)
			var stx ring.Statx
			c := r.do(func(s *ring.SQE) { s.PrepStatx(unix.AT_FDCWD, cstr(t, path), 0, unix.STATX_BASIC_STATS, &stx) })
			wantCQE(t, "STATX", c, ring.CQE{})
			fi, err := os.Stat(path)
			if err != nil {
				t.Fatal(err)
			}
			st := fi.Sys().(*syscall.Stat_t)
			got := [3]uint64{stx.Size, uint64(stx.Mode), stx.Ino}
			want := [3]uint64{uint64(fi.Size()), uint64(st.Mode), st.Ino}
			if got != want {
				t.Errorf("statx size/mode/ino %v, os.Stat %v", got, want)
			}
		},
		ring.OpRenameat: func(t *testing.T) {
			r := newTRing(t)
			path, _ := opFile(t, rwContent)
			to := path + ".renamed"
			c := r.do(func(s *ring.SQE) { s.PrepRenameat(unix.AT_FDCWD, cstr(t, path), unix.AT_FDCWD, cstr(t, to), 0) })
			wantCQE(t, "RENAMEAT", c, ring.CQE{})
			if _, err := os.Stat(path); !os.IsNotExist(err) {
				t.Errorf("old name: %v, want not exist", err)
			}
			wantBytes(t, "new name", opReadFile(t, to), []byte(rwContent))
		},
		ring.OpUnlinkat: func(t *testing.T) {
			r := newTRing(t)
			path, _ := opFile(t, rwContent)
			wantCQE(t, "UNLINKAT", r.do(func(s *ring.SQE) { s.PrepUnlinkat(unix.AT_FDCWD, cstr(t, path), 0) }), ring.CQE{})
			if _, err := os.Stat(path); !os.IsNotExist(err) {
				t.Errorf("after UNLINKAT: %v, want not exist", err)
			}
			dir := filepath.Join(t.TempDir(), "d")
			if err := os.Mkdir(dir, 0o755); err != nil {
				t.Fatal(err)
			}
			wantCQE(t, "UNLINKAT AT_REMOVEDIR", r.do(func(s *ring.SQE) { s.PrepUnlinkat(unix.AT_FDCWD, cstr(t, dir), unix.AT_REMOVEDIR) }), ring.CQE{})
			if _, err := os.Stat(dir); !os.IsNotExist(err) {
				t.Errorf("directory after UNLINKAT: %v, want not exist", err)
			}
			wantErrno(t, "UNLINKAT missing", r.do(func(s *ring.SQE) { s.PrepUnlinkat(unix.AT_FDCWD, cstr(t, path), 0) }), syscall.ENOENT)
		},
		ring.OpMkdirat: func(t *testing.T) {
			r := newTRing(t)
			dir := filepath.Join(t.TempDir(), "made")
			wantCQE(t, "MKDIRAT", r.do(func(s *ring.SQE) { s.PrepMkdirat(unix.AT_FDCWD, cstr(t, dir), 0o700) }), ring.CQE{})
			fi, err := os.Stat(dir)
			if err != nil || !fi.IsDir() || fi.Mode().Perm() != 0o700 {
				t.Errorf("after MKDIRAT: %v %v, want a 0700 directory", fi, err)
			}
			wantErrno(t, "MKDIRAT again", r.do(func(s *ring.SQE) { s.PrepMkdirat(unix.AT_FDCWD, cstr(t, dir), 0o700) }), syscall.EEXIST)
		},
		ring.OpSymlinkat: func(t *testing.T) {
			r := newTRing(t)
			link := filepath.Join(t.TempDir(), "link")
			c := r.do(func(s *ring.SQE) { s.PrepSymlinkat(cstr(t, "some/target"), unix.AT_FDCWD, cstr(t, link)) })
			wantCQE(t, "SYMLINKAT", c, ring.CQE{})
			if got, err := os.Readlink(link); err != nil || got != "some/target" {
				t.Errorf("readlink: %q %v, want some/target", got, err)
			}
		},
		ring.OpLinkat: func(t *testing.T) {
			r := newTRing(t)
			path, _ := opFile(t, rwContent)
			to := path + ".link"
			c := r.do(func(s *ring.SQE) { s.PrepLinkat(unix.AT_FDCWD, cstr(t, path), unix.AT_FDCWD, cstr(t, to), 0) })
			wantCQE(t, "LINKAT", c, ring.CQE{})
			a, err1 := os.Stat(path)
			b, err2 := os.Stat(to)
			if err1 != nil || err2 != nil || !os.SameFile(a, b) {
				t.Errorf("after LINKAT: %v %v, want one inode under both names", err1, err2)
			}
		},
		ring.OpFixedFdInstall: func(t *testing.T) {
			r := newTRing(t)
			_, fd := opFile(t, rwContent)
			if err := r.RegisterFiles([]int{fd}); err != nil {
				t.Fatal(err)
			}
			for _, tc := range []struct {
				flags   uint32
				cloexec bool
			}{{0, true}, {ring.FixedFdNoCloexec, false}} {
				nfd := wantOK(t, "FIXED_FD_INSTALL", r.do(func(s *ring.SQE) { s.PrepFixedFdInstall(0, tc.flags) }))
				closeFd(t, nfd)
				buf := make([]byte, 64)
				n, _ := unix.Pread(int(nfd), buf, 0)
				wantBytes(t, "read from the installed fd", buf[:max(n, 0)], []byte(rwContent))
				fl, _ := unix.FcntlInt(uintptr(nfd), unix.F_GETFD, 0)
				if got := fl&unix.FD_CLOEXEC != 0; got != tc.cloexec {
					t.Errorf("flags %d: FD_CLOEXEC %v, want %v", tc.flags, got, tc.cloexec)
				}
			}
		},
		ring.OpFsetxattr: func(t *testing.T) {
			r := newTRing(t)
			path, fd := opFile(t, "")
			c := r.do(func(s *ring.SQE) { s.PrepFsetxattr(int32(fd), cstr(t, "user.uring"), []byte("fset value"), 0) })
			wantCQE(t, "FSETXATTR", c, ring.CQE{})
			wantXattr(t, path, "user.uring", "fset value")
		},
		ring.OpSetxattr: func(t *testing.T) {
			r := newTRing(t)
			path, _ := opFile(t, "")
			c := r.do(func(s *ring.SQE) {
				s.PrepSetxattr(cstr(t, path), cstr(t, "user.uring"), []byte("set value"), unix.XATTR_CREATE)
			})
			wantCQE(t, "SETXATTR", c, ring.CQE{})
			wantXattr(t, path, "user.uring", "set value")
			c = r.do(func(s *ring.SQE) {
				s.PrepSetxattr(cstr(t, path), cstr(t, "user.uring"), []byte("again"), unix.XATTR_CREATE)
			})
			wantErrno(t, "SETXATTR XATTR_CREATE on an existing name", c, syscall.EEXIST)
		},
		ring.OpFgetxattr: func(t *testing.T) {
			r := newTRing(t)
			path, fd := opFile(t, "")
			if err := unix.Setxattr(path, "user.uring", []byte("fget value"), 0); err != nil {
				t.Fatal(err)
			}
			buf := make([]byte, 64)
			c := r.do(func(s *ring.SQE) { s.PrepFgetxattr(int32(fd), cstr(t, "user.uring"), buf) })
			wantCQE(t, "FGETXATTR", c, ring.CQE{Res: 10})
			wantBytes(t, "value", buf[:max(c.Res, 0)], []byte("fget value"))
			wantErrno(t, "FGETXATTR missing", r.do(func(s *ring.SQE) { s.PrepFgetxattr(int32(fd), cstr(t, "user.none"), buf) }), syscall.ENODATA)
		},
		ring.OpGetxattr: func(t *testing.T) {
			r := newTRing(t)
			path, _ := opFile(t, "")
			if err := unix.Setxattr(path, "user.uring", []byte("get value"), 0); err != nil {
				t.Fatal(err)
			}
			buf := make([]byte, 64)
			c := r.do(func(s *ring.SQE) { s.PrepGetxattr(cstr(t, path), cstr(t, "user.uring"), buf) })
			wantCQE(t, "GETXATTR", c, ring.CQE{Res: 9})
			wantBytes(t, "value", buf[:max(c.Res, 0)], []byte("get value"))
		},
	}
}

// wantXattr reads name on path with getxattr(2) and compares its value.
func wantXattr(t *testing.T, path, name, want string) {
	t.Helper()
	buf := make([]byte, 64)
	n, err := unix.Getxattr(path, name, buf)
	if err != nil {
		t.Fatalf("getxattr %s: %v", name, err)
	}
	wantBytes(t, "xattr "+name, buf[:n], []byte(want))
}
