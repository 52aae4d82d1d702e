package uringnet

import (
	"net"
	"os"
	"sync"
	"sync/atomic"
	"syscall"
	"time"

	"github.com/uringkit/uring/ring"
)

// Conn is a stream connection (TCP or Unix) whose reads and writes run on
// a ring.Loop. It implements net.Conn; like a net.Conn it is safe for
// concurrent use: Reads are serialized with each other, Writes with each
// other, and Close, the deadline setters and CloseRead/CloseWrite may be
// called at any time.
type Conn struct {
	loop *ring.Loop
	fd   int
	fam  family
	zc   int // Config.ZeroCopy after the kernel check; 0 = off

	zcBusy atomic.Bool // a zero-copy send is waiting for its notification

	// life is read-locked by every call that uses fd, and write-locked by
	// Close once the blocked calls have been woken: the fd is closed only
	// when no call, and so no kernel operation, uses it.
	life   sync.RWMutex
	closed atomic.Bool

	rmu, wmu   sync.Mutex // one Read, one Write at a time
	rd, wd     deadline
	rreq, wreq *ring.Request // reused for every Read / Write
	recv       *provRecv     // RecvProvided state; nil for RecvDirect
	// RecvNetpoll: a non-blocking duplicate of fd registered with Go's
	// netpoller, whose deadlines mirror rd and wd; nil in other modes.
	pf       *os.File
	prc      syscall.RawConn
	prd, pwr pollDir // conn_linux.go's pollOp state, per direction

	addrMu       sync.Mutex
	laddr, raddr net.Addr
}

// maxRW caps one kernel read or write (as net does), so the byte count
// always fits the CQE's 32-bit result.
const maxRW = 1 << 30

// LocalAddr returns the local network address.
func (c *Conn) LocalAddr() net.Addr {
	c.addrMu.Lock()
	defer c.addrMu.Unlock()
	if c.laddr == nil {
		c.laddr = c.sockAddr(false)
	}
	return c.laddr
}

// RemoteAddr returns the remote network address. For an accepted conn it
// is asked from the kernel (getpeername) on first use and kept.
func (c *Conn) RemoteAddr() net.Addr {
	c.addrMu.Lock()
	defer c.addrMu.Unlock()
	if c.raddr == nil {
		c.raddr = c.sockAddr(true)
	}
	return c.raddr
}

// SetDeadline sets the read and write deadlines, as net.Conn does: a zero
// t clears them; a Read or Write blocked when the deadline passes returns
// an error for which errors.Is(err, os.ErrDeadlineExceeded) holds.
func (c *Conn) SetDeadline(t time.Time) error {
	if c.closed.Load() {
		return c.setError()
	}
	c.rd.set(t)
	c.wd.set(t)
	if c.pf != nil {
		_ = c.pf.SetDeadline(t)
	}
	return nil
}

// SetReadDeadline sets the deadline for Reads, also one already blocked.
func (c *Conn) SetReadDeadline(t time.Time) error {
	if c.closed.Load() {
		return c.setError()
	}
	c.rd.set(t)
	if c.pf != nil {
		_ = c.pf.SetReadDeadline(t)
	}
	return nil
}

// SetWriteDeadline sets the deadline for Writes, also one already blocked.
// A Write that times out may have sent part of its data; it returns how
// much.
func (c *Conn) SetWriteDeadline(t time.Time) error {
	if c.closed.Load() {
		return c.setError()
	}
	c.wd.set(t)
	if c.pf != nil {
		_ = c.pf.SetWriteDeadline(t)
	}
	return nil
}

// setError is net's error for a deadline set on a closed conn.
func (c *Conn) setError() error {
	return &net.OpError{Op: "set", Net: c.fam.net, Addr: c.LocalAddr(), Err: net.ErrClosed}
}

var _ net.Conn = (*Conn)(nil)
