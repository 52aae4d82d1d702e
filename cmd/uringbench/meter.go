package main

import (
	"bytes"
	"math/bits"
	"os"
	"runtime"
	"strconv"
	"time"
)

// Meter times a measured section and counts the Go heap allocations made
// in it (runtime.MemStats.Mallocs, process-wide, so stop helper goroutines
// before Stop). Reading MemStats stops the world, which is why it is done
// only at the two ends.
type Meter struct {
	start   time.Time
	mallocs uint64
}

// startMeter starts a measured section.
func startMeter() *Meter {
	var ms runtime.MemStats
	runtime.ReadMemStats(&ms)
	return &Meter{mallocs: ms.Mallocs, start: time.Now()}
}

// Stop ends the section after ops operations and returns the Result with
// Ops, Seconds, AllocsPerOp and Threads filled in.
func (m *Meter) Stop(ops int64) Result {
	el := time.Since(m.start)
	var ms runtime.MemStats
	runtime.ReadMemStats(&ms)
	r := Result{Ops: ops, Seconds: el.Seconds(), Threads: osThreads()}
	if ops > 0 {
		r.AllocsPerOp = float64(ms.Mallocs-m.mallocs) / float64(ops)
	}
	return r
}

// osThreads returns the process's OS thread count (Threads: in
// /proc/self/status), or 0 where that file does not exist.
func osThreads() int {
	b, err := os.ReadFile("/proc/self/status")
	if err != nil {
		return 0
	}
	for _, line := range bytes.Split(b, []byte("\n")) {
		if v, ok := bytes.CutPrefix(line, []byte("Threads:")); ok {
			n, _ := strconv.Atoi(string(bytes.TrimSpace(v)))
			return n
		}
	}
	return 0
}

// Histogram records latencies without allocating: log-linear buckets, 16
// per power of two (within about 6%), from 1 ns to about 2^40 ns (18 min).
// Give each goroutine its own and Merge them at the end.
type Histogram struct {
	counts [histBuckets]uint64
	n      uint64
}

const (
	histSub     = 4 // 2^histSub sub-buckets per power of two
	histBuckets = 41 << histSub
)

// Record adds one latency.
func (h *Histogram) Record(d time.Duration) {
	v := uint64(max(d, 1))
	e := bits.Len64(v) - 1 // v in [2^e, 2^(e+1))
	var i int
	if e < histSub {
		i = int(v) // exact for small values
	} else {
		i = (e-histSub+1)<<histSub | int(v>>(e-histSub))&(1<<histSub-1)
	}
	h.counts[min(i, histBuckets-1)]++
	h.n++
}

// Merge adds o's counts to h.
func (h *Histogram) Merge(o *Histogram) {
	for i, c := range o.counts {
		h.counts[i] += c
	}
	h.n += o.n
}

// Count is the number of recorded latencies.
func (h *Histogram) Count() uint64 { return h.n }

// Quantile returns the latency at quantile q (0.5 = median), as the
// lower bound of its bucket, or 0 when nothing was recorded.
func (h *Histogram) Quantile(q float64) time.Duration {
	if h.n == 0 {
		return 0
	}
	rank := uint64(q * float64(h.n-1))
	var seen uint64
	for i, c := range h.counts {
		seen += c
		if seen > rank {
			return time.Duration(bucketLow(i))
		}
	}
	return time.Duration(bucketLow(histBuckets - 1))
}

// bucketLow is the smallest value that lands in bucket i.
func bucketLow(i int) uint64 {
	if i < 1<<histSub {
		return uint64(i)
	}
	e := i>>histSub + histSub - 1
	sub := uint64(i & (1<<histSub - 1))
	return 1<<e | sub<<(e-histSub)
}
