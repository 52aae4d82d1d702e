package ring_test

import (
	"context"
	"errors"
	"os"
	"runtime"
	"strings"
	"sync"
	"syscall"
	"testing"
	"time"

	"github.com/uringkit/uring/ring"
)

// goroutineLeakCheck returns a function that fails t if, after a grace
// period, more goroutines exist than before; it prints the extra stacks.
func goroutineLeakCheck(t *testing.T) func() {
	before := runtime.NumGoroutine()
	return func() {
		t.Helper()
		deadline := time.Now().Add(5 * time.Second)
		for runtime.NumGoroutine() > before && time.Now().Before(deadline) {
			time.Sleep(10 * time.Millisecond)
		}
		if n := runtime.NumGoroutine(); n > before {
			buf := make([]byte, 1<<20)
			buf = buf[:runtime.Stack(buf, true)]
			t.Errorf("goroutines: %d before, %d after Close; stacks:\n%s", before, n, buf)
		}
	}
}

// TestLoopCloseInFlight: Close with 1,000 ops in flight (reads blocked on
// empty pipes, plus NOPs) resolves every waiter with its own result, leaves
// no goroutine behind, and a second Close is harmless.
func TestLoopCloseInFlight(t *testing.T) {
	for _, m := range loopModes {
		t.Run(m.name, func(t *testing.T) {
			check := goroutineLeakCheck(t)
			l, err := ring.NewLoop(append(m.opts, ring.WithEntries(256), ring.WithLoopCQSize(2048))...)
			if err != nil {
				t.Fatal(err)
			}
			const pipes, perPipe = 10, 100 // 1,000 blocked reads
			var files []*os.File
			defer func() {
				for _, f := range files {
					f.Close()
				}
			}()
			var wg sync.WaitGroup
			results := make(chan error, pipes*perPipe)
			submitted := make(chan struct{}, pipes*perPipe)
			for p := 0; p < pipes; p++ {
				pr, pw, err := os.Pipe()
				if err != nil {
					t.Fatal(err)
				}
				files = append(files, pr, pw)
				for i := 0; i < perPipe; i++ {
					wg.Add(1)
					go func(fd int32) {
						defer wg.Done()
						r := ring.NewRequest()
						r.Buf = make([]byte, 64)
						r.SQE.PrepRW(ring.OpRead, fd, bufAddr(r.Buf), 64, ^uint64(0))
						if err := l.Submit(context.Background(), r); err != nil {
							submitted <- struct{}{}
							results <- err
							return
						}
						submitted <- struct{}{}
						c, err := r.Wait(context.Background())
						switch {
						case err != nil && !errors.Is(err, ring.ErrClosed):
							results <- err
						case err == nil && c.Res != -int32(syscall.ECANCELED) && c.Res != -int32(syscall.EINTR):
							results <- errors.New("unexpected read result " + syscall.Errno(-c.Res).Error())
						default:
							results <- nil
						}
					}(int32(pr.Fd()))
				}
			}
			for i := 0; i < pipes*perPipe; i++ {
				<-submitted
			}
			if st := l.Stats(); st.InFlight != pipes*perPipe {
				t.Fatalf("in flight before Close = %d, want %d", st.InFlight, pipes*perPipe)
			}
			if err := l.Close(); err != nil {
				t.Fatalf("Close: %v", err)
			}
			wg.Wait()
			close(results)
			for err := range results {
				if err != nil {
					t.Error(err)
				}
			}
			if err := l.Close(); err != nil {
				t.Errorf("second Close: %v", err)
			}
			r := nopReq()
			if err := l.Submit(context.Background(), r); !errors.Is(err, ring.ErrClosed) {
				t.Errorf("Submit after Close: %v", err)
			}
			if st := l.Stats(); st.InFlight != 0 || st.Completed != pipes*perPipe {
				t.Errorf("stats after Close: %+v", st)
			}
			check()
		})
	}
}

func TestLoopDefault(t *testing.T) {
	l, err := ring.DefaultLoop()
	if err != nil {
		t.Fatal(err)
	}
	l2, _ := ring.DefaultLoop()
	if l != l2 {
		t.Fatal("DefaultLoop returned two Loops")
	}
	r := nopReq()
	if err := l.Submit(context.Background(), r); err != nil {
		t.Fatal(err)
	}
	if c, err := r.Wait(context.Background()); err != nil || c.Res != 0 {
		t.Fatalf("%+v %v", c, err)
	}
	if !strings.Contains("shared owner", l.Stats().Mode) {
		t.Fatalf("mode %q", l.Stats().Mode)
	}
}
