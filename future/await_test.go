package future_test

import (
	"context"
	"errors"
	"os"
	"syscall"
	"testing"
	"time"

	"github.com/google/go-cmp/cmp"
	"github.com/uringkit/uring/future"
	"github.com/uringkit/uring/ring"
)

func pipe(t testing.TB) (r, w int) {
	t.Helper()
	pr, pw, err := os.Pipe()
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { pr.Close(); pw.Close() })
	return int(pr.Fd()), int(pw.Fd())
}

func TestAwaitNop(t *testing.T) {
	v, err := future.Nop().Await(context.Background(), loop)
	if err != nil || v != struct{}{} {
		t.Fatalf("Nop = %v, %v", v, err)
	}
	f := future.Nop().Submit(context.Background(), loop)
	if _, err := f.Await(context.Background()); err != nil {
		t.Fatal(err)
	}
	// A second Await returns the cached result.
	if _, err := f.Await(context.Background()); err != nil {
		t.Fatal(err)
	}
}

func TestAwaitErrorNamesOpAndErrno(t *testing.T) {
	_, err := future.Read(1<<20, make([]byte, 8), 0).Await(context.Background(), loop)
	var fe *future.Error
	if !errors.As(err, &fe) || !errors.Is(err, syscall.EBADF) || fe.Op != ring.OpRead {
		t.Fatalf("read of a bad fd: %v, want *future.Error{READ, EBADF}", err)
	}
	if err.Error() != "io_uring READ: bad file descriptor" {
		t.Errorf("message %q", err.Error())
	}
}

func TestAwaitContextCancelsInKernel(t *testing.T) {
	r, _ := pipe(t)
	buf := make([]byte, 16)
	ctx, cancel := context.WithTimeout(context.Background(), 20*time.Millisecond)
	defer cancel()
	_, err := future.Read(r, buf, -1).Await(ctx, loop)
	if !errors.Is(err, context.DeadlineExceeded) || !errors.Is(err, os.ErrDeadlineExceeded) {
		t.Fatalf("err = %v, want a deadline error", err)
	}
	// The loop still works and the cancelled read left the pipe alone.
	if _, err := future.Nop().Await(context.Background(), loop); err != nil {
		t.Fatal(err)
	}
	if diff := cmp.Diff(make([]byte, 16), buf); diff != "" {
		t.Errorf("buffer written after cancel:\n%s", diff)
	}
}
