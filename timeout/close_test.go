package timeout_test

import (
	"context"
	"errors"
	"sync"
	"syscall"
	"testing"
	"time"

	"github.com/uringkit/uring/ring"
	"github.com/uringkit/uring/timeout"
)

// TestTickersEndOnClose: endless tickers streamed by 8 goroutines, in every
// Loop mode, while the Loop is closed. Each stream ends (its last value is
// the ticker's cancellation, ECANCELED, or ErrClosed), Close returns, and
// nothing stays in flight.
func TestTickersEndOnClose(t *testing.T) {
	for _, mode := range []struct {
		name string
		opts []ring.LoopOption
	}{
		{"shared", []ring.LoopOption{ring.WithMode(ring.ModeShared)}},
		{"owner", []ring.LoopOption{ring.WithMode(ring.ModeOwner)}},
		{"shared-rings2", []ring.LoopOption{ring.WithMode(ring.ModeShared), ring.WithRings(2)}},
	} {
		t.Run(mode.name, func(t *testing.T) {
			l, err := ring.NewLoop(mode.opts...)
			if err != nil {
				t.Fatal(err)
			}
			const streams = 8
			var wg sync.WaitGroup
			ticked := make(chan struct{}, streams)
			last := make(chan error, streams)
			for range streams {
				wg.Add(1)
				go func() {
					defer wg.Done()
					var end error
					n := 0
					for _, err := range timeout.Ticker(timeout.After(200*time.Microsecond), 0).Stream(context.Background(), l) {
						if n++; n == 2 {
							ticked <- struct{}{}
						}
						end = err
					}
					last <- end
				}()
			}
			for range streams {
				<-ticked
			}
			if err := l.Close(); err != nil {
				t.Errorf("Close: %v", err)
			}
			done := make(chan struct{})
			go func() { wg.Wait(); close(done) }()
			select {
			case <-done:
			case <-time.After(30 * time.Second):
				t.Fatal("streams still running 30 s after Close")
			}
			close(last)
			for err := range last {
				if !errors.Is(err, syscall.ECANCELED) && !errors.Is(err, ring.ErrClosed) {
					t.Errorf("a stream ended with %v, want ECANCELED or ErrClosed", err)
				}
			}
			if st := l.Stats(); st.InFlight != 0 {
				t.Errorf("in flight after Close: %d", st.InFlight)
			}
		})
	}
}
