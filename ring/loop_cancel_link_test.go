package ring_test

import (
	"context"
	"errors"
	"syscall"
	"testing"
	"time"

	"github.com/google/go-cmp/cmp"
	"github.com/uringkit/uring/ring"
)

// TestLoopCancelUnstartedLink: the waiter of a linked request whose
// predecessor blocks forever gives up (its context ends). The kernel does
// not find a request that has not started (ASYNC_CANCEL gives -ENOENT),
// so the Loop cancels the member of its chain that runs: Wait returns
// with the context's error, the CQEs say what happened to each member,
// and no buffer is written.
func TestLoopCancelUnstartedLink(t *testing.T) {
	for _, tc := range []struct {
		name string
		link ring.SQEFlags
	}{
		{"link", ring.SQEIOLink},
		{"hardlink", ring.SQEIOHardlink},
	} {
		t.Run(tc.name, func(t *testing.T) {
			forEachMode(t, modeLoop(), func(t *testing.T, l *ring.Loop) {
				pr, pw := ring.IdlePipe(t)
				read := func(flags ring.SQEFlags) *ring.Request {
					r := ring.NewRequest()
					r.Buf = make([]byte, 16)
					r.SQE.PrepRW(ring.OpRead, int32(pr.Fd()), bufAddr(r.Buf), 16, ^uint64(0))
					r.SQE.Flags |= flags
					return r
				}
				// Three reads of an empty pipe, linked: only the first runs.
				reqs := []*ring.Request{read(tc.link), read(tc.link), read(0)}
				if err := l.Submit(context.Background(), reqs...); err != nil {
					t.Fatal(err)
				}
				ctx, cancel := context.WithTimeout(context.Background(), 20*time.Millisecond)
				defer cancel()
				last, err := reqs[2].Wait(ctx)
				if !errors.Is(err, context.DeadlineExceeded) {
					t.Fatalf("Wait of the unstarted member: %+v, %v; want DeadlineExceeded", last, err)
				}
				var got []int32
				for _, r := range reqs[:2] {
					c, err := r.Wait(context.Background())
					if err != nil {
						t.Fatalf("Wait: %v", err)
					}
					got = append(got, c.Res)
				}
				got = append(got, last.Res)
				ec := -int32(syscall.ECANCELED)
				eintr := -int32(syscall.EINTR)
				// A blocked pipe read that is cancelled ends with -ECANCELED
				// or -EINTR (an io-wq worker that was signalled).
				for i := range got {
					if got[i] == eintr {
						got[i] = ec
					}
				}
				if diff := cmp.Diff([]int32{ec, ec, ec}, got); diff != "" {
					t.Errorf("results (-want +got):\n%s", diff)
				}
				zero := make([]byte, 16)
				for i, r := range reqs {
					if diff := cmp.Diff(zero, r.Buf); diff != "" {
						t.Errorf("read %d's buffer was written (-want +got):\n%s", i, diff)
					}
				}
				// The Loop still works: a new read gets the data.
				r := read(0)
				if err := l.Submit(context.Background(), r); err != nil {
					t.Fatal(err)
				}
				if _, err := pw.Write([]byte("after")); err != nil {
					t.Fatal(err)
				}
				if c, err := r.Wait(context.Background()); err != nil || c.Res != 5 || string(r.Buf[:5]) != "after" {
					t.Fatalf("read after cancel: %+v %v %q", c, err, r.Buf)
				}
				if st := l.Stats(); st.InFlight != 0 {
					t.Errorf("in flight after all waits: %d", st.InFlight)
				}
			})
		})
	}
}
