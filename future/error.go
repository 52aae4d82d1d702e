package future

import (
	"errors"
	"os"
	"syscall"

	"github.com/uringkit/uring/ring"
)

// Error is a failed operation: the opcode it ran and the errno of its CQE
// (res < 0). errors.Is(err, syscall.ECONNRESET) and the like work through
// Unwrap. An operation cut off by its deadline (a linked timeout that fired,
// res -ETIME on the timeout's CQE) also satisfies
// errors.Is(err, os.ErrDeadlineExceeded).
type Error struct {
	Op       ring.Op       // the opcode, e.g. ring.OpRead
	Errno    syscall.Errno // -res of the CQE, with kernel-internal values mapped
	Deadline bool          // cancelled because its linked timeout fired
}

// Error reads "io_uring OPCODE: errno text".
func (e *Error) Error() string {
	if e.Deadline {
		return "io_uring " + e.Op.String() + ": deadline exceeded (" + e.Errno.Error() + ")"
	}
	return "io_uring " + e.Op.String() + ": " + e.Errno.Error()
}

// Unwrap returns the errno.
func (e *Error) Unwrap() error { return e.Errno }

// Is matches os.ErrDeadlineExceeded when the deadline cut the operation off.
func (e *Error) Is(target error) bool {
	return e.Deadline && target == os.ErrDeadlineExceeded
}

// Timeout reports whether the operation ended because a timer fired, the
// net.Error convention.
func (e *Error) Timeout() bool {
	return e.Deadline || e.Errno == syscall.ETIME || e.Errno == syscall.ETIMEDOUT
}

// errERESTARTSYS is the kernel-internal -512 that a cancelled io-wq request
// can leak (kernel-interface.md 7.2 case 17); its public meaning is EINTR.
const errERESTARTSYS = 512

// Errno maps a negative CQE res to the errno it stands for, translating
// kernel-internal values (ERESTARTSYS and its kin, 512-516) to EINTR.
func Errno(res int32) syscall.Errno {
	e := syscall.Errno(-res)
	if e >= errERESTARTSYS && e <= errERESTARTSYS+4 {
		return syscall.EINTR
	}
	return e
}

// NewError returns the error of a CQE whose res is negative, naming op.
func NewError(op ring.Op, res int32) error {
	return &Error{Op: op, Errno: Errno(res)}
}

// ErrNoBuffer means a buffer-select operation completed without a buffer
// (no IORING_CQE_F_BUFFER in its CQE flags) although it transferred data.
var ErrNoBuffer = errors.New("io_uring: completion carries no provided buffer")

// ErrConcurrentAwait is returned by a Future's Await while another
// goroutine is in Await of the same Future (Await it from one goroutine at
// a time; Race of one Future twice, or of two Maps of one, does that). The
// Await already running is not disturbed, and an Await after it has
// returned gets its cached result.
var ErrConcurrentAwait = errors.New("future: Await of a Future that another goroutine is awaiting")

// ErrNilFuture is returned by Await (and so by All, Race, First, Join2,
// Join3, Map and Then) for a nil *Future, or a zero Future that no Submit
// made.
var ErrNilFuture = errors.New("future: nil or zero Future")

// ErrNilLoop is returned when an operation is submitted to a nil Loop.
var ErrNilLoop = errors.New("future: nil Loop")

// ErrZeroOp is the error of the zero Op, which no constructor made (it
// has no opcode of its own and no way to decode a CQE): Err returns it,
// and submitting the Op (Await, Submit, Stream, package chain) fails with
// it without submitting anything.
var ErrZeroOp = errors.New("future: zero Op")

// ErrSeveralRings was returned by NewBufferRing for a Loop made
// WithRings(n > 1), before such a Loop kept buffer groups on one of its
// rings (ring.Loop.DoBufferGroup). Nothing returns it any more.
//
// Deprecated: NewBufferRing works on a Loop with any number of rings.
var ErrSeveralRings = errors.New("future: provided-buffer rings need a Loop with one ring (WithRings(1))")
