//go:build linux

package chain_test

import (
	"context"
	"errors"
	"testing"
	"time"

	"github.com/google/go-cmp/cmp"
	"github.com/uringkit/uring/chain"
	"github.com/uringkit/uring/future"
	"github.com/uringkit/uring/internal/testutil"
	"github.com/uringkit/uring/ring"
)

// TestAwaitDuringSubmitHonoursContext: while Submit waits for room in a
// full Loop, an Await of one of the chain's steps, a Wait and a Results
// from other goroutines, each with a context that has ended, return that
// context's error instead of waiting for the submission. The same calls
// with a live context, and a second Submit, wait for the submission and
// get their results once there is room (the second Submit ErrSubmitted).
// Before, Submit held the chain's lock for its whole wait, and the calls
// with an ended context hung until the Loop had room; the live ones
// would hang for good if the end of the submission woke nobody.
func TestAwaitDuringSubmitHonoursContext(t *testing.T) {
	l, err := ring.NewLoop(ring.WithRings(1), ring.WithEntries(4))
	if err != nil {
		t.Fatal(err)
	}
	defer l.Close()
	fill, pw := testutil.FillLoop(t, l)

	c := chain.New()
	first := chain.Add(c, future.Nop())
	second := chain.Add(c, future.Nop())
	submitted := make(chan error, 1)
	go func() { submitted <- c.Submit(context.Background(), l) }()
	testutil.WaitForStack(t, "Submit waiting for room", "chain.(*Chain).Submit", "ring.(*admission).acquire")

	ended, cancel := context.WithCancel(context.Background())
	cancel()
	type outcome struct {
		what string
		err  error
	}
	got := make(chan outcome, 3)
	go func() {
		_, err := first.Await(ended)
		got <- outcome{"Step.Await", err}
	}()
	go func() { got <- outcome{"Wait", c.Wait(ended)} }()
	go func() {
		rs := c.Results(ended)
		var err error
		if len(rs) != 2 || !errors.Is(rs[0].Err, context.Canceled) || !errors.Is(rs[1].Err, context.Canceled) {
			err = errors.New("not both steps Pending with context.Canceled")
		} else {
			err = rs[0].Err
		}
		got <- outcome{"Results", err}
	}()
	for range 3 {
		select {
		case o := <-got:
			if !errors.Is(o.err, context.Canceled) {
				t.Errorf("%s with an ended context while Submit waits for room = %v, want context.Canceled", o.what, o.err)
			}
		case <-time.After(hangAfter):
			t.Fatal("an Await, Wait or Results with an ended context waited for Submit, which waits for room")
		}
	}
	select {
	case err := <-submitted:
		t.Fatalf("Submit returned %v while the Loop was full", err)
	default:
	}

	// Live waiters, started while the submission waits for room.
	bg := context.Background()
	live := make(chan outcome, 4)
	go func() {
		_, err := second.Await(bg)
		live <- outcome{"Step.Await", err}
	}()
	go func() { live <- outcome{"Wait", c.Wait(bg)} }()
	go func() {
		want := []chain.Result{{Outcome: chain.Completed, By: -1}, {Outcome: chain.Completed, By: -1}}
		var err error
		if d := cmp.Diff(want, c.Results(bg)); d != "" {
			err = errors.New("Results (-want +got):\n" + d)
		}
		live <- outcome{"Results", err}
	}()
	go func() {
		err := c.Submit(bg, l)
		if errors.Is(err, chain.ErrSubmitted) {
			err = nil
		} else {
			err = errors.Join(errors.New("not ErrSubmitted"), err)
		}
		live <- outcome{"second Submit", err}
	}()
	testutil.WaitForStacks(t, "waiters sleeping for the submission", 4, "chain.(*Chain).waitSubmit")

	// Make room: the fillers' reads get data.
	if _, err := pw.Write(make([]byte, len(fill))); err != nil {
		t.Fatal(err)
	}
	for _, r := range fill {
		if _, err := r.Wait(context.Background()); err != nil {
			t.Fatal(err)
		}
		r.Release()
	}
	if err := <-submitted; err != nil {
		t.Fatalf("Submit once there was room: %v", err)
	}
	for range 4 {
		select {
		case o := <-live:
			if o.err != nil {
				t.Errorf("%s with a live context, started while Submit waited for room: %v", o.what, o.err)
			}
		case <-time.After(hangAfter):
			t.Fatal("a waiter with a live context was not woken when the submission ended")
		}
	}
	rs := c.Results(context.Background())
	want := []chain.Result{{Outcome: chain.Completed, By: -1}, {Outcome: chain.Completed, By: -1}}
	if d := cmp.Diff(want, rs); d != "" {
		t.Errorf("Results after the submission (-want +got):\n%s", d)
	}
	if _, err := second.Await(context.Background()); err != nil {
		t.Errorf("second step: %v", err)
	}
}
