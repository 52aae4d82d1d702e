package ring

import (
	"errors"
	"syscall"
)

// Sentinel errors for the library's own conditions. Each is matched with
// errors.Is; the concrete errors carry the details.
var (
	// ErrUnavailable: io_uring cannot be used in this process. The concrete
	// error is an *UnavailableError saying why and what to do.
	ErrUnavailable = errors.New("io_uring unavailable")

	// ErrUnsupportedOS: io_uring needs Linux. Returned by every constructor
	// when the module is built for another operating system.
	ErrUnsupportedOS = errors.New("io_uring needs Linux")

	// ErrNotSupported: the running kernel lacks an opcode, feature or flag.
	// The concrete error is a *NotSupportedError naming it and the kernel
	// that added it.
	ErrNotSupported = errors.New("not supported by this kernel")

	// ErrInvalidSetup: a combination of setup options the kernel rejects.
	// The concrete error is a *SetupError naming the rule.
	ErrInvalidSetup = errors.New("invalid io_uring setup")

	// ErrClosed: the ring was closed.
	ErrClosed = errors.New("io_uring ring closed")

	// ErrPbufRingClosed: PbufRing.Add once the provided-buffer ring's
	// memory is gone: its group was unregistered, or its Ring (or
	// the Loop that drives it) was closed.
	ErrPbufRingClosed = errors.New("io_uring provided buffer ring unregistered or closed")

	// ErrSQFull: no free SQE; submit (and reap) first.
	ErrSQFull = errors.New("io_uring submission queue full")

	// ErrBusy is io_uring_enter's EBUSY: the CQ (or its overflow backlog) is
	// too full for the kernel to accept more submissions. Reap CQEs, then
	// retry. errors.Is(ErrBusy, syscall.EBUSY) holds.
	ErrBusy error = &condError{syscall.EBUSY, "io_uring_enter: completion queue full, reap CQEs and retry"}

	// ErrAgain is io_uring_enter's EAGAIN: the kernel could not allocate
	// resources for a request. Reap CQEs, then retry.
	// errors.Is(ErrAgain, syscall.EAGAIN) holds.
	ErrAgain error = &condError{syscall.EAGAIN, "io_uring_enter: kernel out of request resources, reap CQEs and retry"}
)

// condError is a named enter condition that also matches its errno.
type condError struct {
	errno syscall.Errno
	msg   string
}

// Error returns the condition and what to do about it.
func (e *condError) Error() string { return e.msg }

// Is matches the errno the kernel returned.
func (e *condError) Is(target error) bool { return target == e.errno }

// UnavailableError explains why io_uring_setup failed for the whole process.
type UnavailableError struct {
	Errno  syscall.Errno // ENOSYS, EPERM or ENOMEM
	Reason string        // what the errno means here and what to do
}

// Error says why io_uring is unavailable, what to do, and the errno.
func (e *UnavailableError) Error() string {
	return "io_uring unavailable: " + e.Reason + " (" + e.Errno.Error() + ")"
}

// Is matches ErrUnavailable and the errno.
func (e *UnavailableError) Is(target error) bool {
	return target == ErrUnavailable || target == e.Errno
}

// Unwrap returns the errno.
func (e *UnavailableError) Unwrap() error { return e.Errno }

// unavailable turns a setup errno into an *UnavailableError when the errno
// means io_uring itself is off limits, or returns nil.
func unavailable(errno syscall.Errno) error {
	var why string
	switch errno {
	case syscall.ENOSYS:
		why = "the kernel has no io_uring, or a seccomp filter blocks it (container runtimes' default profiles do): " +
			"allow io_uring_setup, io_uring_enter and io_uring_register in the profile, or run on a kernel built with CONFIG_IO_URING"
	case syscall.EPERM:
		why = "io_uring is disabled by sysctl kernel.io_uring_disabled (2 = for everyone, 1 = for users outside kernel.io_uring_group): " +
			"set it to 0, or add this user to that group"
	case syscall.ENOMEM:
		why = "the ring memory could not be locked; kernels before 5.12 charge it to RLIMIT_MEMLOCK: " +
			"raise the limit (ulimit -l) or use fewer entries"
	default:
		return nil
	}
	return &UnavailableError{Errno: errno, Reason: why}
}

// NotSupportedError says which opcode, feature or flag the running kernel
// lacks and which kernel added it.
type NotSupportedError struct {
	What   string        // e.g. "IORING_OP_PIPE"
	Kernel KernelVersion // first kernel that has it; zero if unknown
}

// Error names what is missing and the kernel that added it.
func (e *NotSupportedError) Error() string {
	if e.Kernel.Major == 0 {
		return e.What + " is not supported by this kernel"
	}
	return e.What + " is not supported by this kernel (added in Linux " + e.Kernel.String() + ")"
}

// Is matches ErrNotSupported.
func (e *NotSupportedError) Is(target error) bool { return target == ErrNotSupported }

// SetupError names a rule of io_uring_setup that the options break.
type SetupError struct {
	Rule string // e.g. "TASKRUN_FLAG needs COOP_TASKRUN or DEFER_TASKRUN"
}

// Error names the broken rule.
func (e *SetupError) Error() string { return "io_uring setup: " + e.Rule }

// Is matches ErrInvalidSetup and syscall.EINVAL, the errno the kernel would
// have returned.
func (e *SetupError) Is(target error) bool {
	return target == ErrInvalidSetup || target == syscall.EINVAL
}

// SyscallError is a failed io_uring syscall: the call's name and its errno.
// errors.Is(err, syscall.EBADF) and the like work through Unwrap.
type SyscallError struct {
	Call string // "io_uring_setup", "io_uring_enter", "io_uring_register(REGISTER_FILES)"
	Err  syscall.Errno
}

// Error names the call and the errno.
func (e *SyscallError) Error() string { return e.Call + ": " + e.Err.Error() }

// Unwrap returns the errno.
func (e *SyscallError) Unwrap() error { return e.Err }

// Timeout reports whether the errno is ETIME or ETIMEDOUT, so SyscallError
// satisfies the net.Error-style timeout convention.
func (e *SyscallError) Timeout() bool { return e.Err == syscall.ETIME || e.Err == syscall.ETIMEDOUT }
