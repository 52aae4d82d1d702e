//go:build linux

package future_test

import (
	"context"
	"errors"
	"syscall"
	"testing"
	"time"

	"github.com/google/go-cmp/cmp"
	"golang.org/x/sys/unix"

	"github.com/uringkit/uring/future"
	"github.com/uringkit/uring/ring"
	"github.com/uringkit/uring/timeout"
)

// TestAwaitMultishotRefused: Await and Submit of a multishot operation
// fail with an *ArgError before anything is submitted, so nothing is
// taken from the kernel and dropped. Before, Await waited for the terminal
// CQE and dropped every value before it: a multishot accept awaited until
// its context ended accepted the queued connection and lost its fd
// (leaked for the life of the process), and a multishot receive lost the
// data and kept its provided buffer out of the ring.
func TestAwaitMultishotRefused(t *testing.T) {
	// The bound only keeps a regression from hanging; nothing here waits
	// for it.
	ctx, cancel := context.WithTimeout(context.Background(), 5*time.Second)
	defer cancel()
	lfd, addr := listener(t)
	cfd := int(await(t, future.Socket(unix.AF_INET, unix.SOCK_STREAM|unix.SOCK_CLOEXEC, 0)))
	t.Cleanup(func() { unix.Close(cfd) })
	await(t, future.Connect(cfd, addr)) // queued on the listener

	_, err := future.AcceptMultishot(lfd, unix.SOCK_CLOEXEC).Await(ctx, loop)
	want := &future.ArgError{Op: ring.OpAccept, Reason: "multishot operation: range over it with Stream"}
	if d := cmp.Diff(want, err); d != "" {
		t.Errorf("AcceptMultishot.Await error (-want +got):\n%s", d)
	}
	if !errors.Is(err, syscall.EINVAL) {
		t.Errorf("errors.Is(%v, EINVAL) = false", err)
	}
	// The connection is still queued: a single-shot accept gets it.
	sfd, err := future.Accept(lfd, unix.SOCK_CLOEXEC).Await(ctx, loop)
	if err != nil {
		t.Fatal(err)
	}
	defer unix.Close(int(sfd))

	br, err := future.NewBufferRing(loop, 25, 2, 16)
	if err != nil {
		t.Fatal(err)
	}
	defer br.Close()
	if _, err := unix.Write(cfd, []byte("hello")); err != nil {
		t.Fatal(err)
	}
	f := future.RecvMultishot(int(sfd), br, 0).Submit(ctx, loop)
	_, err = f.Await(ctx)
	want = &future.ArgError{Op: ring.OpRecv, Reason: "multishot operation: range over it with Stream"}
	if d := cmp.Diff(want, err); d != "" {
		t.Errorf("RecvMultishot.Submit's Future error (-want +got):\n%s", d)
	}
	// The data is still in the socket.
	b, err := future.RecvBuffer(int(sfd), br, 0).Await(ctx, loop)
	if err != nil {
		t.Fatal(err)
	}
	defer b.Release()
	if string(b.Data) != "hello" {
		t.Errorf("after the refused multishot the socket holds %q, want \"hello\"", b.Data)
	}

	// timeout.Await of a multishot op is op.Await: refused the same way.
	_, err = timeout.Await(ctx, loop, timeout.Ticker(timeout.After(time.Millisecond), 2))
	var ae *future.ArgError
	if !errors.As(err, &ae) || ae.Op != ring.OpTimeout {
		t.Errorf("timeout.Await(Ticker) = %v, want an *ArgError for TIMEOUT", err)
	}
}
