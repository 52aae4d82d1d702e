package uringnet

import (
	"net"
	"os"
	"syscall"

	"golang.org/x/sys/unix"
)

// RecvNetpoll (config.go): readiness from Go's netpoller, data through
// io_uring. Each attempt is an IORING_OP_RECV or IORING_OP_SEND with
// MSG_DONTWAIT, so it completes inside the enter that submits it (-EAGAIN
// when the socket has no data or no room); the attempt runs inside
// syscall.RawConn's Read or Write callback, after the poller has reset the
// socket's readiness, so an edge that arrives between the attempt and the
// wait is not lost. The netpoller's deadlines mirror rd and wd (conn.go's
// setters), and Close closes the duplicate fd to wake a parked call.

// openPoll registers a duplicate of c.fd with the netpoller. O_NONBLOCK
// is a property of the open file description, so c.fd becomes
// non-blocking too; every io_uring operation of this mode passes
// MSG_DONTWAIT anyway. If the duplicate cannot be made, the conn stays in
// RecvDirect (same results, a completion-driven wait).
func (c *Conn) openPoll() {
	f, rc := pollFile(c.fd)
	if f == nil {
		return
	}
	c.pf, c.prc = f, rc
	c.prd = pollDir{c: c}
	c.pwr = pollDir{c: c, send: true}
	c.prd.try, c.pwr.try = c.prd.attempt, c.pwr.attempt
}

// attempt runs one MSG_DONTWAIT receive (or send) of d.p on the Loop. It
// reports false, so that the netpoller waits for readiness and calls it
// again, if the socket was not ready (-EAGAIN).
func (d *pollDir) attempt(uintptr) bool {
	c := d.c
	r := c.rreq
	if d.send {
		r = c.wreq
		r.SQE.PrepSend(int32(c.fd), d.p, unix.MSG_DONTWAIT|unix.MSG_NOSIGNAL)
	} else {
		r.SQE.PrepRecv(int32(c.fd), d.p, unix.MSG_DONTWAIT)
	}
	d.res, d.err = c.run(r, d.p, d.wc, d.deadline())
	return d.err != nil || d.res != -int32(unix.EAGAIN)
}

// deadline is the conn's deadline for d's direction.
func (d *pollDir) deadline() *deadline {
	if d.send {
		return &d.c.wd
	}
	return &d.c.rd
}

// pollFile registers a non-blocking duplicate of fd with the netpoller;
// nil if it cannot.
func pollFile(fd int) (*os.File, syscall.RawConn) {
	dup, err := unix.FcntlInt(uintptr(fd), unix.F_DUPFD_CLOEXEC, 0)
	if err != nil {
		return nil, nil
	}
	if err := unix.SetNonblock(dup, true); err != nil {
		unix.Close(dup)
		return nil, nil
	}
	f := os.NewFile(uintptr(dup), "uringnet")
	rc, err := f.SyscallConn()
	if err != nil {
		f.Close()
		return nil, nil
	}
	return f, rc
}

// acceptPolled is Accept in RecvNetpoll mode (ln.mu held): accept4(2) on
// the non-blocking listening socket, parking in the netpoller while no
// connection is queued. A parked multishot accept would keep an op in
// flight for good, and with it a thread asleep in io_uring_enter that
// every inline completion of the conns' MSG_DONTWAIT ops wakes; accept is
// not the hot path, the conns' reads and writes are.
func (ln *Listener) acceptPolled() (net.Conn, error) {
	var (
		nfd  int
		sa   unix.Sockaddr
		aerr error
	)
	perr := ln.prc.Read(func(uintptr) bool {
		for {
			nfd, sa, aerr = unix.Accept4(ln.fd, unix.SOCK_CLOEXEC)
			// As net: a connection reset while queued is skipped.
			if aerr != unix.EINTR && aerr != unix.ECONNABORTED {
				return aerr != unix.EAGAIN
			}
		}
	})
	if perr != nil {
		return nil, ln.acceptError(ln.dl.reason())
	}
	if aerr != nil {
		return nil, ln.acceptError(wrapSyscall("accept", aerr))
	}
	if ln.closed.Load() {
		unix.Close(nfd)
		return nil, ln.acceptError(net.ErrClosed)
	}
	var raddr net.Addr
	if sa != nil {
		raddr = netAddr(sa, ln.fam.net)
	}
	return newConn(ln.loop, nfd, ln.fam, &ln.cfg, nil, raddr), nil
}

// readPolled is Read in RecvNetpoll mode; rmu is held.
func (c *Conn) readPolled(p []byte, wc waitCtx) (int, error) {
	return c.readResult(c.pollOp(&c.prd, p[:min(len(p), maxRW)], wc))
}

// pollOp attempts d's operation on p until the socket was ready for it,
// parking in the netpoller in between. The error is the deadline's reason
// (os.ErrDeadlineExceeded or net.ErrClosed) or the Loop's; a negative
// result is the op's -errno.
func (c *Conn) pollOp(d *pollDir, p []byte, wc waitCtx) (int32, error) {
	d.p, d.wc, d.res, d.err = p, wc, 0, nil
	var perr error
	if d.send {
		perr = c.prc.Write(d.try)
	} else {
		perr = c.prc.Read(d.try)
	}
	res, err := d.res, d.err
	d.p, d.wc, d.err = nil, waitCtx{}, nil
	if err != nil {
		return 0, err
	}
	if perr != nil {
		// The netpoller's deadline passed or the duplicate was closed:
		// say which in net's terms.
		return 0, d.deadline().reason()
	}
	return res, nil
}
