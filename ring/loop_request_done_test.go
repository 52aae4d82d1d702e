package ring_test

import (
	"context"
	"runtime"
	"testing"
	"time"

	"github.com/uringkit/uring/ring"
)

// TestRequestDone polls a pipe read in each mode: never done while the
// pipe is empty, done (without anybody waiting) once data arrives, and
// Wait then returns the bytes.
func TestRequestDone(t *testing.T) {
	for _, mode := range []ring.LoopMode{ring.ModeShared, ring.ModeOwner} {
		t.Run(mode.String(), func(t *testing.T) {
			l, err := ring.NewLoop(ring.WithMode(mode), ring.WithEntries(8))
			if err != nil {
				t.Fatal(err)
			}
			defer l.Close()
			pr, pw := ring.IdlePipe(t)
			req := ring.NewRequest()
			req.Buf = make([]byte, 3)
			req.SQE.PrepRead(int32(pr.Fd()), req.Buf, -1)
			if err := l.Submit(context.Background(), req); err != nil {
				t.Fatal(err)
			}
			for range 1000 {
				if req.Done() {
					t.Fatal("Done for a read of an empty pipe")
				}
				runtime.Gosched()
			}
			if _, err := pw.Write([]byte("abc")); err != nil {
				t.Fatal(err)
			}
			limit := time.Now().Add(20 * time.Second)
			for !req.Done() {
				if time.Now().After(limit) {
					t.Fatal("Done never reported true after the write")
				}
				runtime.Gosched()
			}
			c, err := req.Wait(context.Background())
			if err != nil || c.Res != 3 || string(req.Buf) != "abc" {
				t.Fatalf("Wait = res %d, %v, buf %q; want 3, nil, abc", c.Res, err, req.Buf)
			}
			if !req.Done() {
				t.Error("Done false after Wait")
			}
			req.Release()
		})
	}
}
