package ring

import (
	"errors"
	"syscall"
)

// ErrInvalidArgument: a method got input it cannot hand to the kernel (nil
// or empty where something is needed, mismatched lengths, a value out of
// range). The concrete error is an *ArgError naming the call; nothing was
// sent to the kernel and the ring is unchanged.
var ErrInvalidArgument = errors.New("invalid argument")

// ArgError is bad input found before the syscall. It matches
// ErrInvalidArgument and syscall.EINVAL, the errno the kernel would have
// returned.
type ArgError struct {
	Call   string // e.g. "io_uring_register(REGISTER_BUFFERS)"
	Reason string // what is wrong with the input
}

// Error returns the call and what is wrong with its input.
func (e *ArgError) Error() string { return e.Call + ": " + e.Reason }

// Is matches ErrInvalidArgument and syscall.EINVAL.
func (e *ArgError) Is(target error) bool {
	return target == ErrInvalidArgument || target == syscall.EINVAL
}

// argError names op's call and the reason its input was refused.
func argError(op RegisterOp, reason string) error {
	return &ArgError{Call: "io_uring_register(" + op.String() + ")", Reason: reason}
}
