//go:build linux

package chain_test

import (
	"context"
	"testing"

	"golang.org/x/sys/unix"

	"github.com/uringkit/uring/chain"
	"github.com/uringkit/uring/future"
)

// TestSameOpAddedTwice: one Pipe Op added as two steps of a chain gives
// two pipes, each step its own. Before the fix both steps' SQEs pointed
// at the one fd pair the Op held: the second pipe's fds overwrote the
// first's, both steps returned them and the first pipe was lost.
func TestSameOpAddedTwice(t *testing.T) {
	ctx := context.Background()
	op := future.Pipe(unix.O_CLOEXEC)
	for range 20 {
		c := chain.New()
		s1, s2 := chain.Add(c, op), chain.Add(c, op)
		if err := c.Submit(ctx, loop); err != nil {
			t.Fatal(err)
		}
		a, err1 := s1.Await(ctx)
		b, err2 := s2.Await(ctx)
		if err1 != nil || err2 != nil {
			t.Fatal(err1, err2)
		}
		if a == b {
			t.Fatalf("both steps returned the pipe %v", a)
		}
		for _, p := range [][2]future.FD{a, b} {
			if _, err := unix.Write(int(p[1]), []byte("x")); err != nil {
				t.Errorf("pipe %v: %v", p, err)
			} else if n, err := unix.Read(int(p[0]), make([]byte, 1)); n != 1 || err != nil {
				t.Errorf("pipe %v: read %d, %v", p, n, err)
			}
			unix.Close(int(p[0]))
			unix.Close(int(p[1]))
		}
	}
}
