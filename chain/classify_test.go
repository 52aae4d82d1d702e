package chain

import (
	"errors"
	"os"
	"sync"
	"syscall"
	"testing"
	"time"
	"unsafe"

	"github.com/google/go-cmp/cmp"
	"github.com/uringkit/uring/future"
	"github.com/uringkit/uring/ring"
	"github.com/uringkit/uring/timeout"
)

// fakeCQE marks element i as completed with res, the way the Loop will.
func (c *Chain) fakeCQE(i int, res int32, synth bool) {
	c.mu.Lock()
	defer c.mu.Unlock()
	c.elems[i].cqe, c.elems[i].synth, c.elems[i].done = ring.CQE{Res: res}, synth, true
	c.waited++
}

type brief struct {
	Outcome string
	Res     int32
	By      int
}

func briefs(c *Chain) []brief {
	var out []brief
	for i := range c.elems {
		if !c.elems[i].isTimeout {
			r := c.classify(i)
			out = append(out, brief{r.Outcome.String(), r.Res, r.By})
		}
	}
	return out
}

func shortRead() future.Op[int] {
	return future.Custom(future.Raw[int]{SQE: ring.SQE{Opcode: ring.OpRead}, Expect: 100,
		Decode: func(c ring.CQE, _ unsafe.Pointer) (int, error) { return int(c.Res), nil }})
}

const ecanceled = -int32(syscall.ECANCELED)

// TestClassifyReferenceCases feeds the CQEs observed on 6.18
// (kernel-interface.md 7.2) to the classifier, without a kernel.
func TestClassifyReferenceCases(t *testing.T) {
	// case 3: short read | LINK -> NOP.
	c := New()
	Add(c, shortRead())
	Add(c, future.Nop())
	c.fakeCQE(0, 10, false)
	c.fakeCQE(1, ecanceled, false)
	if diff := cmp.Diff([]brief{{"short", 10, -1}, {"cancelled", ecanceled, 0}}, briefs(c)); diff != "" {
		t.Errorf("case 3 (-want +got):\n%s", diff)
	}
	var ce *CancelledError
	if err := c.classify(1).Err; !errors.As(err, &ce) || !errors.Is(err, syscall.ECANCELED) {
		t.Errorf("case 3 step 1 error = %v", err)
	} else if _, ok := ce.Cause.(*ShortError); !ok {
		t.Errorf("case 3 cause = %v, want a *ShortError", ce.Cause)
	}

	// case 4: READ(pipe)|LINK -> LINK_TIMEOUT fires.
	c = New()
	Add(c, shortRead())
	c.LinkTimeout(timeout.After(time.Millisecond))
	c.fakeCQE(1, -int32(syscall.ETIME), false)
	c.fakeCQE(0, ecanceled, false)
	r := c.classify(0)
	if r.Outcome != TimedOut || !errors.Is(r.Err, os.ErrDeadlineExceeded) || !errors.Is(r.Err, syscall.ECANCELED) {
		t.Errorf("case 4: %v %v", r.Outcome, r.Err)
	}

	// case 2b: invalid | HARDLINK -> NOP: -EINVAL, -ECANCELED; and an
	// invalid member in the middle cancels the head too.
	c = New()
	Add(c, future.Nop())
	Add(c, future.Nop()).HardLink()
	Add(c, future.Nop())
	c.fakeCQE(0, ecanceled, false)
	c.fakeCQE(1, -int32(syscall.EINVAL), false)
	c.fakeCQE(2, ecanceled, false)
	if diff := cmp.Diff([]brief{{"cancelled", ecanceled, 1}, {"failed", -int32(syscall.EINVAL), -1}, {"cancelled", ecanceled, 1}}, briefs(c)); diff != "" {
		t.Errorf("submit-time failure (-want +got):\n%s", diff)
	}

	// case 9: skipped success resolved by the Loop, expected length kept.
	c = New()
	Add(c, shortRead()).SkipSuccess()
	Add(c, future.Nop())
	c.fakeCQE(0, 0, true)
	c.fakeCQE(1, 0, false)
	if diff := cmp.Diff([]brief{{"completed", 100, -1}, {"completed", 0, -1}}, briefs(c)); diff != "" {
		t.Errorf("case 9 (-want +got):\n%s", diff)
	}
}

var _ sync.Locker = &sync.Mutex{}
