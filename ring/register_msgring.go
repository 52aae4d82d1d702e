package ring

import "unsafe"

// SendMsgRing posts a CQE with user_data userData and res res on the ring
// whose fd is targetFd, from outside any ring (IORING_REGISTER_SEND_MSG_RING,
// 6.13): an IORING_OP_MSG_RING (IORING_MSG_DATA) executed synchronously by
// io_uring_register with fd -1. A thread that owns no ring can so wake a
// ring's owner or hand it a value. cqeFlags, if not 0, become the CQE's
// flags (IORING_MSG_RING_FLAGS_PASS). A disabled target ring is EBADFD.
func SendMsgRing(targetFd int, res int32, userData uint64, cqeFlags uint32) error {
	if isOtherOS {
		return ErrUnsupportedOS
	}
	if targetFd < 0 {
		return argError(RegisterSendMsgRing, "negative target ring fd "+itoa(int64(targetFd)))
	}
	var sqe SQE
	if cqeFlags != 0 {
		sqe.PrepMsgRingCQEFlags(int32(targetFd), uint32(res), userData, 0, cqeFlags)
	} else {
		sqe.PrepMsgRing(int32(targetFd), uint32(res), userData, 0)
	}
	if _, errno := sysRegister(-1, uint32(RegisterSendMsgRing), unsafe.Pointer(&sqe), 1); errno != 0 {
		return &SyscallError{Call: "io_uring_register(" + RegisterSendMsgRing.String() + ")", Err: errno}
	}
	return nil
}
