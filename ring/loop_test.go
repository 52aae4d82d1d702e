package ring_test

import (
	"context"
	"errors"
	"os"
	"syscall"
	"testing"
	"time"

	"github.com/google/go-cmp/cmp"
	"github.com/uringkit/uring/ring"
)

// loopModes is the configuration matrix the Loop tests run against.
var loopModes = []struct {
	name string
	opts []ring.LoopOption
}{
	{"shared", []ring.LoopOption{ring.WithMode(ring.ModeShared)}},
	{"owner", []ring.LoopOption{ring.WithMode(ring.ModeOwner)}},
}

func newTestLoop(t testing.TB, opts ...ring.LoopOption) *ring.Loop {
	t.Helper()
	l, err := ring.NewLoop(opts...)
	if err != nil {
		t.Fatalf("NewLoop: %v", err)
	}
	t.Cleanup(func() {
		if err := l.Close(); err != nil {
			t.Errorf("Close: %v", err)
		}
	})
	return l
}

func forEachMode(t *testing.T, fn func(t *testing.T, extra ...ring.LoopOption) *ring.Loop, body func(t *testing.T, l *ring.Loop)) {
	for _, m := range loopModes {
		t.Run(m.name, func(t *testing.T) {
			body(t, fn(t, m.opts...))
		})
	}
}

func modeLoop(extra ...ring.LoopOption) func(t *testing.T, opts ...ring.LoopOption) *ring.Loop {
	return func(t *testing.T, opts ...ring.LoopOption) *ring.Loop {
		return newTestLoop(t, append(opts, extra...)...)
	}
}

func nopReq() *ring.Request {
	r := ring.NewRequest()
	r.SQE.PrepNop()
	return r
}

func TestLoopNop(t *testing.T) {
	forEachMode(t, modeLoop(), func(t *testing.T, l *ring.Loop) {
		ctx := context.Background()
		for i := 0; i < 100; i++ {
			r := nopReq()
			if err := l.Submit(ctx, r); err != nil {
				t.Fatal(err)
			}
			c, err := r.Wait(ctx)
			if err != nil {
				t.Fatal(err)
			}
			if diff := cmp.Diff(ring.CQE{UserData: c.UserData, Res: 0, Flags: 0}, c); diff != "" {
				t.Fatalf("CQE (-want +got):\n%s", diff)
			}
			r.Release()
		}
		st := l.Stats()
		if st.Submitted != 100 || st.Completed != 100 || st.InFlight != 0 {
			t.Fatalf("stats: %+v", st)
		}
	})
}

func TestLoopReadPipe(t *testing.T) {
	forEachMode(t, modeLoop(), func(t *testing.T, l *ring.Loop) {
		pr, pw, err := os.Pipe()
		if err != nil {
			t.Fatal(err)
		}
		defer pr.Close()
		defer pw.Close()
		r := ring.NewRequest()
		r.Buf = make([]byte, 16)
		r.SQE.PrepRW(ring.OpRead, int32(pr.Fd()), bufAddr(r.Buf), 16, ^uint64(0))
		ctx := context.Background()
		if err := l.Submit(ctx, r); err != nil {
			t.Fatal(err)
		}
		if _, err := pw.Write([]byte("hello loop")); err != nil {
			t.Fatal(err)
		}
		c, err := r.Wait(ctx)
		if err != nil || c.Res != 10 {
			t.Fatalf("Wait = %+v, %v", c, err)
		}
		if got := string(r.Buf[:c.Res]); got != "hello loop" {
			t.Fatalf("read %q", got)
		}
	})
}

func TestLoopWaitContextCancel(t *testing.T) {
	forEachMode(t, modeLoop(), func(t *testing.T, l *ring.Loop) {
		pr, pw, err := os.Pipe()
		if err != nil {
			t.Fatal(err)
		}
		defer pr.Close()
		defer pw.Close()
		r := ring.NewRequest()
		r.Buf = make([]byte, 16)
		r.SQE.PrepRW(ring.OpRead, int32(pr.Fd()), bufAddr(r.Buf), 16, ^uint64(0))
		if err := l.Submit(context.Background(), r); err != nil {
			t.Fatal(err)
		}
		ctx, cancel := context.WithTimeout(context.Background(), 20*time.Millisecond)
		defer cancel()
		c, err := r.Wait(ctx)
		if !errors.Is(err, context.DeadlineExceeded) || !errors.Is(err, os.ErrDeadlineExceeded) {
			t.Fatalf("Wait err = %v", err)
		}
		if c.Res != -int32(syscall.ECANCELED) && c.Res != -int32(syscall.EINTR) {
			t.Fatalf("cancelled read res = %d", c.Res)
		}
		// The Loop keeps working.
		n := nopReq()
		if err := l.Submit(context.Background(), n); err != nil {
			t.Fatal(err)
		}
		if c, err := n.Wait(context.Background()); err != nil || c.Res != 0 {
			t.Fatalf("nop after cancel: %+v %v", c, err)
		}
	})
}
