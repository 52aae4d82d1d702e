//go:build linux

package future_test

import (
	"context"
	"sync"
	"testing"

	"golang.org/x/sys/unix"

	"github.com/uringkit/uring/future"
)

// checkPipes checks that every pair is a pipe of its own: no fd appears
// twice, and a byte written into a pair's write end comes out of its read
// end. It closes every fd.
func checkPipes(t *testing.T, pairs [][2]future.FD) {
	t.Helper()
	seen := map[future.FD]bool{}
	for _, p := range pairs {
		for _, fd := range p {
			if seen[fd] {
				t.Errorf("fd %d delivered twice in %v: another pipe's result was lost", fd, pairs)
			}
			seen[fd] = true
		}
	}
	for i, p := range pairs {
		msg := []byte{byte('a' + i)}
		got := make([]byte, 1)
		if _, err := unix.Write(int(p[1]), msg); err != nil {
			t.Errorf("pair %d %v: write: %v", i, p, err)
		} else if n, err := unix.Read(int(p[0]), got); n != 1 || err != nil || got[0] != msg[0] {
			t.Errorf("pair %d %v: read %q, %v; want %q", i, p, got[:max(n, 0)], err, msg)
		}
	}
	for fd := range seen {
		unix.Close(int(fd))
	}
}

// TestOpSubmittedTwiceKeepsResultsApart: one Op value submitted several
// times (two Futures in flight at once, Await from several goroutines)
// gives every submission its own result. An Op is an immutable
// description, but Pipe (like Statx and Waitid) kept the memory the
// kernel writes its result into in the Op, shared by every submission:
// before the fix the second pipe's fds overwrote the first's, both Futures
// returned the second pair and the first pair was lost (100% of rounds).
func TestOpSubmittedTwiceKeepsResultsApart(t *testing.T) {
	ctx := context.Background()
	op := future.Pipe(unix.O_CLOEXEC)
	t.Run("two Futures", func(t *testing.T) {
		for range 20 {
			f1, f2 := op.Submit(ctx, loop), op.Submit(ctx, loop)
			a, err1 := f1.Await(ctx)
			b, err2 := f2.Await(ctx)
			if err1 != nil || err2 != nil {
				t.Fatal(err1, err2)
			}
			checkPipes(t, [][2]future.FD{a, b})
		}
	})
	t.Run("Await from 4 goroutines", func(t *testing.T) {
		for range 20 {
			var mu sync.Mutex
			var pairs [][2]future.FD
			var wg sync.WaitGroup
			for range 4 {
				wg.Go(func() {
					p, err := op.Await(ctx, loop)
					if err != nil {
						t.Error(err)
						return
					}
					mu.Lock()
					pairs = append(pairs, p)
					mu.Unlock()
				})
			}
			wg.Wait()
			checkPipes(t, pairs)
		}
	})
}
