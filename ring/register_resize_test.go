//go:build linux

package ring_test

import (
	"runtime"
	"syscall"
	"testing"

	"github.com/uringkit/uring/ring"
)

// Growing a DEFER_TASKRUN ring keeps its unreaped CQEs and then accepts a
// batch larger than the old SQ; shrinking below the pending CQEs is
// EOVERFLOW and leaves the ring as it was.
func TestResizeRings(t *testing.T) {
	for _, c := range []struct {
		name string
		opts []ring.Option
	}{
		{"default", nil},
		{"NO_SQARRAY", []ring.Option{ring.WithNoSQArray()}},
		{"SQE128", []ring.Option{ring.WithSQE128()}},
		{"CQE32", []ring.Option{ring.WithCQE32()}},
		{"CQE_MIXED", []ring.Option{ring.WithCQEMixed()}},
	} {
		t.Run(c.name, func(t *testing.T) { testResizeRings(t, c.opts) })
	}
}

func testResizeRings(t *testing.T, opts []ring.Option) {
	runtime.LockOSThread()
	defer runtime.UnlockOSThread()
	r := newTestRing(t, 4, append(opts, ring.WithSingleIssuer(), ring.WithDeferTaskrun())...)
	for i := range 3 {
		nop(uint64(i + 1))(r.GetSQE())
	}
	if _, err := r.SubmitAndWait(3); err != nil {
		t.Fatal(err)
	}
	wantSyscallErr(t, r.ResizeRings(1, 2), ring.RegisterResizeRings, syscall.EOVERFLOW)
	diff(t, "sizes after the refused shrink", [2]uint32{r.SQEntries(), r.CQEntries()}, [2]uint32{4, 8})

	if err := r.ResizeRings(32, 128); err != nil {
		t.Fatal(err)
	}
	p := r.Params()
	diff(t, "sizes after growing", [4]uint32{r.SQEntries(), r.CQEntries(), p.SQEntries, p.CQEntries}, [4]uint32{32, 128, 32, 128})
	diff(t, "CQEs carried over", reap(t, r, 3), []ring.CQE{cqe(1, 0), cqe(2, 0), cqe(3, 0)})

	const batch = 32 // more than the old SQ and CQ held
	for i := range batch {
		s := r.GetSQE()
		if s == nil {
			t.Fatalf("SQ full after %d SQEs", i)
		}
		nop(uint64(100 + i))(s)
	}
	if n, err := r.SubmitAndWait(batch); err != nil || n != batch {
		t.Fatalf("SubmitAndWait = %d, %v", n, err)
	}
	got := reap(t, r, batch)
	want := make([]ring.CQE, batch)
	for i := range want {
		want[i] = cqe(uint64(100+i), 0)
	}
	diff(t, "batch on the resized ring", got, want)

	// Shrink again (default CQ size: twice the SQ) and keep going.
	if err := r.ResizeRings(2, 0); err != nil {
		t.Fatal(err)
	}
	diff(t, "sizes after shrinking", [2]uint32{r.SQEntries(), r.CQEntries()}, [2]uint32{2, 4})
	diff(t, "NOP after shrinking", submitOne(t, r, nop(7)), cqe(7, 0))
}

func TestResizeRingsNeedsDeferTaskrun(t *testing.T) {
	r := newTestRing(t, 4)
	wantArgErr(t, r, r.ResizeRings(8, 16))
	d := newTestRing(t, 4, ring.WithSingleIssuer(), ring.WithDeferTaskrun())
	wantArgErr(t, d, d.ResizeRings(8, 4))
}
