package main

import (
	"testing"
	"time"
)

func TestHistogramBuckets(t *testing.T) {
	// Every value lands in a bucket whose lower bound is within 1/16 below it.
	for v := uint64(1); v < 1<<36; v = v*5/4 + 1 {
		var h Histogram
		h.Record(time.Duration(v))
		got := uint64(h.Quantile(0.5))
		if got > v || float64(v-got) > float64(v)/16 {
			t.Fatalf("Record(%d): Quantile(0.5) = %d, want within 1/16 below", v, got)
		}
	}
}

func TestHistogramQuantiles(t *testing.T) {
	var a, b Histogram
	for i := 1; i <= 50; i++ {
		a.Record(time.Duration(i) * time.Microsecond)
		b.Record(time.Duration(i+50) * time.Microsecond)
	}
	a.Merge(&b)
	if a.Count() != 100 {
		t.Fatalf("Count() = %d, want 100", a.Count())
	}
	// Bucket lower bounds: 50 µs and 99 µs fall in [49152, 51200) ns and
	// [98304, 102400) ns.
	if got, want := a.Quantile(0.5), 49152*time.Nanosecond; got != want {
		t.Errorf("p50 = %v, want %v", got, want)
	}
	if got, want := a.Quantile(0.99), 98304*time.Nanosecond; got != want {
		t.Errorf("p99 = %v, want %v", got, want)
	}
}
