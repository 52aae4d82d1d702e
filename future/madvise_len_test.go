//go:build linux

package future_test

import (
	"context"
	"errors"
	"syscall"
	"testing"

	"golang.org/x/sys/unix"

	"github.com/uringkit/uring/future"
	"github.com/uringkit/uring/internal/testutil"
)

// TestMadviseOver4GiBRefused: madvise has no short count, so a range
// longer than the SQE's 32-bit length would be advised only in its first
// 4 GiB - 1 and still succeed. Madvise refuses it with an *ArgError
// (errors.Is syscall.EINVAL) before anything is submitted; the same call
// over the first 4 GiB - 1 pages' worth goes through.
func TestMadviseOver4GiBRefused(t *testing.T) {
	n := uint64(1)<<32 + 4096
	m := testutil.Reserve(t, n)
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
