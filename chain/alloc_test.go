package chain_test

import (
	"context"
	"testing"

	"github.com/uringkit/uring/chain"
	"github.com/uringkit/uring/future"
)

// run3 builds, submits and awaits a 3-step chain of different result types.
func run3(ctx context.Context, fd int, buf []byte) error {
	c := chain.New()
	w := chain.Add(c, future.Write(fd, buf, 0))
	s := chain.Add(c, future.Fdatasync(fd))
	r := chain.Add(c, future.Read(fd, buf, 0))
	if err := c.Submit(ctx, loop); err != nil {
		return err
	}
	if _, err := w.Await(ctx); err != nil {
		return err
	}
	if _, err := s.Await(ctx); err != nil {
		return err
	}
	_, err := r.Await(ctx)
	return err
}

// BenchmarkChain3 is a 3-step chain (write, fdatasync, read). Budget: at
// most 3 allocations per chain in steady state (TestChainAllocBudget).
func BenchmarkChain3(b *testing.B) {
	fd, buf := tmpFile(b), make([]byte, 512)
	ctx := context.Background()
	b.ReportAllocs()
	for b.Loop() {
		if err := run3(ctx, fd, buf); err != nil {
			b.Fatal(err)
		}
	}
}

func TestChainAllocBudget(t *testing.T) {
	if raceEnabled {
		t.Skip("the race detector allocates; the budget is checked in the plain run")
	}
	fd, buf := tmpFile(t), make([]byte, 512)
	ctx := context.Background()
	for range 50 {
		if err := run3(ctx, fd, buf); err != nil {
			t.Fatal(err)
		}
	}
	if got := testing.AllocsPerRun(300, func() { run3(ctx, fd, buf) }); got > 3 {
		t.Errorf("3-step chain allocates %.2f times, budget 3", got)
	}
}
