//go:build linux

package ring_test

import (
	"syscall"
	"testing"

	"golang.org/x/sys/unix"

	"github.com/uringkit/uring/ring"
)

// fixedReadSQE reads len(buf) bytes at offset 0 from fixed file slot.
func fixedReadSQE(slot int, buf []byte, ud uint64) func(*ring.SQE) {
	return func(s *ring.SQE) {
		readSQE(slot, buf, 0, ud)(s)
		s.Flags = ring.SQEFixedFile
	}
}

// openDirectSQE is IORING_OP_OPENAT of path (NUL-terminated) into a
// kernel-chosen fixed-file slot (IORING_FILE_INDEX_ALLOC).
func openDirectSQE(path []byte, ud uint64) func(*ring.SQE) {
	return func(s *ring.SQE) {
		*s = ring.SQE{Opcode: ring.OpOpenat, Fd: unix.AT_FDCWD, Addr: addr(path), OpFlags: unix.O_RDONLY,
			SpliceFdIn: -1 /* IORING_FILE_INDEX_ALLOC */, UserData: ud}
	}
}

func TestRegisterFilesUpdate(t *testing.T) {
	r := newTestRing(t, 8)
	_, fdA := tempFile(t, "file A")
	_, fdB := tempFile(t, "file B")
	if err := r.RegisterFiles([]int{fdA, -1}); err != nil {
		t.Fatal(err)
	}
	buf := make([]byte, 6)
	diff(t, "read slot 0", submitOne(t, r, fixedReadSQE(0, buf, 1)), cqe(1, 6))
	diff(t, "slot 0 data", string(buf), "file A")
	diff(t, "read empty slot 1", submitOne(t, r, fixedReadSQE(1, buf, 2)), cqe(2, errno(syscall.EBADF)))

	// Fill slot 1, leave slot 0 alone with REGISTER_FILES_SKIP.
	n, err := r.UpdateFiles(0, []int{int(ring.RegisterFilesSkip), fdB})
	if err != nil || n != 2 {
		t.Fatalf("UpdateFiles = %d, %v", n, err)
	}
	diff(t, "read slot 1", submitOne(t, r, fixedReadSQE(1, buf, 3)), cqe(3, 6))
	diff(t, "slot 1 data", string(buf), "file B")
	diff(t, "read slot 0 again", submitOne(t, r, fixedReadSQE(0, buf, 4)), cqe(4, 6))
	diff(t, "slot 0 data", string(buf), "file A")

	// The table holds its own references: the fds may be closed.
	if n, err := r.UpdateFiles(0, []int{-1}); err != nil || n != 1 {
		t.Fatalf("UpdateFiles(-1) = %d, %v", n, err)
	}
	diff(t, "read emptied slot 0", submitOne(t, r, fixedReadSQE(0, buf, 5)), cqe(5, errno(syscall.EBADF)))

	if err := r.UnregisterFiles(); err != nil {
		t.Fatal(err)
	}
	diff(t, "read after unregister", submitOne(t, r, fixedReadSQE(1, buf, 6)), cqe(6, errno(syscall.EBADF)))
	wantSyscallErr(t, r.UnregisterFiles(), ring.UnregisterFiles, syscall.ENXIO)
}

func TestRegisterFilesTagged(t *testing.T) {
	r := newTestRing(t, 8)
	_, fdA := tempFile(t, "A")
	_, fdB := tempFile(t, "B")
	if err := r.RegisterFilesTagged([]int{fdA, fdB}, []uint64{7, 8}); err != nil {
		t.Fatal(err)
	}
	noCQE(t, r)
	n, err := r.UpdateFilesTagged(0, []int{fdB}, []uint64{9})
	if err != nil || n != 1 {
		t.Fatalf("UpdateFilesTagged = %d, %v", n, err)
	}
	diff(t, "tag CQE of the replaced file", reap(t, r, 1), []ring.CQE{cqe(7, 0)})
	buf := make([]byte, 1)
	diff(t, "read new slot 0", submitOne(t, r, fixedReadSQE(0, buf, 1)), cqe(1, 1))
	diff(t, "slot 0 data", string(buf), "B")
	if err := r.UnregisterFiles(); err != nil {
		t.Fatal(err)
	}
	diff(t, "tag CQEs at unregister", reap(t, r, 2), []ring.CQE{cqe(8, 0), cqe(9, 0)})
}

func TestRegisterFilesSparseAllocRange(t *testing.T) {
	r := newTestRing(t, 8)
	path, _ := tempFile(t, "direct")
	if err := r.RegisterFilesSparse(8); err != nil {
		t.Fatal(err)
	}
	if err := r.RegisterFileAllocRange(4, 2); err != nil {
		t.Fatal(err)
	}
	cpath := append([]byte(path), 0)
	// The kernel allocates only inside [4, 6): slots 4 and 5, then ENFILE.
	diff(t, "first direct open", submitOne(t, r, openDirectSQE(cpath, 1)), cqe(1, 4))
	diff(t, "second direct open", submitOne(t, r, openDirectSQE(cpath, 2)), cqe(2, 5))
	diff(t, "third direct open", submitOne(t, r, openDirectSQE(cpath, 3)), cqe(3, errno(syscall.ENFILE)))
	buf := make([]byte, 6)
	diff(t, "read slot 4", submitOne(t, r, fixedReadSQE(4, buf, 4)), cqe(4, 6))
	diff(t, "slot 4 data", string(buf), "direct")

	wantSyscallErr(t, r.RegisterFileAllocRange(6, 4), ring.RegisterFileAllocRange, syscall.EINVAL)
}

func TestRegisterFilesBadInput(t *testing.T) {
	r := newTestRing(t, 4)
	wantArgErr(t, r, r.RegisterFiles(nil))
	wantArgErr(t, r, r.RegisterFilesTagged([]int{0}, []uint64{}))
	wantArgErr(t, r, r.RegisterFilesSparse(0))
	wantArgErr(t, r, r.RegisterFileAllocRange(0, 0))
	_, err := r.UpdateFiles(0, nil)
	wantArgErr(t, r, err)
	_, err = r.UpdateFilesTagged(0, []int{1}, []uint64{1, 2})
	wantArgErr(t, r, err)
}
