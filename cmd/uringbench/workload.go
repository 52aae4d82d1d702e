package main

import (
	"errors"
	"fmt"
	"sort"
	"time"
)

// Workload is one benchmark that uringbench can run on several engines:
// the library's (ring, loop, uring, ...) and the one a Go user would use
// otherwise (c, os, net, ...).
//
// To add a workload, create cmd/uringbench/workload_<name>.go with a type
// that implements Workload and an init function that registers it:
//
//	func init() { register(statWorkload{}) }
//
// No other file needs to change: the flags, the default run, the table,
// -json and -svg all work from this interface. A workload must
//
//   - read only the Params fields it lists in Flags, filling in its own
//     defaults for those the user left zero, and return the values it used
//     in Result.Params (they are what -json prints);
//   - time only the measured section, and count its allocations, with a
//     Meter (startMeter ... Stop), so that setup (creating a ring, a file, a
//     Loop) is not counted;
//   - check its results (every op completed once, with the right value) and
//     return an error if not: a fast wrong answer is not a benchmark;
//   - return skip("why") when the engine cannot run here (no C compiler, a
//     kernel feature missing), which prints as a note instead of failing;
//   - keep its Defaults short: the no-flag run of every workload together
//     must finish within two minutes on a loaded 2-core machine, each
//     comparison repeated (see -reps), so aim for under 15 seconds per
//     workload in total.
//
// Helpers for workloads: startMeter/Stop (time, allocations, threads),
// closedLoop (G goroutines running an op until a count or a duration, with
// p50/p99), Histogram (allocation-free latency quantiles), orDefault (fill
// in unset parameters), parseSetup (-setup flags) and skip.
type Workload interface {
	// Name is the -workload value, e.g. "nop", "randread", "stat", "echo".
	Name() string

	// Describe says in one line what is measured, for -list.
	Describe() string

	// Engines lists the -engine values the workload accepts.
	Engines() []string

	// Flags lists the parameters the workload reads, by their flag names
	// ("batch", "ops", "goroutines", "qd", "direct", "file", "bs",
	// "duration", "conns", "size", "setup"). They label the table and
	// -json.
	Flags() []string

	// Defaults lists the comparisons of the no-flag run: each runs one
	// configuration on a uring engine and on its baseline engine.
	Defaults() []Comparison

	// Run runs one configuration on one engine and returns what it
	// measured. It must not call os.Exit or print to stdout.
	Run(engine string, p Params) (Result, error)
}

// Params are the workload parameters, one field per flag. Zero means "the
// workload's default".
type Params struct {
	Batch      int           // -batch: SQEs per submission
	Ops        int64         // -ops: operations to complete
	Goroutines int           // -goroutines: concurrent submitters
	QD         int           // -qd: queue depth (ops in flight)
	Direct     bool          // -direct: O_DIRECT
	File       string        // -file: data file path
	BS         int           // -bs: block size in bytes
	Duration   time.Duration // -duration: how long to run (time-bound workloads)
	Conns      int           // -conns: connections
	Size       int           // -size: message size in bytes
	Setup      string        // -setup: how the uring side is set up (io_uring setup flags, Loop options), per workload
}

// Comparison is one row of the default table: the same Params run on the
// library's engine and on the baseline engine.
type Comparison struct {
	Params   Params
	Uring    string // the library's engine, e.g. "ring"
	Baseline string // what it is compared with, e.g. "c" or "os"
	Note     string // optional, shown in the table (e.g. the target)
}

// Result is what one Run measured.
type Result struct {
	Params  Params  // the parameters actually used (defaults filled in)
	Ops     int64   // operations completed in the measured section
	Seconds float64 // length of the measured section

	// AllocsPerOp is Go heap allocations per op in the measured section;
	// negative when not measured (the work ran in another process).
	AllocsPerOp float64

	P50, P99 time.Duration // per-op latency; zero when not measured
	Threads  int           // OS threads of the process at the end; zero when not measured
	Note     string        // anything the reader must know about this run

	json string // the -json line of a run made in a child process
}

// OpsPerSec is the throughput.
func (r Result) OpsPerSec() float64 {
	if r.Seconds <= 0 {
		return 0
	}
	return float64(r.Ops) / r.Seconds
}

// skipError marks an engine that cannot run here; the table shows why.
type skipError struct{ why string }

func (e *skipError) Error() string { return "skipped: " + e.why }

// skip returns an error that makes uringbench report the run as skipped
// (with the reason) instead of failing.
func skip(format string, args ...any) error {
	return &skipError{why: fmt.Sprintf(format, args...)}
}

func isSkip(err error) bool {
	var s *skipError
	return errors.As(err, &s)
}

var workloads = map[string]Workload{}

// register adds w to the workloads uringbench knows. Call it from an init
// function in w's file; a duplicate name is a programming error.
func register(w Workload) {
	if _, dup := workloads[w.Name()]; dup {
		panic("uringbench: workload " + w.Name() + " registered twice")
	}
	workloads[w.Name()] = w
}

// workloadOrder is the order of the default run: the ring layer first,
// then the layers built on it; unknown names follow alphabetically.
var workloadOrder = []string{"nop", "nop-loop", "randread", "stat", "echo"}

func sortedWorkloads() []Workload {
	rank := func(name string) int {
		for i, n := range workloadOrder {
			if n == name {
				return i
			}
		}
		return len(workloadOrder)
	}
	var ws []Workload
	for _, w := range workloads {
		ws = append(ws, w)
	}
	sort.Slice(ws, func(i, j int) bool {
		ri, rj := rank(ws[i].Name()), rank(ws[j].Name())
		if ri != rj {
			return ri < rj
		}
		return ws[i].Name() < ws[j].Name()
	})
	return ws
}
