//go:build linux

package chain_test

import (
	"context"
	"os"
	"runtime"
	"testing"
	"time"
	"weak"

	"github.com/google/go-cmp/cmp"
	"github.com/uringkit/uring/chain"
	"github.com/uringkit/uring/future"
	"github.com/uringkit/uring/timeout"
)

// Regression tests for bugs that other Go io_uring libraries shipped
// (../shared/reference/go-peers.md); docs/peer-bugs.md maps each to its test.

// giouring's PrepareLinkTimeout pointed the SQE at a timespec local to the
// prep (go-peers.md 2.2), and no peer keeps a linked timeout's timespec
// reachable by the GC until its CQE (6(b)1). A chain's linked timeout
// points into the chain, so the Loop must hold the chain until the
// timeout's terminal CQE. The test builds and submits a read guarded by a
// one-hour linked timeout in a helper, keeps only a weak pointer to the
// chain, collects garbage, and checks the chain is still alive; the read
// then completes with the data (had the kernel read a freed or reused
// timespec, the timeout could fire early or be refused) and the timeout is
// cancelled.
func TestLinkTimeoutTimespecKeptUntilCQEUnderGC(t *testing.T) {
	pr, pw, err := os.Pipe()
	if err != nil {
		t.Fatal(err)
	}
	defer pr.Close()
	defer pw.Close()
	buf := make([]byte, 8)
	wc := submitGuardedRead(t, int(pr.Fd()), buf)
	for i := 0; i < 5; i++ {
		runtime.GC()
	}
	c := wc.Value()
	if c == nil {
		t.Fatal("the GC collected a submitted chain whose linked timeout's timespec the kernel still uses")
	}
	if _, err := pw.Write([]byte("payload!")); err != nil {
		t.Fatal(err)
	}
	got := c.Results(context.Background())
	want := []chain.Result{{Outcome: chain.Completed, Res: 8, By: -1}}
	if diff := cmp.Diff(want, got); diff != "" {
		t.Errorf("read guarded by a one-hour linked timeout (-want +got):\n%s", diff)
	}
	if string(buf) != "payload!" {
		t.Errorf("read %q", buf)
	}
}

// submitGuardedRead submits READ(fd) + LINK_TIMEOUT(1h) and returns only a
// weak pointer to the chain.
//
//go:noinline
func submitGuardedRead(t *testing.T, fd int, buf []byte) weak.Pointer[chain.Chain] {
	c := chain.New()
	chain.Add(c, future.Read(fd, buf, -1))
	c.LinkTimeout(timeout.After(time.Hour))
	if err := c.Submit(context.Background(), loop); err != nil {
		t.Fatal(err)
	}
	return weak.Make(c)
}
