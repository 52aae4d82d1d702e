package timeout_test

import (
	"context"
	"syscall"
	"testing"
	"time"

	"github.com/google/go-cmp/cmp"
	"github.com/uringkit/uring/future"
	"github.com/uringkit/uring/ring"
	"github.com/uringkit/uring/timeout"
)

func TestSpecEncoding(t *testing.T) {
	type enc struct {
		TS    ring.Timespec
		Flags uint32
	}
	cases := []struct {
		name string
		s    timeout.Spec
		want enc
	}{
		{"relative", timeout.After(1500 * time.Millisecond), enc{ring.Timespec{Sec: 1, Nsec: 5e8}, 0}},
		{"negative is zero", timeout.After(-time.Second), enc{ring.Timespec{}, 0}},
		{"boottime", timeout.After(time.Second).On(timeout.Boottime), enc{ring.Timespec{Sec: 1}, ring.TimeoutBoottime}},
		{"realtime", timeout.After(time.Second).On(timeout.Realtime), enc{ring.Timespec{Sec: 1}, ring.TimeoutRealtime}},
		{"at wall clock", timeout.At(time.Unix(1700000000, 42)), enc{ring.Timespec{Sec: 1700000000, Nsec: 42}, ring.TimeoutAbs | ring.TimeoutRealtime}},
		{"abs monotonic", timeout.Abs(timeout.Monotonic, 90*time.Second), enc{ring.Timespec{Sec: 90}, ring.TimeoutAbs}},
		{"etime success", timeout.After(time.Millisecond).ETimeSuccess(), enc{ring.Timespec{Nsec: 1e6}, ring.TimeoutETimeSuccess}},
	}
	for _, tc := range cases {
		got := enc{tc.s.Timespec(), tc.s.Flags()}
		if diff := cmp.Diff(tc.want, got); diff != "" {
			t.Errorf("%s (-want +got):\n%s", tc.name, diff)
		}
	}
}

func TestFromContext(t *testing.T) {
	if _, ok := timeout.FromContext(context.Background()); ok {
		t.Error("FromContext(Background) reported a deadline")
	}
	ctx, cancel := context.WithTimeout(context.Background(), time.Hour)
	defer cancel()
	s, ok := timeout.FromContext(ctx)
	if !ok || s.Absolute() || s.Duration() <= 0 || s.Duration() > time.Hour {
		t.Errorf("FromContext = %v (abs %v), %v; want a relative duration in (0, 1h]", s.Duration(), s.Absolute(), ok)
	}
}

// TestOKErrno: a timeout op counts ETIME as success (Op.OKErrno), other
// ops nothing.
func TestOKErrno(t *testing.T) {
	if got := timeout.New(timeout.After(time.Second)).OKErrno(); got != syscall.ETIME {
		t.Errorf("timeout.New(...).OKErrno() = %v, want ETIME", got)
	}
	if got := future.Nop().OKErrno(); got != 0 {
		t.Errorf("future.Nop().OKErrno() = %v, want 0", got)
	}
}
