//go:build linux

package future_test

import (
	"context"
	"errors"
	"sync"
	"sync/atomic"
	"syscall"
	"testing"

	"golang.org/x/sys/unix"

	"github.com/uringkit/uring/future"
)

// TestFutureCancelFromAnotherGoroutine: one goroutine calls Cancel and
// UserData on whatever Future another goroutine is awaiting, all the
// time; the awaiting goroutine, after each Await, runs a poll on a pipe
// and then makes the pipe readable. Cancel must only ever reach the
// Future's own operation: the poll must report POLLIN, never ECANCELED.
// Before the fix Cancel read the Future's Request without synchronising
// with Await, which gives it back to the pool as it returns: Cancel
// panicked on the nil Request (most runs), or cancelled the poll that the
// pool's next user (here the same goroutine) had submitted with it.
func TestFutureCancelFromAnotherGoroutine(t *testing.T) {
	ctx := context.Background()
	r, w := pipe(t)
	var cur atomic.Pointer[future.Future[struct{}]]
	var stop atomic.Bool
	var wg sync.WaitGroup
	var panicked atomic.Value
	wg.Go(func() {
		defer func() {
			if p := recover(); p != nil {
				panicked.Store(p)
			}
		}()
		for !stop.Load() {
			if f := cur.Load(); f != nil {
				f.Cancel()
				_ = f.UserData()
			}
		}
	})
	const rounds = 2000
	cancelled := 0
	for i := 0; i < rounds && panicked.Load() == nil; i++ {
		f := future.Nop().Submit(ctx, loop)
		cur.Store(f)
		if _, err := f.Await(ctx); err != nil && !errors.Is(err, syscall.ECANCELED) {
			t.Fatalf("NOP: %v", err)
		}
		p := future.PollAdd(r, unix.POLLIN).Submit(ctx, loop)
		unix.Write(w, []byte("x"))
		ev, err := p.Await(ctx)
		unix.Read(r, make([]byte, 1))
		switch {
		case errors.Is(err, syscall.ECANCELED):
			cancelled++
		case err != nil || ev&unix.POLLIN == 0:
			t.Fatalf("poll = %#x, %v; want POLLIN", ev, err)
		}
	}
	stop.Store(true)
	wg.Wait()
	if p := panicked.Load(); p != nil {
		t.Errorf("Future.Cancel from another goroutine panicked: %v", p)
	}
	if cancelled > 0 {
		t.Errorf("%d of %d polls were cancelled by a Cancel meant for an earlier Future", cancelled, rounds)
	}
}
