//go:build linux

package ring_test

import (
	"errors"
	"testing"
	"time"

	"github.com/google/go-cmp/cmp"

	"github.com/uringkit/uring/ring"
)

// The SQ and CQ mechanics on the running kernel: ring indices after every
// step (compared as whole values), SQ full, batch reaping, CQ overflow.

// indices is the ring's view of its queues at one moment.
type indices struct {
	SQSpace, SQReady, Unpublished uint32
	CQReady, CQHead               uint32
}

func indicesOf(r *ring.Ring) indices {
	return indices{r.SQSpace(), r.SQReady(), r.UnpublishedSQEs(), r.CQReady(), r.CQHead()}
}

func wantIndices(t *testing.T, r *ring.Ring, step string, want indices) {
	t.Helper()
	if diff := cmp.Diff(want, indicesOf(r)); diff != "" {
		t.Errorf("%s: indices (-want +got):\n%s", step, diff)
	}
}

func TestSQFull(t *testing.T) {
	r := newRing(t, 4)
	wantIndices(t, r, "new", indices{SQSpace: 4})
	nops(t, r, 1, 2, 3)
	wantIndices(t, r, "3 SQEs", indices{SQSpace: 1, SQReady: 3, Unpublished: 3})
	nops(t, r, 4)
	wantIndices(t, r, "4 SQEs", indices{SQSpace: 0, SQReady: 4, Unpublished: 4})
	if sqe := r.GetSQE(); sqe != nil {
		t.Fatal("GetSQE on a full SQ: want nil")
	}
	if n, err := r.Submit(); err != nil || n != 4 {
		t.Fatalf("Submit = %d, %v", n, err)
	}
	// NOPs complete inline: the SQ is free again and the CQ holds 4.
	wantIndices(t, r, "submitted", indices{SQSpace: 4, CQReady: 4})
	got := make([]ring.CQE, 8)
	got = got[:r.PeekBatch(got)]
	if diff := cmp.Diff(nopCQEs(4), byUserData(got)); diff != "" {
		t.Errorf("CQEs (-want +got):\n%s", diff)
	}
	wantIndices(t, r, "reaped", indices{SQSpace: 4, CQHead: 4})
}

// TestGetSQEZeroed: a reused slot comes back zeroed, whatever the last
// user left in it.
func TestGetSQEZeroed(t *testing.T) {
	for _, tt := range []struct {
		name string
		opts []ring.Option
	}{{"64-byte", nil}, {"SQE128", []ring.Option{ring.WithSQE128()}}} {
		t.Run(tt.name, func(t *testing.T) {
			r := newRing(t, 1, tt.opts...)
			for i := range 3 {
				sqe := r.GetSQE()
				if diff := cmp.Diff(ring.SQE{}, *sqe); diff != "" {
					t.Fatalf("SQE %d not zeroed (-want +got):\n%s", i, diff)
				}
				if tt.opts != nil {
					if ext := (*ring.SQE128)(nil); r.GetSQE128() != ext {
						t.Fatal("GetSQE128 on a full SQ: want nil")
					}
				}
				// Dirty the slot: NOP ignores these fields.
				*sqe = ring.SQE{Opcode: ring.OpNop, Off: ^uint64(0), Addr: ^uint64(0), UserData: uint64(i),
					BufIndex: 0xffff, SpliceFdIn: -1, Addr3: 1, Pad2: 2}
				if _, err := r.SubmitAndWait(1); err != nil {
					t.Fatal(err)
				}
				if diff := cmp.Diff([]ring.CQE{{UserData: uint64(i)}}, waitCQEs(t, r, 1)); diff != "" {
					t.Fatalf("(-want +got):\n%s", diff)
				}
			}
		})
	}
}

// TestPeekBatch: PeekBatch copies at most len(dst) CQEs and releases
// exactly those slots (one head store); the rest stay for the next call.
func TestPeekBatch(t *testing.T) {
	r := newRing(t, 8)
	nops(t, r, 1, 2, 3, 4, 5)
	if _, err := r.SubmitAndWait(5); err != nil {
		t.Fatal(err)
	}
	dst := make([]ring.CQE, 3)
	if n := r.PeekBatch(dst); n != 3 {
		t.Fatalf("PeekBatch = %d, want 3", n)
	}
	if diff := cmp.Diff(nopCQEs(3), byUserData(dst)); diff != "" {
		t.Errorf("first batch (-want +got):\n%s", diff)
	}
	wantIndices(t, r, "after 3 of 5", indices{SQSpace: 8, CQReady: 2, CQHead: 3})
	if n := r.PeekBatch(dst); n != 2 {
		t.Fatalf("PeekBatch = %d, want 2", n)
	}
	if diff := cmp.Diff(nopCQEs(5)[3:], byUserData(dst[:2])); diff != "" {
		t.Errorf("second batch (-want +got):\n%s", diff)
	}
	if n := r.PeekBatch(dst); n != 0 {
		t.Errorf("PeekBatch on an empty CQ = %d", n)
	}
	if n := r.PeekBatch(nil); n != 0 {
		t.Errorf("PeekBatch(nil) = %d", n)
	}
	wantIndices(t, r, "drained", indices{SQSpace: 8, CQHead: 5})
	// CQAdvance releases slots the caller read through PeekCQE.
	nops(t, r, 6, 7)
	if _, err := r.SubmitAndWait(2); err != nil {
		t.Fatal(err)
	}
	r.CQAdvance(2)
	wantIndices(t, r, "CQAdvance(2)", indices{SQSpace: 8, CQHead: 7})
}

