package main

import (
	"fmt"

	"github.com/uringkit/uring/ring"
)

// The nop workload: IORING_OP_NOP submit-and-reap through the ring layer,
// against the same loop in C (cnop/nop.c, raw syscalls) in the same run.
// Both sides fill -batch NOP SQEs, publish them, make one io_uring_enter
// that submits them and waits for as many CQEs, then reap the CQEs and
// check them. The ring has max(batch, 128) entries, as in the C program.
// It measures the per-op cost of the library's SQ/CQ handling and enter
// path; the kernel's work per NOP is the same on both sides.
func init() { register(nopWorkload{}) }

type nopWorkload struct{}

func (nopWorkload) Name() string { return "nop" }

func (nopWorkload) Describe() string {
	return "IORING_OP_NOP submit-and-reap, -batch NOPs per io_uring_enter: ring layer vs raw C"
}

func (nopWorkload) Engines() []string { return []string{"ring", "c"} }

func (nopWorkload) Flags() []string { return []string{"batch", "ops"} }

// Defaults are the comparison points, sized to about 0.2-0.5 s per
// run here (about 470 ns per NOP at batch 1, 70 ns at batch 128).
func (nopWorkload) Defaults() []Comparison {
	targets := map[int]string{1: "target >= 0.85x", 8: "", 32: "target >= 0.95x", 128: "target >= 0.95x"}
	var cs []Comparison
	for _, b := range []int{1, 8, 32, 128} {
		ops := int64(4_000_000)
		if b == 1 {
			ops = 1_000_000
		}
		cs = append(cs, Comparison{Params: Params{Batch: b, Ops: ops}, Uring: "ring", Baseline: "c", Note: targets[b]})
	}
	return cs
}

func (nopWorkload) Run(engine string, p Params) (Result, error) {
	p = Params{Batch: orDefault(p.Batch, 32), Ops: orDefault(p.Ops, 4_000_000)}
	if p.Batch < 1 || p.Batch > 4096 || p.Ops < 1 {
		return Result{Params: p}, fmt.Errorf("nop needs 1 <= -batch <= 4096 and -ops >= 1")
	}
	switch engine {
	case "ring":
		r, err := nopRing(p.Batch, p.Ops)
		r.Params = p
		return r, err
	case "c":
		n, sec, err := runCnop(p.Ops, p.Batch, 0)
		return Result{Params: p, Ops: n, Seconds: sec, AllocsPerOp: -1}, err
	}
	return Result{Params: p}, fmt.Errorf("nop: unknown engine %q", engine)
}

// nopRing is the ring-layer loop. It uses only the hot-path methods
// (GetSQE, PrepNop, SetUserData, SubmitAndWait, PeekBatch), which must not
// allocate: the Result's AllocsPerOp shows it.
func nopRing(batch int, ops int64) (Result, error) {
	r, err := ring.New(uint32(max(batch, 128)))
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
