package ring_test

import (
	"context"
	"runtime"
	"testing"

	"github.com/uringkit/uring/ring"
)

// BenchmarkLoopNop: NOPs through the Loop from many goroutines, each
// submitting one NOP and waiting for it (b.RunParallel with
// parallelism*GOMAXPROCS goroutines). allocs/op is the steady-state
// allocation count per op.
func BenchmarkLoopNop(b *testing.B) {
	for _, m := range loopModes {
		for _, g := range []int{1, 64} {
			b.Run(m.name+"/g"+itoa(g), func(b *testing.B) {
				l := newTestLoop(b, m.opts...)
				b.ReportAllocs()
				b.SetParallelism(max(1, g/runtime.GOMAXPROCS(0)))
				if g == 1 {
					b.SetParallelism(1)
				}
				b.ResetTimer()
				b.RunParallel(func(pb *testing.PB) {
					ctx := context.Background()
					for pb.Next() {
						r := ring.NewRequest()
						r.SQE.PrepNop()
						if err := l.Submit(ctx, r); err != nil {
							b.Error(err)
							return
						}
						if _, err := r.Wait(ctx); err != nil {
							b.Error(err)
							return
						}
						r.Release()
					}
				})
				b.StopTimer()
				st := l.Stats()
				b.ReportMetric(st.AvgBatch, "sqes/enter")
				b.ReportMetric(float64(st.Enters)/float64(b.N), "enters/op")
			})
		}
	}
}

func itoa(n int) string {
	if n == 0 {
		return "0"
	}
	var b [20]byte
	i := len(b)
	for n > 0 {
		i--
		b[i] = byte('0' + n%10)
		n /= 10
	}
	return string(b[i:])
}
