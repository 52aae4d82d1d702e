package future

import (
	"context"

	"github.com/uringkit/uring/ring"
	"golang.org/x/sys/unix"
)

// What an operation creates, which its caller owns once it succeeded, and
// which the library releases when no caller will see the value: a CQE
// drained after a Stream's loop ended. Without this, such a descriptor
// stayed open for the life of the process
// (TestStreamBreakClosesDrainedFds). (A result that comes with the
// context's error, the op having succeeded before the cancel reached it,
// is not dropped: Await returns the value, TestCancelledOpKeepsItsResult.)

// made says what a successful CQE of an operation created.
type made uint8

const (
	madeNothing    made = iota // or a provided buffer, found by decoding (releaser)
	madeFD                     // a descriptor, the CQE's res (OPENAT, OPENAT2, ACCEPT, SOCKET, FIXED_FD_INSTALL)
	madeFDPair                 // two descriptors, in the kept [2]int32 (PIPE)
	madeDirect                 // a direct descriptor: res with IORING_FILE_INDEX_ALLOC, else the SQE's slot
	madeDirectPair             // two direct descriptors, in the kept [2]int32 (PIPE with a file index)
)

// Creates reports whether a successful CQE of the operation creates
// something its receiver must release: a descriptor (Openat, Openat2,
// Accept, AcceptMultishot, Socket, FixedFdInstall, Pipe), a direct
// descriptor (OpenatDirect, AcceptDirect, SocketDirect, PipeDirect), or a
// provided buffer (IOSQE_BUFFER_SELECT), or, for an operation built with
// Custom, whatever its Raw.Discard releases. Discard releases it.
func (o Op[T]) Creates() bool {
	return o.made != madeNothing || o.discard != nil || o.sqe.Flags&ring.SQEBufferSelect != 0
}

// Discard releases what c, a CQE of this operation whose value no caller
// will see, created. A descriptor is closed with close(2); a direct
// descriptor's slot is closed with IORING_OP_CLOSE on l, where it lives
// (waited for; nothing is done if l is nil or closed, whose file table
// goes with its ring); a provided buffer goes back to its ring. A slot
// that the op installed into replaced what the slot held before, which
// cannot be undone. Discard does nothing for a failed CQE (res < 0), an
// operation that creates nothing, or one with IOSQE_CQE_SKIP_SUCCESS,
// whose successful CQE is not the kernel's. Stream calls it for the CQEs
// it drains after its loop ended early; callers that submit SQE()
// themselves call it for a CQE they will not decode, on the
// copy they submitted (Fresh: Pipe's descriptors are in its memory). An
// operation built with Custom calls its Raw.Discard if it has one, else
// releases only a provided buffer its value holds.
func (o Op[T]) Discard(l *ring.Loop, c ring.CQE) {
	if c.Res < 0 || o.sqe.Flags&ring.SQECQESkipSuccess != 0 {
		return
	}
	if o.discard != nil {
		o.discard(l, c, o.keep)
		return
	}
	switch o.made {
	case madeFD:
		unix.Close(int(c.Res))
	case madeFDPair:
		p := (*[2]int32)(o.keep)
		unix.Close(int(p[0]))
		unix.Close(int(p[1]))
	case madeDirect:
		// The SQE holds slot+1, or -1 (IORING_FILE_INDEX_ALLOC): then
		// res is the slot the kernel chose.
		slot := uint32(c.Res)
		if o.sqe.SpliceFdIn > 0 {
			slot = uint32(o.sqe.SpliceFdIn - 1)
		}
		closeDirect(l, slot)
	case madeDirectPair:
		p := (*[2]int32)(o.keep)
		closeDirect(l, uint32(p[0]))
		closeDirect(l, uint32(p[1]))
	default:
		if o.decode != nil {
			releaseValue(o.decode(c, o.keep))
		}
	}
}

// closeDirect closes the direct descriptor in slot of l's file table. A
// cancel would leave it installed, so the wait has no deadline; the
// kernel closes a slot inline.
func closeDirect(l *ring.Loop, slot uint32) {
	if l != nil {
		CloseDirect(slot).Await(context.Background(), l)
	}
}

// withMade returns o marked as creating m.
func (o Op[T]) withMade(m made) Op[T] {
	o.made = m
	return o
}

// releaser is a value holding a resource (a provided buffer).
type releaser interface{ Release() }

// releaseValue gives back a value's resource when nobody will see it.
func releaseValue[T any](v T, err error) {
	if err != nil {
		return
	}
	if rel, ok := any(v).(releaser); ok {
		rel.Release()
	}
}
