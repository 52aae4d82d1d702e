package timeout

import (
	"syscall"
	"unsafe"

	"github.com/uringkit/uring/future"
	"github.com/uringkit/uring/ring"
)

// timeoutKeep holds the timespec a TIMEOUT's SQE points at.
type timeoutKeep struct{ ts ring.Timespec }

// decodeExpired: -ETIME (the OKErrno) means the time ran out, res 0 that
// the completion count was reached first.
func decodeExpired(c ring.CQE, _ unsafe.Pointer) (bool, error) {
	return c.Res == -int32(syscall.ETIME), nil
}

func timeoutOp(s Spec, count uint32, multishot bool) future.Op[bool] {
	k := &timeoutKeep{ts: s.Timespec()}
	flags := s.Flags()
	if multishot {
		flags |= ring.TimeoutMultishot
	}
	var sqe ring.SQE
	sqe.PrepTimeout(&k.ts, count, flags)
	return future.Custom(future.Raw[bool]{SQE: sqe, Keep: unsafe.Pointer(k), Decode: decodeExpired,
		Expect: -1, OKErrno: syscall.ETIME, Multishot: multishot})
}

// New is IORING_OP_TIMEOUT (5.4): a timer as an operation. Its value is
// true when the time ran out (the kernel's -ETIME, which is not an error
// here). Removed (Remove, or a cancelled context) it fails with ECANCELED.
// As a chain step an expiry breaks a soft link unless the Spec has
// ETimeSuccess.
func New(s Spec) future.Op[bool] { return timeoutOp(s, 0, false) }

// Count is IORING_OP_TIMEOUT with a completion count (5.4): it completes
// when count other CQEs have been posted on the ring (value false) or when
// the time runs out (value true), whichever comes first.
func Count(s Spec, count uint32) future.Op[bool] { return timeoutOp(s, count, false) }

// Ticker is a multishot IORING_OP_TIMEOUT (IORING_TIMEOUT_MULTISHOT, 6.4):
// it fires every s.Duration(), n times (0: until stopped). Range over it
// with Stream; each value is true. Breaking out of the loop removes it.
func Ticker(s Spec, n uint32) future.Op[bool] {
	s.abs = false // the kernel refuses ABS with MULTISHOT
	return timeoutOp(s, n, true)
}

// updateKeep holds the new timespec of an update.
type updateKeep struct{ ts ring.Timespec }

// Update is IORING_OP_TIMEOUT_REMOVE with IORING_TIMEOUT_UPDATE (5.11):
// re-arm the timeout whose SQE had user_data target to s. It fails with
// ENOENT if that timeout is not armed.
func Update(target uint64, s Spec) future.Op[struct{}] {
	k := &updateKeep{ts: s.Timespec()}
	var sqe ring.SQE
	sqe.PrepTimeoutUpdate(&k.ts, target, s.Flags()&^ring.TimeoutETimeSuccess)
	return future.Custom(future.Raw[struct{}]{SQE: sqe, Keep: unsafe.Pointer(k), Decode: decodeVoid, Expect: -1})
}

// UpdateLinked is IORING_OP_TIMEOUT_REMOVE with IORING_LINK_TIMEOUT_UPDATE
// (5.15): re-arm the linked timeout whose SQE had user_data target.
func UpdateLinked(target uint64, s Spec) future.Op[struct{}] {
	k := &updateKeep{ts: s.Timespec()}
	var sqe ring.SQE
	sqe.PrepLinkTimeoutUpdate(&k.ts, target, s.Flags()&^ring.TimeoutETimeSuccess)
	return future.Custom(future.Raw[struct{}]{SQE: sqe, Keep: unsafe.Pointer(k), Decode: decodeVoid, Expect: -1})
}

// Remove is IORING_OP_TIMEOUT_REMOVE (5.5): disarm the timeout whose SQE
// had user_data target; the timeout then completes with ECANCELED. It fails
// with ENOENT if not found and EALREADY if it is already firing.
func Remove(target uint64) future.Op[struct{}] {
	var sqe ring.SQE
	sqe.PrepTimeoutRemove(target, 0)
	return future.Custom(future.Raw[struct{}]{SQE: sqe, Decode: decodeVoid, Expect: -1})
}

func decodeVoid(ring.CQE, unsafe.Pointer) (struct{}, error) { return struct{}{}, nil }
