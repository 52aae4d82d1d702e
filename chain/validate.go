package chain

import (
	"errors"
	"strconv"

	"github.com/uringkit/uring/ring"
)

// Errors a chain's validation returns, wrapped in a *BuildError that names
// the element. They are found before any SQE is written.
var (
	// ErrEmpty: the chain has no steps.
	ErrEmpty = errors.New("chain: no steps")
	// ErrTooLong: the chain has more SQEs than the Loop can submit as one
	// group (its submission queue, minus the Loop's reserve). A chain is
	// never split: the kernel ends a link at the end of a submission.
	ErrTooLong = errors.New("chain: more SQEs than the submission queue holds")
	// ErrTimeoutPlacement: a linked timeout that does not come right after a
	// step (first in the chain, or after another linked timeout). The kernel
	// applies a LINK_TIMEOUT to the SQE just before it.
	ErrTimeoutPlacement = errors.New("chain: linked timeout not right after a step")
	// ErrDrainSkipSuccess: IOSQE_IO_DRAIN and IOSQE_CQE_SKIP_SUCCESS in one
	// chain. Once a ring has seen SKIP_SUCCESS the kernel fails drained
	// requests with EOPNOTSUPP (docs/semantics.md, rule 5).
	ErrDrainSkipSuccess = errors.New("chain: IOSQE_IO_DRAIN mixed with IOSQE_CQE_SKIP_SUCCESS")
	// ErrSkipSuccessHardlink: IOSQE_CQE_SKIP_SUCCESS on a hard-linked step
	// (a skip-success last step is linked to the NOP the chain appends).
	// If such a step fails at submission the kernel cancels the rest without
	// posting their CQEs, and if it fails while running it does not, so the
	// CQEs that will arrive cannot be known (ring.ErrSkipSuccessHardlink).
	ErrSkipSuccessHardlink = errors.New("chain: IOSQE_CQE_SKIP_SUCCESS on a hard-linked step")
	// ErrMultishot: a multishot operation cannot be a chain step; its
	// CQEs have no end a link could wait for.
	ErrMultishot = errors.New("chain: multishot operation in a chain")
	// ErrSubmitted: the chain was changed or submitted after Submit.
	ErrSubmitted = errors.New("chain: already submitted")
	// ErrNotSubmitted: a step or the chain was awaited before Submit.
	// errors.Is matches it with ring.ErrNotSubmitted too.
	ErrNotSubmitted error = notSubmitted{}
)

// notSubmitted is ErrNotSubmitted: its own message, matching
// ring.ErrNotSubmitted too.
type notSubmitted struct{}

func (notSubmitted) Error() string        { return "chain: not submitted" }
func (notSubmitted) Is(target error) bool { return target == ring.ErrNotSubmitted }

// BuildError is a chain that fails validation: which SQE (element index, in
// submission order), which step, its opcode, and the rule it breaks (one of
// the Err* sentinels, or the operation's own build error). A rule about the
// whole chain rather than one element (ErrEmpty, a second Submit's
// ErrSubmitted, a Wait before Submit) has Elem and Step -1.
type BuildError struct {
	Elem int     // SQE index in the chain, -1 for the whole chain
	Step int     // step number, -1 for a misplaced linked timeout or the whole chain
	Op   ring.Op // opcode of the element (zero for the whole chain)
	Err  error   // the rule broken
}

// chainError is a BuildError about the whole chain.
func chainError(err error) *BuildError { return &BuildError{Elem: -1, Step: -1, Err: err} }

// Error names the rule and where in the chain it is broken.
func (e *BuildError) Error() string {
	if e.Elem < 0 {
		return e.Err.Error()
	}
	s := e.Err.Error() + " (SQE " + strconv.Itoa(e.Elem)
	if e.Step >= 0 {
		s += ", step " + strconv.Itoa(e.Step)
	}
	return s + ", " + e.Op.String() + ")"
}

// Unwrap returns the rule broken.
func (e *BuildError) Unwrap() error { return e.Err }

// fail records the first building error.
func (c *Chain) fail(elem int, op ring.Op, err error, _ string) {
	if c.err == nil {
		step := -1
		if elem < len(c.elems) && !c.elems[elem].isTimeout {
			step = c.elems[elem].step
		} else if elem == len(c.elems) && op != ring.OpLinkTimeout {
			step = c.steps
		}
		c.err = &BuildError{Elem: elem, Step: step, Op: op, Err: err}
	}
}

// Validate checks the chain against every building rule, for a Loop that
// submits at most maxSQEs SQEs as one group (ring.Loop's MaxGroup), and
// returns the first broken rule as a *BuildError, or nil. Submit calls it;
// it writes no SQE.
func (c *Chain) Validate(maxSQEs int) error {
	if c == nil {
		return ErrNilChain
	}
	if c.err != nil {
		return c.err
	}
	if c.steps == 0 {
		return chainError(ErrEmpty)
	}
	if c.sqeCount() > maxSQEs {
		last := len(c.elems) - 1
		return &BuildError{Elem: last, Step: c.elems[last].step, Op: c.opAt(last), Err: ErrTooLong}
	}
	drain, skip := -1, -1
	for i := range c.elems {
		e := &c.elems[i]
		if e.skip && e.hard {
			return &BuildError{Elem: i, Step: e.step, Op: c.opAt(i), Err: ErrSkipSuccessHardlink}
		}
		if e.drain && drain < 0 {
			drain = i
		}
		if e.skip && skip < 0 {
			skip = i
		}
	}
	if drain >= 0 && skip >= 0 {
		i := max(drain, skip)
		return &BuildError{Elem: i, Step: c.elems[i].step, Op: c.opAt(i), Err: ErrDrainSkipSuccess}
	}
	return nil
}

// opAt returns the opcode of element i.
func (c *Chain) opAt(i int) ring.Op {
	if c.elems[i].isTimeout {
		return ring.OpLinkTimeout
	}
	return c.elems[i].sqe.Opcode
}

// needsTrailer reports whether the chain ends in a skip-success step. On
// success the kernel posts no CQE for it, so nothing would say it finished;
// the chain then appends a NOP whose CQE does (ring.ErrSkipSuccessLast).
func (c *Chain) needsTrailer() bool {
	if c.finalized || len(c.elems) == 0 {
		return false
	}
	last := len(c.elems) - 1
	if c.elems[last].isTimeout {
		last--
	}
	return last >= 0 && c.elems[last].skip
}

// sqeCount is the number of SQEs the chain submits, the trailing NOP included.
func (c *Chain) sqeCount() int {
	if c.needsTrailer() {
		return len(c.elems) + 1
	}
	return len(c.elems)
}

// finalize appends the trailing NOP a skip-success last step needs.
func (c *Chain) finalize() {
	if c.needsTrailer() {
		var s ring.SQE
		s.PrepNop()
		c.elems = append(c.elems, elem{sqe: s, internal: true, step: -1, lt: -1, expect: -1})
	}
	c.finalized = true
}

// ErrNilChain is the error of a nil *Chain: Add to one returns a Step
// whose Await and Result give it, as do Submit, Validate and Wait on it.
// (A step or chain awaited before Submit gives a *BuildError wrapping
// ErrNotSubmitted.)
var ErrNilChain = errors.New("chain: nil Chain")
