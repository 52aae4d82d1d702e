//go:build linux

package future_test

import (
	"bytes"
	"context"
	"errors"
	"os"
	"path/filepath"
	"syscall"
	"testing"

	"github.com/google/go-cmp/cmp"
	"github.com/uringkit/uring/future"
	"github.com/uringkit/uring/ring"
	"golang.org/x/sys/unix"
)

// await runs op on the test loop and fails the test on error.
func await[T any](t *testing.T, op future.Op[T]) T {
	t.Helper()
	v, err := op.Await(context.Background(), loop)
	if err != nil {
		t.Fatalf("%v: %v", op.Opcode(), err)
	}
	return v
}

// file creates a file with content and returns it open read-write.
func file(t *testing.T, content string) *os.File {
	t.Helper()
	f, err := os.CreateTemp(t.TempDir(), "f")
	if err != nil {
		t.Fatal(err)
	}
	if _, err := f.WriteString(content); err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { f.Close() })
	return f
}

func fdOf(f *os.File) int { return int(f.Fd()) }

func TestReadWriteFamily(t *testing.T) {
	t.Run("Read", func(t *testing.T) {
		f := file(t, "hello, ring")
		buf := make([]byte, 5)
		if n := await(t, future.Read(fdOf(f), buf, 7)); n != 4 || string(buf[:n]) != "ring" {
			t.Errorf("Read = %d %q", n, buf[:n])
		}
	})
	t.Run("Write", func(t *testing.T) {
		f := file(t, "")
		if n := await(t, future.Write(fdOf(f), []byte("written"), 0)); n != 7 {
			t.Errorf("Write = %d", n)
		}
		got, _ := os.ReadFile(f.Name())
		if string(got) != "written" {
			t.Errorf("file = %q", got)
		}
	})
	t.Run("Readv", func(t *testing.T) {
		f := file(t, "abcdef")
		a, b := make([]byte, 2), make([]byte, 4)
		if n := await(t, future.Readv(fdOf(f), [][]byte{a, b}, 0, 0)); n != 6 || string(a)+string(b) != "abcdef" {
			t.Errorf("Readv = %d %q %q", n, a, b)
		}
	})
	t.Run("Writev", func(t *testing.T) {
		f := file(t, "")
		if n := await(t, future.Writev(fdOf(f), [][]byte{[]byte("ab"), []byte("cd")}, 0, 0)); n != 4 {
			t.Errorf("Writev = %d", n)
		}
		if got, _ := os.ReadFile(f.Name()); string(got) != "abcd" {
			t.Errorf("file = %q", got)
		}
	})
	t.Run("READ_FIXED/WRITE_FIXED", func(t *testing.T) {
		f := file(t, "")
		copy(fixedBuf, "registered")
		if n := await(t, future.Write(fdOf(f), fixedBuf[:10], 0).FixedBuffer(0)); n != 10 {
			t.Errorf("WRITE_FIXED = %d", n)
		}
		clear(fixedBuf)
		if n := await(t, future.Read(fdOf(f), fixedBuf[:10], 0).FixedBuffer(0)); n != 10 || string(fixedBuf[:10]) != "registered" {
			t.Errorf("READ_FIXED = %d %q", n, fixedBuf[:10])
		}
		if op := future.Write(fdOf(f), fixedBuf[:1], 0).FixedBuffer(0); op.Opcode() != ring.OpWriteFixed {
			t.Errorf("FixedBuffer opcode = %v", op.Opcode())
		}
	})
	t.Run("Fixed file", func(t *testing.T) {
		f := file(t, "via the file table")
		if err := loop.Do(func(r *ring.Ring) error { _, err := r.UpdateFiles(3, []int{fdOf(f)}); return err }); err != nil {
			t.Fatal("UpdateFiles:", err)
		}
		buf := make([]byte, 3)
		if n := await(t, future.Read(3, buf, 0).Fixed()); n != 3 || string(buf) != "via" {
			t.Errorf("fixed Read = %d %q", n, buf)
		}
	})
	t.Run("Splice", func(t *testing.T) {
		f := file(t, "spliced")
		r, w := pipe(t)
		if n := await(t, future.Splice(fdOf(f), 0, w, -1, 7, 0)); n != 7 {
			t.Fatalf("Splice = %d", n)
		}
		buf := make([]byte, 7)
		if n, _ := unix.Read(r, buf); string(buf[:n]) != "spliced" {
			t.Errorf("pipe holds %q", buf[:n])
		}
	})
	t.Run("Tee", func(t *testing.T) {
		r1, w1 := pipe(t)
		r2, w2 := pipe(t)
		unix.Write(w1, []byte("tee"))
		if n := await(t, future.Tee(r1, w2, 3, 0)); n != 3 {
			t.Fatalf("Tee = %d", n)
		}
		a, b := make([]byte, 3), make([]byte, 3)
		unix.Read(r1, a)
		unix.Read(r2, b)
		if string(a) != "tee" || string(b) != "tee" {
			t.Errorf("pipes hold %q and %q", a, b)
		}
	})
}

