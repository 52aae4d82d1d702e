//go:build linux

package timeout_test

import (
	"context"
	"errors"
	"fmt"
	"os"
	"syscall"
	"testing"
	"time"

	"github.com/google/go-cmp/cmp"

	"github.com/uringkit/uring/future"
	"github.com/uringkit/uring/ring"
	"github.com/uringkit/uring/timeout"
	"golang.org/x/sys/unix"
)

var loop *ring.Loop

func TestMain(m *testing.M) {
	l, err := ring.NewLoop(ring.WithEntries(32))
	if err != nil {
		fmt.Fprintln(os.Stderr, "timeout tests need io_uring:", err)
		os.Exit(1)
	}
	loop = l
	code := m.Run()
	l.Close()
	os.Exit(code)
}

func expired(t *testing.T, name string, op future.Op[bool]) {
	t.Helper()
	ok, err := op.Await(context.Background(), loop)
	if err != nil || !ok {
		t.Errorf("%s = %v, %v; want expired", name, ok, err)
	}
}

func monotonicNow(t *testing.T, clock int32) time.Duration {
	var ts unix.Timespec
	if err := unix.ClockGettime(clock, &ts); err != nil {
		t.Fatal(err)
	}
	return time.Duration(ts.Nano())
}

func TestTimeoutForms(t *testing.T) {
	expired(t, "relative", timeout.New(timeout.After(2*time.Millisecond)))
	expired(t, "boottime", timeout.New(timeout.After(time.Millisecond).On(timeout.Boottime)))
	expired(t, "realtime", timeout.New(timeout.After(time.Millisecond).On(timeout.Realtime)))
	expired(t, "absolute wall clock", timeout.New(timeout.At(time.Now().Add(2*time.Millisecond))))
	expired(t, "absolute monotonic", timeout.New(timeout.Abs(timeout.Monotonic, monotonicNow(t, unix.CLOCK_MONOTONIC)+2*time.Millisecond)))
	expired(t, "absolute boottime", timeout.New(timeout.Abs(timeout.Boottime, monotonicNow(t, unix.CLOCK_BOOTTIME)+2*time.Millisecond)))
	expired(t, "absolute in the past", timeout.New(timeout.At(time.Now().Add(-time.Hour))))
}

func TestTimeoutCount(t *testing.T) {
	ctx := context.Background()
	f := timeout.Count(timeout.After(time.Hour), 2).Submit(ctx, loop)
	for range 2 {
		if _, err := future.Nop().Await(ctx, loop); err != nil {
			t.Fatal(err)
		}
	}
	if exp, err := f.Await(ctx); err != nil || exp {
		t.Errorf("count timeout = expired %v, %v; want completed by count", exp, err)
	}
}

func TestTicker(t *testing.T) {
	ctx := context.Background()
	n := 0
	for fired, err := range timeout.Ticker(timeout.After(time.Millisecond), 3).Stream(ctx, loop) {
		if err != nil || !fired {
			t.Fatalf("tick %d: %v %v", n, fired, err)
		}
		n++
	}
	if n != 3 {
		t.Errorf("ticker with count 3 fired %d times", n)
	}
	n = 0
	for range timeout.Ticker(timeout.After(time.Millisecond), 0).Stream(ctx, loop) {
		if n++; n == 2 {
			break // removes the endless ticker and waits for its end
		}
	}
	if _, err := future.Nop().Await(ctx, loop); err != nil {
		t.Fatal(err)
	}
}

func TestUpdateAndRemove(t *testing.T) {
	ctx := context.Background()
	f := timeout.New(timeout.After(time.Hour)).Submit(ctx, loop)
	if _, err := timeout.Update(f.UserData(), timeout.After(time.Millisecond)).Await(ctx, loop); err != nil {
		t.Fatal("Update:", err)
	}
	if exp, err := f.Await(ctx); err != nil || !exp {
		t.Errorf("updated timeout = %v, %v; want expired", exp, err)
	}
	f = timeout.New(timeout.After(time.Hour)).Submit(ctx, loop)
	if _, err := timeout.Remove(f.UserData()).Await(ctx, loop); err != nil {
		t.Fatal("Remove:", err)
	}
	if _, err := f.Await(ctx); !errors.Is(err, syscall.ECANCELED) {
		t.Errorf("removed timeout = %v, want ECANCELED", err)
	}
	if _, err := timeout.Remove(1<<60).Await(ctx, loop); !errors.Is(err, syscall.ENOENT) {
		t.Errorf("Remove(unknown) = %v, want ENOENT", err)
	}
}

