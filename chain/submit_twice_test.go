//go:build linux

package chain_test

import (
	"context"
	"errors"
	"sync"
	"testing"
	"time"

	"github.com/uringkit/uring/chain"
	"github.com/uringkit/uring/future"
	"github.com/uringkit/uring/ring"
)

// TestSubmitConcurrently: two goroutines submit the same chain at once.
// Exactly one Submit succeeds and the other fails with ErrSubmitted, the
// chain completes once, nothing stays in flight and the Loop closes.
// Before the fix both Submits could pass the submitted check and fill the
// chain's one request array and element records at the same time: both
// were accepted in about 1 round in 100, requests submitted in a mixed
// group were lost to the chain (and put into the pool while in flight),
// Stats kept an operation in flight and Close never returned.
func TestSubmitConcurrently(t *testing.T) {
	l, err := ring.NewLoop(ring.WithEntries(16))
	if err != nil {
		t.Fatal(err)
	}
	ctx := context.Background()
	for i := range 300 {
		c := chain.New()
		chain.Add(c, future.Nop())
		chain.Add(c, future.NopResult(7))
		var wg sync.WaitGroup
		var errs [2]error
		for g := range 2 {
			wg.Go(func() { errs[g] = c.Submit(ctx, l) })
		}
		wg.Wait()
		ok, dup := 0, 0
		for _, err := range errs {
			switch {
			case err == nil:
				ok++
			case errors.Is(err, chain.ErrSubmitted):
				dup++
			default:
				t.Fatalf("round %d: Submit = %v", i, err)
			}
		}
		if ok != 1 || dup != 1 {
			t.Fatalf("round %d: Submits = %v; want one nil and one ErrSubmitted", i, errs)
		}
		waited := make(chan error, 1)
		go func() { waited <- c.Wait(ctx) }()
		select {
		case err := <-waited:
			if err != nil {
				t.Fatalf("round %d: Wait = %v", i, err)
			}
		case <-time.After(2 * time.Second):
			t.Fatalf("round %d: Wait still blocks after 2 s", i)
		}
	}
	if st := l.Stats(); st.InFlight != 0 {
		t.Errorf("in flight after every chain completed: %d", st.InFlight)
	}
	closed := make(chan error, 1)
	go func() { closed <- l.Close() }()
	select {
	case err := <-closed:
		if err != nil {
			t.Errorf("Close = %v", err)
		}
	case <-time.After(5 * time.Second):
		t.Error("Close still blocks after 5 s")
	}
}
