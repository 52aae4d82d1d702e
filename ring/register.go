package ring

import "unsafe"

// register calls io_uring_register(2) for this ring, through the registered
// ring index when the ring fd is registered (FEAT_REG_REG_RING, 6.3).
func (r *Ring) register(op RegisterOp, arg unsafe.Pointer, nrArgs uint32) error {
	_, err := r.registerN(op, arg, nrArgs)
	return err
}

// registerN is register returning the call's non-negative result.
func (r *Ring) registerN(op RegisterOp, arg unsafe.Pointer, nrArgs uint32) (int, error) {
	if r.closed {
		return 0, ErrClosed
	}
	fd, code := r.fd, uint32(op)
	if r.enterFlags&EnterRegisteredRing != 0 && (r.fd < 0 || r.params.Features&FeatRegRegRing != 0) {
		fd, code = r.regIndex, code|registerUseRegisteredRing
	}
	n, errno := sysRegister(fd, code, arg, nrArgs)
	if errno != 0 {
		return 0, &SyscallError{Call: "io_uring_register(" + op.String() + ")", Err: errno}
	}
	return n, nil
}

// RegisterRingFd registers the ring fd (IORING_REGISTER_RING_FDS, 5.18) so
// that io_uring_enter skips the fd lookup; every later enter and register
// uses the index automatically. The registration belongs to the calling
// OS thread: call runtime.LockOSThread first and use the Ring only from that
// goroutine (EINVAL/EBADF otherwise). It returns the index.
func (r *Ring) RegisterRingFd() (int, error) {
	if r.regIndex >= 0 {
		return r.regIndex, nil
	}
	upd := RsrcUpdate{Offset: ^uint32(0), Data: uint64(r.fd)} // offset -1: any free slot
	if _, err := r.registerN(RegisterRingFds, unsafe.Pointer(&upd), 1); err != nil {
		return -1, err
	}
	r.regIndex = int(upd.Offset)
	r.enterFd = r.regIndex
	r.enterFlags |= EnterRegisteredRing
	return r.regIndex, nil
}

// UnregisterRingFd drops the registration made by RegisterRingFd; enters
// use the plain fd again.
func (r *Ring) UnregisterRingFd() error {
	if r.regIndex < 0 || r.fd < 0 {
		return nil
	}
	upd := RsrcUpdate{Offset: uint32(r.regIndex)}
	r.enterFlags &^= EnterRegisteredRing
	r.enterFd, r.regIndex = r.fd, -1
	return r.register(UnregisterRingFds, unsafe.Pointer(&upd), 1)
}

// Enable starts a ring set up with WithDisabled (IORING_REGISTER_ENABLE_RINGS,
// 5.10). With SINGLE_ISSUER the enabling thread becomes the issuer.
func (r *Ring) Enable() error {
	return r.register(RegisterEnableRings, nil, 0)
}
