//go:build linux

package future_test

import (
	"context"
	"fmt"
	"runtime"
	"testing"
	"time"
	"weak"

	"github.com/google/go-cmp/cmp"
	"golang.org/x/sys/unix"

	"github.com/uringkit/uring/future"
)

// TestBufferDecodedAfterBufferRingClose: a receive into a provided buffer
// whose CQE has arrived, but that is awaited only after its BufferRing was
// closed, still gets its data: the op references its BufferRing, which
// holds the buffers, and the Loop keeps an unregistered ring's buffers
// while a request that may have picked one is in flight. The same
// holds for a multishot stream whose next CQE was queued before the
// Close. (An earlier fix made these ring.ErrPbufRingClosed, when Close
// dropped the buffers; before that the decoder sliced the nil buffer and
// Await panicked.)
func TestBufferDecodedAfterBufferRingClose(t *testing.T) {
	ctx := context.Background()
	noPanic := func(name string, fn func()) {
		t.Helper()
		defer func() {
			if p := recover(); p != nil {
				t.Errorf("%s panicked: %v", name, p)
			}
		}()
		fn()
	}
	noPanic("Future.Await", func() {
		br, err := future.NewBufferRing(loop, 21, 4, 64)
		if err != nil {
			t.Fatal(err)
		}
		a, b := socketPair(t)
		unix.Write(a, []byte("hello"))
		f := future.RecvBuffer(b, br, 0).Submit(ctx, loop)
		for deadline := time.Now().Add(time.Second); !f.Ready() && time.Now().Before(deadline); {
			time.Sleep(100 * time.Microsecond)
		}
		if err := br.Close(); err != nil {
			t.Fatal(err)
		}
		buf, err := f.Await(ctx)
		if err != nil || string(buf.Data) != "hello" {
			t.Errorf("Await after BufferRing.Close = %q, %v; want \"hello\"", buf.Data, err)
		}
		buf.Release() // nothing to give it back to: dropped
	})
	noPanic("Stream", func() {
		br, err := future.NewBufferRing(loop, 22, 4, 64)
		if err != nil {
			t.Fatal(err)
		}
		a, b := socketPair(t)
		unix.Write(a, []byte("one"))
		var got []string
		var errs []error
		for buf, err := range future.RecvMultishot(b, br, 0).Stream(ctx, loop) {
			if err != nil {
				errs = append(errs, err)
				break
			}
			got = append(got, string(buf.Data))
			buf.Release()
			if len(got) == 2 {
				break
			}
			if len(got) == 1 {
				unix.Write(a, []byte("two"))
				// The multishot recv takes "two" into a buffer and posts
				// its CQE: the socket's receive queue is empty then.
				for deadline := time.Now().Add(time.Second); time.Now().Before(deadline); time.Sleep(100 * time.Microsecond) {
					if n, err := unix.IoctlGetInt(b, unix.SIOCINQ); err != nil || n == 0 {
						break
					}
				}
				if err := br.Close(); err != nil {
					t.Fatal(err)
				}
			}
		}
		if d := cmp.Diff([]string{"one", "two"}, got); d != "" || len(errs) != 0 {
			t.Errorf("stream across BufferRing.Close (-want +got):\n%s\nerrors %v", d, errs)
		}
	})
}

// TestBufferRingCloseReleasesBuffers: a program that makes a BufferRing,
// reads into it and closes it, 1,000 times on one Loop, keeps none of the
// closed rings' buffers once it has dropped them: with no read in flight
// the Loop has nothing to keep them for. (The Loop's ring kept every
// unregistered ring's buffers for as long as it lived.)
func TestBufferRingCloseReleasesBuffers(t *testing.T) {
	ctx := context.Background()
	r, w := pipe(t)
	const rounds = 1000
	wps := make([]weak.Pointer[byte], 0, rounds)
	for i := range rounds {
		br, err := future.NewBufferRing(loop, 23, 1, 64)
		if err != nil {
			t.Fatal(err)
		}
		msg := fmt.Sprintf("round %d", i)
		if _, err := unix.Write(w, []byte(msg)); err != nil {
			t.Fatal(err)
		}
		buf, err := future.ReadBuffer(r, br, 64, -1).Await(ctx, loop)
		if err != nil || string(buf.Data) != msg {
			t.Fatalf("round %d: ReadBuffer = %q, %v; want %q", i, buf.Data, err, msg)
		}
		wps = append(wps, weak.Make(&buf.Data[0]))
		buf.Release()
		if err := br.Close(); err != nil {
			t.Fatal(err)
		}
	}
	runtime.GC()
	runtime.GC()
	kept := 0
	for _, p := range wps {
		if p.Value() != nil {
			kept++
		}
	}
	if kept != 0 {
		t.Fatalf("%d of %d closed BufferRings' buffers are still reachable", kept, rounds)
	}
}
