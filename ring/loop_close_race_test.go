//go:build linux

package ring_test

import (
	"context"
	"errors"
	"fmt"
	"sync"
	"syscall"
	"testing"
	"time"

	"github.com/uringkit/uring/ring"
)

// TestLoopCloseDuringSubmits: Close while 8 goroutines keep submitting and
// waiting (NOPs, 2-SQE linked groups, and pipe reads whose contexts end),
// in every Loop mode. Each Submit either fails with ErrClosed or its
// Requests resolve: with their own CQE or with ErrClosed. Close returns,
// nothing stays in flight, and no goroutine is left. The rounds differ in
// when Close comes, so it meets submissions at every step.
func TestLoopCloseDuringSubmits(t *testing.T) {
	rounds := 20
	if ring.RaceEnabled {
		rounds = 5
	}
	for _, m := range loopModes {
		t.Run(m.name, func(t *testing.T) {
			check := goroutineLeakCheck(t)
			for i := range rounds {
				closeDuringSubmits(t, m.opts, time.Duration(i)*100*time.Microsecond)
			}
			check()
		})
	}
}

func closeDuringSubmits(t *testing.T, opts []ring.LoopOption, after time.Duration) {
	l, err := ring.NewLoop(opts...)
	if err != nil {
		t.Fatal(err)
	}
	pr, _ := ring.IdlePipe(t)
	const workers = 8
	var wg sync.WaitGroup
	errs := make(chan error, workers)
	started := make(chan struct{}, workers)
	for w := range workers {
		wg.Add(1)
		go func() {
			defer wg.Done()
			errs <- submitUntilClosed(l, w, int32(pr.Fd()), started)
		}()
	}
	for range workers {
		<-started
	}
	time.Sleep(after)
	mustFinish(t, "Close during submissions", func() {
		if err := l.Close(); err != nil {
			t.Errorf("Close: %v", err)
		}
	})
	mustFinish(t, "submitters after Close", wg.Wait)
	close(errs)
	for err := range errs {
		if err != nil {
			t.Error(err)
		}
	}
	if st := l.Stats(); st.InFlight != 0 {
		t.Errorf("in flight after Close: %d", st.InFlight)
	}
}

// submitUntilClosed submits and waits until the Loop refuses with
// ErrClosed; it returns any other outcome as an error.
func submitUntilClosed(l *ring.Loop, w int, pipe int32, started chan<- struct{}) error {
	a, b := nopReq(), nopReq()
	rd := ring.NewRequest()
	rd.Buf = make([]byte, 8)
	for i := 0; ; i++ {
		if i == 4 {
			started <- struct{}{}
		}
		var reqs []*ring.Request
		var ctx context.Context = context.Background()
		cancel := func() {}
		switch (w + i) % 3 {
		case 0:
			reqs = []*ring.Request{a}
		case 1:
			a.SQE.Flags |= ring.SQEIOLink
			reqs = []*ring.Request{a, b}
		case 2:
			rd.SQE.PrepRW(ring.OpRead, pipe, bufAddr(rd.Buf), 8, ^uint64(0))
			reqs = []*ring.Request{rd}
			ctx, cancel = context.WithTimeout(context.Background(), 50*time.Microsecond)
		}
		err := l.Submit(ctx, reqs...)
		a.SQE.PrepNop()
		if err != nil {
			cancel()
			if errors.Is(err, ring.ErrClosed) {
				return nil
			}
			if errors.Is(err, context.DeadlineExceeded) {
				continue // admission wait ended
			}
			return fmt.Errorf("Submit: %w", err)
		}
		for _, r := range reqs {
			c, err := r.Wait(ctx)
			switch {
			case errors.Is(err, ring.ErrClosed):
			case errors.Is(err, context.DeadlineExceeded) && r == rd:
			case err != nil:
				cancel()
				return fmt.Errorf("Wait: %w", err)
			case r == rd && c.Res != -int32(syscall.ECANCELED) && c.Res != -int32(syscall.EINTR):
				cancel()
				return fmt.Errorf("pipe read: res %d, want ECANCELED or EINTR", c.Res)
			case r != rd && c.Res != 0 && c.Res != -int32(syscall.ECANCELED):
				cancel()
				return fmt.Errorf("NOP: res %d", c.Res)
			}
		}
		cancel()
	}
}
