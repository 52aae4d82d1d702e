package fuzz

import (
	"context"
	"errors"
	"flag"
	"fmt"
	"os"
	"sync"
	"testing"
	"time"

	"github.com/google/go-cmp/cmp"
	"github.com/uringkit/uring/chain"
	"github.com/uringkit/uring/ring"
)

var loopLeg = flag.Bool("loopleg", true, "FuzzChainKernel: also run each chain through a Loop (false: the raw-ring model check only)")

// loops: chains with IOSQE_IO_DRAIN run on their own Loop, which never sees
// IOSQE_CQE_SKIP_SUCCESS (after which the kernel fails drained requests).
var (
	loopsOnce         sync.Once
	mainLoop, drainLp *ring.Loop
	loopsErr          error
)

func loops(tb testing.TB) (main, drain *ring.Loop) {
	loopsOnce.Do(func() {
		if mainLoop, loopsErr = ring.NewLoop(ring.WithEntries(64)); loopsErr == nil {
			drainLp, loopsErr = ring.NewLoop(ring.WithEntries(64))
		}
	})
	if loopsErr != nil {
		tb.Fatal("fuzz needs io_uring:", loopsErr)
	}
	return mainLoop, drainLp
}

func TestMain(m *testing.M) {
	code := m.Run()
	for _, l := range []*ring.Loop{mainLoop, drainLp} {
		if l != nil {
			l.Close()
		}
	}
	os.Exit(code)
}

// seeds are the chains every go test runs (besides testdata/fuzz): the
// reference cases and the shapes that found bugs.
var seeds = [][]Step{
	{{Kind: BadFD}, {Kind: OK}, {Kind: OK}},
	{{Kind: BadFD, Hard: true}, {Kind: OK}},
	{{Kind: Invalid, Hard: true}, {Kind: OK}},
	{{Kind: Short}, {Kind: OK}},
	{{Kind: Block, Timeout: true}},
	{{Kind: OK, Timeout: true}},
	{{Kind: Block, Timeout: true}, {Kind: OK}},
	{{Kind: Expire}, {Kind: OK}},
	{{Kind: Expire, ETimeSuccess: true}, {Kind: OK}},
	{{Kind: OK, Skip: true}, {Kind: OK}},
	{{Kind: BadFD, Skip: true}, {Kind: OK}, {Kind: OK}},
	{{Kind: OK, Skip: true}, {Kind: BadFD}, {Kind: OK}},
	{{Kind: Short, Hard: true}, {Kind: OK}},
	{{Kind: OK}, {Kind: Block, Timeout: true}, {Kind: OK}},
	{{Kind: OK}, {Kind: Block, Hard: true, Timeout: true}, {Kind: OK}},
	{{Kind: OK, Skip: true}, {Kind: OK, Skip: true}, {Kind: OK, Skip: true}},
	{{Kind: OK}, {Kind: Invalid}, {Kind: OK}},
	{{Kind: OK, Drain: true}, {Kind: BadFD}, {Kind: OK}},
	{{Kind: BadFD}, {Kind: OK, Skip: true}, {Kind: OK}},
	{{Kind: OK}, {Kind: OK, Skip: true}, {Kind: Invalid}, {Kind: OK}},
	{{Kind: Block, Skip: true, Timeout: true}, {Kind: OK}},
}

func addSeeds(f *testing.F) {
	for _, s := range seeds {
		f.Add(Encode(s))
	}
}

// FuzzChainEncoding checks, without a kernel, that the SQEs a decoded chain
// encodes to keep the invariants: one SQE per step, each linked timeout
// right after its step, a link flag on every SQE but the last and none on
// the last, HARDLINK only where asked (never on a timeout), DRAIN and
// CQE_SKIP_SUCCESS exactly on the steps that asked; and that validation
// refuses exactly what the model refuses.
func FuzzChainEncoding(f *testing.F) {
	addSeeds(f)
	e := newEnv(f, f.TempDir())
	f.Fuzz(func(t *testing.T, data []byte) {
		steps := Decode(data)
		p := Predict(steps)
		sqes, err := e.build(steps).SQEs(64)
		if p.Invalid != nil || err != nil {
			if !errors.Is(err, p.Invalid) || p.Invalid == nil {
				t.Fatalf("%v: validation = %v, model = %v", steps, err, p.Invalid)
			}
			return
		}
		checkEncoding(t, steps, p, sqes)
	})
}

