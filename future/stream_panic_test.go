//go:build linux

package future_test

import (
	"context"
	"runtime"
	"testing"
	"time"

	"golang.org/x/sys/unix"

	"github.com/uringkit/uring/future"
	"github.com/uringkit/uring/ring"
)

// TestStreamBodyPanicOrGoexitCancels: a range body that panics, or calls
// runtime.Goexit (t.Fatal inside the loop does), leaves the range
// statement as a break does: the multishot operation must be cancelled
// and its terminal CQE awaited, so nothing stays in flight; the panic
// goes on unchanged. Before the fix the stream's deferred Release did
// nothing for a Request still in flight, and the multishot poll ran on
// in the kernel for good (the Loop's InFlight stayed 1).
func TestStreamBodyPanicOrGoexitCancels(t *testing.T) {
	l, err := ring.NewLoop(ring.WithEntries(8))
	if err != nil {
		t.Fatal(err)
	}
	defer l.Close()
	ctx := context.Background()
	r, w := pipe(t)
	unix.Write(w, []byte("x")) // the poll fires at once, and again on every write
	for _, how := range []string{"panic", "Goexit"} {
		var recovered any
		done := make(chan struct{})
		go func() {
			defer close(done)
			defer func() { recovered = recover() }()
			for range future.PollMultishot(r, unix.POLLIN).Stream(ctx, l) {
				unix.Write(w, []byte("x")) // more CQEs arrive while it ends
				if how == "panic" {
					panic("body")
				}
				runtime.Goexit()
			}
		}()
		<-done
		if want := map[string]any{"panic": "body", "Goexit": nil}[how]; recovered != want {
			t.Errorf("%s: recovered %v, want %v", how, recovered, want)
		}
		deadline := time.Now().Add(time.Second)
		for l.Stats().InFlight != 0 && time.Now().Before(deadline) {
			time.Sleep(time.Millisecond)
		}
		if n := l.Stats().InFlight; n != 0 {
			t.Errorf("%s in the range body: %d operation(s) still in flight 1 s later", how, n)
		}
	}
}
