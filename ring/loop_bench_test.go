package ring_test

import (
	"context"
	"os"
	"runtime"
	"sync/atomic"
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

// cachedFile writes size zero bytes to a temporary file, which is then in
// the page cache, and opens it for reading (closed at cleanup).
func cachedFile(b *testing.B, size int) *os.File {
	path := b.TempDir() + "/data"
	if err := os.WriteFile(path, make([]byte, size), 0o600); err != nil {
		b.Fatal(err)
	}
	f, err := os.Open(path)
	if err != nil {
		b.Fatal(err)
	}
	b.Cleanup(func() { f.Close() })
	return f
}

// BenchmarkLoopReadCached: 4 KiB reads of a cached file through the Loop
// from 1 and 32 goroutines, each awaiting its read, against os.File.ReadAt
// with the same goroutines. allocs/op must stay at most 1 (it is 0: the
// Request is reused and Buf needs no interface conversion).
func BenchmarkLoopReadCached(b *testing.B) {
	const bs, blocks = 4096, 4096
	f := cachedFile(b, bs*blocks)
	for _, g := range []int{1, 32} {
		b.Run("loop/g"+itoa(g), func(b *testing.B) {
			l := newTestLoop(b)
			b.ReportAllocs()
			b.SetParallelism(max(1, g/runtime.GOMAXPROCS(0)))
			var seed atomic.Uint64
			b.ResetTimer()
			b.RunParallel(func(pb *testing.PB) {
				ctx := context.Background()
				r := ring.NewRequest()
				buf := make([]byte, bs)
				x := seed.Add(0x9E3779B97F4A7C15)
				for pb.Next() {
					x ^= x << 13
					x ^= x >> 7
					x ^= x << 17
					r.SQE.PrepRW(ring.OpRead, int32(f.Fd()), bufAddr(buf), bs, x%blocks*bs)
					r.Buf = buf
					if err := l.Submit(ctx, r); err != nil {
						b.Error(err)
						return
					}
					if c, err := r.Wait(ctx); err != nil || c.Res != bs {
						b.Errorf("read: %+v %v", c, err)
						return
					}
				}
			})
		})
		b.Run("os/g"+itoa(g), func(b *testing.B) {
			b.ReportAllocs()
			b.SetParallelism(max(1, g/runtime.GOMAXPROCS(0)))
			var seed atomic.Uint64
			b.RunParallel(func(pb *testing.PB) {
				buf := make([]byte, bs)
				x := seed.Add(0x9E3779B97F4A7C15)
				for pb.Next() {
					x ^= x << 13
					x ^= x >> 7
					x ^= x << 17
					if n, err := f.ReadAt(buf, int64(x%blocks*bs)); err != nil || n != bs {
						b.Errorf("ReadAt: %d %v", n, err)
						return
					}
				}
			})
		})
	}
}

// BenchmarkLoopReadSelect: 4 KiB reads of a cached file into a provided
// buffer (IOSQE_BUFFER_SELECT), one at a time, each buffer given back
// before the next read: the path that pays for the Loop's count of
// buffer-select requests (loop_pbuf_release.go). allocs/op stays 0.
func BenchmarkLoopReadSelect(b *testing.B) {
	const bs, blocks, bgid = 4096, 256, 90
	f := cachedFile(b, bs*blocks)
	for _, m := range loopModes[:2] { // shared, owner
		b.Run(m.name, func(b *testing.B) {
			l := newTestLoop(b, m.opts...)
			var pb *ring.PbufRing
			if err := l.DoBufferGroup(bgid, func(r *ring.Ring) (err error) {
				pb, err = r.RegisterPbufRing(bgid, 2, 0)
				return err
			}); err != nil {
				b.Fatal(err)
			}
			if err := pb.Add(make([]byte, bs), 0); err != nil {
				b.Fatal(err)
			}
			pb.Advance(1)
			ctx := context.Background()
			r := ring.NewRequest()
			b.ReportAllocs()
			b.ResetTimer()
			for i := range b.N {
				r.SQE.PrepReadSelect(int32(f.Fd()), bs, int64(i%blocks*bs), bgid)
				if err := l.Submit(ctx, r); err != nil {
					b.Fatal(err)
				}
				c, err := r.Wait(ctx)
				bid, ok := c.BufferID()
				if err != nil || c.Res != bs || !ok {
					b.Fatalf("read: %+v %v", c, err)
				}
				if err := pb.Add(pb.Buffer(bid), bid); err != nil {
					b.Fatal(err)
				}
				pb.Advance(1)
			}
		})
	}
}
