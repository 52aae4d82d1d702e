//go:build linux

package timeout_test

import (
	"context"
	"sync"
	"testing"
	"time"

	"golang.org/x/sys/unix"

	"github.com/uringkit/uring/future"
	"github.com/uringkit/uring/timeout"
)

// TestAwaitSameOpConcurrently: one Pipe Op run through timeout.Await (a
// deadline, so a linked timeout) from 4 goroutines at once gives 4
// different pipes. Before the fix every submission's SQE pointed at the
// one fd pair the Op held, so Awaits returned another's pipe and pipes
// were lost.
func TestAwaitSameOpConcurrently(t *testing.T) {
	ctx, cancel := context.WithTimeout(context.Background(), time.Minute)
	defer cancel()
	op := future.Pipe(unix.O_CLOEXEC)
	for range 20 {
		var mu sync.Mutex
		seen := map[future.FD]int{}
		var wg sync.WaitGroup
		for range 4 {
			wg.Go(func() {
				p, err := timeout.Await(ctx, loop, op)
				if err != nil {
					t.Error(err)
					return
				}
				mu.Lock()
				seen[p[0]]++
				seen[p[1]]++
				mu.Unlock()
			})
		}
		wg.Wait()
		for fd, n := range seen {
			if n != 1 {
				t.Errorf("fd %d returned by %d Awaits", fd, n)
			}
			unix.Close(int(fd))
		}
		if len(seen) != 8 {
			t.Errorf("4 Awaits returned %d distinct fds, want 8", len(seen))
		}
	}
}
