package uringnet

import (
	"net"
	"time"

	"golang.org/x/sys/unix"
)

// Socket options with the methods and errors of *net.TCPConn, so code
// that tunes its conns keeps working. They are setsockopt(2) calls: they
// do not block, so they do not go through the ring.

// SetNoDelay sets TCP_NODELAY (on by default, as in net).
func (c *Conn) SetNoDelay(noDelay bool) error {
	return c.setsockopt(unix.IPPROTO_TCP, unix.TCP_NODELAY, boolint(noDelay))
}

// SetKeepAlive sets SO_KEEPALIVE.
func (c *Conn) SetKeepAlive(keepalive bool) error {
	return c.setsockopt(unix.SOL_SOCKET, unix.SO_KEEPALIVE, boolint(keepalive))
}

// SetKeepAlivePeriod sets the idle time and the probe interval
// (TCP_KEEPIDLE, TCP_KEEPINTVL), rounded up to whole seconds.
func (c *Conn) SetKeepAlivePeriod(d time.Duration) error {
	secs := int((d + time.Second - 1) / time.Second)
	if err := c.setsockopt(unix.IPPROTO_TCP, unix.TCP_KEEPIDLE, secs); err != nil {
		return err
	}
	return c.setsockopt(unix.IPPROTO_TCP, unix.TCP_KEEPINTVL, secs)
}

// SetReadBuffer sets SO_RCVBUF.
func (c *Conn) SetReadBuffer(bytes int) error {
	return c.setsockopt(unix.SOL_SOCKET, unix.SO_RCVBUF, bytes)
}

// SetWriteBuffer sets SO_SNDBUF.
func (c *Conn) SetWriteBuffer(bytes int) error {
	return c.setsockopt(unix.SOL_SOCKET, unix.SO_SNDBUF, bytes)
}

// SetLinger sets SO_LINGER as *net.TCPConn's does: sec < 0 is the
// default (Close returns at once, the kernel sends queued data in the
// background), 0 makes Close discard unsent data and reset the
// connection, sec > 0 waits up to sec seconds for the data to be sent.
func (c *Conn) SetLinger(sec int) error {
	c.life.RLock()
	defer c.life.RUnlock()
	if c.closed.Load() {
		return c.opError("set", net.ErrClosed)
	}
	l := &unix.Linger{}
	if sec >= 0 {
		l.Onoff, l.Linger = 1, int32(sec)
	}
	if err := unix.SetsockoptLinger(c.fd, unix.SOL_SOCKET, unix.SO_LINGER, l); err != nil {
		return c.opError("set", wrapSyscall("setsockopt", err))
	}
	return nil
}

func (c *Conn) setsockopt(level, opt, v int) error {
	c.life.RLock()
	defer c.life.RUnlock()
	if c.closed.Load() {
		return c.opError("set", net.ErrClosed)
	}
	if err := unix.SetsockoptInt(c.fd, level, opt, v); err != nil {
		return c.opError("set", wrapSyscall("setsockopt", err))
	}
	return nil
}

func boolint(b bool) int {
	if b {
		return 1
	}
	return 0
}
