package main

import (
	"errors"
	"sync/atomic"
	"testing"
	"time"
)

func TestClosedLoopOps(t *testing.T) {
	var calls [3]atomic.Int64
	r, err := closedLoop(3, 1000, 0, true, func(w int) error {
		calls[w].Add(1)
		return nil
	})
	if err != nil {
		t.Fatal(err)
	}
	// 1000 ops over 3 goroutines: 334, 333, 333.
	got := [3]int64{calls[0].Load(), calls[1].Load(), calls[2].Load()}
	if got != [3]int64{334, 333, 333} || r.Ops != 1000 {
		t.Errorf("per-goroutine calls %v, Ops %d; want [334 333 333], 1000", got, r.Ops)
	}
	if r.P50 <= 0 || r.P99 < r.P50 {
		t.Errorf("p50 %v, p99 %v: want 0 < p50 <= p99", r.P50, r.P99)
	}
}

func TestClosedLoopDurationAndError(t *testing.T) {
	r, err := closedLoop(2, 0, 20*time.Millisecond, false, func(int) error {
		time.Sleep(time.Millisecond)
		return nil
	})
	if err != nil || r.Ops == 0 || r.P50 != 0 {
		t.Errorf("duration run: Ops %d, P50 %v, err %v; want some ops, no latency, no error", r.Ops, r.P50, err)
	}
	boom := errors.New("boom")
	var n atomic.Int64
	_, err = closedLoop(4, 0, time.Hour, false, func(int) error {
		if n.Add(1) == 10 {
			return boom
		}
		return nil
	})
	if !errors.Is(err, boom) {
		t.Errorf("err = %v, want boom (the first error stops the run)", err)
	}
}
