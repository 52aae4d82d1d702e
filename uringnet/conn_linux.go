package uringnet

import (
	"io"
	"net"
	"syscall"
	"time"
	"unsafe"

	"github.com/uringkit/uring/ring"
	"golang.org/x/sys/unix"
)

// sendFlags: MSG_WAITALL makes the kernel retry a stream send until every
// byte is queued (io_uring's io_net_retry), so one SQE sends the whole
// buffer unless it fails or is cancelled, in which case the CQE still
// counts the bytes sent; MSG_NOSIGNAL turns SIGPIPE into EPIPE, as net's
// writes get it (the runtime ignores SIGPIPE on sockets).
const sendFlags = unix.MSG_WAITALL | unix.MSG_NOSIGNAL

// newConn wraps a connected socket. laddr may be nil (accepted conns ask
// the kernel on first use, see LocalAddr).
func newConn(l *ring.Loop, fd int, fam family, cfg *Config, laddr, raddr net.Addr) *Conn {
	c := &Conn{loop: l, fd: fd, fam: fam, laddr: laddr, raddr: raddr}
	c.rd.init()
	c.wd.init()
	c.rreq, c.wreq = ring.NewRequest(), ring.NewRequest()
	if fam.domain != unix.AF_UNIX {
		// net sets TCP_NODELAY on every TCP conn; so do we, so that small
		// writes behave (and measure) the same.
		_ = unix.SetsockoptInt(fd, unix.IPPROTO_TCP, unix.TCP_NODELAY, 1)
	}
	if cfg == nil {
		cfg = &defaultConfig
	}
	if cfg.ZeroCopy > 0 && l.CheckOp(ring.OpSendZC) == nil {
		c.zc = cfg.ZeroCopy
	}
	if cfg.Recv == RecvNetpoll {
		c.openPoll()
	}
	if cfg.Recv != RecvDirect && cfg.Recv != RecvNetpoll && fam.domain != unix.AF_UNIX {
		// Unix stream sockets always receive directly: on 6.18 a
		// multishot recv on one can miss the peer's shutdown (its last
		// data CQE has F_MORE, and no EOF CQE follows), which
		// TestEcho/unix of examples/echo caught.
		c.recv = newProvRecv(l, cfg.Recv == RecvAuto)
	}
	return c
}

// sockAddr asks the kernel for the local or the peer address. It runs
// under addrMu, which Close holds while it closes the fd, so it never asks
// about a closed (or reused) fd.
func (c *Conn) sockAddr(peer bool) net.Addr {
	if c.fd < 0 {
		return nil
	}
	var sa unix.Sockaddr
	var err error
	if peer {
		sa, err = unix.Getpeername(c.fd)
	} else {
		sa, err = unix.Getsockname(c.fd)
	}
	if err != nil {
		return nil
	}
	return netAddr(sa, c.fam.net)
}

// Read reads up to len(p) bytes, like net.Conn's Read: it blocks until
// some data arrived, the peer shut down (io.EOF), the read deadline
// passed or the conn was closed.
func (c *Conn) Read(p []byte) (int, error) {
	c.life.RLock()
	defer c.life.RUnlock()
	c.rmu.Lock()
	defer c.rmu.Unlock()
	wc, err := c.rd.arm()
	if err != nil {
		return 0, c.opError("read", err)
	}
	if len(p) == 0 {
		return 0, nil
	}
	if c.recv != nil && c.recv.ok {
		return c.readProvided(p, wc)
	}
	if c.pf != nil {
		return c.readPolled(p, wc)
	}
	return c.readDirect(p, wc)
}

// readDirect receives into p with one IORING_OP_RECV.
func (c *Conn) readDirect(p []byte, wc waitCtx) (int, error) {
	p = p[:min(len(p), maxRW)]
	r := c.rreq
	r.SQE.PrepRecv(int32(c.fd), p, 0)
	return c.readResult(c.run(r, p, wc, &c.rd))
}

// readResult turns a receive's result into Read's: bytes, io.EOF for 0,
// or a *net.OpError for the wait's error or the op's -errno.
func (c *Conn) readResult(res int32, err error) (int, error) {
	switch {
	case err != nil:
		return 0, c.opError("read", err)
	case res > 0:
		return int(res), nil
	case res == 0:
		return 0, io.EOF
	}
	return 0, c.opError("read", c.ioErrno("read", res))
}

// run submits r, whose SQE reads or writes buf, and waits for its result.
// r.Buf holds buf from Submit to the terminal CQE, so the kernel's memory
// stays reachable however the wait ends; it is dropped after, so the conn's
// reused Request does not keep the caller's slice. A wait that ended
// through wc (deadline, Close) has cancelled r in the kernel and waited for
// its last CQE; run then returns the reason, unless the op completed
// anyway (res >= 0), in which case the result counts, as the data moved.
func (c *Conn) run(r *ring.Request, buf []byte, wc waitCtx, d *deadline) (int32, error) {
	r.Buf = buf
	if err := c.loop.Submit(wc, r); err != nil {
		r.Buf = nil
		if wc.ended() {
			return 0, d.reason()
		}
		return 0, err
	}
	cqe, err := r.Wait(wc)
	r.Buf = nil
	if err != nil && !r.Completed() {
		// The Loop failed or closed: no result, whatever wc did. Wait's
		// CQE is then not the op's (a zero CQE's res 0 read as the
		// peer's EOF: TestReadDeadlineOnBrokenLoop). An error with the
		// op's own CQE is wc's.
		return 0, err
	}
	if cqe.Res < 0 && wc.ended() && isCancel(cqe.Res) {
		return 0, d.reason()
	}
	return cqe.Res, nil
}

