package uringnet

import (
	"context"
	"net"
	"os"
	"strconv"
	"strings"
	"sync"
	"sync/atomic"
	"syscall"
	"time"

	"github.com/uringkit/uring/ring"
	"golang.org/x/sys/unix"
)

// Listener accepts stream connections through one multishot accept
// (IORING_OP_ACCEPT with IORING_ACCEPT_MULTISHOT, 5.19): a single SQE posts
// a CQE per incoming connection, so accepting costs no SQE while it stays
// armed. It implements net.Listener.
type Listener struct {
	loop *ring.Loop
	fd   int
	fam  family
	addr net.Addr
	cfg  Config
	path string // Unix socket file to remove on Close ("" if none)

	mu     sync.Mutex    // one Accept reads the multishot stream at a time
	req    *ring.Request // the multishot accept, nil when not armed
	dl     deadline      // Accept's deadline; closed by Close
	closed atomic.Bool
	// RecvNetpoll: Accept waits for readiness in Go's netpoller on a
	// non-blocking duplicate of fd (netpoll_linux.go) instead of keeping a
	// multishot accept in flight; nil in other modes.
	pf  *os.File
	prc syscall.RawConn
}

// Listen is the package-level Listen with c's choices.
func (c *Config) Listen(network, address string) (net.Listener, error) {
	sa, addr, fam, err := resolve(context.Background(), network, address, true)
	if err != nil {
		return nil, &net.OpError{Op: "listen", Net: network, Err: err}
	}
	fail := func(err error) (net.Listener, error) {
		return nil, &net.OpError{Op: "listen", Net: network, Addr: addr, Err: err}
	}
	l, err := c.loop()
	if err != nil {
		return fail(err)
	}
	if err := l.CheckOp(ring.OpAccept); err != nil {
		return fail(err)
	}
	fd, err := unix.Socket(fam.domain, unix.SOCK_STREAM|unix.SOCK_CLOEXEC, 0)
	if err != nil {
		return fail(wrapSyscall("socket", err))
	}
	if fam.domain != unix.AF_UNIX {
		// As net does: rebinding a port with connections in TIME_WAIT.
		if err := unix.SetsockoptInt(fd, unix.SOL_SOCKET, unix.SO_REUSEADDR, 1); err != nil {
			unix.Close(fd)
			return fail(wrapSyscall("setsockopt", err))
		}
	}
	if err := unix.Bind(fd, sa); err != nil {
		unix.Close(fd)
		return fail(wrapSyscall("bind", err))
	}
	if err := unix.Listen(fd, listenBacklog()); err != nil {
		unix.Close(fd)
		return fail(wrapSyscall("listen", err))
	}
	ln := &Listener{loop: l, fd: fd, fam: fam, addr: addr, cfg: *c}
	ln.dl.init()
	if c != nil && c.Recv == RecvNetpoll {
		ln.pf, ln.prc = pollFile(fd)
	}
	if got, err := unix.Getsockname(fd); err == nil {
		ln.addr = netAddr(got, network)
	}
	if ua, ok := addr.(*net.UnixAddr); ok && ua.Name != "" && ua.Name[0] != '@' {
		ln.path = ua.Name // net's UnixListener removes the file on Close
	}
	return ln, nil
}

// listenBacklog is net's: the kernel's somaxconn.
func listenBacklog() int {
	b, err := os.ReadFile("/proc/sys/net/core/somaxconn")
	if err == nil {
		if n, err := strconv.Atoi(strings.TrimSpace(string(b))); err == nil && n > 0 {
			return min(n, 1<<16-1)
		}
	}
	return unix.SOMAXCONN
}

// Addr returns the listener's network address.
func (ln *Listener) Addr() net.Addr { return ln.addr }

