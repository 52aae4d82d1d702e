package ring

import "unsafe"

// An eventfd registered with the ring is signalled (its counter
// incremented) when CQEs are posted, so a ring can be waited on with
// poll/epoll or the Go netpoller alongside other fds. Setting
// CQEventfdDisabled in the CQ ring flags (SetCQFlags) suppresses the
// signal without unregistering.

// RegisterEventfd makes the kernel signal the eventfd fd whenever it posts
// CQEs (IORING_REGISTER_EVENTFD, 5.2). The kernel holds its own reference
// to the eventfd. One eventfd per ring: a second registration is EBUSY.
func (r *Ring) RegisterEventfd(fd int) error {
	return r.registerEventfd(RegisterEventfd, fd)
}

// RegisterEventfdAsync is RegisterEventfd for completions that did not
// happen inline at submission only (IORING_REGISTER_EVENTFD_ASYNC, 5.6):
// a request that completes during io_uring_enter does not signal.
func (r *Ring) RegisterEventfdAsync(fd int) error {
	return r.registerEventfd(RegisterEventfdAsync, fd)
}

func (r *Ring) registerEventfd(op RegisterOp, fd int) error {
	if fd < 0 {
		return argError(op, "negative eventfd "+itoa(int64(fd)))
	}
	efd := int32(fd)
	return r.register(op, unsafe.Pointer(&efd), 1)
}

// UnregisterEventfd removes the registered eventfd
// (IORING_UNREGISTER_EVENTFD, 5.2); ENXIO if none is registered.
func (r *Ring) UnregisterEventfd() error {
	return r.register(UnregisterEventfd, nil, 0)
}
