// Package fuzz holds the native Go fuzz targets of chain building and the
// reference model they are checked against: a model of io_uring link
// semantics written from the kernel's documented and observed behaviour
// (../shared/reference/kernel-interface.md section 7), independent of
// package chain's own classification.
//
// Run every target for a while with ./run.sh DURATION (default 10m total).
package fuzz

import (
	"syscall"

	"github.com/uringkit/uring/chain"
)

// Kind is what a fuzzed chain step does.
type Kind uint8

// The step kinds the fuzzer draws from.
const (
	// OK is a NOP: completes with res 0.
	OK Kind = iota
	// BadFD is a READ on a descriptor that is not open: -EBADF at run time
	// (the file is looked up when the request is issued, not at submission).
	BadFD
	// Short is a READ of ShortWant bytes from a file of ShortGot bytes: res
	// ShortGot, which the kernel counts as a failure of a soft link.
	Short
	// Block is a READ from an empty pipe. It never completes by itself, so
	// it is always guarded by a linked timeout of BlockTimeout that fires.
	Block
	// Expire is a TIMEOUT of ExpireAfter: res -ETIME, a failure unless the
	// step asks for IORING_TIMEOUT_ETIME_SUCCESS.
	Expire
	// Invalid is a NOP with an unknown nop_flags bit: -EINVAL at submission,
	// which fails the whole chain, hard links included.
	Invalid
	numKinds
)

var kindNames = [...]string{"OK", "BADFD", "SHORT", "BLOCK", "EXPIRE", "INVALID"}

// String names the kind, e.g. "SHORT".
func (k Kind) String() string { return kindNames[k] }

// Sizes the kinds use.
const (
	ShortGot  = 10
	ShortWant = 100
)

// Step is one fuzzed chain step and its flags.
type Step struct {
	Kind         Kind
	Hard         bool // IOSQE_IO_HARDLINK to the next step
	Drain        bool // IOSQE_IO_DRAIN
	Skip         bool // IOSQE_CQE_SKIP_SUCCESS
	ETimeSuccess bool // IORING_TIMEOUT_ETIME_SUCCESS (Expire only)
	Timeout      bool // a linked timeout after the step (always for Block)
}

// MaxSteps bounds a decoded chain.
const MaxSteps = 8

// Decode turns fuzzer bytes into a chain: two bytes per step, the first
// choosing the kind, the second the flags (bit 0 hard link, 1 drain, 2 skip
// success, 3 linked timeout, 4 ETIME_SUCCESS). A Block step always gets a
// linked timeout, so every chain ends by itself. At most one step is
// Invalid (later ones become OK): with two SQEs that fail at submission and
// skip-success, which CQEs the kernel posts cannot be told from the ones it
// posts for run-time failures (fuzzing found INVALID|HARDLINK →
// INVALID|SKIP → INVALID), so the Loop cannot resolve every request; such a
// chain is a programming error anyway.
func Decode(data []byte) []Step {
	var steps []Step
	invalid := false
	for len(data) >= 2 && len(steps) < MaxSteps {
		k, f := Kind(data[0]%byte(numKinds)), data[1]
		data = data[2:]
		if k == Invalid {
			if invalid {
				k = OK
			}
			invalid = true
		}
		s := Step{Kind: k, Hard: f&1 != 0, Drain: f&2 != 0, Skip: f&4 != 0, Timeout: f&8 != 0 || k == Block,
			ETimeSuccess: f&16 != 0 && k == Expire}
		steps = append(steps, s)
	}
	return steps
}

// Encode is the inverse of Decode, for writing seed inputs.
func Encode(steps []Step) []byte {
	var b []byte
	for _, s := range steps {
		var f byte
		for i, on := range []bool{s.Hard, s.Drain, s.Skip, s.Timeout, s.ETimeSuccess} {
			if on {
				f |= 1 << i
			}
		}
		b = append(b, byte(s.Kind), f)
	}
	return b
}

// CQE is what the model predicts for one SQE of the chain (steps and
// linked timeouts, in submission order): its res, and whether the kernel
// posts a CQE for it at all (CQE_SKIP_SUCCESS and its link rules).
type CQE struct {
	Res    int32
	Posted bool
}

// Want is the outcome the model predicts for one step, as package chain
// must report it.
type Want struct {
	Outcome chain.Outcome
	Res     int32
	By      int
}

// Prediction is the model's answer for one chain.
type Prediction struct {
	Invalid error  // the building rule the chain breaks (nil if valid); then nothing is submitted
	Trailer bool   // the chain appends a NOP because its last step skips success
	CQEs    []CQE  // per SQE, in submission order (the trailing NOP included)
	Steps   []Want // per step
}

func neg(e syscall.Errno) int32 { return -int32(e) }

