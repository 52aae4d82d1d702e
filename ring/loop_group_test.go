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

func waitAll(t *testing.T, reqs []*ring.Request) []int32 {
	t.Helper()
	res := make([]int32, len(reqs))
	for i, r := range reqs {
		c, err := r.Wait(context.Background())
		if err != nil {
			t.Fatalf("request %d: %v", i, err)
		}
		res[i] = c.Res
	}
	return res
}

func TestLoopGroupSkipSuccess(t *testing.T) {
	ecanceled := -int32(syscall.ECANCELED)
	ebadf := -int32(syscall.EBADF)
	badRead := func(flags ring.SQEFlags) *ring.Request {
		r := ring.NewRequest()
		r.Buf = make([]byte, 8)
		r.SQE.PrepRW(ring.OpRead, -1, bufAddr(r.Buf), 8, 0)
		r.SQE.Flags = flags
		return r
	}
	nop := func(flags ring.SQEFlags) *ring.Request {
		r := nopReq()
		r.SQE.Flags = flags
		return r
	}
	skipLink := ring.SQEIOLink | ring.SQECQESkipSuccess
	cases := []struct {
		name string
		reqs func() []*ring.Request
		want []int32
	}{
		// Rule 1: the last member's CQE resolves the silent ones before it.
		{"all-succeed", func() []*ring.Request {
			return []*ring.Request{nop(skipLink), nop(skipLink), nop(0)}
		}, []int32{0, 0, 0}},
		// Rule 2: a failing skip-success member cancels the rest silently
		// (kernel-interface.md 7.2 case 9c).
		{"first-fails", func() []*ring.Request {
			return []*ring.Request{badRead(skipLink), nop(ring.SQEIOLink), nop(0)}
		}, []int32{ebadf, ecanceled, ecanceled}},
		// Rule 1 then 2: the earlier skip member succeeded (case 9d).
		{"middle-fails", func() []*ring.Request {
			return []*ring.Request{nop(skipLink), badRead(skipLink), nop(0)}
		}, []int32{0, ebadf, ecanceled}},
		// Two chains in one group, the second unaffected by the first.
		{"two-chains", func() []*ring.Request {
			return []*ring.Request{badRead(skipLink), nop(0), nop(skipLink), nop(0)}
		}, []int32{ebadf, ecanceled, 0, 0}},
		// A plain link: every member posts (case 1).
		{"plain-link", func() []*ring.Request {
			return []*ring.Request{badRead(ring.SQEIOLink), nop(ring.SQEIOLink), nop(0)}
		}, []int32{ebadf, ecanceled, ecanceled}},
	}
	forEachMode(t, modeLoop(), func(t *testing.T, l *ring.Loop) {
		for _, tc := range cases {
			reqs := tc.reqs()
			if err := l.Submit(context.Background(), reqs...); err != nil {
				t.Fatalf("%s: %v", tc.name, err)
			}
			if diff := cmp.Diff(tc.want, waitAll(t, reqs)); diff != "" {
				t.Errorf("%s: results (-want +got):\n%s", tc.name, diff)
			}
		}
		if st := l.Stats(); st.InFlight != 0 {
			t.Errorf("in flight after all groups resolved: %d", st.InFlight)
		}
	})
}

func TestLoopSubmitRefusals(t *testing.T) {
	l := newTestLoop(t, ring.WithEntries(8))
	ctx := context.Background()
	nops := func(n int) []*ring.Request {
		rs := make([]*ring.Request, n)
		for i := range rs {
			rs[i] = nopReq()
			if i < n-1 {
				rs[i].SQE.Flags = ring.SQEIOLink
			}
		}
		return rs
	}
	if got := l.MaxGroup(); got != 8 {
		t.Fatalf("MaxGroup = %d, want 8", got)
	}
	if err := l.Submit(ctx, nops(9)...); !errors.Is(err, ring.ErrGroupTooLong) {
		t.Errorf("9-SQE group on an 8-entry SQ: %v", err)
	}
	dangling := nops(2)
	dangling[1].SQE.Flags = ring.SQEIOLink
	if err := l.Submit(ctx, dangling...); !errors.Is(err, ring.ErrDanglingLink) {
		t.Errorf("link on the last member: %v", err)
	}
	lastSkip := nops(2)
	lastSkip[1].SQE.Flags = ring.SQECQESkipSuccess
	if err := l.Submit(ctx, lastSkip...); !errors.Is(err, ring.ErrSkipSuccessLast) {
		t.Errorf("skip-success on the last member: %v", err)
	}
	hard := nops(2)
	hard[0].SQE.Flags = ring.SQEIOHardlink | ring.SQECQESkipSuccess
	if err := l.Submit(ctx, hard...); !errors.Is(err, ring.ErrSkipSuccessHardlink) {
		t.Errorf("skip-success with hardlink: %v", err)
	}
	alone := nopReq()
	alone.SQE.Flags = ring.SQECQESkipSuccess
	if err := l.Submit(ctx, alone); !errors.Is(err, ring.ErrSkipSuccessLast) {
		t.Errorf("skip-success alone: %v", err)
	}
	bad := nopReq()
	bad.SQE.Opcode = ring.Op(200)
	var nse *ring.NotSupportedError
	if err := l.Submit(ctx, bad); !errors.Is(err, ring.ErrNotSupported) || !errors.As(err, &nse) {
		t.Errorf("unknown opcode: %v", err)
	}
	twice := nopReq()
	if err := l.Submit(ctx, twice, twice); !errors.Is(err, ring.ErrRequestBusy) {
		t.Errorf("same request twice in a group: %v", err)
	}
	// After all the refusals the Loop is intact: a full-size group works.
	ok := nops(8)
	if err := l.Submit(ctx, ok...); err != nil {
		t.Fatal(err)
	}
	if diff := cmp.Diff(make([]int32, 8), waitAll(t, ok)); diff != "" {
		t.Errorf("results (-want +got):\n%s", diff)
	}
	if st := l.Stats(); st.InFlight != 0 || st.Submitted != 8 {
		t.Errorf("stats after refusals: %+v", st)
	}
}

func TestLoopNextMultishot(t *testing.T) {
	forEachMode(t, modeLoop(), func(t *testing.T, l *ring.Loop) {
		if err := l.CheckOp(ring.OpTimeout); err != nil {
			t.Skip(err)
		}
		ts := &ring.Timespec{Nsec: int64(time.Millisecond)}
		r := ring.NewRequest()
		r.Keep = ts
		r.SQE.PrepRW(ring.OpTimeout, -1, uint64(uintptrOf(ts)), 1, 3) // 3 shots
		r.SQE.OpFlags = ring.TimeoutMultishot
		ctx := context.Background()
		if err := l.Submit(ctx, r); err != nil {
			t.Fatal(err)
		}
		var got []ring.CQE
		for {
			c, ok, err := r.Next(ctx)
			if err != nil {
				t.Fatal(err)
			}
			if !ok {
				break
			}
			c.UserData = 0
			got = append(got, c)
		}
		etime := -int32(syscall.ETIME)
		want := []ring.CQE{{Res: etime, Flags: ring.CQEFMore}, {Res: etime, Flags: ring.CQEFMore}, {Res: etime}}
		if diff := cmp.Diff(want, got); diff != "" {
			t.Errorf("multishot CQEs (-want +got):\n%s", diff)
		}
	})
}