// TestCQOverflow: more completions than the CQ holds go to the kernel's
// overflow list (FEAT_NODROP) and IORING_SQ_CQ_OVERFLOW is set; reaping
// late, PeekCQE enters to flush them, and every CQE arrives exactly once.
func TestCQOverflow(t *testing.T) {
	r := newRing(t, 4, ring.WithCQSize(4))
	const rounds = 5 // 20 NOPs into a 4-entry CQ
	for i := range rounds {
		nops(t, r, uint64(4*i+1), uint64(4*i+2), uint64(4*i+3), uint64(4*i+4))
		if n, err := r.Submit(); err != nil || n != 4 {
			t.Fatalf("round %d: Submit = %d, %v", i, n, err)
		}
	}
	if got := r.SQFlags() & ring.SQCQOverflow; got == 0 {
		t.Fatal("IORING_SQ_CQ_OVERFLOW not set with 16 CQEs beyond a 4-entry CQ")
	}
	if got := r.CQReady(); got != 4 {
		t.Errorf("CQReady = %d, want a full CQ (4)", got)
	}
	// A wait for more than the CQ holds returns once it is full.
	if _, err := r.SubmitAndWait(100); err != nil {
		t.Fatal(err)
	}
	var got []ring.CQE
	for {
		c, err := r.PeekCQE()
		if err != nil {
			t.Fatal(err)
		}
		if c == nil {
			break
		}
		got = append(got, *c)
		r.CQESeen(c)
	}
	if diff := cmp.Diff(nopCQEs(4*rounds), byUserData(got)); diff != "" {
		t.Errorf("CQEs after the overflow (-want +got):\n%s", diff)
	}
	if r.SQFlags()&ring.SQCQOverflow != 0 || r.CQOverflow() != 0 {
		t.Errorf("after draining: SQ flags %#x, overflow count %d; want clear, 0 (nothing dropped)", r.SQFlags(), r.CQOverflow())
	}
}

// TestClosed: after Close every call is harmless: the hot path sees an
// empty ring, the rest returns ErrClosed; a second Close returns nil.
func TestClosed(t *testing.T) {
	r, err := ring.New(4)
	if err != nil {
		t.Fatal(err)
	}
	nops(t, r, 1)
	if err := r.Close(); err != nil {
		t.Fatalf("Close: %v", err)
	}
	if err := r.Close(); err != nil {
		t.Errorf("second Close: %v", err)
	}
	if sqe := r.GetSQE(); sqe != nil {
		t.Error("GetSQE after Close: want nil")
	}
	if got := indicesOf(r); got != (indices{}) {
		t.Errorf("indices after Close = %+v, want zero", got)
	}
	if n := r.PeekBatch(make([]ring.CQE, 4)); n != 0 {
		t.Errorf("PeekBatch after Close = %d", n)
	}
	calls := map[string]error{}
	_, calls["Submit"] = r.Submit()
	_, calls["SubmitAndWait"] = r.SubmitAndWait(1)
	_, calls["GetEvents"] = r.GetEvents()
	_, calls["SubmitAndWaitTimeout"] = r.SubmitAndWaitTimeout(1, time.Millisecond, 0)
	_, calls["PeekCQE"] = r.PeekCQE()
	_, calls["WaitCQE"] = r.WaitCQE()
	_, calls["WaitCQETimeout"] = r.WaitCQETimeout(time.Millisecond)
	calls["SQWait"] = r.SQWait()
	_, calls["Probe"] = r.Probe()
	for name, err := range calls {
		if !errors.Is(err, ring.ErrClosed) {
			t.Errorf("%s after Close: err = %v, want ErrClosed", name, err)
		}
	}
}