func TestFileSystemFamily(t *testing.T) {
	dir := t.TempDir()
	t.Run("Fsync/Fdatasync/SyncFileRange", func(t *testing.T) {
		f := file(t, "durable")
		await(t, future.Fsync(fdOf(f)))
		await(t, future.Fdatasync(fdOf(f)))
		await(t, future.SyncFileRange(fdOf(f), 0, 7, unix.SYNC_FILE_RANGE_WRITE))
		_, err := future.Fsync(1<<20).Await(context.Background(), loop)
		if !errors.Is(err, syscall.EBADF) {
			t.Errorf("Fsync(bad fd) = %v, want EBADF", err)
		}
	})
	t.Run("Fallocate/Ftruncate", func(t *testing.T) {
		f := file(t, "")
		await(t, future.Fallocate(fdOf(f), 0, 0, 8192))
		if st, _ := f.Stat(); st.Size() != 8192 {
			t.Errorf("after Fallocate size = %d", st.Size())
		}
		await(t, future.Ftruncate(fdOf(f), 100))
		if st, _ := f.Stat(); st.Size() != 100 {
			t.Errorf("after Ftruncate size = %d", st.Size())
		}
	})
	t.Run("Fadvise/Madvise", func(t *testing.T) {
		f := file(t, "advice")
		await(t, future.Fadvise(fdOf(f), 0, 6, unix.FADV_SEQUENTIAL))
		mem, err := unix.Mmap(-1, 0, 4096, unix.PROT_READ|unix.PROT_WRITE, unix.MAP_ANON|unix.MAP_PRIVATE)
		if err != nil {
			t.Fatal(err)
		}
		defer unix.Munmap(mem)
		mem[0] = 1
		await(t, future.Madvise(mem, unix.MADV_DONTNEED))
		if mem[0] != 0 { // MADV_DONTNEED on private anonymous memory zero-fills it
			t.Errorf("after MADV_DONTNEED mem[0] = %d", mem[0])
		}
	})
	t.Run("Openat/Close", func(t *testing.T) {
		path := filepath.Join(dir, "opened")
		fd := await(t, future.Openat(unix.AT_FDCWD, path, unix.O_CREAT|unix.O_RDWR|unix.O_CLOEXEC, 0o600))
		if _, err := unix.Write(int(fd), []byte("x")); err != nil {
			t.Fatal(err)
		}
		await(t, future.Close(int(fd)))
		if _, err := unix.Write(int(fd), []byte("x")); !errors.Is(err, syscall.EBADF) {
			t.Errorf("write after Close: %v", err)
		}
		_, err := future.Openat(unix.AT_FDCWD, filepath.Join(dir, "missing"), unix.O_RDONLY, 0).Await(context.Background(), loop)
		if !errors.Is(err, syscall.ENOENT) {
			t.Errorf("Openat(missing) = %v", err)
		}
		if err := future.Openat(unix.AT_FDCWD, "bad\x00path", 0, 0).Err(); !errors.Is(err, syscall.EINVAL) {
			t.Errorf("path with NUL: Err = %v", err)
		}
	})
	t.Run("Openat2", func(t *testing.T) {
		path := filepath.Join(dir, "opened2")
		os.WriteFile(path, []byte("two"), 0o600)
		fd := await(t, future.Openat2(unix.AT_FDCWD, path, ring.OpenHow{Flags: unix.O_RDONLY | unix.O_CLOEXEC}))
		defer unix.Close(int(fd))
		buf := make([]byte, 3)
		if n, _ := unix.Read(int(fd), buf); string(buf[:n]) != "two" {
			t.Errorf("read %q", buf[:n])
		}
	})
	t.Run("OpenatDirect/CloseDirect/FixedFdInstall", func(t *testing.T) {
		path := filepath.Join(dir, "direct")
		os.WriteFile(path, []byte("direct"), 0o600)
		slot := await(t, future.OpenatDirect(unix.AT_FDCWD, path, unix.O_RDONLY, 0, 5))
		if slot != 5 {
			t.Errorf("OpenatDirect slot = %d", slot)
		}
		buf := make([]byte, 6)
		if n := await(t, future.Read(int(slot), buf, 0).Fixed()); string(buf[:n]) != "direct" {
			t.Errorf("read through the slot: %q", buf[:n])
		}
		fd := await(t, future.FixedFdInstall(int(slot), 0))
		if n, _ := unix.Pread(int(fd), buf, 0); string(buf[:n]) != "direct" {
			t.Errorf("read through the installed fd: %q", buf[:n])
		}
		unix.Close(int(fd))
		await(t, future.CloseDirect(uint32(slot)))
		if _, err := future.Read(int(slot), buf, 0).Fixed().Await(context.Background(), loop); !errors.Is(err, syscall.EBADF) {
			t.Errorf("read after CloseDirect = %v, want EBADF", err)
		}
	})
	t.Run("Statx", func(t *testing.T) {
		f := file(t, "12345")
		st := await(t, future.Statx(unix.AT_FDCWD, f.Name(), 0, unix.STATX_BASIC_STATS))
		fi, _ := f.Stat()
		if int64(st.Size) != fi.Size() || os.FileMode(st.Mode&0o777) != fi.Mode().Perm() {
			t.Errorf("statx size %d mode %o, os.Stat %d %o", st.Size, st.Mode&0o777, fi.Size(), fi.Mode().Perm())
		}
	})
	t.Run("Mkdirat/Renameat/Symlinkat/Linkat/Unlinkat", func(t *testing.T) {
		d := filepath.Join(dir, "d")
		await(t, future.Mkdirat(unix.AT_FDCWD, d, 0o700))
		a, b := filepath.Join(d, "a"), filepath.Join(d, "b")
		os.WriteFile(a, []byte("A"), 0o600)
		await(t, future.Renameat(unix.AT_FDCWD, a, unix.AT_FDCWD, b, 0))
		await(t, future.Symlinkat("b", unix.AT_FDCWD, filepath.Join(d, "sym")))
		await(t, future.Linkat(unix.AT_FDCWD, b, unix.AT_FDCWD, filepath.Join(d, "hard"), 0))
		if target, _ := os.Readlink(filepath.Join(d, "sym")); target != "b" {
			t.Errorf("symlink -> %q", target)
		}
		if got, _ := os.ReadFile(filepath.Join(d, "hard")); string(got) != "A" {
			t.Errorf("hard link holds %q", got)
		}
		for _, n := range []string{"b", "sym", "hard"} {
			await(t, future.Unlinkat(unix.AT_FDCWD, filepath.Join(d, n), 0))
		}
		await(t, future.Unlinkat(unix.AT_FDCWD, d, unix.AT_REMOVEDIR))
		if _, err := os.Stat(d); !os.IsNotExist(err) {
			t.Errorf("directory still there: %v", err)
		}
	})
	t.Run("xattr", func(t *testing.T) {
		f := file(t, "")
		if _, err := future.Fsetxattr(fdOf(f), "user.k", []byte("v1"), 0).Await(context.Background(), loop); err != nil {
			if errors.Is(err, syscall.EOPNOTSUPP) {
				t.Skip("the temp file system has no user xattrs (EOPNOTSUPP)")
			}
			t.Fatal(err)
		}
		buf := make([]byte, 16)
		if n := await(t, future.Fgetxattr(fdOf(f), "user.k", buf)); string(buf[:n]) != "v1" {
			t.Errorf("Fgetxattr = %q", buf[:n])
		}
		await(t, future.Setxattr(f.Name(), "user.k", []byte("v2"), unix.XATTR_REPLACE))
		if n := await(t, future.Getxattr(f.Name(), "user.k", buf)); !bytes.Equal(buf[:n], []byte("v2")) {
			t.Errorf("Getxattr = %q", buf[:n])
		}
	})
}

var _ = cmp.Diff
