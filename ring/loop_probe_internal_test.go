package ring

import (
	"context"
	"runtime"
	"sync/atomic"
	"testing"

	"github.com/google/go-cmp/cmp"
)

// TestProbeBackOff: probed's interval over synthetic probes. A probe that
// found no other submitter doubles the interval, up to
// probeEvery<<probeMaxShift; one that found others resets it.
func TestProbeBackOff(t *testing.T) {
	var l Loop
	var got []uint32
	for _, useful := range []bool{false, false, true, false, false, false, false, false, false, false, false, true} {
		l.probed(useful)
		got = append(got, probeEvery<<l.probeShift.Load())
	}
	want := []uint32{8192, 16384, 4096, 8192, 16384, 32768, 65536, 131072, 262144, 262144, 262144, 4096}
	if d := cmp.Diff(want, got); d != "" {
		t.Errorf("probe interval after each probe (-want +got):\n%s", d)
	}
}

// TestLoopProbeBacksOffBesideComputation: at GOMAXPROCS=1, one goroutine
// submitting NOPs one at a time (each completes inside its own enter,
// so every decision is eager) beside one goroutine that only computes.
// Every probe yields to the computing goroutine, which runs until it is
// preempted, and finds no other submitter, so the probes back off: 5 in
// 100,000 NOPs (after 4096, 8192, 16384, 32768 and 65536 eager
// decisions) instead of one every 4096 (24). Every NOP completes with 0.
func TestLoopProbeBacksOffBesideComputation(t *testing.T) {
	defer runtime.GOMAXPROCS(runtime.GOMAXPROCS(1))
	l, err := NewLoop(WithMode(ModeShared), WithRings(1))
	if err != nil {
		t.Fatal(err)
	}
	defer l.Close()
	var stop atomic.Bool
	done := make(chan struct{})
	go func() {
		defer close(done)
		x := 0
		for !stop.Load() {
			x++
		}
		_ = x
	}()
	defer func() { stop.Store(true); <-done }()
	ctx := context.Background()
	r := nopRequest()
	const n = 100000
	for i := range n {
		if err := l.Submit(ctx, r); err != nil {
			t.Fatal(err)
		}
		if c, err := r.Wait(ctx); err != nil || c.Res != 0 {
			t.Fatalf("NOP %d: %+v, %v", i, c, err)
		}
	}
	if got := l.stats.probes.Load(); got != 5 {
		t.Errorf("%d probes in %d NOPs beside a computing goroutine, want 5 (4096, 8192, 16384, 32768, 65536)", got, n)
	}
	if got := probeEvery << l.probeShift.Load(); got != 131072 {
		t.Errorf("probe interval after them %d, want 131072", got)
	}
}
