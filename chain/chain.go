package chain

import (
	"sync"

	"github.com/uringkit/uring/future"
	"github.com/uringkit/uring/ring"
	"github.com/uringkit/uring/timeout"
)

// Chain is one io_uring link sequence under construction or in flight: its
// steps (operations) and linked timeouts, in SQE order. Build it with Add and
// LinkTimeout, then Submit it to a Loop as one contiguous group. A Chain is
// used once; it is not safe to build from several goroutines, but once
// submitted its steps may be awaited from any goroutine, each Await
// honouring its own context (Step.Await).
type Chain struct {
	elems  []elem
	inline [4]elem // storage for short chains: one allocation per chain
	steps  int
	err    error // first building error, returned by Validate and Submit

	// mu guards the chain's state after Submit. It is not held while a
	// goroutine waits in the kernel for an element (collect): an Await of
	// one step used to wait for the lock, and so ignore its context, for
	// as long as another goroutine waited for another step
	// (TestStepAwaitHonoursOwnContext).
	mu         sync.Mutex
	finalized  bool // the trailing NOP (if any) has been added
	submitted  bool
	submitting bool // a Submit is in Loop.Submit, without mu (waitSubmit)
	waited     int  // elements whose terminal CQE has been collected
	// changed, if not nil, is closed (and cleared) when an element's
	// wait or a submission ends (wake): goroutines that need an element
	// another goroutine waits for, or a chain on its way, wait on it, or
	// on their context (sleep). Made only when one does.
	changed   chan struct{}
	reqs      []*ring.Request
	reqInline [4]*ring.Request
}

// elem is one SQE of the chain: a step or a linked timeout.
type elem struct {
	sqe       ring.SQE
	keep      any
	isTimeout bool          // a LINK_TIMEOUT guarding the step before it
	spec      timeout.Spec  // the linked timeout's spec
	ts        ring.Timespec // the timespec a linked timeout's SQE points at; lives in the chain
	step      int           // step number (for a linked timeout: the step it guards)
	lt        int           // element index of this step's linked timeout, or -1
	hard      bool          // IOSQE_IO_HARDLINK to the next element
	drain     bool          // IOSQE_IO_DRAIN
	skip      bool          // IOSQE_CQE_SKIP_SUCCESS
	expect    int64         // result of a complete transfer, -1 if none
	okErrno   int32         // -errno the op counts as success (timeout's -ETIME), 0 if none
	multishot bool
	internal  bool // a NOP the chain adds after a skip-success last step

	// After submission.
	req     *ring.Request
	cqe     ring.CQE
	synth   bool  // the Loop resolved the element without a CQE (skip-success)
	werr    error // the wait ended without a CQE value (context, closed loop)
	done    bool
	waiting bool // a goroutine waits for the element's CQE (collect), without mu
}

// New returns an empty chain.
func New() *Chain {
	c := &Chain{}
	c.elems = c.inline[:0]
	return c
}

// Step is the typed handle of one step: its result can be awaited on its own
// with Await, and its flags set with HardLink, Drain and SkipSuccess. It is a
// small value; copies refer to the same step.
type Step[T any] struct {
	c  *Chain
	i  int // element index
	op future.Op[T]
}

// Add appends op as the next step of c and returns its handle. A step is
// soft-linked (IOSQE_IO_LINK) to the step after it unless HardLink is set;
// the last step is linked to nothing. An op with an error (Op.Err: a bad
// argument, the zero Op's future.ErrZeroOp) is a build error Submit
// returns; Add to a nil Chain returns a Step whose Await gives
// ErrNilChain.
func Add[T any](c *Chain, op future.Op[T]) Step[T] {
	if c == nil {
		return Step[T]{i: -1, op: op} // its Await and Result give ErrNilChain
	}
	op = op.Fresh() // result memory of the step's own, should op be added twice
	i := len(c.elems)
	if c.submitted {
		c.fail(i, op.Opcode(), ErrSubmitted, "")
		return Step[T]{c: c, i: -1, op: op}
	}
	sqe := op.SQE()
	exp, _ := op.Expect()
	c.elems = append(c.elems, elem{sqe: sqe, keep: op.Keep(), step: c.steps, lt: -1, expect: exp, multishot: op.Multishot(),
		skip: sqe.Flags&ring.SQECQESkipSuccess != 0, okErrno: -int32(op.OKErrno())})
	c.elems[i].sqe.Flags &^= ring.SQECQESkipSuccess
	if err := op.Err(); err != nil {
		c.fail(i, op.Opcode(), err, "")
	}
	if op.Multishot() {
		c.fail(i, op.Opcode(), ErrMultishot, "")
	}
	c.steps++
	return Step[T]{c: c, i: i, op: op}
}

