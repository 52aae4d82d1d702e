package chain_test

import (
	"context"
	"errors"
	"syscall"
	"testing"
	"time"

	"github.com/google/go-cmp/cmp"
	"github.com/uringkit/uring/chain"
	"github.com/uringkit/uring/future"
	"github.com/uringkit/uring/ring"
	"github.com/uringkit/uring/timeout"
)

func nopSQE(flags ring.SQEFlags) ring.SQE { return ring.SQE{Opcode: ring.OpNop, Flags: flags} }

func TestEncodeFlags(t *testing.T) {
	c := chain.New()
	chain.Add(c, future.Nop())
	chain.Add(c, future.Nop()).HardLink()
	chain.Add(c, future.Nop()).SkipSuccess()
	c.LinkTimeout(timeout.After(1500 * time.Millisecond))
	chain.Add(c, future.Nop())
	sqes, err := c.SQEs(64)
	if err != nil {
		t.Fatal(err)
	}
	lt := sqes[3]
	if lt.Addr == 0 {
		t.Error("linked timeout SQE has no timespec address")
	}
	lt.Addr = 0
	sqes[3] = lt
	want := []ring.SQE{
		nopSQE(ring.SQEIOLink),
		nopSQE(ring.SQEIOHardlink),
		nopSQE(ring.SQEIOLink | ring.SQECQESkipSuccess),
		{Opcode: ring.OpLinkTimeout, Fd: -1, Len: 1, Flags: ring.SQEIOLink},
		nopSQE(0),
	}
	if diff := cmp.Diff(want, sqes); diff != "" {
		t.Errorf("SQEs (-want +got):\n%s", diff)
	}
}

func TestEncodeTimeoutLastAndClock(t *testing.T) {
	c := chain.New()
	chain.Add(c, future.Nop()).HardLink()
	c.LinkTimeout(timeout.At(time.Unix(100, 7)))
	sqes, err := c.SQEs(64)
	if err != nil {
		t.Fatal(err)
	}
	sqes[1].Addr = 0
	want := []ring.SQE{
		nopSQE(ring.SQEIOHardlink),
		{Opcode: ring.OpLinkTimeout, Fd: -1, Len: 1, OpFlags: ring.TimeoutAbs | ring.TimeoutRealtime},
	}
	if diff := cmp.Diff(want, sqes); diff != "" {
		t.Errorf("SQEs (-want +got):\n%s", diff)
	}
}

