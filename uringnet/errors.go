package uringnet

import (
	"context"
	"errors"
	"net"
	"os"
	"syscall"
)

// Errors take net's shape, so code written against net keeps working:
// *net.OpError{Op, Net, Source, Addr, Err} where Err is net.ErrClosed,
// os.ErrDeadlineExceeded, or an *os.SyscallError naming the system call
// net would have made ("read", "write", "connect", "bind", ...) and
// wrapping the errno the kernel put in the CQE.

// errnoError turns a negative CQE result into the *os.SyscallError net
// would return for the same errno from call.
func errnoError(call string, res int32) error {
	return os.NewSyscallError(call, syscall.Errno(-res))
}

// isCancel reports whether a CQE result says the op was cancelled: by
// IORING_OP_ASYNC_CANCEL (ECANCELED) or interrupted while running (EINTR;
// the kernel maps ERESTARTSYS for io_uring requests to EINTR).
func isCancel(res int32) bool {
	return res == -int32(syscall.ECANCELED) || res == -int32(syscall.EINTR)
}

// opError wraps err the way net does for a conn's op.
func (c *Conn) opError(op string, err error) error {
	return &net.OpError{Op: op, Net: c.fam.net, Source: c.LocalAddr(), Addr: c.RemoteAddr(), Err: err}
}

// dialContextError maps a dial's context error the way net does: a
// cancelled context gives "operation was canceled" (errors.Is
// context.Canceled), a passed deadline gives "i/o timeout" (Timeout()
// true, errors.Is context.DeadlineExceeded).
func dialContextError(err error) error {
	switch err {
	case context.Canceled:
		return canceledError{}
	case context.DeadlineExceeded:
		return timeoutError{}
	}
	return err
}

type canceledError struct{}

func (canceledError) Error() string        { return "operation was canceled" }
func (canceledError) Is(target error) bool { return target == context.Canceled }

type timeoutError struct{}

func (timeoutError) Error() string        { return "i/o timeout" }
func (timeoutError) Timeout() bool        { return true }
func (timeoutError) Temporary() bool      { return true }
func (timeoutError) Is(target error) bool { return target == context.DeadlineExceeded }

// ioErrno is the error of a failed read or write: the errno, unless the
// conn has been closed meanwhile, in which case it is net.ErrClosed, as
// for net (Close may reset the connection, see Conn.waitCalls, and the
// blocked call then sees ECONNRESET before its cancel).
func (c *Conn) ioErrno(call string, res int32) error {
	if c.closed.Load() {
		return net.ErrClosed
	}
	return errnoError(call, res)
}

// loopFailed reports whether the error Request.Next returned with its
// last CQE is the Loop's own (closed, CQEs dropped) rather than the
// context error of an earlier wait. A multishot cancelled by one call's
// deadline may be read to its end by the next call, and Next then repeats
// that first context's error, which is not this call's.
func loopFailed(err error) bool {
	return err != nil && !errors.Is(err, context.Canceled) && !errors.Is(err, context.DeadlineExceeded)
}
