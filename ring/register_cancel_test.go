//go:build linux

package ring_test

import (
	"syscall"
	"testing"
	"time"

	"github.com/uringkit/uring/ring"
)

// A read on an empty pipe blocks; SYNC_CANCEL cancels it and returns only
// once it is done, so its CQE (-ECANCELED) is there right after.
func TestSyncCancelBlockedRead(t *testing.T) {
	r := newTestRing(t, 8)
	rfd, _ := opPipe(t)
	buf := make([]byte, 8)
	s := r.GetSQE()
	readSQE(rfd, buf, 0, 42)(s)
	if _, err := r.Submit(); err != nil {
		t.Fatal(err)
	}
	noCQE(t, r)
	n, err := r.SyncCancel(ring.SyncCancelArgs{UserData: 42, Timeout: 5 * time.Second})
	if err != nil || n != 0 {
		t.Fatalf("SyncCancel = %d, %v", n, err)
	}
	diff(t, "cancelled read", reap(t, r, 1), []ring.CQE{cqe(42, errno(syscall.ECANCELED))})
	_, err = r.SyncCancel(ring.SyncCancelArgs{UserData: 42})
	wantSyscallErr(t, err, ring.RegisterSyncCancel, syscall.ENOENT)
}

func TestSyncCancelAllOnFd(t *testing.T) {
	r := newTestRing(t, 8)
	rfd, _ := opPipe(t)
	bufs := [3][]byte{make([]byte, 8), make([]byte, 8), make([]byte, 8)}
	for i := range bufs {
		readSQE(rfd, bufs[i], 0, uint64(i+1))(r.GetSQE())
	}
	if _, err := r.Submit(); err != nil {
		t.Fatal(err)
	}
	n, err := r.SyncCancel(ring.SyncCancelArgs{Fd: int32(rfd), Flags: ring.CancelFd | ring.CancelAll})
	if err != nil || n != 3 {
		t.Fatalf("SyncCancel(all on fd) = %d, %v; want 3", n, err)
	}
	ec := errno(syscall.ECANCELED)
	diff(t, "cancelled reads", reap(t, r, 3), []ring.CQE{cqe(1, ec), cqe(2, ec), cqe(3, ec)})
}
