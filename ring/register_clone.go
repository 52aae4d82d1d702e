package ring

import "unsafe"

// CloneBuffers copies fixed buffers src..src+nr-1 of the ring src into
// this ring's table at dstOff (IORING_REGISTER_CLONE_BUFFERS, 6.12; ranges
// and replace 6.13). nr 0 means all of src's buffers from srcOff on. Both
// rings then share the same pinned pages: READ_FIXED on either ring reads
// into the memory src registered, and the buffers stay registered here
// after src unregisters or closes. Without replace this ring must have no
// buffer table yet (EBUSY otherwise); with replace
// (IORING_REGISTER_DST_REPLACE) the slots are overwritten. This Ring keeps
// the cloned slices reachable like its own registered buffers.
func (r *Ring) CloneBuffers(src *Ring, srcOff, dstOff, nr uint32, replace bool) error {
	if src == nil {
		return argError(RegisterCloneBuffers, "no source ring")
	}
	if src.closed {
		return ErrClosed
	}
	arg := CloneBuffers{SrcFd: uint32(src.fd), SrcOff: srcOff, DstOff: dstOff, Nr: nr}
	if src.fd < 0 {
		// REGISTERED_FD_ONLY: the source is known only by its registered
		// index, valid on this thread (IORING_REGISTER_SRC_REGISTERED).
		arg.SrcFd, arg.Flags = uint32(src.regIndex), RegisterSrcRegistered
	}
	if replace {
		arg.Flags |= RegisterDstReplace
	}
	if err := r.register(RegisterCloneBuffers, unsafe.Pointer(&arg), 1); err != nil {
		return err
	}
	// Mirror the kernel's table: without replace it is rebuilt from
	// scratch.
	if !replace {
		r.reg.buffers = nil
	}
	if int(srcOff) < len(src.reg.buffers) {
		end := len(src.reg.buffers)
		if nr != 0 {
			end = min(end, int(srcOff+nr))
		}
		r.reg.setBuffers(int(dstOff), src.reg.buffers[srcOff:end])
	}
	return nil
}
