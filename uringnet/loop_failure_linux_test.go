//go:build linux

package uringnet_test

import (
	"errors"
	"io"
	"net"
	"syscall"
	"testing"
	"time"

	"github.com/uringkit/uring/internal/testutil"
	"github.com/uringkit/uring/ring"
	"github.com/uringkit/uring/uringnet"
)

// TestReadDeadlineOnBrokenLoop: a RecvDirect Read blocked in the kernel
// whose deadline passes after its Loop broke (every io_uring_enter fails
// with EOPNOTSUPP, so the read's cancel cannot go in and the Loop fails
// the read without a CQE) returns the Loop's error, not io.EOF. Before
// the fix the conn took the zero CQE that came with the error for the
// read's result: 0 bytes, which Read reports as the peer's EOF.
func TestReadDeadlineOnBrokenLoop(t *testing.T) {
	needUring(t)
	t.Run("RecvDirect", func(t *testing.T) {
		readDeadlineOnBrokenLoop(t, uringnet.RecvDirect, "ring.(*Request).Wait")
	})
	// The same with a multishot receive into provided buffers: before
	// its fix (recv_provided_linux.go checked the deadline first) the
	// Read returned the deadline's timeout, as if nothing were wrong.
	t.Run("RecvProvided", func(t *testing.T) {
		readDeadlineOnBrokenLoop(t, uringnet.RecvProvided, "ring.(*Request).Next")
	})
}

func readDeadlineOnBrokenLoop(t *testing.T, mode uringnet.RecvMode, frame string) {
	l, err := ring.NewLoop(ring.WithMode(ring.ModeShared), ring.WithSpin(0))
	if err != nil {
		t.Fatal(err)
	}
	defer l.Close()
	cfg := &uringnet.Config{Loop: l, Recv: mode}
	c, _ := pair(t, engine{name: "uringnet on a Loop to break", listen: cfg.Listen, dial: cfg.Dial}, "tcp", "127.0.0.1:0")

	type result struct {
		n   int
		err error
	}
	done := make(chan result, 1)
	go func() {
		n, err := c.Read(make([]byte, 8))
		done <- result{n, err}
	}()
	// The read is in the kernel once its goroutine waits below run.
	testutil.WaitForStack(t, "the Read", frame)
	testutil.BreakLoop(t, l)
	if err := c.SetReadDeadline(time.Now()); err != nil {
		t.Fatal(err)
	}
	var got result
	select {
	case got = <-done:
	case <-time.After(30 * time.Second):
		t.Fatal("Read still blocked after the deadline on a broken Loop")
	}
	var oe *net.OpError
	if got.n != 0 || errors.Is(got.err, io.EOF) || !errors.Is(got.err, syscall.EOPNOTSUPP) || !errors.As(got.err, &oe) || oe.Op != "read" {
		t.Errorf("Read = %d, %v; want 0 and a read *net.OpError with the Loop's EOPNOTSUPP", got.n, got.err)
	}
}
