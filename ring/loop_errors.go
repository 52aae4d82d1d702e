package ring

import (
	"errors"
	"os"
)

// Errors of the Loop's own conditions, matched with errors.Is.
var (
	// ErrGroupTooLong: Submit was given a group with more requests than
	// MaxGroup. The kernel ends a link chain at the end of a submission, so
	// a group that does not fit the SQ at once is refused, never split.
	ErrGroupTooLong = errors.New("uring loop: group longer than the submission queue allows")

	// ErrDanglingLink: the last request of a group carries IOSQE_IO_LINK or
	// IOSQE_IO_HARDLINK. The Loop batches groups from many goroutines into
	// one submission, so the link would reach into another caller's SQE.
	ErrDanglingLink = errors.New("uring loop: last request of a group has a link flag")

	// ErrSkipSuccessLast: a request with IOSQE_CQE_SKIP_SUCCESS is the last
	// of its link chain (or alone) and is not a LINK_TIMEOUT. On success the
	// kernel posts no CQE for it, so nothing would ever say it finished.
	ErrSkipSuccessLast = errors.New("uring loop: CQE_SKIP_SUCCESS on the last request of a chain")

	// ErrSkipSuccessHardlink: a request carries both IOSQE_CQE_SKIP_SUCCESS
	// and IOSQE_IO_HARDLINK. If it fails at submission the kernel cancels
	// the rest of the chain without posting their CQEs, and if it fails
	// while running it does not: the Loop could not tell which requests
	// will still complete.
	ErrSkipSuccessHardlink = errors.New("uring loop: CQE_SKIP_SUCCESS combined with IO_HARDLINK")

	// ErrRequestBusy: Submit was given a Request that is still in flight.
	ErrRequestBusy = errors.New("uring loop: request is still in flight")

	// ErrNotSubmitted: Wait or Next on a Request that was never submitted.
	ErrNotSubmitted = errors.New("uring loop: request was not submitted")

	// ErrCQEsDropped: the kernel reported lost CQEs (io_uring_enter EBADR,
	// 5.19+: it could not allocate memory for overflowed CQEs). Every
	// request in flight at that moment is resolved with this error, since
	// its CQE may be among the lost ones.
	ErrCQEsDropped = errors.New("uring loop: kernel dropped completions (EBADR)")
)

// deadlineError is the error Wait returns when its context's deadline
// passed: it matches both context.DeadlineExceeded (through Unwrap) and
// os.ErrDeadlineExceeded, the error os and net give for an expired I/O
// deadline.
type deadlineError struct{ cause error }

func (e *deadlineError) Error() string        { return e.cause.Error() }
func (e *deadlineError) Unwrap() error        { return e.cause }
func (e *deadlineError) Is(target error) bool { return target == os.ErrDeadlineExceeded }
func (e *deadlineError) Timeout() bool        { return true }
func (e *deadlineError) Temporary() bool      { return true }
