package future

import (
	"syscall"
	"unsafe"

	"github.com/uringkit/uring/ring"
)

// Op is an immutable description of one io_uring operation: the SQE that
// starts it and how its CQE becomes a (T, error). Building an Op does no I/O
// and, for the common operations, no allocation: the SQE is kept by value
// and the decoder is a plain function. Memory the kernel reads or writes
// (buffers, paths, iovecs, timespecs, sockaddrs) is referenced from the Op,
// and the Loop keeps it reachable until the operation's terminal CQE.
//
// Modifiers (Fixed, Async, FixedBuffer) return a changed copy; the Op they
// are called on is not modified. Link flags are never set on an Op: package
// chain owns them.
type Op[T any] struct {
	sqe       ring.SQE
	keep      unsafe.Pointer                                   // kernel-visible memory, kept until the terminal CQE
	decode    func(c ring.CQE, keep unsafe.Pointer) (T, error) // called for res >= 0 (and for okErrno)
	expect    int64                                            // result a complete transfer returns; -1 if none
	okErrno   syscall.Errno                                    // an errno that means success (ETIME for TIMEOUT)
	multishot bool                                             // posts CQEs with IORING_CQE_F_MORE until a terminal one
	notif     bool                                             // zero-copy send: a result CQE, then a NOTIF CQE
	err       error                                            // bad argument found while building; returned on submission
	// renew, for an operation whose result the kernel writes into memory
	// the Op allocated (statx, siginfo, pipe fds), allocates that memory
	// anew for one submission and returns the SQE pointed at it and the
	// new keep (Fresh). It takes and returns the SQE by value: a pointer
	// into the Op would make every Op escape to the heap. nil when the
	// kernel only reads the kept memory, or it is the caller's.
	renew func(s ring.SQE, keep unsafe.Pointer) (ring.SQE, unsafe.Pointer)
	made  made // what a successful CQE creates, which Discard releases
	// discard, for an operation built with Custom, releases what a
	// successful CQE created (Raw.Discard); nil if nothing.
	discard func(l *ring.Loop, c ring.CQE, keep unsafe.Pointer)
}

// newOp is the one template every constructor goes through.
func newOp[T any](sqe ring.SQE, keep unsafe.Pointer, decode func(ring.CQE, unsafe.Pointer) (T, error)) Op[T] {
	return Op[T]{sqe: sqe, keep: keep, decode: decode, expect: -1}
}

// Raw is the full description of an operation, for Custom.
type Raw[T any] struct {
	// SQE is the prepared SQE (see the Prep methods of ring.SQE). Link
	// flags on it are cleared: package chain owns them.
	SQE ring.SQE
	// Keep points at the memory the kernel reads or writes (nil if none);
	// it is kept reachable until the terminal CQE and passed to Decode.
	Keep unsafe.Pointer
	// Decode turns a CQE with res >= 0 (or res == -OKErrno) into the value;
	// nil: the value is T's zero value.
	Decode func(c ring.CQE, keep unsafe.Pointer) (T, error)
	// Expect is the result of a complete transfer (the requested length)
	// for an operation that moves bytes; any other non-negative result is
	// short, which breaks a soft link. 0 (the zero value) or -1: the
	// operation has none, and every non-negative result completes it (a
	// request for 0 bytes can only move 0).
	Expect int64
	// OKErrno is an errno the operation counts as success (ETIME for a
	// TIMEOUT that fired), or 0.
	OKErrno syscall.Errno
	// Multishot says the operation posts CQEs with IORING_CQE_F_MORE until
	// a terminal one.
	Multishot bool
	// Discard, if not nil, releases what a successful CQE (res >= 0)
	// created when no caller will see its value: closes the descriptor an
	// op that opens or accepts one put in res, for example, or, for a
	// direct descriptor, its slot in l's file table (l is the Loop the op
	// ran on; nil if the caller has none). Op.Discard calls it (a Stream's
	// CQEs drained after its loop ended), and Op.Creates reports true. It
	// replaces Op.Discard's own release: for an op that selects a provided
	// buffer it must give the buffer back itself. nil: Op.Discard releases
	// only a value that has a Release method (a provided buffer).
	Discard func(l *ring.Loop, c ring.CQE, keep unsafe.Pointer)
}