// Accept waits for the next connection. After Close it returns an error
// wrapping net.ErrClosed; after the deadline set with SetDeadline, one
// wrapping os.ErrDeadlineExceeded (the multishot accept is then cancelled
// and the next Accept arms a new one).
func (ln *Listener) Accept() (net.Conn, error) {
	ln.mu.Lock()
	defer ln.mu.Unlock()
	wc, err := ln.dl.arm()
	if err != nil {
		return nil, ln.acceptError(err)
	}
	if ln.prc != nil {
		return ln.acceptPolled()
	}
	for {
		if ln.closed.Load() {
			return nil, ln.acceptError(net.ErrClosed)
		}
		if ln.req == nil {
			r := ring.NewRequest()
			r.SQE.PrepAcceptMultishot(int32(ln.fd), nil, nil, unix.SOCK_CLOEXEC)
			if err := ln.loop.Submit(wc, r); err != nil {
				r.Release()
				if wc.ended() {
					return nil, ln.acceptError(ln.dl.reason())
				}
				return nil, ln.acceptError(err)
			}
			ln.req = r
		}
		cqe, ok, err := ln.req.Next(wc)
		if !ok {
			// The kernel ended the multishot (after an error CQE we
			// already returned, or a cancel): the next round arms a new
			// one.
			ln.req.Release()
			ln.req = nil
			if wc.ended() {
				return nil, ln.acceptError(ln.dl.reason())
			}
			if loopFailed(err) {
				return nil, ln.acceptError(err)
			}
			continue
		}
		if cqe.Res < 0 {
			if isCancel(cqe.Res) {
				// This call's deadline or Close, or the cancel of an
				// earlier Accept that returned a conn before the
				// multishot's last CQE: read on to the end, then report
				// why (or arm a new one).
				continue
			}
			// EMFILE, ENFILE, ECONNABORTED, ...: reported as net does
			// (http.Server retries the temporary ones).
			return nil, ln.acceptError(errnoError("accept", cqe.Res))
		}
		fd := int(cqe.Res)
		if ln.closed.Load() {
			unix.Close(fd)
			continue
		}
		// The peer's address now, as net has it from accept(2): a
		// multishot accept has one sockaddr for all its CQEs, and after a
		// reset getpeername fails.
		var raddr net.Addr
		if sa, err := unix.Getpeername(fd); err == nil {
			raddr = netAddr(sa, ln.fam.net)
		}
		return newConn(ln.loop, fd, ln.fam, &ln.cfg, nil, raddr), nil
	}
}

// SetDeadline sets the deadline for Accept, also one already blocked, as
// *net.TCPListener's does; the zero time clears it. On a closed listener
// it returns net.ErrClosed itself (net does not wrap this one).
func (ln *Listener) SetDeadline(t time.Time) error {
	if ln.closed.Load() {
		return net.ErrClosed
	}
	ln.dl.set(t)
	if ln.pf != nil {
		_ = ln.pf.SetReadDeadline(t)
	}
	return nil
}

func (ln *Listener) acceptError(err error) error {
	return &net.OpError{Op: "accept", Net: ln.fam.net, Addr: ln.addr, Err: err}
}

// Close stops listening: it cancels the multishot accept, waits for its
// last CQE (closing any connection the kernel accepted meanwhile), closes
// the socket and, for a Unix socket it created, removes the file. A
// blocked Accept returns net.ErrClosed.
func (ln *Listener) Close() error {
	if !ln.closed.CompareAndSwap(false, true) {
		return &net.OpError{Op: "close", Net: ln.fam.net, Addr: ln.addr, Err: net.ErrClosed}
	}
	ln.dl.close() // a blocked Accept's Next cancels the accept
	if ln.pf != nil {
		_ = ln.pf.Close() // wakes an Accept parked in the netpoller
	}
	ln.mu.Lock()
	defer ln.mu.Unlock()
	if r := ln.req; r != nil {
		r.Cancel()
		for {
			cqe, ok, _ := r.Next(context.Background())
			if !ok {
				break
			}
			if cqe.Res >= 0 {
				unix.Close(int(cqe.Res))
			}
		}
		r.Release()
		ln.req = nil
	}
	var err error
	if e := unix.Close(ln.fd); e != nil {
		err = &net.OpError{Op: "close", Net: ln.fam.net, Addr: ln.addr, Err: wrapSyscall("close", e)}
	}
	if ln.path != "" {
		_ = unix.Unlink(ln.path)
	}
	return err
}

var _ net.Listener = (*Listener)(nil)
