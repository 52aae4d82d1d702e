//go:build linux

package ring_test

import (
	"context"
	"errors"
	"sync"
	"syscall"
	"testing"

	"github.com/uringkit/uring/ring"
)

// TestLoopFatalErrorDuringSubmits: the ring breaks while 8 goroutines
// submit and wait as fast as they can. Every Submit either fails with the
// ring's error or its Request resolves: with its CQE, or with the error
// when the Loop fails what is in flight. A Submit that passed its check
// for a fatal error while the reaper (or owner) was failing everything
// must not leave its Request unresolved (its slot was taken but not yet
// bound when failAll looked). Close returns. Before failInFlight's sqMu
// barrier, about one round in a few hundred left a waiter parked for good.
// Shared mode only: the owner enters through its registered ring fd,
// which putting /dev/null over the ring fd does not break.
func TestLoopFatalErrorDuringSubmits(t *testing.T) {
	rounds := 300
	if ring.RaceEnabled {
		rounds = 50
	}
	for range rounds {
		fatalDuringSubmits(t, []ring.LoopOption{ring.WithMode(ring.ModeShared)})
	}
}

func fatalDuringSubmits(t *testing.T, opts []ring.LoopOption) {
	l, err := ring.NewLoop(opts...)
	if err != nil {
		t.Fatal(err)
	}
	const workers = 8
	var wg sync.WaitGroup
	started := make(chan struct{}, workers)
	errs := make(chan error, workers)
	for range workers {
		wg.Add(1)
		go func() {
			defer wg.Done()
			r := nopReq()
			for i := 0; ; i++ {
				if i == 10 {
					started <- struct{}{}
				}
				if err := l.Submit(context.Background(), r); err != nil {
					if !errors.Is(err, syscall.EOPNOTSUPP) {
						errs <- err
					}
					return
				}
				c, err := r.Wait(context.Background())
				if err != nil {
					if !errors.Is(err, syscall.EOPNOTSUPP) {
						errs <- err
					}
					return
				}
				if c.Res != 0 {
					errs <- errors.New("a NOP did not complete with 0")
					return
				}
			}
		}()
	}
	for range workers {
		<-started
	}
	breakRingFd(t, l)
	mustFinish(t, "submitters and waiters after the ring broke", wg.Wait)
	close(errs)
	for err := range errs {
		t.Errorf("want EOPNOTSUPP or a result, got %v", err)
	}
	mustFinish(t, "Close after the ring broke", func() {
		if err := l.Close(); err != nil {
			t.Errorf("Close: %v", err)
		}
	})
}