// Custom builds an Op from a raw description. It is how packages beside
// future (timeout, uringos, uringnet) and users define operations without a
// constructor here; it allocates nothing itself.
func Custom[T any](r Raw[T]) Op[T] {
	r.SQE.Flags &^= linkFlags
	if r.Expect <= 0 {
		// An Expect left at 0 made every positive result (an fd, a count)
		// short: a chain's Wait failed with a *ShortError
		// (TestCustomWithoutExpectCompletes).
		r.Expect = -1
	}
	if r.Decode == nil {
		r.Decode = decodeZero[T] // only the zero Op has no decoder (ErrZeroOp)
	}
	return Op[T]{sqe: r.SQE, keep: r.Keep, decode: r.Decode, expect: r.Expect, okErrno: r.OKErrno, multishot: r.Multishot, discard: r.Discard}
}

// linkFlags are the SQE flags package chain sets; an Op never carries them.
const linkFlags = ring.SQEIOLink | ring.SQEIOHardlink

// Opcode returns the operation's opcode.
func (o Op[T]) Opcode() ring.Op { return o.sqe.Opcode }

// SQE returns a copy of the SQE the operation submits (user_data is set by
// the Loop).
func (o Op[T]) SQE() ring.SQE { return o.sqe }

// Keep returns the memory the kernel reads or writes for this operation, as
// a value the Loop keeps reachable until the terminal CQE (ring.Request's
// Keep). It is nil when the operation uses no memory.
func (o Op[T]) Keep() any {
	if o.keep == nil {
		return nil
	}
	return o.keep
}

// Err returns the error found while building the operation (a bad
// argument), ErrZeroOp for the zero Op, or nil. Submitting an Op with an
// error fails with that error.
func (o Op[T]) Err() error {
	if o.decode == nil && o.err == nil {
		return ErrZeroOp
	}
	return o.err
}

// Multishot reports whether the operation posts several CQEs (a stream).
func (o Op[T]) Multishot() bool { return o.multishot }

// Expect returns the result a complete transfer returns (the requested
// length of a read, write, splice or MSG_WAITALL send/recv) and true, or
// 0 and false when the operation has no such length. The kernel treats any
// other non-negative result as a short transfer, which breaks a soft link.
func (o Op[T]) Expect() (int64, bool) { return o.expect, o.expect >= 0 }

// OKErrno returns the errno the operation counts as success (ETIME for a
// timeout, Raw.OKErrno), or 0 if none.
func (o Op[T]) OKErrno() syscall.Errno { return o.okErrno }

// Fresh returns a copy of o with result memory of its own: the struct
// statx, siginfo or pipe fds that the kernel writes an operation's result
// into (Statx, Waitid, Pipe, PipeDirect), which o would otherwise share
// with every other submission of it. Submit, Await and Stream take a fresh
// copy for every submission, so one Op may be submitted any number of
// times, also concurrently. Code that submits SQE() with Keep() itself and
// decodes with Result (package chain, timeout.Await) calls Fresh once per
// submission and uses the copy for all three. For any other operation
// Fresh returns o unchanged, without allocating.
func (o Op[T]) Fresh() Op[T] {
	if o.renew != nil && o.err == nil {
		o.sqe, o.keep = o.renew(o.sqe, o.keep)
	}
	return o
}

// Result turns one CQE of this operation into its value: a negative res
// becomes an *Error naming the opcode (except the errno the operation
// counts as success, ETIME for a fired TIMEOUT).
func (o Op[T]) Result(c ring.CQE) (T, error) {
	if o.decode == nil {
		var zero T
		return zero, ErrZeroOp
	}
	if !o.succeeded(c) {
		var zero T
		return zero, NewError(o.sqe.Opcode, c.Res)
	}
	return o.decode(c, o.keep)
}

