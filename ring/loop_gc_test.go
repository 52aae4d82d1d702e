package ring_test

import (
	"bytes"
	"context"
	"encoding/binary"
	"fmt"
	"os"
	"path/filepath"
	"runtime"
	"runtime/debug"
	"sync"
	"testing"
	"time"

	"github.com/uringkit/uring/ring"
)

// TestLoopMemoryLivenessGC proves invariant 2 under GC stress: GOGC=1 and a
// goroutine calling runtime.GC in a loop, while reads land in fresh
// buffers.
//
// Part 1: 10,000 reads from pipes and 10,000 from a file (2,000 each
// under the race detector), each into a fresh buffer, each checked for the
// exact bytes that belong to it.
//
// Part 2: reads whose Requests and buffers the test drops after Submit:
// only the Loop references them. The test then collects garbage, fills
// the heap with sentinel objects of the buffers' size class, and only then
// writes the data. If the Loop let the buffers go, the allocator would
// hand their memory to sentinels and the kernel would write over them.
func TestLoopMemoryLivenessGC(t *testing.T) {
	gcStress(t)
	reads := scaled(10000, 10000, 2000)
	for _, m := range loopModes {
		t.Run(m.name, func(t *testing.T) {
			l := newTestLoop(t, m.opts...)
			gcPipeReads(t, l, reads)
			gcFileReads(t, l, reads)
			gcAbandonedReads(t, l)
		})
	}
}

// gcStress sets GOGC to 1 and collects garbage in a loop until the test
// ends (TestLoopMemoryLivenessGC, the buffer-ring tests).
func gcStress(t *testing.T) {
	old := debug.SetGCPercent(1)
	stop := make(chan struct{})
	var wg sync.WaitGroup
	wg.Go(func() {
		for {
			select {
			case <-stop:
				return
			default:
				runtime.GC()
			}
		}
	})
	t.Cleanup(func() {
		close(stop)
		wg.Wait()
		debug.SetGCPercent(old)
	})
}

const recSize = 64

// record is the 64 bytes written for read number i.
func record(i int) []byte {
	b := make([]byte, recSize)
	for j := 0; j < recSize; j += 8 {
		binary.LittleEndian.PutUint64(b[j:], uint64(i)<<16|uint64(j))
	}
	return b
}

func gcPipeReads(t *testing.T, l *ring.Loop, total int) {
	const pipes = 16
	var rs, ws [pipes]*os.File
	for p := range rs {
		var err error
		if rs[p], ws[p], err = os.Pipe(); err != nil {
			t.Fatal(err)
		}
		defer rs[p].Close()
		defer ws[p].Close()
	}
	ctx := context.Background()
	for n := 0; n < total; n += pipes {
		var reqs [pipes]*ring.Request
		for p := range reqs {
			r := ring.NewRequest()
			r.Buf = make([]byte, recSize)
			r.SQE.PrepRW(ring.OpRead, int32(rs[p].Fd()), bufAddr(r.Buf), recSize, ^uint64(0))
			if err := l.Submit(ctx, r); err != nil {
				t.Fatal(err)
			}
			reqs[p] = r
		}
		runtime.GC()
		for p := range ws {
			if _, err := ws[p].Write(record(n + p)); err != nil {
				t.Fatal(err)
			}
		}
		for p, r := range reqs {
			c, err := r.Wait(ctx)
			if err != nil || c.Res != recSize {
				t.Fatalf("pipe read %d: %+v %v", n+p, c, err)
			}
			if !bytes.Equal(r.Buf, record(n+p)) {
				t.Fatalf("pipe read %d landed wrong bytes: %x", n+p, r.Buf)
			}
			r.Release()
		}
	}
}

func gcFileReads(t *testing.T, l *ring.Loop, total int) {
	const blocks, bs = 256, 4096
	path := filepath.Join(t.TempDir(), "data")
	data := make([]byte, blocks*bs)
	for i := 0; i < blocks*bs; i += 8 {
		binary.LittleEndian.PutUint64(data[i:], uint64(i)*0x9E3779B97F4A7C15)
	}
	if err := os.WriteFile(path, data, 0o600); err != nil {
		t.Fatal(err)
	}
	f, err := os.Open(path)
	if err != nil {
		t.Fatal(err)
	}
	defer f.Close()
	ctx := context.Background()
	const batch = 16
	for n := 0; n < total; n += batch {
		var reqs [batch]*ring.Request
		for k := range reqs {
			blk := (n + k) * 7919 % blocks
			r := ring.NewRequest()
			r.Buf = make([]byte, bs)
			r.SQE.PrepRW(ring.OpRead, int32(f.Fd()), bufAddr(r.Buf), bs, uint64(blk*bs))
			r.Keep = blk
			if err := l.Submit(ctx, r); err != nil {
				t.Fatal(err)
			}
			reqs[k] = r
		}
		for _, r := range reqs {
			c, err := r.Wait(ctx)
			blk := r.Keep.(int)
			if err != nil || c.Res != bs {
				t.Fatalf("file read of block %d: %+v %v", blk, c, err)
			}
			if !bytes.Equal(r.Buf, data[blk*bs:(blk+1)*bs]) {
				t.Fatalf("file read of block %d landed wrong bytes", blk)
			}
			r.Release()
		}
	}
}

func gcAbandonedReads(t *testing.T, l *ring.Loop) {
	const n = 256
	pr, pw := ring.IdlePipe(t)
	before := l.Stats().Completed
	func() {
		for i := 0; i < n; i++ {
			r := ring.NewRequest()
			r.Buf = make([]byte, recSize)
			r.SQE.PrepRW(ring.OpRead, int32(pr.Fd()), bufAddr(r.Buf), recSize, ^uint64(0))
			if err := l.Submit(context.Background(), r); err != nil {
				t.Fatal(err)
			}
			// r is dropped here: no Wait, no Release.
		}
	}()
	runtime.GC()
	runtime.GC()
	sentinels := make([][]byte, 200000)
	for i := range sentinels {
		s := make([]byte, recSize)
		for j := range s {
			s[j] = 0xA5
		}
		sentinels[i] = s
	}
	runtime.GC()
	fill := bytes.Repeat([]byte{0x5A}, recSize)
	for i := 0; i < n; i++ {
		if _, err := pw.Write(fill); err != nil {
			t.Fatal(err)
		}
	}
	deadline := time.Now().Add(30 * time.Second)
	for l.Stats().Completed < before+n {
		if time.Now().After(deadline) {
			t.Fatalf("abandoned reads: %d of %d completed", l.Stats().Completed-before, n)
		}
		time.Sleep(time.Millisecond)
	}
	bad := 0
	for _, s := range sentinels {
		for _, b := range s {
			if b != 0xA5 {
				bad++
				break
			}
		}
	}
	if bad > 0 {
		t.Fatalf("%d sentinel objects overwritten: the kernel wrote into memory the GC had reused", bad)
	}
	runtime.KeepAlive(sentinels)
	_ = fmt.Sprint()
}
