package main

import (
	"encoding/json"
	"fmt"
	"io"
	"math"
	"sort"
	"strings"
	"text/tabwriter"
	"time"
)

// jsonLine writes one run as one JSON object on one line. Fields that do
// not apply to the run (latency, threads, allocations in another process)
// are null.
func jsonLine(out io.Writer, w Workload, engine string, rep int, r Result, err error) error {
	if r.json != "" { // a child's line: add the repetition, keep the rest
		line := r.json
		if rep > 0 {
			line = strings.TrimSuffix(line, "}") + fmt.Sprintf(`,"rep":%d}`, rep)
		}
		_, werr := fmt.Fprintln(out, line)
		return werr
	}
	// Build the object by hand so the keys keep a readable order.
	var b strings.Builder
	kv := func(k string, v any) {
		if b.Len() > 0 {
			b.WriteString(",")
		}
		kj, _ := json.Marshal(k)
		vj, _ := json.Marshal(v)
		b.Write(kj)
		b.WriteString(":")
		b.Write(vj)
	}
	kv("workload", w.Name())
	kv("engine", engine)
	for _, name := range w.Flags() {
		if name == "ops" {
			continue // the "ops" below: what completed, which -ops asked for
		}
		if f, ok := paramByName(name); ok {
			kv(name, f.get(&r.Params))
		}
	}
	if rep > 0 {
		kv("rep", rep)
	}
	if err != nil {
		kv("skipped", isSkip(err))
		kv("error", err.Error())
	} else {
		kv("ops", r.Ops)
		kv("seconds", round(r.Seconds, 6))
		kv("ops_per_sec", round(r.OpsPerSec(), 0))
		kv("allocs_per_op", nullIf(r.AllocsPerOp < 0, round(r.AllocsPerOp, 3)))
		kv("p50_ns", nullIf(r.P50 == 0, r.P50.Nanoseconds()))
		kv("p99_ns", nullIf(r.P99 == 0, r.P99.Nanoseconds()))
		kv("threads", nullIf(r.Threads == 0, r.Threads))
		if r.Note != "" {
			kv("note", r.Note)
		}
	}
	_, werr := fmt.Fprintf(out, "{%s}\n", b.String())
	return werr
}

func nullIf(null bool, v any) any {
	if null {
		return nil
	}
	return v
}

func round(v float64, digits int) float64 {
	p := math.Pow(10, float64(digits))
	return math.Round(v*p) / p
}

// row is one comparison of the default run after all its repetitions.
type row struct {
	w           Workload
	c           Comparison
	label       string
	uring, base []Result  // one per repetition that ran
	uErr, bErr  error     // the first error of each side, if any
	ratios      []float64 // uring/baseline ops/s, per repetition where both ran
}

// medianOps returns the median ops/s of rs.
func medianOps(rs []Result) float64 {
	v := make([]float64, len(rs))
	for i, r := range rs {
		v[i] = r.OpsPerSec()
	}
	return median(v)
}

func median(v []float64) float64 {
	if len(v) == 0 {
		return 0
	}
	s := append([]float64(nil), v...)
	sort.Float64s(s)
	if len(s)%2 == 1 {
		return s[len(s)/2]
	}
	return (s[len(s)/2-1] + s[len(s)/2]) / 2
}

func medianDur(rs []Result, get func(Result) time.Duration) time.Duration {
	var v []float64
	for _, r := range rs {
		if d := get(r); d > 0 {
			v = append(v, float64(d))
		}
	}
	return time.Duration(median(v))
}

// ratio is the median of the per-repetition ratios uring/baseline, with
// their range; ok is false when a side did not run.
func (r *row) ratio() (med, lo, hi float64, ok bool) {
	if len(r.ratios) == 0 {
		return 0, 0, 0, false
	}
	lo, hi = math.Inf(1), math.Inf(-1)
	for _, x := range r.ratios {
		lo, hi = math.Min(lo, x), math.Max(hi, x)
	}
	return median(r.ratios), lo, hi, true
}

