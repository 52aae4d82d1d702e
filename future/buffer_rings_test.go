//go:build linux

package future_test

import (
	"context"
	"errors"
	"fmt"
	"sync"
	"testing"

	"github.com/google/go-cmp/cmp"
	"golang.org/x/sys/unix"

	"github.com/uringkit/uring/future"
	"github.com/uringkit/uring/ring"
)

// TestBufferRingSeveralRings: on a Loop made WithRings(3) two buffer rings
// (groups 12 and 13) serve receives from 8 goroutines at once, whichever P
// and ring each submits from: every receive gets its own message in a
// buffer of the group it named, never ENOBUFS from a ring that lacks the
// group. Then multishot receives on both groups stream 20 messages each,
// and both rings close. A nil Loop is still ErrNilLoop.
func TestBufferRingSeveralRings(t *testing.T) {
	l, err := ring.NewLoop(ring.WithRings(3), ring.WithEntries(16))
	if err != nil {
		t.Fatal(err)
	}
	defer l.Close()
	ctx := context.Background()
	var brs [2]*future.BufferRing
	for i := range brs {
		if brs[i], err = future.NewBufferRing(l, uint16(12+i), 8, 64); err != nil {
			t.Fatalf("NewBufferRing(group %d) on 3 rings: %v", 12+i, err)
		}
	}
	const workers, rounds = 8, 100
	got := make([][]string, workers)
	var wg sync.WaitGroup
	for w := range workers {
		a, b := socketPair(t)
		wg.Go(func() {
			for i := range rounds {
				msg := fmt.Sprintf("w%d-%d", w, i)
				if _, err := unix.Write(a, []byte(msg)); err != nil {
					got[w] = append(got[w], err.Error())
					return
				}
				br := brs[(w+i)%2]
				buf, err := future.RecvBuffer(b, br, 0).Await(ctx, l)
				if err != nil {
					got[w] = append(got[w], fmt.Sprintf("group %d: %v", br.Group(), err))
					return
				}
				got[w] = append(got[w], string(buf.Data))
				buf.Release()
			}
		})
	}
	wg.Wait()
	want := make([][]string, workers)
	for w := range want {
		for i := range rounds {
			want[w] = append(want[w], fmt.Sprintf("w%d-%d", w, i))
		}
	}
	if d := cmp.Diff(want, got); d != "" {
		t.Fatalf("received messages (-want +got):\n%s", d)
	}
	for _, br := range brs {
		a, b := socketPair(t)
		unix.Write(a, []byte("m"))
		total := 0
		for buf, err := range future.RecvMultishot(b, br, 0).Stream(ctx, l) {
			if err != nil {
				t.Fatalf("group %d multishot: %v (ENOBUFS: %v)", br.Group(), err, errors.Is(err, unix.ENOBUFS))
			}
			total += len(buf.Data)
			buf.Release()
			if len(buf.Data) == 0 {
				break
			}
			if total < 20 {
				unix.Write(a, []byte("m"))
			} else {
				unix.Shutdown(a, unix.SHUT_WR)
			}
		}
		if total != 20 {
			t.Errorf("group %d multishot received %d bytes, want 20", br.Group(), total)
		}
	}
	closeErrs := []error{brs[0].Close(), brs[1].Close()}
	if d := cmp.Diff([]error{nil, nil}, closeErrs, cmp.Comparer(func(a, b error) bool { return a == b })); d != "" {
		t.Errorf("Close of both rings (-want +got):\n%s", d)
	}
	if _, err := future.NewBufferRing(nil, 12, 4, 64); !errors.Is(err, future.ErrNilLoop) {
		t.Errorf("NewBufferRing(nil) = %v, want ErrNilLoop", err)
	}
}

// TestBufferReleaseDuringLoopClose: goroutines that received into
// provided buffers release them while another goroutine closes the Loop,
// and after. Close unmaps the buffer ring's memory; a Release then does
// nothing (before the fix it wrote into the unmapped ring: the process
// died of a fault). A Release after BufferRing.Close does nothing either.
func TestBufferReleaseDuringLoopClose(t *testing.T) {
	for round := range 10 {
		l, err := ring.NewLoop()
		if err != nil {
			t.Fatal(err)
		}
		br, err := future.NewBufferRing(l, 14, 64, 16)
		if err != nil {
			t.Fatal(err)
		}
		const workers = 4
		bufs := make([][]future.Buffer, workers)
		for w := range workers {
			a, b := socketPair(t)
			for i := range 8 {
				unix.Write(a, []byte{byte('a' + i)})
				buf, err := future.RecvBuffer(b, br, 0).Await(context.Background(), l)
				if err != nil {
					t.Fatalf("RecvBuffer: %v", err)
				}
				bufs[w] = append(bufs[w], buf)
			}
		}
		var wg sync.WaitGroup
		for w := range workers {
			wg.Go(func() {
				for _, buf := range bufs[w] {
					buf.Release()
				}
			})
		}
		if round%2 == 1 {
			wg.Wait()
		}
		if err := l.Close(); err != nil {
			t.Fatalf("Close: %v", err)
		}
		wg.Wait()
		if err := br.Close(); !errors.Is(err, ring.ErrClosed) {
			t.Errorf("BufferRing.Close after the Loop's: %v, want ErrClosed", err)
		}
		bufs[0][0].Release() // after both Closes: nothing to give back to
	}
}
