package future_test

import (
	"context"
	"testing"

	"github.com/uringkit/uring/future"
)

// BenchmarkOpAwait is one operation built, submitted and awaited. Budget:
// at most 1 allocation per op in steady state (TestAllocBudget).
func BenchmarkOpAwait(b *testing.B) {
	ctx := context.Background()
	buf := make([]byte, 64)
	r, w := pipe(b)
	_ = r
	b.ReportAllocs()
	for b.Loop() {
		if _, err := future.Write(w, buf, -1).Await(ctx, loop); err != nil {
			b.Fatal(err)
		}
		if _, err := future.Read(r, buf, -1).Await(ctx, loop); err != nil {
			b.Fatal(err)
		}
	}
}

// BenchmarkFutureAwait is Submit then Future.Await (the Future is allocated).
func BenchmarkFutureAwait(b *testing.B) {
	ctx := context.Background()
	b.ReportAllocs()
	for b.Loop() {
		if _, err := future.Nop().Submit(ctx, loop).Await(ctx); err != nil {
			b.Fatal(err)
		}
	}
}

func TestAllocBudget(t *testing.T) {
	if raceEnabled {
		t.Skip("the race detector allocates; the budget is checked in the plain run")
	}
	if testing.Short() {
		t.Skip("allocation measurement")
	}
	ctx := context.Background()
	buf := make([]byte, 64)
	r, w := pipe(t)
	for range 100 { // warm the pools
		future.Nop().Await(ctx, loop)
	}
	got := testing.AllocsPerRun(1000, func() {
		future.Write(w, buf, -1).Await(ctx, loop)
		future.Read(r, buf, -1).Await(ctx, loop)
	}) / 2
	if got > 1 {
		t.Errorf("Op.Await allocates %.2f times per op, budget 1", got)
	}
	got = testing.AllocsPerRun(1000, func() { future.Nop().Submit(ctx, loop).Await(ctx) })
	if got > 1 {
		t.Errorf("Submit+Future.Await allocates %.2f times per op, budget 1", got)
	}
}