// Fixed returns a copy whose fd is an index into the ring's registered file
// table (IOSQE_FIXED_FILE) instead of a file descriptor.
func (o Op[T]) Fixed() Op[T] {
	o.sqe.Flags |= ring.SQEFixedFile
	return o
}

// Async returns a copy that the kernel punts to an io-wq worker at once
// (IOSQE_ASYNC) instead of first trying a non-blocking attempt.
func (o Op[T]) Async() Op[T] {
	o.sqe.Flags |= ring.SQEAsync
	return o
}

// Personality returns a copy that runs with the credentials registered as
// personality id (IORING_REGISTER_PERSONALITY).
func (o Op[T]) Personality(id uint16) Op[T] {
	o.sqe.Personality = id
	return o
}

// SkipSuccess returns a copy that posts no CQE when it succeeds
// (IOSQE_CQE_SKIP_SUCCESS, 5.17). Its value is then not known; use it for
// operations whose success carries no information.
func (o Op[T]) SkipSuccess() Op[T] {
	o.sqe.Flags |= ring.SQECQESkipSuccess
	return o
}

// RWFlags returns a copy that passes the RWF_* flags of preadv2(2) and
// pwritev2(2) (unix.RWF_NOWAIT, RWF_DSYNC, RWF_SYNC, RWF_APPEND,
// RWF_HIPRI, RWF_NOAPPEND (6.9), RWF_ATOMIC (6.11), RWF_DONTCACHE (6.14))
// in the SQE's rw_flags, added to any the operation already has. A flag
// the kernel does not know fails the operation with EOPNOTSUPP. With
// RWF_NOWAIT a read that would block fails with EAGAIN instead of going
// to an io-wq worker. Only the read/write family takes them (Read, Write,
// Readv, Writev and their registered-buffer forms); other operations get
// an error.
func (o Op[T]) RWFlags(flags uint32) Op[T] {
	if !readWriteFamily(o.sqe.Opcode) {
		return o.withErr("takes no RWF_* flags")
	}
	o.sqe.OpFlags |= flags
	return o
}

// fixedBufferOps maps an opcode to its registered-buffer twin.
var fixedBufferOps = map[ring.Op]ring.Op{
	ring.OpRead:   ring.OpReadFixed,
	ring.OpWrite:  ring.OpWriteFixed,
	ring.OpReadv:  ring.OpReadvFixed,
	ring.OpWritev: ring.OpWritevFixed,
}

// readWriteFamily reports whether op is one of the read/write family
// (fixedBufferOps' opcodes and their registered-buffer twins), whose SQE
// carries RWF_* flags in rw_flags.
func readWriteFamily(op ring.Op) bool {
	for plain, fixed := range fixedBufferOps {
		if op == plain || op == fixed {
			return true
		}
	}
	return false
}

// FixedBuffer returns a copy that uses the registered buffer at index
// (IORING_REGISTER_BUFFERS): READ becomes READ_FIXED, WRITE WRITE_FIXED,
// READV READV_FIXED (6.15) and WRITEV WRITEV_FIXED (6.15). The memory must
// lie inside that registered buffer. Other operations get an error.
func (o Op[T]) FixedBuffer(index uint16) Op[T] {
	fixed, ok := fixedBufferOps[o.sqe.Opcode]
	if !ok {
		return o.withErr("has no registered-buffer form")
	}
	o.sqe.Opcode = fixed
	o.sqe.BufIndex = index
	return o
}

// ArgError is a bad argument found while building an operation.
type ArgError struct {
	Op     ring.Op
	Reason string
}

// Error names the opcode and the bad argument.
func (e *ArgError) Error() string { return "io_uring " + e.Op.String() + ": " + e.Reason }

// Is matches syscall.EINVAL, the errno the kernel would have returned.
func (e *ArgError) Is(target error) bool { return target == syscall.EINVAL }

// withErr returns o carrying a build error (the first one wins).
func (o Op[T]) withErr(reason string) Op[T] {
	if o.err == nil {
		o.err = &ArgError{Op: o.sqe.Opcode, Reason: reason}
	}
	return o
}
