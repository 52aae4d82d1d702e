//go:build linux

package future_test

import (
	"context"
	"errors"
	"syscall"
	"testing"

	"golang.org/x/sys/unix"

	"github.com/uringkit/uring/future"
	"github.com/uringkit/uring/ring"
)

// TestCancelFdEndsBlockedOps holds the package doc's recipe for ending the
// operations on an fd before closing it: CancelFd with ring.CancelAll
// cancels a blocked read and a multishot accept on their fds, and reports
// how many it cancelled.
func TestCancelFdEndsBlockedOps(t *testing.T) {
	ctx := context.Background()
	var p [2]int
	if err := unix.Pipe2(p[:], unix.O_CLOEXEC); err != nil {
		t.Fatal(err)
	}
	defer unix.Close(p[0])
	defer unix.Close(p[1])
	reads := []*future.Future[int]{
		future.Read(p[0], make([]byte, 1), -1).Submit(ctx, loop),
		future.Read(p[0], make([]byte, 1), -1).Submit(ctx, loop),
	}
	lfd, _ := listener(t)
	accepted := make(chan error, 1)
	go func() {
		var last error
		for fd, err := range future.AcceptMultishot(lfd, unix.SOCK_CLOEXEC).Stream(ctx, loop) {
			if err == nil {
				unix.Close(int(fd))
			}
			last = err
		}
		accepted <- last
	}()
	// The reads were submitted, and the cancel goes to the kernel behind
	// them. The accept stream may not be armed yet, so its fd is cancelled
	// until the stream ends.
	n, err := future.CancelFd(p[0], ring.CancelAll).Await(ctx, loop)
	if err != nil || n != 2 {
		t.Errorf("CancelFd(pipe, CancelAll) = %d, %v; want 2 cancelled", n, err)
	}
	for i, f := range reads {
		if _, err := f.Await(ctx); !errors.Is(err, syscall.ECANCELED) {
			t.Errorf("read %d after CancelFd: %v, want ECANCELED", i, err)
		}
	}
	for {
		future.CancelFd(lfd, ring.CancelAll).Await(ctx, loop)
		select {
		case err := <-accepted:
			if !errors.Is(err, syscall.ECANCELED) {
				t.Errorf("accept stream after CancelFd ended with %v, want ECANCELED", err)
			}
			return
		default:
		}
		if _, err := future.Nop().Await(ctx, loop); err != nil { // let the stream goroutine run
			t.Fatal(err)
		}
	}
}