// TestIOPollPeek: on an IOPOLL ring completions are found by polling, so
// PeekCQE enters with GETEVENTS when the CQ is empty.
func TestIOPollPeek(t *testing.T) {
	r := newRing(t, 8, ring.WithIOPoll())
	nops(t, r, 1, 2)
	if n, err := r.Submit(); err != nil || n != 2 {
		t.Fatalf("Submit = %d, %v", n, err)
	}
	var got []ring.CQE
	deadline := time.Now().Add(10 * time.Second)
	for len(got) < 2 && time.Now().Before(deadline) {
		c, err := r.PeekCQE()
		if err != nil {
			t.Fatal(err)
		}
		if c != nil {
			got = append(got, *c)
			r.CQESeen(c)
		}
	}
	if diff := cmp.Diff(nopCQEs(2), byUserData(got)); diff != "" {
		t.Errorf("(-want +got):\n%s", diff)
	}
}

// TestSQPollSQWait: under SQPOLL a full SQ frees up when the poller
// consumes it; SQWait (IORING_ENTER_SQ_WAIT) waits for that instead of
// spinning.
func TestSQPollSQWait(t *testing.T) {
	r := newRing(t, 2, ring.WithSQPoll(10*time.Millisecond))
	total := 0
	var got []ring.CQE
	for round := range 50 {
		for {
			sqe := r.GetSQE()
			if sqe == nil {
				break
			}
			sqe.PrepNop()
			total++
			sqe.UserData = uint64(total)
		}
		if _, err := r.Submit(); err != nil {
			t.Fatal(err)
		}
		if err := r.SQWait(); err != nil {
			t.Fatalf("round %d: SQWait: %v", round, err)
		}
		if r.SQSpace() == 0 {
			t.Fatalf("round %d: SQWait returned with the SQ still full", round)
		}
		got = append(got, waitCQEs(t, r, int(r.CQReady()))...)
	}
	got = append(got, waitCQEs(t, r, total-len(got))...)
	if diff := cmp.Diff(nopCQEs(total), byUserData(got)); diff != "" {
		t.Errorf("(-want +got):\n%s", diff)
	}
}

// TestPeekBatchWrap: a batch that straddles the end of the CQ array comes
// out whole and in order.
func TestPeekBatchWrap(t *testing.T) {
	r := newRing(t, 2, ring.WithCQSize(4))
	for _, ud := range []uint64{1, 2, 3} {
		nops(t, r, ud)
		if _, err := r.SubmitAndWait(1); err != nil {
			t.Fatal(err)
		}
		dst := make([]ring.CQE, 1)
		if n := r.PeekBatch(dst); n != 1 || dst[0].UserData != ud {
			t.Fatalf("PeekBatch = %d %+v", n, dst)
		}
	}
	// Head is 3: the next three CQEs sit in slots 3, 0 and 1.
	for _, ud := range []uint64{4, 5, 6} {
		nops(t, r, ud)
		if _, err := r.SubmitAndWait(1); err != nil {
			t.Fatal(err)
		}
	}
	dst := make([]ring.CQE, 8)
	n := r.PeekBatch(dst)
	if diff := cmp.Diff([]ring.CQE{{UserData: 4}, {UserData: 5}, {UserData: 6}}, dst[:n]); diff != "" {
		t.Errorf("batch across the wrap (-want +got):\n%s", diff)
	}
	wantIndices(t, r, "after the wrap", indices{SQSpace: 2, CQHead: 6})
}

// TestWaitMoreThanCQ: the kernel clamps min_complete to the CQ size, so a
// wait for more CQEs than the CQ holds returns once it is full (it used to
// re-enter forever).
func TestWaitMoreThanCQ(t *testing.T) {
	r := newRing(t, 4, ring.WithCQSize(4))
	nops(t, r, 1, 2, 3, 4)
	if _, err := r.Submit(); err != nil {
		t.Fatal(err)
	}
	nops(t, r, 5, 6, 7, 8)
	if n, err := r.SubmitAndWait(8); err != nil || n != 4 {
		t.Fatalf("SubmitAndWait(8) on a 4-entry CQ = %d, %v; want 4, nil", n, err)
	}
	if n, err := r.SubmitAndWaitTimeout(8, time.Minute, 0); err != nil || n != 0 {
		t.Fatalf("SubmitAndWaitTimeout(8) on a full 4-entry CQ = %d, %v; want 0, nil", n, err)
	}
	got := make([]ring.CQE, 4)
	got = got[:r.PeekBatch(got)]
	got = append(got, waitCQEs(t, r, 4)...) // the overflowed four, flushed by PeekCQE
	if diff := cmp.Diff(nopCQEs(8), byUserData(got)); diff != "" {
		t.Errorf("(-want +got):\n%s", diff)
	}
}