// Predict applies the link rules to steps. The rules, from the kernel
// (io_uring.c: io_fail_links, io_disarm_next, io_submit_fail_init,
// req_set_fail) and kernel-interface.md 7:
//
//  1. A chain with drain and skip-success, or skip-success on a hard-linked
//     step, is refused before submission.
//  2. A member that fails at submission (Invalid) fails the whole chain:
//     it keeps its errno, every other member gets -ECANCELED, hard links
//     included. The head's CQE is posted; if the head carried
//     CQE_SKIP_SUCCESS, no other member's CQE is.
//  3. Members run in order. A run-time failure, a short transfer, an
//     expired TIMEOUT without ETIME_SUCCESS and a member cancelled by its
//     own linked timeout (-ECANCELED) are failures: they always post their
//     CQE (a failure clears CQE_SKIP_SUCCESS). Successes post unless they
//     carry CQE_SKIP_SUCCESS.
//  4. After a failure on a member without HARDLINK every later member,
//     hard-linked or not, completes with -ECANCELED; their CQEs are posted
//     unless the failing member carried CQE_SKIP_SUCCESS, in which case
//     none is.
//  5. A linked timeout whose member ran completes with -ETIME if it fired
//     (Block) and -ECANCELED if the member finished first, and always
//     posts; if its member was cancelled by an earlier failure it is a
//     cancelled member like the others (rule 4).
func Predict(steps []Step) Prediction {
	var p Prediction
	drain, skip, skipHard := false, false, false
	for _, s := range steps {
		drain = drain || s.Drain
		skip = skip || s.Skip
		skipHard = skipHard || (s.Skip && s.Hard)
	}
	switch {
	case len(steps) == 0:
		p.Invalid = chain.ErrEmpty
		return p
	case skipHard:
		p.Invalid = chain.ErrSkipSuccessHardlink
		return p
	case drain && skip:
		p.Invalid = chain.ErrDrainSkipSuccess
		return p
	}
	invalid := -1
	for i, s := range steps {
		if s.Kind == Invalid && invalid < 0 {
			invalid = i
		}
	}
	// A skip-success last step gets a trailing NOP, so that its success
	// posts a CQE; the NOP is one more (soft-linked, never skipping) member.
	p.Trailer = steps[len(steps)-1].Skip
	all := steps
	if p.Trailer {
		all = append(append([]Step(nil), steps...), Step{Kind: OK})
	}
	p.Steps = make([]Want, len(all))
	if invalid >= 0 {
		predictSubmitFailure(&p, all, invalid)
	} else {
		predictRun(&p, all)
	}
	p.Steps = p.Steps[:len(steps)]
	return p
}

// predictSubmitFailure is rule 2.
func predictSubmitFailure(p *Prediction, steps []Step, first int) {
	headSkip := steps[0].Skip
	lastInvalid := -1
	for i, s := range steps {
		posted := i == 0 || !headSkip
		if s.Kind == Invalid {
			lastInvalid = i
			p.CQEs = append(p.CQEs, CQE{neg(syscall.EINVAL), posted})
			if posted {
				p.Steps[i] = Want{chain.Failed, neg(syscall.EINVAL), -1}
			} else {
				p.Steps[i] = Want{chain.Cancelled, neg(syscall.ECANCELED), -1}
			}
		} else {
			p.CQEs = append(p.CQEs, CQE{neg(syscall.ECANCELED), posted})
			by := first
			if lastInvalid >= 0 {
				by = lastInvalid
			}
			if !posted {
				by = -1
			}
			p.Steps[i] = Want{chain.Cancelled, neg(syscall.ECANCELED), by}
		}
		if s.Timeout {
			// The head's linked timeout is disarmed (posted); the others are
			// failed link members.
			p.CQEs = append(p.CQEs, CQE{neg(syscall.ECANCELED), i == 0 || !headSkip})
		}
	}
	if headSkip {
		// Only the head's CQE tells anything; the Loop resolves the rest
		// as cancelled with no known cause.
		by := -1
		if steps[0].Kind == Invalid {
			by = 0
		} else {
			p.Steps[0].By = -1
		}
		for i := 1; i < len(steps); i++ {
			p.Steps[i] = Want{chain.Cancelled, neg(syscall.ECANCELED), by}
		}
	}
}

// predictRun is rules 3 to 5.
func predictRun(p *Prediction, steps []Step) {
	breaker, breakerSkip := -1, false
	for i, s := range steps {
		if breaker >= 0 {
			// Unposted ones the Loop resolves as cancelled; the chain still
			// finds the breaker, whose failure CQE is always posted.
			posted := !breakerSkip
			p.CQEs = append(p.CQEs, CQE{neg(syscall.ECANCELED), posted})
			p.Steps[i] = Want{chain.Cancelled, neg(syscall.ECANCELED), breaker}
			if s.Timeout {
				p.CQEs = append(p.CQEs, CQE{neg(syscall.ECANCELED), posted})
			}
			continue
		}
		var w Want
		failed := true
		switch s.Kind {
		case OK:
			w, failed = Want{chain.Completed, 0, -1}, false
		case BadFD:
			w = Want{chain.Failed, neg(syscall.EBADF), -1}
		case Short:
			w = Want{chain.Short, ShortGot, -1}
		case Block:
			w = Want{chain.TimedOut, neg(syscall.ECANCELED), -1}
		case Expire:
			if s.ETimeSuccess {
				w, failed = Want{chain.Completed, neg(syscall.ETIME), -1}, false
			} else {
				w = Want{chain.Failed, neg(syscall.ETIME), -1}
			}
		}
		posted := failed || !s.Skip
		res := w.Res
		if !posted {
			// A skipped success: the Loop resolves it, the chain reports the
			// result of a complete operation.
			res = 0
			w.Res = 0
		}
		p.CQEs = append(p.CQEs, CQE{res, posted})
		p.Steps[i] = w
		if s.Timeout {
			lt := neg(syscall.ECANCELED)
			if s.Kind == Block {
				lt = neg(syscall.ETIME)
			}
			p.CQEs = append(p.CQEs, CQE{lt, true})
		}
		if failed && !s.Hard {
			breaker, breakerSkip = i, s.Skip
		}
	}
}
