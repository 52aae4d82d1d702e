// Command uringbench compares io_uring, through this library, with what a
// Go program would use otherwise (C with raw io_uring, package os, package
// net), side by side in one run on this machine.
//
// With no flags it runs every workload's default comparisons and prints a
// table of ratios (uring / baseline):
//
//	go run ./cmd/uringbench
//
// One workload's comparisons, or one configuration on one engine:
//
//	go run ./cmd/uringbench -workload nop
//	go run ./cmd/uringbench -workload nop -engine ring -batch 32 -ops 4000000 -json
//
// -json prints one JSON object per run and line; -svg FILE writes a bar
// chart of the ratios; -list lists the workloads and their engines.
// Workloads live in workload_<name>.go files (see the Workload interface).
package main

import (
	"errors"
	"flag"
	"fmt"
	"io"
	"os"
	"runtime"
	"runtime/pprof"
	"slices"
	"strings"
	"time"
)

func main() {
	if err := run(os.Args[1:], os.Stdout, os.Stderr); err != nil {
		fmt.Fprintln(os.Stderr, "uringbench:", err)
		os.Exit(1)
	}
}

// options are the command-line flags besides the workload parameters.
type options struct {
	workload, engine, svg string
	cpuprofile            string
	json, list, inprocess bool
	reps                  int
	set                   map[string]bool // parameter flags given on the command line
}

func run(args []string, stdout, stderr io.Writer) error {
	fs := flag.NewFlagSet("uringbench", flag.ContinueOnError)
	fs.SetOutput(stderr)
	var o options
	var p Params
	fs.StringVar(&o.workload, "workload", "", "workload to run (default: every workload's default comparisons; see -list)")
	fs.StringVar(&o.engine, "engine", "", "engine to run the workload on (default: the workload's comparisons, uring and baseline)")
	fs.IntVar(&p.Batch, "batch", 0, "SQEs per submission")
	fs.Int64Var(&p.Ops, "ops", 0, "operations to complete")
	fs.IntVar(&p.Goroutines, "goroutines", 0, "concurrent goroutines")
	fs.IntVar(&p.QD, "qd", 0, "queue depth (operations in flight)")
	fs.BoolVar(&p.Direct, "direct", false, "use O_DIRECT")
	fs.StringVar(&p.File, "file", "", "data file (created if missing)")
	fs.IntVar(&p.BS, "bs", 0, "block size in bytes")
	fs.DurationVar(&p.Duration, "duration", 0, "how long a time-bound workload runs")
	fs.IntVar(&p.Conns, "conns", 0, "connections")
	fs.IntVar(&p.Size, "size", 0, "message size in bytes")
	fs.StringVar(&p.Setup, "setup", "", "how the uring side is set up: io_uring setup flags for both sides of nop and stat (e.g. SINGLE_ISSUER|DEFER_TASKRUN), Loop options for nop -engine loop (alias nop-loop) and randread (e.g. owner, shared, sqpoll); default none")
	fs.BoolVar(&o.json, "json", false, "print one JSON object per run and line instead of the table")
	fs.StringVar(&o.svg, "svg", "", "write a bar chart of the ratios to this SVG file")
	fs.IntVar(&o.reps, "reps", 0, "repetitions of each comparison, interleaved (default 5; 1 for a single -engine run)")
	fs.BoolVar(&o.list, "list", false, "list the workloads, their engines and parameters")
	fs.StringVar(&o.cpuprofile, "cpuprofile", "", "write a CPU profile to this file (of the comparisons only with -inprocess)")
	fs.BoolVar(&o.inprocess, "inprocess", false, "run the comparisons in this process instead of one child process per engine run")
	if err := fs.Parse(args); err != nil {
		return err
	}
	if fs.NArg() > 0 {
		return fmt.Errorf("unexpected arguments %q", fs.Args())
	}
	o.set = map[string]bool{}
	fs.Visit(func(f *flag.Flag) {
		if _, ok := paramByName(f.Name); ok {
			o.set[f.Name] = true
		}
	})
	if o.list {
		listWorkloads(stdout)
		return nil
	}
	if o.cpuprofile != "" {
		f, err := os.Create(o.cpuprofile)
		if err != nil {
			return err
		}
		defer f.Close()
		if err := pprof.StartCPUProfile(f); err != nil {
			return err
		}
		defer pprof.StopCPUProfile()
	}

	var ws []Workload
	switch {
	case o.workload == "" && o.engine != "":
		return errors.New("-engine needs -workload")
	case o.workload == "":
		ws = sortedWorkloads()
	default:
		w, ok := workloads[o.workload]
		if !ok {
			return fmt.Errorf("unknown workload %q (have: %s)", o.workload, strings.Join(workloadNames(), ", "))
		}
		if err := checkFlags(w, o.set); err != nil {
			return err
		}
		ws = []Workload{w}
	}

	if o.engine != "" {
		return runSingle(ws[0], o, p, stdout)
	}
	return runComparisons(ws, o, p, stdout, stderr)
}