// Write writes all of p, like net.Conn's Write: it returns len(p) and nil,
// or how many bytes were sent and why it stopped (write deadline, Close,
// the peer's reset: EPIPE/ECONNRESET).
func (c *Conn) Write(p []byte) (int, error) {
	c.life.RLock()
	defer c.life.RUnlock()
	c.wmu.Lock()
	defer c.wmu.Unlock()
	wc, err := c.wd.arm()
	if err != nil {
		return 0, c.opError("write", err)
	}
	n := 0
	for n < len(p) {
		chunk := p[n:min(len(p), n+maxRW)]
		r := c.wreq
		zc := c.zc > 0 && len(chunk) >= c.zc
		polled := !zc && c.pf != nil
		var res int32
		var err error
		switch {
		case polled:
			res, err = c.pollOp(&c.pwr, chunk, wc)
		case zc:
			// The Loop's Wait returns after the F_NOTIF CQE too, so the
			// kernel is done with chunk when this Write moves on.
			r.SQE.PrepSendZC(int32(c.fd), chunk, sendFlags, 0)
			c.zcBusy.Store(true)
			res, err = c.run(r, chunk, wc, &c.wd)
			c.zcBusy.Store(false)
		default:
			r.SQE.PrepSend(int32(c.fd), chunk, sendFlags)
			res, err = c.run(r, chunk, wc, &c.wd)
		}
		switch {
		case err != nil:
			return n, c.opError("write", err)
		case res < 0:
			return n, c.opError("write", c.ioErrno("write", res))
		case res == 0:
			return n, c.opError("write", io.ErrUnexpectedEOF)
		}
		n += int(res)
		if !polled && n < len(p) && wc.ended() {
			// Cancelled part-way: the CQE counted what was sent. (A
			// polled send that stopped short goes round again, as net's
			// write does, and meets the deadline in the netpoller.)
			return n, c.opError("write", c.wd.reason())
		}
	}
	return n, nil
}

// Close closes the conn. Blocked Reads and Writes return net.ErrClosed;
// their operations are cancelled in the kernel, and Close returns only
// after their last CQEs arrived (so the kernel no longer touches their
// buffers), then closes the socket. A second Close returns an error
// wrapping net.ErrClosed, as net's does.
func (c *Conn) Close() error {
	if !c.closed.CompareAndSwap(false, true) {
		return c.opError("close", net.ErrClosed)
	}
	c.rd.close()
	c.wd.close()
	if c.pf != nil {
		// Wakes a call parked in the netpoller; it returns net.ErrClosed.
		_ = c.pf.Close()
	}
	c.waitCalls()
	defer c.life.Unlock()
	if c.recv != nil {
		c.recv.stop()
	}
	c.rreq.Release()
	c.wreq.Release()
	c.rreq, c.wreq = nil, nil
	// Keep the addresses for errors after Close, then close the fd.
	laddr, raddr := c.LocalAddr(), c.RemoteAddr()
	c.addrMu.Lock()
	err := unix.Close(c.fd)
	c.fd = -1
	c.addrMu.Unlock()
	if err != nil {
		return &net.OpError{Op: "close", Net: c.fam.net, Source: laddr, Addr: raddr, Err: wrapSyscall("close", err)}
	}
	return nil
}

// waitCalls waits until every call that uses the fd has returned, and
// leaves life write-locked. The calls were woken (their deadline channels
// closed), so their operations are being cancelled. A zero-copy send is
// the exception: its buffer stays in the socket's send queue until the
// data is transmitted, so its notification CQE may never come while the
// peer does not read. Close then aborts the connection (connect(2) with
// AF_UNSPEC, which runs tcp_disconnect: the send queue is purged and an RST
// sent), which releases the buffer and lets the Write return.
func (c *Conn) waitCalls() {
	if c.zc == 0 {
		c.life.Lock()
		return
	}
	reset := false
	for !c.life.TryLock() {
		if !reset && c.zcBusy.Load() {
			reset = true
			c.abort()
		}
		time.Sleep(time.Millisecond)
	}
}

// abort disconnects the socket: connect(2) to an AF_UNSPEC address.
func (c *Conn) abort() {
	sa := unix.RawSockaddr{Family: unix.AF_UNSPEC}
	_, _, _ = unix.Syscall(unix.SYS_CONNECT, uintptr(c.fd), uintptr(unsafe.Pointer(&sa)), unsafe.Sizeof(sa))
}

// CloseRead shuts down the reading side (shutdown(2) SHUT_RD).
func (c *Conn) CloseRead() error { return c.shutdown(unix.SHUT_RD) }

// CloseWrite shuts down the writing side (shutdown(2) SHUT_WR): the peer
// reads io.EOF after the data already written.
func (c *Conn) CloseWrite() error { return c.shutdown(unix.SHUT_WR) }

func (c *Conn) shutdown(how int) error {
	c.life.RLock()
	defer c.life.RUnlock()
	if c.closed.Load() {
		return c.opError("close", net.ErrClosed)
	}
	if err := unix.Shutdown(c.fd, how); err != nil {
		return c.opError("close", wrapSyscall("shutdown", err))
	}
	return nil
}

// wrapSyscall wraps an errno in *os.SyscallError, as net does.
func wrapSyscall(call string, err error) error {
	if errno, ok := err.(syscall.Errno); ok {
		return errnoError(call, -int32(errno))
	}
	return err
}
