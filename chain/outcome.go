package chain

import (
	"strconv"
	"syscall"

	"github.com/uringkit/uring/future"
	"github.com/uringkit/uring/ring"
)

// Outcome says what happened to one step of a submitted chain.
type Outcome uint8

// The outcomes of a step.
const (
	// Pending: the step's result has not been collected yet.
	Pending Outcome = iota
	// Completed: the step ran and succeeded (a transfer moved everything it
	// asked for).
	Completed
	// Short: a read, write, splice or MSG_WAITALL send/recv moved fewer
	// bytes than asked. The kernel counts that as a failure: a soft link
	// after the step breaks, later steps are Cancelled.
	Short
	// Failed: the step ran (or was rejected at submission) and failed with
	// an errno.
	Failed
	// TimedOut: the step's linked timeout fired and the kernel cancelled
	// it; its error satisfies errors.Is(err, os.ErrDeadlineExceeded).
	TimedOut
	// Cancelled: the step did not run because an earlier step broke the
	// chain (Result.By says which), or it was cancelled from outside
	// (context, Loop closed; By is -1).
	Cancelled
)

var outcomeNames = [...]string{"pending", "completed", "short", "failed", "timed out", "cancelled"}

// String returns the outcome's name, e.g. "cancelled".
func (o Outcome) String() string {
	if int(o) < len(outcomeNames) {
		return outcomeNames[o]
	}
	return "outcome(" + strconv.Itoa(int(o)) + ")"
}

// breaks reports whether the outcome, on a step soft-linked to the next,
// makes the kernel cancel the rest of the chain.
func (o Outcome) breaks() bool { return o == Short || o == Failed || o == TimedOut }

// Result is one step's outcome.
type Result struct {
	Outcome Outcome
	Res     int32 // the CQE's res (for a skipped success: the result of a complete operation)
	Err     error // nil for Completed and Short
	By      int   // Cancelled: the step that broke the chain, -1 if none did
}

// ShortError describes a step that moved fewer bytes than it asked for. The
// chain's Wait returns it when a short transfer broke the chain.
type ShortError struct {
	Step      int
	Op        ring.Op
	Got, Want int64
}

// Error says which step came up short and by how much.
func (e *ShortError) Error() string {
	return "chain: step " + strconv.Itoa(e.Step) + " (" + e.Op.String() + ") came up short: " +
		strconv.FormatInt(e.Got, 10) + " of " + strconv.FormatInt(e.Want, 10) + " bytes"
}

// CancelledError is the error of a step the kernel cancelled because an
// earlier step broke the chain. errors.Is(err, syscall.ECANCELED) holds.
type CancelledError struct {
	Step  int     // the cancelled step
	Op    ring.Op // its opcode
	By    int     // the step that broke the chain, -1 if unknown
	ByOp  ring.Op // that step's opcode
	Cause error   // that step's error (a *ShortError for a short transfer)
}

// Error names the cancelled step and the step that broke the chain.
func (e *CancelledError) Error() string {
	s := "chain: step " + strconv.Itoa(e.Step) + " (" + e.Op.String() + ") cancelled"
	if e.By < 0 {
		return s
	}
	return s + " because step " + strconv.Itoa(e.By) + " (" + e.ByOp.String() + ") broke the chain: " + e.Cause.Error()
}

// Unwrap returns the kernel's error for the step, ECANCELED.
func (e *CancelledError) Unwrap() error { return &future.Error{Op: e.Op, Errno: syscall.ECANCELED} }

// classify computes the Result of the step at element index i from the
// collected CQEs of it, its linked timeout and the steps before it. The
// rules follow kernel-interface.md 7: ECANCELED on a step means "not run
// because of an earlier member" unless its own linked timeout fired (its
// timeout's CQE is -ETIME); a soft-linked step that failed, came up short or
// timed out is what broke the chain; a failure at submission (an invalid
// SQE) cancels every other step, earlier ones included.
func (c *Chain) classify(i int) Result { return c.classifyBy(i, true) }

// outcome is classify without looking for the step that broke the chain.
func (c *Chain) outcome(i int) Outcome { return c.classifyBy(i, false).Outcome }

func (c *Chain) classifyBy(i int, findBy bool) Result {
	e := &c.elems[i]
	if !e.done {
		return Result{Outcome: Pending, By: -1}
	}
	if e.werr != nil {
		return Result{Outcome: Cancelled, Res: -int32(syscall.ECANCELED), Err: e.werr, By: -1}
	}
	res := e.cqe.Res
	switch {
	case res >= 0 || (e.synth && res == 0):
		if e.synth && e.expect >= 0 {
			res = int32(e.expect)
		}
		if !e.synth && e.expect >= 0 && int64(res) != e.expect {
			return Result{Outcome: Short, Res: res, By: -1}
		}
		return Result{Outcome: Completed, Res: res, By: -1}
	case res == -int32(syscall.ETIME) && e.sqe.Opcode == ring.OpTimeout && e.sqe.OpFlags&ring.TimeoutETimeSuccess != 0:
		// IORING_TIMEOUT_ETIME_SUCCESS: the expiry is not a failure.
		return Result{Outcome: Completed, Res: res, By: -1}
	case (res == -int32(syscall.ECANCELED) || res == -int32(syscall.EINTR)) && e.lt >= 0 &&
		c.elems[e.lt].done && c.elems[e.lt].werr == nil && c.elems[e.lt].cqe.Res == -int32(syscall.ETIME):
		return Result{Outcome: TimedOut, Res: res, Err: &future.Error{Op: e.sqe.Opcode, Errno: future.Errno(res), Deadline: true}, By: -1}
	case res == -int32(syscall.ECANCELED):
		by := -1
		if findBy {
			by = c.breaker(i)
		}
		ce := &CancelledError{Step: e.step, Op: e.sqe.Opcode, By: -1}
		if by >= 0 {
			bi := c.stepElem(by)
			ce.By, ce.ByOp, ce.Cause = by, c.elems[bi].sqe.Opcode, c.stepErr(bi)
		}
		return Result{Outcome: Cancelled, Res: res, Err: ce, By: ce.By}
	}
	return Result{Outcome: Failed, Res: res, Err: future.NewError(e.sqe.Opcode, res), By: -1}
}

// breaker returns the step that made the kernel cancel element i: the
// nearest earlier step that failed, came up short or timed out (the steps
// between it and i were cancelled too), else a later step that failed,
// which happens only when a member is rejected at submission: the kernel
// then fails the whole chain, earlier members included; -1 if none is known
// (an outside cancel, or a failure whose later CQEs the kernel suppressed).
func (c *Chain) breaker(i int) int {
	for k := i - 1; k >= 0; k-- {
		e := &c.elems[k]
		if e.isTimeout || e.internal || !e.done {
			continue
		}
		if c.outcome(k).breaks() {
			return e.step
		}
	}
	for k := i + 1; k < len(c.elems); k++ {
		e := &c.elems[k]
		if !e.isTimeout && !e.internal && e.done && e.werr == nil && c.outcome(k) == Failed {
			return e.step
		}
	}
	return -1
}

// stepElem returns the element index of step s.
func (c *Chain) stepElem(s int) int {
	for i := range c.elems {
		if !c.elems[i].isTimeout && c.elems[i].step == s {
			return i
		}
	}
	return -1
}

// stepErr is the error that describes how the step at element i broke the
// chain.
func (c *Chain) stepErr(i int) error {
	r := c.classify(i)
	if r.Outcome == Short {
		e := &c.elems[i]
		return &ShortError{Step: e.step, Op: e.sqe.Opcode, Got: int64(r.Res), Want: e.expect}
	}
	return r.Err
}
