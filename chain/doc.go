// Package chain links future.Op values of any result types into one
// io_uring link sequence (IOSQE_IO_LINK / IOSQE_IO_HARDLINK), with linked
// timeouts, drain and skip-success per step, and submits it to a ring.Loop
// as one contiguous group.
//
//	c := chain.New()
//	w := chain.Add(c, future.Write(fd, data, 0)).HardLink()
//	s := chain.Add(c, future.Fsync(fd))
//	c.LinkTimeout(timeout.After(time.Second))
//	err := c.Submit(ctx, loop)
//	n, err := w.Await(ctx)
//
// Building validates the chain before any SQE is written (Validate: empty,
// too long for the submission queue, a linked timeout not right after a
// step, drain mixed with skip-success) and reports a *BuildError. Each
// step's Result says whether it completed, came up short, failed, timed out,
// or was cancelled because an earlier step broke the chain, and which one.
// docs/semantics.md tabulates the outcomes, checked against the kernel.
package chain