func TestValidate(t *testing.T) {
	type result struct {
		Rule       string
		Elem, Step int
		Op         string
	}
	rules := map[error]string{chain.ErrEmpty: "empty", chain.ErrTooLong: "too long", chain.ErrTimeoutPlacement: "timeout placement",
		chain.ErrDrainSkipSuccess: "drain+skip", chain.ErrMultishot: "multishot", chain.ErrSubmitted: "submitted",
		chain.ErrSkipSuccessHardlink: "skip+hard", syscall.EINVAL: "op error"}
	cases := []struct {
		name  string
		build func() *chain.Chain
		max   int
		want  result
	}{
		{"empty", chain.New, 8, result{"empty", -1, -1, "NOP"}},
		{"only a timeout", func() *chain.Chain { return chain.New().LinkTimeout(timeout.After(time.Second)) }, 8,
			result{"timeout placement", 0, -1, "LINK_TIMEOUT"}},
		{"two timeouts", func() *chain.Chain {
			c := chain.New()
			chain.Add(c, future.Nop())
			return c.LinkTimeout(timeout.After(time.Second)).LinkTimeout(timeout.After(time.Second))
		}, 8, result{"timeout placement", 2, -1, "LINK_TIMEOUT"}},
		{"too long", func() *chain.Chain {
			c := chain.New()
			for range 5 {
				chain.Add(c, future.Nop())
			}
			return c
		}, 4, result{"too long", 4, 4, "NOP"}},
		{"drain and skip", func() *chain.Chain {
			c := chain.New()
			chain.Add(c, future.Nop()).Drain()
			chain.Add(c, future.Nop())
			chain.Add(c, future.Nop()).SkipSuccess()
			return c
		}, 8, result{"drain+skip", 2, 2, "NOP"}},
		{"skip-success on a hard link", func() *chain.Chain {
			c := chain.New()
			chain.Add(c, future.Nop()).HardLink().SkipSuccess()
			chain.Add(c, future.Nop())
			return c
		}, 8, result{"skip+hard", 0, 0, "NOP"}},
		{"multishot step", func() *chain.Chain {
			c := chain.New()
			chain.Add(c, future.Nop())
			chain.Add(c, future.PollMultishot(0, 1))
			return c
		}, 8, result{"multishot", 1, 1, "POLL_ADD"}},
		{"op build error", func() *chain.Chain {
			c := chain.New()
			chain.Add(c, future.Openat(0, "nul\x00", 0, 0))
			return c
		}, 8, result{"op error", 0, 0, "OPENAT"}},
		{"trailing NOP counts", func() *chain.Chain {
			c := chain.New()
			chain.Add(c, future.Nop())
			chain.Add(c, future.Nop()).SkipSuccess()
			return c
		}, 2, result{"too long", 1, 1, "NOP"}},
	}
	for _, tc := range cases {
		t.Run(tc.name, func(t *testing.T) {
			err := tc.build().Validate(tc.max)
			var be *chain.BuildError
			if !errors.As(err, &be) {
				t.Fatalf("Validate = %v, want a *BuildError", err)
			}
			got := result{"?", be.Elem, be.Step, be.Op.String()}
			for sentinel, name := range rules {
				if errors.Is(err, sentinel) {
					got.Rule = name
				}
			}
			if diff := cmp.Diff(tc.want, got); diff != "" {
				t.Errorf("%v (-want +got):\n%s", err, diff)
			}
		})
	}
}

func TestValidateFitsExactly(t *testing.T) {
	c := chain.New()
	for range 3 {
		chain.Add(c, future.Nop())
	}
	c.LinkTimeout(timeout.After(time.Second))
	if err := c.Validate(4); err != nil {
		t.Fatalf("Validate(4) of a 4-SQE chain = %v, want nil", err)
	}
}

func TestSubmitRefusesWithoutWriting(t *testing.T) {
	c := chain.New()
	for range loop.MaxGroup() + 1 {
		chain.Add(c, future.Nop())
	}
	if err := c.Submit(context.Background(), loop); !errors.Is(err, chain.ErrTooLong) {
		t.Fatalf("Submit of %d NOPs = %v, want ErrTooLong", c.Len(), err)
	}
	before := loop.Stats().Submitted
	if err := chain.New().Submit(context.Background(), loop); !errors.Is(err, chain.ErrEmpty) {
		t.Errorf("Submit of an empty chain = %v", err)
	}
	if after := loop.Stats().Submitted; after != before {
		t.Errorf("refused chains submitted %d SQEs", after-before)
	}
	ok := chain.New()
	chain.Add(ok, future.Nop())
	if err := ok.Submit(context.Background(), loop); err != nil {
		t.Fatal(err)
	}
	if err := ok.Submit(context.Background(), loop); !errors.Is(err, chain.ErrSubmitted) {
		t.Errorf("second Submit = %v, want ErrSubmitted", err)
	}
	if err := ok.Wait(context.Background()); err != nil {
		t.Error(err)
	}
}

func TestNotSupportedBeforeSubmission(t *testing.T) {
	op := future.Custom(future.Raw[struct{}]{SQE: ring.SQE{Opcode: ring.OpLast}, Expect: -1})
	if _, err := op.Await(context.Background(), loop); !errors.Is(err, ring.ErrNotSupported) {
		t.Errorf("unknown opcode: %v, want ring.ErrNotSupported", err)
	}
	c := chain.New()
	chain.Add(c, future.Nop())
	chain.Add(c, op)
	if err := c.Submit(context.Background(), loop); !errors.Is(err, ring.ErrNotSupported) {
		t.Errorf("chain with an unknown opcode: %v, want ring.ErrNotSupported", err)
	}
}
