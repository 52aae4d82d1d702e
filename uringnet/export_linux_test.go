package uringnet

import "github.com/uringkit/uring/ring"

// BuffersHeld returns how many of l's provided buffers conns hold (taken
// by a CQE, not yet given back to the ring).
func BuffersHeld(l *ring.Loop) int {
	poolsMu.Lock()
	p := pools[l]
	poolsMu.Unlock()
	if p == nil {
		return 0
	}
	return p.held()
}

// RecvPath says how c receives now: "direct", "provided", or
// "provided->direct" after RecvAuto switched it.
func RecvPath(c any) string {
	r := c.(*Conn).recv
	switch {
	case r == nil || !r.ok:
		return "direct"
	case r.direct:
		return "provided->direct"
	}
	return "provided"
}

// HasPool reports whether l has a provided-buffer pool (a Loop for which
// none could be made is remembered with a nil pool: that is no pool).
func HasPool(l *ring.Loop) bool {
	poolsMu.Lock()
	defer poolsMu.Unlock()
	return pools[l] != nil
}

// BuffersFree returns how many of l's provided buffers are in the ring
// for the kernel to take (0 without a pool).
func BuffersFree(l *ring.Loop) int {
	poolsMu.Lock()
	p := pools[l]
	poolsMu.Unlock()
	if p == nil {
		return 0
	}
	var head uint16
	if err := l.DoBufferGroup(p.bgid, func(r *ring.Ring) error {
		var err error
		head, err = r.PbufStatus(p.bgid)
		return err
	}); err != nil {
		return 0
	}
	p.mu.Lock()
	defer p.mu.Unlock()
	return int(p.pb.Tail() - head)
}