func checkEncoding(t *testing.T, steps []Step, p Prediction, sqes []ring.SQE) {
	t.Helper()
	want := len(steps)
	for _, s := range steps {
		if s.Timeout {
			want++
		}
	}
	if p.Trailer {
		want++
	}
	if len(sqes) != want {
		t.Fatalf("%v: %d SQEs, want %d", steps, len(sqes), want)
	}
	const links = ring.SQEIOLink | ring.SQEIOHardlink
	drain := false
	for _, s := range steps {
		drain = drain || s.Drain
	}
	i := 0
	for k, s := range steps {
		q := sqes[i]
		last := i == len(sqes)-1
		wantOp := map[Kind]ring.Op{OK: ring.OpNop, BadFD: ring.OpRead, Short: ring.OpRead, Block: ring.OpRead, Expire: ring.OpTimeout, Invalid: ring.OpNop}[s.Kind]
		var wantFlags ring.SQEFlags
		switch {
		case last:
		case s.Hard:
			wantFlags |= ring.SQEIOHardlink
		default:
			wantFlags |= ring.SQEIOLink
		}
		if drain && i == 0 {
			// Any step's drain goes on the first SQE (see chain/encode.go).
			wantFlags |= ring.SQEIODrain
		}
		if s.Skip {
			wantFlags |= ring.SQECQESkipSuccess
		}
		if q.Opcode != wantOp || q.Flags != wantFlags {
			t.Fatalf("%v: step %d SQE %d is %v flags %#x, want %v flags %#x", steps, k, i, q.Opcode, q.Flags, wantOp, wantFlags)
		}
		if q.Flags&links == links {
			t.Fatalf("%v: SQE %d has both LINK and HARDLINK", steps, i)
		}
		i++
		if s.Timeout {
			q = sqes[i]
			lastLT := i == len(sqes)-1
			wantLT := ring.SQEFlags(0)
			if !lastLT {
				wantLT = ring.SQEIOLink
			}
			if q.Opcode != ring.OpLinkTimeout || q.Flags != wantLT || q.Addr == 0 {
				t.Fatalf("%v: SQE %d after step %d is %v flags %#x addr %#x, want LINK_TIMEOUT flags %#x with a timespec", steps, i, k, q.Opcode, q.Flags, q.Addr, wantLT)
			}
			i++
		}
	}
	if p.Trailer {
		if q := sqes[i]; q.Opcode != ring.OpNop || q.Flags != 0 {
			t.Fatalf("%v: trailing SQE is %v flags %#x, want a plain NOP", steps, q.Opcode, q.Flags)
		}
	}
	if sqes[len(sqes)-1].Flags&links != 0 {
		t.Fatalf("%v: the last SQE links past the end of the chain", steps)
	}
}

// FuzzChainKernel runs each decoded chain twice on the kernel and compares
// with the model: (1) its SQEs on a fresh raw ring, CQE by CQE (which
// are posted, with which res), which checks the model against the kernel;
// (2) through package chain on a Loop, step by step (outcome, res, the
// step that broke the chain), which checks the library against the model.
func FuzzChainKernel(f *testing.F) {
	addSeeds(f)
	e := newEnv(f, f.TempDir())
	f.Fuzz(func(t *testing.T, data []byte) {
		steps := Decode(data)
		p := Predict(steps)
		if p.Invalid != nil {
			return // FuzzChainEncoding covers validation
		}
		sqes, err := e.build(steps).SQEs(64)
		if err != nil {
			t.Fatalf("%v: %v", steps, err)
		}
		if diff := cmp.Diff(p.CQEs, runRaw(t, sqes, p)); diff != "" {
			t.Fatalf("%v: kernel CQEs differ from the model (-model +kernel):\n%s", steps, diff)
		}
		if !*loopLeg {
			return
		}
		main, drain := loops(t)
		l := main
		for _, s := range steps {
			if s.Drain {
				l = drain
			}
		}
		ctx, cancel := context.WithTimeout(context.Background(), 30*time.Second)
		defer cancel()
		c := e.build(steps)
		if err := c.Submit(ctx, l); err != nil {
			t.Fatalf("%v: Submit: %v", steps, err)
		}
		var got []Want
		for _, r := range c.Results(ctx) {
			got = append(got, Want{r.Outcome, r.Res, r.By})
		}
		if diff := cmp.Diff(p.Steps, got); diff != "" {
			t.Fatalf("%v: chain results differ from the model (-model +chain):\n%s", steps, diff)
		}
	})
}

// runRaw submits sqes on a fresh ring (its own drain state) and returns,
// per SQE, the CQE the kernel posted (Posted false and Res 0 if none).
func runRaw(t *testing.T, sqes []ring.SQE, p Prediction) []CQE {
	t.Helper()
	r, err := ring.New(32)
	if err != nil {
		t.Fatal(err)
	}
	defer r.Close()
	for i := range sqes {
		s := r.GetSQE()
		*s = sqes[i]
		s.UserData = uint64(i + 1)
	}
	if _, err := r.Submit(); err != nil {
		t.Fatal(err)
	}
	want := 0
	for _, c := range p.CQEs {
		if c.Posted {
			want++
		}
	}
	got := make([]CQE, len(sqes))
	seen := 0
	for {
		wait := 10 * time.Second
		if seen >= want {
			// Everything the model expects is in; give the kernel a moment
			// to show a CQE the model did not expect.
			wait = 2 * time.Millisecond
		}
		c, err := r.WaitCQETimeout(wait)
		if err != nil {
			if seen >= want {
				break
			}
			t.Fatalf("waiting for CQE %d of %d: %v (so far %v)", seen+1, want, err, got)
		}
		i := int(c.UserData) - 1
		if i < 0 || i >= len(got) || got[i].Posted {
			t.Fatalf("unexpected CQE %+v", *c)
		}
		got[i] = CQE{Res: c.Res, Posted: true}
		r.CQESeen(c)
		seen++
	}
	// The model's Res for an unposted SQE is what it would have been; the
	// kernel shows nothing, so compare only presence there.
	for i := range got {
		if !got[i].Posted && !p.CQEs[i].Posted {
			got[i].Res = p.CQEs[i].Res
		}
	}
	return got
}

var _ = fmt.Sprint
var _ = chain.New
