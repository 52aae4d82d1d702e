package ring

// Poll family: POLL_ADD (one-shot and multishot), POLL_REMOVE and its update
// form, EPOLL_CTL and EPOLL_WAIT. Poll events are the POLL* bits of poll(2)
// (unix.POLLIN, ...), in poll32_events.

// PrepPollAdd prepares IORING_OP_POLL_ADD: a one-shot poll(2) of fd for
// events. Res: the ready events (a mask). CQE flags: none. Since 5.1.
// Memory: none.
func (s *SQE) PrepPollAdd(fd int32, events uint32) {
	*s = SQE{Opcode: OpPollAdd, Fd: fd, OpFlags: events}
}

// PrepPollMultishot prepares IORING_OP_POLL_ADD with IORING_POLL_ADD_MULTI:
// the poll stays armed and posts a CQE each time fd becomes ready, until
// removed or an error. Res: the ready events per CQE. CQE flags: F_MORE
// while armed. Since 5.13. Memory: none.
func (s *SQE) PrepPollMultishot(fd int32, events uint32) {
	*s = SQE{Opcode: OpPollAdd, Fd: fd, Len: PollAddMulti, OpFlags: events}
}

// PrepPollRemove prepares IORING_OP_POLL_REMOVE: remove the poll whose SQE
// had user_data target; that poll then completes with -ECANCELED.
// Res: 0, or -ENOENT if no such poll is armed. CQE flags: none. Since 5.1.
// Memory: none.
func (s *SQE) PrepPollRemove(target uint64) {
	*s = SQE{Opcode: OpPollRemove, Fd: -1, Addr: target}
}

// PrepPollUpdate prepares IORING_OP_POLL_REMOVE in its update form: change
// the poll with user_data target in place. flags choose what changes:
// PollUpdateEvents (to events), PollUpdateUserData (to newUserData), and
// PollAddMulti to make it multishot.
// Res: 0, or -ENOENT. CQE flags: none. Since 5.13. Memory: none.
func (s *SQE) PrepPollUpdate(target, newUserData uint64, events uint32, flags uint32) {
	*s = SQE{Opcode: OpPollRemove, Fd: -1, Addr: target, Off: newUserData, Len: flags, OpFlags: events}
}

// PrepEpollCtl prepares IORING_OP_EPOLL_CTL: epoll_ctl(2) of op
// (EPOLL_CTL_ADD/MOD/DEL) for fd on epoll instance epfd with ev.
// Res: 0. CQE flags: none. Since 5.6. Memory: ev until the CQE.
func (s *SQE) PrepEpollCtl(epfd, fd int32, op int32, ev *EpollEvent) {
	*s = SQE{Opcode: OpEpollCtl, Fd: epfd, Addr: ptrAddr(ev), Len: uint32(op), Off: uint64(uint32(fd))}
}

// PrepEpollWait prepares IORING_OP_EPOLL_WAIT: epoll_wait(2) on epfd into
// events, completing when at least one is ready.
// Res: the number of events written. CQE flags: none. Since 6.15.
// Memory: events until the CQE.
func (s *SQE) PrepEpollWait(epfd int32, events []EpollEvent) {
	var addr uint64
	if len(events) > 0 {
		addr = ptrAddr(&events[0])
	}
	*s = SQE{Opcode: OpEpollWait, Fd: epfd, Addr: addr, Len: lenOf(events)}
}