// checkFlags refuses parameters the workload does not read, so a typo
// does not silently measure something else.
func checkFlags(w Workload, set map[string]bool) error {
	for name := range set {
		if !slices.Contains(w.Flags(), name) {
			return fmt.Errorf("workload %s does not use -%s (it uses: -%s)", w.Name(), name, strings.Join(w.Flags(), " -"))
		}
	}
	return nil
}

// runSingle runs one configuration on one engine, o.reps times.
func runSingle(w Workload, o options, p Params, stdout io.Writer) error {
	if !slices.Contains(w.Engines(), o.engine) {
		return fmt.Errorf("workload %s has no engine %q (have: %s)", w.Name(), o.engine, strings.Join(w.Engines(), ", "))
	}
	reps := max(o.reps, 1)
	for i := 1; i <= reps; i++ {
		r, err := w.Run(o.engine, p)
		rep := 0
		if reps > 1 {
			rep = i
		}
		if o.json {
			if jerr := jsonLine(stdout, w, o.engine, rep, r, err); jerr != nil {
				return jerr
			}
		} else if err == nil {
			printResult(stdout, w, o.engine, r)
		}
		if err != nil && !isSkip(err) {
			return err
		}
		if err != nil && !o.json {
			fmt.Fprintf(stdout, "%s %s %s: %v\n", w.Name(), o.engine, label(w, r.Params), err)
		}
	}
	return nil
}

func printResult(out io.Writer, w Workload, engine string, r Result) {
	fmt.Fprintf(out, "%s %s %s: %s ops/s (%d ops in %.3fs)", w.Name(), engine, label(w, r.Params), si(r.OpsPerSec()), r.Ops, r.Seconds)
	if r.AllocsPerOp >= 0 {
		fmt.Fprintf(out, " allocs/op=%.2f", r.AllocsPerOp)
	}
	if r.P50 > 0 {
		fmt.Fprintf(out, " p50=%s p99=%s", fmtDur(r.P50), fmtDur(r.P99))
	}
	if r.Threads > 0 {
		fmt.Fprintf(out, " threads=%d", r.Threads)
	}
	if r.Note != "" {
		fmt.Fprintf(out, " (%s)", r.Note)
	}
	fmt.Fprintln(out)
}

// runComparisons runs the default comparisons of ws, each o.reps times
// with the uring and baseline runs interleaved, so that a noisy
// neighbour hurts both sides alike. Parameters given on the command line
// override the defaults of every comparison.
func runComparisons(ws []Workload, o options, p Params, stdout, stderr io.Writer) error {
	reps := o.reps
	if reps <= 0 {
		reps = defaultReps
	}
	start := time.Now()
	progress := isTerminal(stderr)
	var rows []*row
	for _, w := range ws {
		for _, c := range w.Defaults() {
			c.Params = override(c.Params, p, o.set)
			rows = append(rows, &row{w: w, c: c, label: label(w, c.Params)})
		}
	}
	for rep := 1; rep <= reps; rep++ {
		for i, r := range rows {
			if progress {
				fmt.Fprintf(stderr, "\r\033[K[%d/%d] %s %s (%s vs %s)", (rep-1)*len(rows)+i+1, reps*len(rows), r.w.Name(), r.label, r.c.Uring, r.c.Baseline)
			}
			var u, b Result
			var uerr, berr error
			runU := func() { u, uerr = runOne(r.w, r.c.Uring, r.c.Params, rep, o.inprocess, r.uErr, &r.uring, &r.uErr) }
			runB := func() { b, berr = runOne(r.w, r.c.Baseline, r.c.Params, rep, o.inprocess, r.bErr, &r.base, &r.bErr) }
			// Which side runs first alternates from one repetition to
			// the next (uring first in odd ones), so that whatever the
			// run before leaves behind (the device's queue, the host's
			// caches, a CPU still busy) falls on both sides alike.
			if uringFirst(rep) {
				runU()
				runB()
			} else {
				runB()
				runU()
			}
			if uerr == nil && berr == nil && b.OpsPerSec() > 0 {
				r.ratios = append(r.ratios, u.OpsPerSec()/b.OpsPerSec())
			}
			if o.json {
				for _, x := range []struct {
					engine string
					res    Result
					err    error
				}{{r.c.Uring, u, uerr}, {r.c.Baseline, b, berr}} {
					if x.err == errNotRun {
						continue
					}
					if err := jsonLine(stdout, r.w, x.engine, rep, x.res, x.err); err != nil {
						return err
					}
				}
			}
		}
	}
	if progress {
		fmt.Fprint(stderr, "\r\033[K")
	}
	for _, r := range rows {
		// Label with the comparison's parameters, and for those it left
		// unset, the values the workload used (its defaults).
		p := r.c.Params
		for _, rs := range [][]Result{r.uring, r.base} {
			if len(rs) > 0 {
				fillUnset(r.w, &p, rs[0].Params)
			}
		}
		r.label = label(r.w, p)
	}
	if !o.json {
		printTable(stdout, rows, reps)
		fmt.Fprintf(stdout, "%d comparisons in %.0fs on %s/%s, GOMAXPROCS=%d.\n", len(rows), time.Since(start).Seconds(), runtime.GOOS, runtime.GOARCH, runtime.GOMAXPROCS(0))
	}
	if o.svg != "" {
		if err := writeSVGFile(o.svg, rows); err != nil {
			return err
		}
	}
	failed := 0
	for _, r := range rows {
		for _, e := range []error{r.uErr, r.bErr} {
			if e != nil && !isSkip(e) {
				failed++
			}
		}
	}
	if failed > 0 {
		return fmt.Errorf("%d engine runs failed (see the table's notes)", failed)
	}
	return nil
}

