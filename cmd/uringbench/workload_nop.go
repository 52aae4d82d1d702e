package main

import (
	"fmt"
	"runtime"

	"github.com/uringkit/uring/ring"
)

// The nop workload: IORING_OP_NOP submit-and-reap through the ring layer,
// against the same loop in C (cnop/nop.c, raw syscalls) in the same run.
// Both sides fill -batch NOP SQEs, publish them, make one io_uring_enter
// that submits them and waits for as many CQEs, then reap the CQEs and
// check them. The ring has max(batch, 128) entries, as in the C program,
// and the -setup flags (none by default) on both sides.
// It measures the per-op cost of the library's SQ/CQ handling and enter
// path; the kernel's work per NOP is the same on both sides.
//
// -engine loop is the spelling of the Loop's NOP benchmark
// ("-workload nop -engine loop -goroutines G"): it runs the nop-loop
// workload's loop engine (workload_nop_loop.go) with -goroutines and -ops.
func init() { register(nopWorkload{}) }

type nopWorkload struct{}

func (nopWorkload) Name() string { return "nop" }

func (nopWorkload) Describe() string {
	return "IORING_OP_NOP submit-and-reap, -batch NOPs per io_uring_enter: ring layer vs raw C; -engine loop: through the Loop from -goroutines goroutines (as nop-loop)"
}

func (nopWorkload) Engines() []string { return []string{"ring", "c", "loop"} }

func (nopWorkload) Flags() []string { return []string{"batch", "ops", "goroutines", "setup"} }

// Defaults are the comparison points with no setup flags, then the
// same with SINGLE_ISSUER|DEFER_TASKRUN on both sides (the Loop's owner
// mode uses them). Runs are sized to about 0.2-0.3 s each here (about
// 470 ns per NOP at batch 1, 70 ns at batch 128).
func (nopWorkload) Defaults() []Comparison {
	targets := map[int]string{1: "target >= 0.85x", 32: "target >= 0.95x", 128: "target >= 0.95x"}
	var cs []Comparison
	add := func(batch int, setup string) {
		ops := int64(3_000_000)
		if batch == 1 {
			ops = 600_000
		}
		note := ""
		if setup == "none" {
			note = targets[batch]
		}
		cs = append(cs, Comparison{Params: Params{Batch: batch, Ops: ops, Setup: setup}, Uring: "ring", Baseline: "c", Note: note})
	}
	for _, b := range []int{1, 8, 32, 128} {
		add(b, "none")
	}
	for _, b := range []int{1, 32, 128} {
		add(b, "SINGLE_ISSUER|DEFER_TASKRUN")
	}
	return cs
}

func (nopWorkload) Run(engine string, p Params) (Result, error) {
	switch {
	case engine == "loop" && p.Batch != 0:
		return Result{Params: p}, fmt.Errorf("nop -engine loop takes -goroutines, not -batch (the Loop batches across goroutines)")
	case engine == "loop":
		return nopLoopWorkload{}.Run("loop", p)
	case p.Goroutines != 0:
		return Result{Params: p}, fmt.Errorf("nop -engine %s runs one goroutine; -goroutines is for -engine loop", engine)
	}
	p = Params{Batch: orDefault(p.Batch, 32), Ops: orDefault(p.Ops, 4_000_000), Setup: orDefault(p.Setup, "none")}
	if p.Batch < 1 || p.Batch > 4096 || p.Ops < 1 {
		return Result{Params: p}, fmt.Errorf("nop needs 1 <= -batch <= 4096 and -ops >= 1")
	}
	flags, err := parseSetup(p.Setup)
	if err != nil {
		return Result{Params: p}, err
	}
	switch engine {
	case "ring":
		r, err := nopRing(p.Batch, p.Ops, flags)
		r.Params = p
		return r, err
	case "c":
		n, sec, err := runCnop(p.Ops, p.Batch, uint32(flags))
		return Result{Params: p, Ops: n, Seconds: sec, AllocsPerOp: -1}, err
	}
	return Result{Params: p}, fmt.Errorf("nop: unknown engine %q", engine)
}

// nopRing is the ring-layer loop. It uses only the hot-path methods
// (GetSQE, PrepNop, SetUserData, SubmitAndWait, PeekBatch), which must not
// allocate: the Result's AllocsPerOp shows it.
func nopRing(batch int, ops int64, flags ring.SetupFlags) (Result, error) {
	// SINGLE_ISSUER: every enter must come from the thread that created
	// the ring (else EEXIST), so stay on one OS thread throughout.
	runtime.LockOSThread()
	defer runtime.UnlockOSThread()
	r, err := ring.New(uint32(max(batch, 128)), ring.WithFlags(flags))
	if err != nil {
		return Result{}, err
	}
	defer r.Close()
	cqes := make([]ring.CQE, batch)

	// roundTrip submits n NOPs with user_data first..first+n-1, waits for
	// them, and returns the sum of the user_data of the CQEs it reaped.
	roundTrip := func(n int, first uint64) (uint64, error) {
		for i := range n {
			sqe := r.GetSQE()
			if sqe == nil {
				return 0, fmt.Errorf("GetSQE: SQ full with %d of %d SQEs prepared", i, n)
			}
			sqe.PrepNop()
			sqe.SetUserData(first + uint64(i))
		}
		if _, err := r.SubmitAndWait(uint32(n)); err != nil {
			return 0, err
		}
		var sum uint64
		for got := 0; got < n; {
			k := r.PeekBatch(cqes[:n-got])
			if k == 0 {
				if _, err := r.SubmitAndWait(uint32(n - got)); err != nil {
					return 0, err
				}
				continue
			}
			for _, c := range cqes[:k] {
				if c.Res != 0 {
					return 0, fmt.Errorf("NOP completed with res %d", c.Res)
				}
				sum += c.UserData
			}
			got += k
		}
		return sum, nil
	}

	if _, err := roundTrip(batch, 0); err != nil { // warm-up, not timed
		return Result{}, err
	}
	var sum uint64
	m := startMeter()
	for done := int64(0); done < ops; {
		n := int(min(int64(batch), ops-done))
		s, err := roundTrip(n, uint64(done)+1)
		if err != nil {
			return Result{}, err
		}
		sum += s
		done += int64(n)
	}
	res := m.Stop(ops)
	if want := uint64(ops) * uint64(ops+1) / 2; sum != want {
		return res, fmt.Errorf("user_data sum %d, want %d: a CQE was lost or duplicated", sum, want)
	}
	return res, nil
}
