package ring

// registrations is the Go memory the kernel was handed through
// io_uring_register(2) and may still read or write after the call returns.
// The Ring holds it so that the garbage collector cannot free (and reuse)
// a registered buffer, a provided-buffer ring or a wait region while the
// kernel still uses it. The references are dropped by the matching
// unregister call (for provided-buffer rings, by the Loop that takes them
// over once no request can use them), or when the Ring itself becomes
// unreachable.
type registrations struct {
	// buffers are the fixed buffers by index (REGISTER_BUFFERS, BUFFERS2,
	// BUFFERS_UPDATE, CLONE_BUFFERS). The kernel pins their pages and
	// reads or writes them for READ_FIXED, WRITE_FIXED and the like.
	buffers [][]byte

	// bufRings are the provided-buffer rings by buffer group id
	// (REGISTER_PBUF_RING). Each owns its ring memory and the buffers
	// added to it.
	bufRings map[uint16]*PbufRing
	// retiredPbufs are the rings unregistered since, kept with their
	// buffers (as Close keeps bufRings): a request may have picked one of
	// their buffers before the unregister and still write into it (a
	// read that an io-wq worker issues after it selected the buffer), and
	// the Ring cannot tell when the last such request ends. A Loop can:
	// it takes them after each Do (takePbufs) and drops each once no
	// request that may hold one of its buffers is in flight
	// (loop_pbuf_release.go). A Ring used on its own keeps them for as
	// long as it is reachable.
	retiredPbufs []*PbufRing

	// region is the memory registered with REGISTER_MEM_REGION (one per
	// ring); waitSlots views it as io_uring_reg_wait slots when it was
	// registered as the wait-argument area.
	region    []byte
	waitSlots []RegWait
}

// setBuffers records bufs as fixed buffers off..off+len(bufs)-1, growing
// the table as needed.
func (g *registrations) setBuffers(off int, bufs [][]byte) {
	if need := off + len(bufs); need > len(g.buffers) {
		g.buffers = append(g.buffers, make([][]byte, need-len(g.buffers))...)
	}
	copy(g.buffers[off:], bufs)
}
