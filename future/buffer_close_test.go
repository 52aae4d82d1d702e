//go:build linux

package future_test

import (
	"context"
	"errors"
	"testing"
	"time"

	"github.com/google/go-cmp/cmp"
	"github.com/google/go-cmp/cmp/cmpopts"
	"golang.org/x/sys/unix"

	"github.com/uringkit/uring/future"
	"github.com/uringkit/uring/ring"
)

// TestBufferDecodedAfterBufferRingClose: a receive into a provided buffer
// whose CQE has arrived, but that is awaited only after its BufferRing was
// closed (which drops the buffers), fails with ring.ErrPbufRingClosed and
// an empty Buffer. Before the fix the decoder sliced the dropped (nil)
// buffer: Await panicked (slice bounds out of range). The same holds for
// a multishot stream whose next CQE was queued before the Close.
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
		if !errors.Is(err, ring.ErrPbufRingClosed) || !cmp.Equal(buf, future.Buffer{}, cmpopts.IgnoreUnexported(future.Buffer{})) || buf.ID() != 0 {
			t.Errorf("Await after BufferRing.Close = %q (id %d), %v; want an empty Buffer, ErrPbufRingClosed", buf.Data, buf.ID(), err)
		}
		buf.Release()
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
		if len(got) != 1 || got[0] != "one" || len(errs) != 1 || !errors.Is(errs[0], ring.ErrPbufRingClosed) {
			t.Errorf("stream across BufferRing.Close gave %q then %v; want \"one\" then ErrPbufRingClosed", got, errs)
		}
	})
}
