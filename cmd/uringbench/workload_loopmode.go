package main

import (
	"fmt"
	"strings"
	"time"

	"github.com/uringkit/uring/ring"
)

// loopOptions turns -setup into Loop options for the loop and uring
// engines: "" or "none" is the Loop's default (ModeAuto), "owner" or any
// setup naming SINGLE_ISSUER/DEFER_TASKRUN is owner mode, "shared" is
// shared mode, "rings=N" spreads the requests over N rings
// (ring.WithRings), "spill=N" over N rings only while the home ring is
// saturated (ring.WithSpillRings), "eager" makes every submitter enter (no deferred flush),
// "noyield" turns off the owner's yield before it sleeps, "sqpoll" adds
// SQPOLL (shared), "iowq=N" caps the kernel's bounded io-wq
// workers (IORING_REGISTER_IOWQ_MAX_WORKERS), "spin=D" sets how long the
// reaper or owner polls before it sleeps in the kernel, "minwait=D" the
// reaper's batching window (ring.WithMinWait). The second result
// is how many separate Loops to make (always 1 now that a Loop spreads
// over rings itself).
func loopOptions(setup string) (opts []ring.LoopOption, rings int, err error) {
	rings = 1
	iowq := uint32(0)
	for _, f := range strings.FieldsFunc(strings.ToLower(setup), func(r rune) bool { return r == '|' || r == ',' }) {
		switch f = strings.TrimPrefix(strings.TrimSpace(f), "ioring_setup_"); {
		case f == "" || f == "none" || f == "auto":
		case f == "owner" || f == "single_issuer" || f == "defer_taskrun":
			opts = append(opts, ring.WithMode(ring.ModeOwner))
		case f == "shared":
			opts = append(opts, ring.WithMode(ring.ModeShared))
		case f == "noyield":
			opts = append(opts, ring.WithOwnerYield(false))
		case f == "eager":
			opts = append(opts, ring.WithEagerFlush())
		case f == "sqpoll":
			opts = append(opts, ring.WithLoopSQPoll(0))
		case strings.HasPrefix(f, "spin="):
			d, err := time.ParseDuration(strings.TrimPrefix(f, "spin="))
			if err != nil {
				return nil, 0, fmt.Errorf("-setup %q: spin=D needs a duration: %v", setup, err)
			}
			opts = append(opts, ring.WithSpin(d))
		case strings.HasPrefix(f, "minwait="):
			d, err := time.ParseDuration(strings.TrimPrefix(f, "minwait="))
			if err != nil {
				return nil, 0, fmt.Errorf("-setup %q: minwait=D needs a duration: %v", setup, err)
			}
			opts = append(opts, ring.WithMinWait(d))
		case strings.HasPrefix(f, "iowq="):
			if _, err := fmt.Sscan(strings.TrimPrefix(f, "iowq="), &iowq); err != nil || iowq < 1 {
				return nil, 0, fmt.Errorf("-setup %q: iowq=N needs N >= 1", setup)
			}
			opts = append(opts, ring.WithIOWQMaxWorkers(iowq, 0))
		case strings.HasPrefix(f, "rings="):
			var n int
			if _, err := fmt.Sscan(strings.TrimPrefix(f, "rings="), &n); err != nil || n < 1 {
				return nil, 0, fmt.Errorf("-setup %q: rings=N needs N >= 1", setup)
			}
			opts = append(opts, ring.WithRings(n))
		case strings.HasPrefix(f, "spill="):
			var n int
			if _, err := fmt.Sscan(strings.TrimPrefix(f, "spill="), &n); err != nil || n < 1 {
				return nil, 0, fmt.Errorf("-setup %q: spill=N needs N >= 1", setup)
			}
			opts = append(opts, ring.WithSpillRings(n))
		default:
			return nil, 0, fmt.Errorf("-setup %q: the loop engines take owner, shared, eager, noyield, sqpoll, spin=D, minwait=D, iowq=N, rings=N, spill=N (or SINGLE_ISSUER|DEFER_TASKRUN for owner)", setup)
		}
	}
	return opts, rings, nil
}

// loops is a set of Loops a workload spreads its goroutines over.
type loops []*ring.Loop

func newLoops(n int, opts ...ring.LoopOption) (loops, error) {
	var ls loops
	for range n {
		l, err := ring.NewLoop(opts...)
		if err != nil {
			ls.Close()
			return nil, err
		}
		ls = append(ls, l)
	}
	return ls, nil
}

func (ls loops) Close() {
	for _, l := range ls {
		l.Close()
	}
}

// note describes the Loops' mode and batching for the Result.
func (ls loops) note() string {
	var sub, sqes, enters uint64
	mode := ""
	for _, l := range ls {
		st := l.Stats()
		mode = st.Mode
		sub += st.SubmitEnters
		sqes += st.SQEsSubmitted
		enters += st.Enters
	}
	s := fmt.Sprintf("%s mode", mode)
	if r := ls[0].Stats().Rings; r > 1 {
		s += fmt.Sprintf(", %d rings", r)
	}
	if sub > 0 {
		s += fmt.Sprintf(", %.1f SQEs/submit, %d enters", float64(sqes)/float64(sub), enters)
	}
	return s
}