// LinkTimeout guards the step added just before it with a linked timeout
// (IORING_OP_LINK_TIMEOUT, 5.5): if the step has not completed when the
// timer fires, the kernel cancels it, its Await reports an error for which
// errors.Is(err, os.ErrDeadlineExceeded) holds, and a soft link breaks.
// The timeout must come right after a step; anywhere else Submit fails with
// ErrTimeoutPlacement. On 6.18 a linked timeout does not fire while its step
// is blocked inside an io-wq worker (FIFO open, splice from a pipe);
// cancel through the context instead.
func (c *Chain) LinkTimeout(s timeout.Spec) *Chain {
	if c == nil {
		return nil
	}
	i := len(c.elems)
	if c.submitted {
		c.fail(i, ring.OpLinkTimeout, ErrSubmitted, "")
		return c
	}
	if i == 0 || c.elems[i-1].isTimeout {
		c.fail(i, ring.OpLinkTimeout, ErrTimeoutPlacement, "")
		c.elems = append(c.elems, elem{isTimeout: true, spec: s, step: -1, lt: -1, expect: -1})
		return c
	}
	c.elems = append(c.elems, elem{isTimeout: true, spec: s, step: c.elems[i-1].step, lt: -1, expect: -1})
	c.elems[i-1].lt = i
	return c
}

// Len returns the number of SQEs the chain submits (steps and linked
// timeouts); 0 for a nil Chain.
func (c *Chain) Len() int {
	if c == nil {
		return 0
	}
	return c.sqeCount()
}

// Steps returns the number of steps; 0 for a nil Chain.
func (c *Chain) Steps() int {
	if c == nil {
		return 0
	}
	return c.steps
}

// HardLink makes the link from this step to the next a hard link
// (IOSQE_IO_HARDLINK, 5.5): the next step runs even if this one fails at
// run time. A failure while the chain is being submitted (an invalid SQE)
// still cancels every step.
func (s Step[T]) HardLink() Step[T] {
	if s.ok() {
		s.c.elems[s.i].hard = true
	}
	return s
}

// Drain makes the chain wait until every operation submitted before it has
// completed, and later operations wait for the chain (IOSQE_IO_DRAIN). The
// kernel applies it to the whole chain, so the chain sets it on its first
// SQE whichever step asks (on a later SQE the kernel would also push the
// chain into io-wq). It cannot be mixed with SkipSuccess: once a ring has seen
// IOSQE_CQE_SKIP_SUCCESS it fails drained requests with EOPNOTSUPP.
func (s Step[T]) Drain() Step[T] {
	if s.ok() {
		s.c.elems[s.i].drain = true
	}
	return s
}

// SkipSuccess asks the kernel not to post a CQE when the step succeeds
// (IOSQE_CQE_SKIP_SUCCESS, 5.17), saving CQ space. The step's value is then
// what a complete operation returns (the requested length for a transfer,
// zero otherwise). A failing step still posts its CQE; if its link to the
// next step is soft, the kernel then posts no CQE for any later step.
func (s Step[T]) SkipSuccess() Step[T] {
	if s.ok() {
		s.c.elems[s.i].skip = true
	}
	return s
}

// Index returns the step's number in its chain (0 for the first step), or
// -1 for a Step that is not in one.
func (s Step[T]) Index() int {
	if s.i < 0 || s.c == nil {
		return -1
	}
	return s.c.elems[s.i].step
}

func (s Step[T]) ok() bool { return s.i >= 0 && s.c != nil && !s.c.submitted }
