package future_test

import (
	"context"
	"runtime"
	"syscall"
	"testing"
	"time"

	"github.com/uringkit/uring/future"
	"github.com/uringkit/uring/ring"
)

// pollReady calls Ready until it reports true, giving up (and failing)
// after a generous bound so that a bug shows as a failure, not a hang.
func pollReady[T any](t *testing.T, f *future.Future[T]) {
	t.Helper()
	limit := time.Now().Add(20 * time.Second)
	for !f.Ready() {
		if time.Now().After(limit) {
			t.Fatal("Ready never reported true")
		}
		runtime.Gosched()
	}
}

func TestReadyNop(t *testing.T) {
	f := future.Nop().Submit(context.Background(), loop)
	pollReady(t, f)
	if v, err := f.Await(context.Background()); err != nil || v != struct{}{} {
		t.Fatalf("Await after Ready = %v, %v", v, err)
	}
	if !f.Ready() {
		t.Error("Ready false after Await")
	}
}

func TestReadyWaitsForData(t *testing.T) {
	r, w := pipe(t)
	buf := make([]byte, 5)
	f := future.Read(r, buf, -1).Submit(context.Background(), loop)
	m := future.Map(f, func(n int) string { return string(buf[:n]) })
	// Nothing written yet: polling many times never says ready.
	for range 1000 {
		if f.Ready() || m.Ready() {
			t.Fatal("Ready true for a read of an empty pipe")
		}
		runtime.Gosched()
	}
	if _, err := syscall.Write(w, []byte("hello")); err != nil {
		t.Fatal(err)
	}
	pollReady(t, m)
	if !f.Ready() {
		t.Error("the Map future is ready but its source is not")
	}
	if s, err := m.Await(context.Background()); err != nil || s != "hello" {
		t.Fatalf("Await = %q, %v; want hello", s, err)
	}
}

func TestReadyFailedAndComposed(t *testing.T) {
	failed := future.Nop().Submit(context.Background(), nil)
	if !failed.Ready() {
		t.Error("a Future that failed at Submit is not Ready")
	}
	then := future.Then(future.Done(1, nil), loop, func(int) future.Op[struct{}] { return future.Nop() })
	if then.Ready() {
		t.Error("a Then future is Ready before Await submitted its op")
	}
	if _, err := then.Await(context.Background()); err != nil {
		t.Fatal(err)
	}
	if !then.Ready() {
		t.Error("a Then future is not Ready after Await")
	}
}

func TestRequestDoneUnsubmitted(t *testing.T) {
	r := ring.NewRequest()
	defer r.Release()
	if r.Done() {
		t.Error("a Request never submitted is Done")
	}
}