// TestAwaitContextDeadline: the context's deadline becomes a linked
// timeout, and the kernel (not a user-space cancel) cuts the read off.
func TestAwaitContextDeadline(t *testing.T) {
	pr, pw, err := os.Pipe()
	if err != nil {
		t.Fatal(err)
	}
	defer pr.Close()
	defer pw.Close()
	// Only the kernel can end the read: the user-space backstop is an hour
	// away (no timing assumption about how fast the Loop submits).
	defer func(g time.Duration) { timeout.Grace = g }(timeout.Grace)
	timeout.Grace = time.Hour
	ctx, cancel := context.WithTimeout(context.Background(), 5*time.Millisecond)
	defer cancel()
	_, err = timeout.Await(ctx, loop, future.Read(int(pr.Fd()), make([]byte, 8), -1))
	var fe *future.Error
	if !errors.Is(err, os.ErrDeadlineExceeded) || !errors.As(err, &fe) || !fe.Deadline {
		t.Errorf("err = %v, want a kernel deadline (*future.Error with Deadline)", err)
	}
	// The context's own sentinel too, as future.Op.Await gives for the same
	// deadline (it did not before: a program moving from Op.Await to
	// timeout.Await lost its errors.Is(err, context.DeadlineExceeded)).
	if !errors.Is(err, context.DeadlineExceeded) || !errors.Is(err, syscall.ECANCELED) {
		t.Errorf("err = %v: errors.Is context.DeadlineExceeded %v, ECANCELED %v; want both",
			err, errors.Is(err, context.DeadlineExceeded), errors.Is(err, syscall.ECANCELED))
	}
	if fe != nil {
		if d := cmp.Diff(future.Error{Op: ring.OpRead, Errno: syscall.ECANCELED, Deadline: true}, *fe); d != "" {
			t.Errorf("*future.Error (-want +got):\n%s", d)
		}
	}
	// Without a deadline it is a plain await; an explicit cancel still works.
	if _, err := timeout.Await(context.Background(), loop, future.Nop()); err != nil {
		t.Error(err)
	}
	cctx, ccancel := context.WithTimeout(context.Background(), time.Hour)
	ccancel()
	if _, err := timeout.Await(cctx, loop, future.Read(int(pr.Fd()), make([]byte, 8), -1)); !errors.Is(err, context.Canceled) {
		t.Errorf("cancelled context: %v", err)
	}
}

// TestUpdateLinked re-arms a linked timeout through its user_data: from an
// hour to a millisecond, after which it cuts the read off.
func TestUpdateLinked(t *testing.T) {
	ctx := context.Background()
	pr, pw, err := os.Pipe()
	if err != nil {
		t.Fatal(err)
	}
	defer pr.Close()
	defer pw.Close()
	read, lt := ring.NewRequest(), ring.NewRequest()
	buf := make([]byte, 8)
	read.SQE.PrepRead(int32(pr.Fd()), buf, -1)
	read.SQE.Flags |= ring.SQEIOLink
	read.Buf = buf
	ts := &ring.Timespec{Sec: 3600}
	lt.SQE.PrepLinkTimeout(ts, 0)
	lt.Keep = ts
	if err := loop.Submit(ctx, read, lt); err != nil {
		t.Fatal(err)
	}
	if _, err := timeout.UpdateLinked(lt.UserData(), timeout.After(time.Millisecond)).Await(ctx, loop); err != nil {
		t.Fatal("UpdateLinked:", err)
	}
	rc, _ := read.Wait(ctx)
	lc, _ := lt.Wait(ctx)
	if rc.Res != -int32(syscall.ECANCELED) || lc.Res != -int32(syscall.ETIME) {
		t.Errorf("read %d, linked timeout %d; want -ECANCELED, -ETIME", rc.Res, lc.Res)
	}
}
