//go:build linux

package future_test

import (
	"context"
	"errors"
	"strconv"
	"syscall"
	"testing"

	"golang.org/x/sys/unix"

	"github.com/uringkit/uring/future"
)

// TestMadviseOver4GiBRefused: madvise has no short count, so a range
// longer than the SQE's 32-bit length would be advised only in its first
// 4 GiB - 1 and still succeed. Madvise refuses it with an *ArgError
// (errors.Is syscall.EINVAL) before anything is submitted; the same call
// over the first 4 GiB - 1 pages' worth goes through.
func TestMadviseOver4GiBRefused(t *testing.T) {
	if strconv.IntSize < 64 {
		t.Skip("a slice of more than 4 GiB needs a 64-bit int")
	}
	n := uint64(1)<<32 + 4096
	m, err := unix.Mmap(-1, 0, int(n), unix.PROT_NONE, unix.MAP_PRIVATE|unix.MAP_ANONYMOUS|unix.MAP_NORESERVE)
	if err != nil {
		t.Fatalf("reserving %d bytes of address space: %v", n, err)
	}
	defer unix.Munmap(m)
	op := future.Madvise(m, unix.MADV_DONTNEED)
	var ae *future.ArgError
	if !errors.As(op.Err(), &ae) || !errors.Is(op.Err(), syscall.EINVAL) {
		t.Fatalf("Madvise over %d bytes: Err() = %v, want an *ArgError matching EINVAL", n, op.Err())
	}
	if _, err := op.Await(context.Background(), loop); !errors.As(err, &ae) {
		t.Errorf("Await = %v, want the *ArgError", err)
	}
	if _, err := future.Madvise(m[:n-8192], unix.MADV_DONTNEED).Await(context.Background(), loop); err != nil {
		t.Errorf("Madvise over 4 GiB - 4 KiB: %v", err)
	}
}