// printTable writes the comparison table: throughput of each side, the
// ratio uring/baseline (above 1 means the library is faster), latency and
// threads where measured.
func printTable(out io.Writer, rows []*row, reps int) {
	tw := tabwriter.NewWriter(out, 2, 8, 2, ' ', 0)
	fmt.Fprintln(tw, "workload\tconfig\turing\tops/s\tbaseline\tops/s\tratio\t[min..max]\tp50 u/b\tthreads u/b\tallocs/op\tnote")
	for _, r := range rows {
		uOps, bOps := cell(r.uring, r.uErr, medianOps), cell(r.base, r.bErr, medianOps)
		ratio, rng := "-", ""
		if med, lo, hi, ok := r.ratio(); ok {
			ratio = fmt.Sprintf("%.2fx", med)
			rng = fmt.Sprintf("[%.2f..%.2f]", lo, hi)
		}
		uP50 := medianDur(r.uring, func(x Result) time.Duration { return x.P50 })
		bP50 := medianDur(r.base, func(x Result) time.Duration { return x.P50 })
		p50 := pair(uP50, bP50, fmtDur)
		if uP50 > 0 && bP50 > 0 {
			p50 += fmt.Sprintf(" (%.2fx)", float64(uP50)/float64(bP50)) // latency: below 1 = uring faster
		}
		threads := pair(maxThreads(r.uring), maxThreads(r.base), func(n int) string { return fmt.Sprint(n) })
		allocs := "-"
		if len(r.uring) > 0 && r.uring[0].AllocsPerOp >= 0 {
			v := make([]float64, len(r.uring))
			for i, x := range r.uring {
				v[i] = x.AllocsPerOp
			}
			allocs = fmt.Sprintf("%.2f", median(v))
		}
		note := r.c.Note
		for _, e := range []error{r.uErr, r.bErr} {
			if e != nil {
				note = strings.TrimSpace(note + " " + e.Error())
			}
		}
		fmt.Fprintf(tw, "%s\t%s\t%s\t%s\t%s\t%s\t%s\t%s\t%s\t%s\t%s\t%s\n",
			r.w.Name(), r.label, r.c.Uring, uOps, r.c.Baseline, bOps, ratio, rng, p50, threads, allocs, note)
	}
	tw.Flush()
	fmt.Fprintf(out, "\nratio = uring ops/s / baseline ops/s, median of %d interleaved repetitions [their range]; above 1 = uring faster.\n", reps)
	fmt.Fprintf(out, "p50 u/b = median per-op latency, uring/baseline (their ratio: below 1 = uring faster); threads = OS threads of the run's process.\n")
}

func cell(rs []Result, err error, f func([]Result) float64) string {
	if len(rs) == 0 {
		if err != nil && isSkip(err) {
			return "skipped"
		}
		return "failed"
	}
	return si(f(rs))
}

func maxThreads(rs []Result) int {
	n := 0
	for _, r := range rs {
		n = max(n, r.Threads)
	}
	return n
}

func pair[T comparable](a, b T, f func(T) string) string {
	var zero T
	if a == zero && b == zero {
		return "-"
	}
	s := func(v T) string {
		if v == zero {
			return "-"
		}
		return f(v)
	}
	return s(a) + "/" + s(b)
}

// si prints a rate with a k/M/G suffix and three significant digits.
func si(v float64) string {
	switch {
	case v >= 1e9:
		return fmt.Sprintf("%.3gG", v/1e9)
	case v >= 1e6:
		return fmt.Sprintf("%.3gM", v/1e6)
	case v >= 1e3:
		return fmt.Sprintf("%.3gk", v/1e3)
	}
	return fmt.Sprintf("%.3g", v)
}

func fmtDur(d time.Duration) string {
	switch {
	case d >= time.Millisecond:
		return fmt.Sprintf("%.3gms", float64(d)/1e6)
	case d >= time.Microsecond:
		return fmt.Sprintf("%.3gµs", float64(d)/1e3)
	}
	return fmt.Sprintf("%dns", d.Nanoseconds())
}
