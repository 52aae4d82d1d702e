package ring_test

import (
	"context"
	"errors"
	"fmt"
	"math/rand/v2"
	"os"
	"sync"
	"syscall"
	"testing"
	"time"

	"github.com/google/go-cmp/cmp"
	"github.com/uringkit/uring/ring"
)

// TestLoopCancelRacesCompletion: reads of a pipe whose contexts end at
// random moments race the writer, in every Loop mode. A cancel that comes
// too late must not lose what the read got: Wait then returns the CQE
// with the data together with the context's error. So the bytes of all
// reads, cancelled or not, are exactly the bytes written.
func TestLoopCancelRacesCompletion(t *testing.T) {
	total := 64 << 10
	if ring.RaceEnabled {
		total = 16 << 10
	}
	forEachMode(t, modeLoop(), func(t *testing.T, l *ring.Loop) {
		pr, pw, err := os.Pipe()
		if err != nil {
			t.Fatal(err)
		}
		defer pr.Close()
		want := make([]int, 256)
		written := make(chan struct{})
		go func() {
			defer close(written)
			defer pw.Close()
			rng := rand.New(rand.NewPCG(1, 2))
			buf := make([]byte, 64)
			for n := 0; n < total; {
				k := min(1+rng.IntN(len(buf)), total-n)
				for i := range buf[:k] {
					buf[i] = byte(rng.IntN(256))
					want[buf[i]]++
				}
				if _, err := pw.Write(buf[:k]); err != nil {
					t.Error(err)
					return
				}
				n += k
				if rng.IntN(8) == 0 {
					time.Sleep(20 * time.Microsecond) // let reads block, and their deadlines end
				}
			}
		}()
		const readers = 4
		got := make([][]int, readers)
		errs := make(chan error, readers)
		var wg sync.WaitGroup
		for w := range readers {
			got[w] = make([]int, 256)
			wg.Add(1)
			go func() {
				defer wg.Done()
				errs <- readUntilEOF(l, int32(pr.Fd()), uint64(w), got[w])
			}()
		}
		wg.Wait()
		<-written // the readers' EOF says so too, but not to the race detector
		close(errs)
		for err := range errs {
			if err != nil {
				t.Error(err)
			}
		}
		sum := make([]int, 256)
		for _, g := range got {
			for b, n := range g {
				sum[b] += n
			}
		}
		if diff := cmp.Diff(want, sum); diff != "" {
			t.Errorf("byte counts read vs written (-want +got):\n%s", diff)
		}
		st := l.Stats()
		if st.InFlight != 0 {
			t.Errorf("in flight at the end: %d", st.InFlight)
		}
		if st.Cancels == 0 {
			t.Errorf("no read was cancelled: the test did not race anything")
		}
	})
}

// readUntilEOF reads the pipe with deadlines of 0-100 µs until a read
// returns 0 (EOF), counting every byte value it got into count.
func readUntilEOF(l *ring.Loop, fd int32, seed uint64, count []int) error {
	rng := rand.New(rand.NewPCG(seed, 7))
	r := ring.NewRequest()
	r.Buf = make([]byte, 48)
	for {
		r.SQE.PrepRW(ring.OpRead, fd, bufAddr(r.Buf), uint32(len(r.Buf)), ^uint64(0))
		ctx, cancel := context.WithTimeout(context.Background(), time.Duration(rng.IntN(100))*time.Microsecond)
		if err := l.Submit(context.Background(), r); err != nil {
			cancel()
			return fmt.Errorf("Submit: %w", err)
		}
		c, err := r.Wait(ctx)
		cancel()
		switch {
		case err != nil && !errors.Is(err, context.DeadlineExceeded):
			return fmt.Errorf("Wait: %w", err)
		case c.Res == 0:
			return nil
		case c.Res == -int32(syscall.ECANCELED) || c.Res == -int32(syscall.EINTR):
			if err == nil {
				return fmt.Errorf("read cancelled (res %d) without its context ending", c.Res)
			}
		case c.Res < 0:
			return fmt.Errorf("read: res %d", c.Res)
		default:
			for _, b := range r.Buf[:c.Res] {
				count[b]++
			}
		}
	}
}
