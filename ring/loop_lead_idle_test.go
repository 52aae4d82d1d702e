package ring

import (
	"context"
	"errors"
	"syscall"
	"testing"
	"time"
)

// TestLoopIdleLeaderParks: a waiter whose context can end leads (waits in
// io_uring_enter itself) with a timeout of leadPoll, since nothing else
// can interrupt that wait when the context ends. On an op that stays in
// flight (a read of an empty pipe) it gives the role up after
// leadIdlePolls waits in which nothing completed, and parks, watching its
// context directly; the reaper then waits in the kernel with no timeout.
// So 300 ms of waiting cost a handful of kernel waits, not one every
// leadPoll (about 150), and the cancel still ends the Wait at once with
// the context's error and the read's -ECANCELED. Quiet, there are 4: three
// polls, then the reaper's wait. Under load the reaper may take the role
// before the waiter leads, and a hand-off's wake-up may find the waiter
// already parked, so it leads once more: 13 in one of 60 runs with two
// other test binaries running. The bound, maxIdleWaits, is far from 150.
func TestLoopIdleLeaderParks(t *testing.T) {
	for _, tc := range []struct {
		name string
		opts []LoopOption
	}{
		{"one ring", []LoopOption{WithMode(ModeShared), WithRings(1)}},
		{"default", nil},
	} {
		t.Run(tc.name, func(t *testing.T) { idleLeaderParks(t, tc.opts) })
	}
}

// maxIdleWaits bounds TestLoopIdleLeaderParks's kernel waits: a quarter
// of what polling every leadPoll for 300 ms makes.
const maxIdleWaits = 40

func idleLeaderParks(t *testing.T, opts []LoopOption) {
	l, err := NewLoop(opts...)
	if err != nil {
		t.Fatal(err)
	}
	defer l.Close()
	pr, _ := idlePipe(t)
	ctx, cancel := context.WithCancel(context.Background())
	r := submitPipeRead(t, context.Background(), l, pr)
	before := l.Stats().Waits
	time.AfterFunc(300*time.Millisecond, cancel)
	start := time.Now()
	c, err := r.Wait(ctx)
	waited := time.Since(start)
	if !errors.Is(err, context.Canceled) || c.Res != -int32(syscall.ECANCELED) {
		t.Fatalf("Wait = %+v, %v; want res -ECANCELED and context.Canceled", c, err)
	}
	if waited > 2*time.Second {
		t.Errorf("Wait returned %v after it began, the cancel came after 300ms", waited)
	}
	waits := l.Stats().Waits - before
	t.Logf("%d kernel waits in %v", waits, waited)
	if waits > maxIdleWaits {
		t.Errorf("%d kernel waits while the read stayed in flight for %v, want at most %d", waits, waited, maxIdleWaits)
	}
}
