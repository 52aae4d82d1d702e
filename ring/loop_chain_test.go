package ring_test

import (
	"context"
	"fmt"
	"os"
	"sync"
	"syscall"
	"testing"

	"github.com/google/go-cmp/cmp"
	"github.com/uringkit/uring/ring"
)

// scaled returns full when URING_LOOP_FULL=1 is set, and otherwise a
// smaller count that still checks the property in seconds (smaller still
// under the race detector).
func scaled(full, normal, race int) int {
	switch {
	case os.Getenv("URING_LOOP_FULL") == "1":
		return full
	case ring.RaceEnabled:
		return race
	}
	return normal
}

// nopResult prepares a NOP that completes with res (IORING_NOP_INJECT_RESULT,
// 6.10): a negative res fails it, which breaks a link.
func nopResult(r *ring.Request, res int32, flags ring.SQEFlags) {
	r.SQE.PrepNop()
	r.SQE.OpFlags = ring.NopInjectResult
	r.SQE.Len = uint32(res)
	r.SQE.Flags = flags
}

// TestLoopChainsContiguous proves invariant 1 through the kernel's own
// link semantics. 64 goroutines each submit, concurrently, 3-SQE groups
// and single NOPs. A failing group is NOP(-EIO)|LINK, NOP|LINK, NOP: if
// its SQEs were not adjacent, another goroutine's single NOP would be
// linked behind the failure and complete with -ECANCELED instead of its own
// result; if the group were split across two submissions, the kernel would
// end the chain at the split and a later member would complete with 0
// instead of -ECANCELED. A succeeding group's members must resolve in
// group order. The ring is small (16 SQ entries) so groups often meet a
// full SQ and admission limits.
//
// Full size (64 goroutines x 10,000 groups, the number) runs with
// URING_LOOP_FULL=1; by default each goroutine does 1,500 groups (150
// under the race detector).
func TestLoopChainsContiguous(t *testing.T) {
	const goroutines = 64
	groups := scaled(10000, 1500, 150)
	eio, ecanceled := -int32(syscall.EIO), -int32(syscall.ECANCELED)
	for _, m := range loopModes {
		t.Run(m.name, func(t *testing.T) {
			l := newTestLoop(t, append(m.opts, ring.WithEntries(16), ring.WithLoopCQSize(64))...)
			if err := l.CheckOp(ring.OpNop); err != nil {
				t.Skip(err)
			}
			if err := l.Submit(context.Background(), nopReq(), nopReq(), nopReq(), nopReq(),
				nopReq(), nopReq(), nopReq(), nopReq(), nopReq(), nopReq(), nopReq(), nopReq(),
				nopReq(), nopReq(), nopReq(), nopReq(), nopReq()); err != ring.ErrGroupTooLong {
				t.Fatalf("17-SQE group on a 16-entry SQ: %v, want ErrGroupTooLong", err)
			}
			var wg sync.WaitGroup
			errs := make(chan error, goroutines)
			for g := 0; g < goroutines; g++ {
				wg.Add(1)
				go func(g int) {
					defer wg.Done()
					errs <- chainWorker(l, g, groups, eio, ecanceled)
				}(g)
			}
			wg.Wait()
			close(errs)
			for err := range errs {
				if err != nil {
					t.Fatal(err)
				}
			}
			st := l.Stats()
			want := uint64(goroutines * groups * 4)
			if st.Submitted != want || st.Completed != want || st.InFlight != 0 || st.StaleCQEs != 0 {
				t.Fatalf("stats: %+v, want %d submitted and completed", st, want)
			}
			t.Logf("stats: %+v", st)
		})
	}
}

func chainWorker(l *ring.Loop, g, groups int, eio, ecanceled int32) error {
	ctx := context.Background()
	grp := []*ring.Request{ring.NewRequest(), ring.NewRequest(), ring.NewRequest()}
	single := ring.NewRequest()
	own := int32(1000 + g) // the single's injected result names its goroutine
	for i := 0; i < groups; i++ {
		fail := i%2 == 0
		head := int32(0)
		if fail {
			head = eio
		}
		nopResult(grp[0], head, ring.SQEIOLink)
		nopResult(grp[1], 0, ring.SQEIOLink)
		nopResult(grp[2], 0, 0)
		nopResult(single, own, 0)
		if err := l.Submit(ctx, grp...); err != nil {
			return err
		}
		if err := l.Submit(ctx, single); err != nil {
			return err
		}
		var got [3]int32
		for j, r := range grp {
			c, err := r.Wait(ctx)
			if err != nil {
				return err
			}
			got[j] = c.Res
		}
		want := [3]int32{0, 0, 0}
		if fail {
			want = [3]int32{eio, ecanceled, ecanceled}
		}
		if got != want {
			return fmt.Errorf("goroutine %d group %d: results %v, want %v (group split or interleaved)", g, i, got, want)
		}
		if s0, s1, s2 := grp[0].CompletionSeq(), grp[1].CompletionSeq(), grp[2].CompletionSeq(); !(s0 < s1 && s1 < s2) {
			return fmt.Errorf("goroutine %d group %d: resolved out of order: %d %d %d", g, i, s0, s1, s2)
		}
		c, err := single.Wait(ctx)
		if err != nil {
			return err
		}
		if c.Res != own {
			return fmt.Errorf("goroutine %d: single NOP res %d, want %d (linked into a foreign chain?)", g, c.Res, own)
		}
	}
	return nil
}

var _ = cmp.Diff