// defaultReps: repetitions of each comparison without -reps. A 1 s
// O_DIRECT run moves by up to a tenth from one run to the next on both
// sides (the virtio disk), so with 3 the median's ratio for the same two
// builds ranged 0.87-0.98x against fio at QD 32 from one table to the
// next; 5 give a steadier median, for about 175 s per table with the
// O_DIRECT rows' 2 s runs (docs/benchmarks.md).
const defaultReps = 5

// uringFirst reports whether repetition rep (from 1) of a comparison runs
// its uring side before its baseline: odd repetitions do, even ones run
// the baseline first.
func uringFirst(rep int) bool { return rep%2 == 1 }

var errNotRun = errors.New("not run: failed earlier")

// runOne runs one side of a comparison unless it already failed or was
// skipped (then it is not retried), and records the outcome.
func runOne(w Workload, engine string, p Params, rep int, inprocess bool, prev error, results *[]Result, firstErr *error) (Result, error) {
	if prev != nil {
		return Result{}, errNotRun
	}
	run := runChild
	if inprocess {
		run = safeRun
	}
	r, err := run(w, engine, p)
	if err != nil {
		if !isSkip(err) {
			err = fmt.Errorf("%s %s failed (rep %d): %w", w.Name(), engine, rep, err)
		}
		*firstErr = err
		return r, err
	}
	*results = append(*results, r)
	return r, nil
}

// safeRun is w.Run with a panic turned into an error, so that one broken
// workload cannot hide the results of the others.
func safeRun(w Workload, engine string, p Params) (r Result, err error) {
	defer func() {
		if v := recover(); v != nil {
			err = fmt.Errorf("panic: %v", v)
		}
	}()
	return w.Run(engine, p)
}

// override returns def with the parameters in set taken from user.
func override(def, user Params, set map[string]bool) Params {
	if set["batch"] {
		def.Batch = user.Batch
	}
	if set["ops"] {
		def.Ops = user.Ops
	}
	if set["goroutines"] {
		def.Goroutines = user.Goroutines
	}
	if set["qd"] {
		def.QD = user.QD
	}
	if set["direct"] {
		def.Direct = user.Direct
	}
	if set["file"] {
		def.File = user.File
	}
	if set["bs"] {
		def.BS = user.BS
	}
	if set["duration"] {
		def.Duration = user.Duration
	}
	if set["conns"] {
		def.Conns = user.Conns
	}
	if set["size"] {
		def.Size = user.Size
	}
	if set["setup"] {
		def.Setup = user.Setup
	}
	return def
}

func listWorkloads(out io.Writer) {
	for _, w := range sortedWorkloads() {
		fmt.Fprintf(out, "%s: %s\n  engines: %s\n  parameters: -%s\n", w.Name(), w.Describe(),
			strings.Join(w.Engines(), ", "), strings.Join(w.Flags(), " -"))
	}
}

func workloadNames() []string {
	var names []string
	for _, w := range sortedWorkloads() {
		names = append(names, w.Name())
	}
	return names
}

// isTerminal reports whether w is a terminal (a character device), where
// a progress line that rewrites itself is welcome.
func isTerminal(w io.Writer) bool {
	f, ok := w.(*os.File)
	if !ok {
		return false
	}
	st, err := f.Stat()
	return err == nil && st.Mode()&os.ModeCharDevice != 0
}
