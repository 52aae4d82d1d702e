package chain

import "github.com/uringkit/uring/ring"

// SQEs validates the chain for a Loop that submits at most maxSQEs SQEs per
// group and returns the SQEs it would submit, in order, with their link,
// drain and skip-success flags (user_data zero: the Loop sets it). It is the
// encoding Submit uses, exposed for tests and for inspection.
func (c *Chain) SQEs(maxSQEs int) ([]ring.SQE, error) {
	if err := c.Validate(maxSQEs); err != nil {
		return nil, err
	}
	c.finalize()
	out := make([]ring.SQE, len(c.elems))
	for i := range c.elems {
		c.encode(i, &out[i])
	}
	return out, nil
}

// encode writes element i's SQE into dst. The rules (kernel-interface.md 7.1):
//   - every element but the last carries a link flag, so the kernel builds
//     one link from the whole group; the last carries none (a link flag on
//     the last SQE of a submission would be ignored, but is never written);
//   - a step carries IOSQE_IO_HARDLINK when it is hard-linked, else
//     IOSQE_IO_LINK; a step with a linked timeout links to that timeout,
//     which the kernel requires, and the timeout links on to the next step
//     (whether that link is hard is decided by the guarded step's flag);
//   - CQE_SKIP_SUCCESS goes on the steps that asked for it;
//   - DRAIN, asked for by any step, goes on the first SQE only. The kernel
//     drains the whole link either way, but a DRAIN on a later member also
//     forces the link head into io-wq (io_init_drain sets REQ_F_FORCE_ASYNC),
//     and on 6.18 a step that blocks there (a read from an empty pipe) is
//     not cut off by its linked timeout: the fuzzer found such a chain
//     hanging (docs/semantics.md).
func (c *Chain) encode(i int, dst *ring.SQE) {
	e := &c.elems[i]
	if e.isTimeout {
		e.ts = e.spec.Timespec()
		// The timespec lives inside the chain, which the Loop keeps reachable
		// (Request.Keep) until the terminal CQE.
		dst.PrepLinkTimeout(&e.ts, e.spec.Flags())
	} else {
		*dst = e.sqe
	}
	dst.Flags &^= ring.SQEIOLink | ring.SQEIOHardlink | ring.SQEIODrain | ring.SQECQESkipSuccess
	if i < len(c.elems)-1 {
		if e.hard && !e.isTimeout {
			dst.Flags |= ring.SQEIOHardlink
		} else {
			dst.Flags |= ring.SQEIOLink
		}
	}
	if i == 0 && c.drains() {
		dst.Flags |= ring.SQEIODrain
	}
	if e.skip {
		dst.Flags |= ring.SQECQESkipSuccess
	}
}

// drains reports whether any step asked for IOSQE_IO_DRAIN.
func (c *Chain) drains() bool {
	for i := range c.elems {
		if c.elems[i].drain {
			return true
		}
	}
	return false
}
