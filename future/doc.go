// Package future is layer 2 of uring: io_uring operations as typed values.
//
// An Op[T] describes one SQE and how its CQE becomes a (T, error); building
// one does no I/O. Submitting it to a ring.Loop gives a Future[T]; Await
// parks the goroutine until the result, and cancels the operation in the
// kernel if the context ends first (an operation that succeeded before
// the cancel reached it still gives its value, and no error):
//
//	n, err := future.Read(fd, buf, 0).Await(ctx, loop)
//
// Combinators (Map, Then, All, Join2, Join3, Race, First) compose futures;
// multishot operations are streams ranged over with Stream. A failed
// operation's error is an *Error naming the opcode and wrapping its errno,
// so errors.Is(err, syscall.ECONNRESET) works; an opcode the running kernel
// lacks fails before submission with a *ring.NotSupportedError naming the
// kernel that added it. Package chain links ops into one sequence; package
// timeout makes timers and deadlines ops.
//
// Closing a file descriptor does not end the operations in flight on it,
// as it would for an *os.File or a net.Conn: each holds its own reference
// to the file, so a read of a pipe or a (multishot) accept stays blocked
// after close(2). End them first, through their context, Future.Cancel,
// or CancelFd(fd, ring.CancelAll), then close the fd:
//
//	n, err := future.CancelFd(fd, ring.CancelAll).Await(ctx, loop) // n: how many were cancelled
package future
