package main

import (
	"context"
	"fmt"

	"github.com/uringkit/uring/ring"
)

// The nop-loop workload: NOPs through the Loop from -goroutines goroutines,
// each submitting one NOP and waiting for it (a closed loop), against the
// ring layer's batch-32 NOP loop (one goroutine, 32 SQEs per enter), the
// issue's yardstick: the Loop should reach at least 0.25x of it with 64
// goroutines. The Loop's cost per op is what is measured: batching
// across goroutines, admission, routing each CQE, parking and waking the
// waiter. The issue writes it "-workload nop -engine loop -goroutines G",
// which runs this workload's loop engine (workload_nop.go); nop-loop keeps
// the Loop's default comparisons, against the ring layer, in their own rows.
func init() { register(nopLoopWorkload{}) }

type nopLoopWorkload struct{}

func (nopLoopWorkload) Name() string { return "nop-loop" }

func (nopLoopWorkload) Describe() string {
	return "IORING_OP_NOP through the Loop from -goroutines goroutines, each awaiting its own; vs the ring layer at batch 32"
}

func (nopLoopWorkload) Engines() []string { return []string{"loop", "ring"} }

func (nopLoopWorkload) Flags() []string { return []string{"goroutines", "ops", "setup"} }

func (nopLoopWorkload) Defaults() []Comparison {
	return []Comparison{
		{Params: Params{Goroutines: 64, Ops: 600_000, Setup: "none"}, Uring: "loop", Baseline: "ring", Note: "target >= 0.25x"},
		{Params: Params{Goroutines: 1, Ops: 100_000, Setup: "none"}, Uring: "loop", Baseline: "ring", Note: "QD 1: latency-bound"},
	}
}

func (nopLoopWorkload) Run(engine string, p Params) (Result, error) {
	p = Params{Goroutines: orDefault(p.Goroutines, 64), Ops: orDefault(p.Ops, 1_000_000), Setup: orDefault(p.Setup, "none")}
	if p.Goroutines < 1 || p.Ops < int64(p.Goroutines) {
		return Result{Params: p}, fmt.Errorf("nop-loop needs -goroutines >= 1 and -ops >= -goroutines")
	}
	switch engine {
	case "ring":
		r, err := nopRing(32, p.Ops, 0)
		r.Params = p
		r.Note = "ring layer, batch 32, one goroutine"
		return r, err
	case "loop":
		r, err := nopLoop(p)
		r.Params = p
		return r, err
	}
	return Result{Params: p}, fmt.Errorf("nop-loop: unknown engine %q", engine)
}

func nopLoop(p Params) (Result, error) {
	opts, n, err := loopOptions(p.Setup)
	if err != nil {
		return Result{}, err
	}
	ls, err := newLoops(n, opts...)
	if err != nil {
		return Result{}, err
	}
	defer ls.Close()
	ctx := context.Background()
	reqs := make([]*ring.Request, p.Goroutines)
	for i := range reqs {
		reqs[i] = ring.NewRequest()
	}
	op := func(w int) error {
		r := reqs[w]
		r.SQE.PrepNop()
		if err := ls[w%len(ls)].Submit(ctx, r); err != nil {
			return err
		}
		c, err := r.Wait(ctx)
		if err != nil {
			return err
		}
		if c.Res != 0 {
			return fmt.Errorf("NOP completed with res %d", c.Res)
		}
		return nil
	}
	for w := range reqs { // warm-up, not timed
		if err := op(w); err != nil {
			return Result{}, err
		}
	}
	res, err := closedLoop(p.Goroutines, p.Ops, 0, true, op)
	res.Note = ls.note()
	return res, err
}
