package main

import (
	"errors"
	"sync"
	"sync/atomic"
	"time"
)

// closedLoop runs op from g goroutines, each in a closed loop (its next op
// starts when the previous one returned), until ops operations have
// completed in total (split evenly over the goroutines) or, when ops is 0,
// until d has passed. The section is measured with a Meter; with latency
// set, the latency of every latencyEvery-th op of each goroutine also
// goes into a per-goroutine Histogram and the Result carries p50 and p99. The first error
// stops every goroutine and is returned.
//
// op receives the goroutine's index (0..g-1), for per-goroutine state such
// as a buffer or a file offset generator, set up before closedLoop.
func closedLoop(g int, ops int64, d time.Duration, latency bool, op func(worker int) error) (Result, error) {
	if g < 1 || (ops <= 0 && d <= 0) {
		return Result{}, errors.New("closedLoop needs goroutines >= 1 and ops or a duration")
	}
	hists := make([]Histogram, g)
	counts := make([]paddedCount, g)
	var stop atomic.Bool
	var errOnce sync.Once
	var firstErr error
	fail := func(err error) {
		errOnce.Do(func() { firstErr = err })
		stop.Store(true)
	}

	var wg sync.WaitGroup
	m := startMeter()
	for w := range g {
		quota := int64(-1) // run until stopped
		if ops > 0 {
			quota = ops / int64(g)
			if int64(w) < ops%int64(g) {
				quota++
			}
		}
		wg.Go(func() {
			h := &hists[w]
			var n int64
			for n != quota && !stop.Load() {
				var t0 time.Time
				timed := latency && n%latencyEvery == 0
				if timed {
					t0 = time.Now()
				}
				if err := op(w); err != nil {
					fail(err)
					break
				}
				if timed {
					h.Record(time.Since(t0))
				}
				n++
			}
			counts[w].n = n
		})
	}
	if ops <= 0 {
		timer := time.AfterFunc(d, func() { stop.Store(true) })
		defer timer.Stop()
	}
	wg.Wait()
	var total int64
	for _, c := range counts {
		total += c.n
	}
	r := m.Stop(total)
	if latency {
		for i := 1; i < g; i++ {
			hists[0].Merge(&hists[i])
		}
		r.P50, r.P99 = hists[0].Quantile(0.50), hists[0].Quantile(0.99)
	}
	return r, firstErr
}

// latencyEvery: closedLoop times one op in this many. Two clock reads cost
// about 65 ns on the benchmark VM (vDSO clock_gettime, measured with
// pprof on nop-loop), 14% of a NOP through the Loop; the ring-layer
// baseline reads no clock per op. A sample of one op in 8 gives the same
// quantiles at an eighth of the cost.
const latencyEvery = 8

// paddedCount keeps each goroutine's counter on its own cache line.
type paddedCount struct {
	n int64
	_ [56]byte
}
