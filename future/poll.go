package future

import (
	"unsafe"

	"github.com/uringkit/uring/ring"
)

// Poll and epoll family. Poll values are the ready events (POLLIN, ...).

// PollAdd is IORING_OP_POLL_ADD (5.1): wait once until fd has one of the
// poll(2) events; the value is the events that are ready.
func PollAdd(fd int, events uint32) Op[uint32] {
	var s ring.SQE
	s.PrepPollAdd(int32(fd), events)
	return newOp(s, nil, decodeU32)
}

// PollMultishot is IORING_OP_POLL_ADD with IORING_POLL_ADD_MULTI (5.13):
// one CQE each time fd becomes ready, until cancelled. Range over it with
// Stream.
func PollMultishot(fd int, events uint32) Op[uint32] {
	var s ring.SQE
	s.PrepPollMultishot(int32(fd), events)
	op := newOp(s, nil, decodeU32)
	op.multishot = true
	return op
}

// PollRemove is IORING_OP_POLL_REMOVE (5.1): remove the poll request whose
// SQE had user_data target (Future.UserData); it completes with -ECANCELED.
func PollRemove(target uint64) Op[struct{}] {
	var s ring.SQE
	s.PrepPollRemove(target)
	return newOp(s, nil, decodeVoid)
}

// PollUpdate is IORING_OP_POLL_REMOVE with update flags (5.13): change the
// events (ring.PollUpdateEvents) and/or user_data (ring.PollUpdateUserData)
// of the poll request with user_data target.
func PollUpdate(target, newUserData uint64, events uint32, flags uint32) Op[struct{}] {
	var s ring.SQE
	s.PrepPollUpdate(target, newUserData, events, flags)
	return newOp(s, nil, decodeVoid)
}

// epollCtlKeep keeps the struct epoll_event EPOLL_CTL reads.
type epollCtlKeep struct{ ev ring.EpollEvent }

// EpollCtl is IORING_OP_EPOLL_CTL (5.6): epoll_ctl(2) of fd on epfd with
// unix.EPOLL_CTL_* op and event ev.
func EpollCtl(epfd, fd int, op int, ev ring.EpollEvent) Op[struct{}] {
	k := &epollCtlKeep{ev: ev}
	var s ring.SQE
	s.PrepEpollCtl(int32(epfd), int32(fd), int32(op), &k.ev)
	return newOp(s, unsafe.Pointer(k), decodeVoid)
}

// EpollWait is IORING_OP_EPOLL_WAIT (6.15): epoll_wait(2) into events; the
// value is how many were filled.
func EpollWait(epfd int, events []ring.EpollEvent) Op[int] {
	var s ring.SQE
	s.PrepEpollWait(int32(epfd), events)
	var keep unsafe.Pointer
	if len(events) > 0 {
		keep = unsafe.Pointer(&events[0])
	}
	return newOp(s, keep, decodeInt)
}
