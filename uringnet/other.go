//go:build !linux

package uringnet

import (
	"context"
	"net"
	"time"

	"github.com/uringkit/uring/ring"
)

// io_uring needs Linux: elsewhere Listen and Dial fail with
// ring.ErrUnsupportedOS (wrapped in a *net.OpError), so no Conn or
// Listener ever exists and their methods below are never reached.

// Listener is the io_uring listener; see listener_linux.go.
type Listener struct{}

// Listen fails with ring.ErrUnsupportedOS outside Linux.
func (c *Config) Listen(network, address string) (net.Listener, error) {
	return nil, &net.OpError{Op: "listen", Net: network, Err: ring.ErrUnsupportedOS}
}

// DialContext fails with ring.ErrUnsupportedOS outside Linux.
func (c *Config) DialContext(ctx context.Context, network, address string) (net.Conn, error) {
	return nil, &net.OpError{Op: "dial", Net: network, Err: ring.ErrUnsupportedOS}
}

// Accept fails with ring.ErrUnsupportedOS outside Linux.
func (ln *Listener) Accept() (net.Conn, error) { return nil, ring.ErrUnsupportedOS }

// Close fails with ring.ErrUnsupportedOS outside Linux.
func (ln *Listener) Close() error { return ring.ErrUnsupportedOS }

// Addr returns nil outside Linux.
func (ln *Listener) Addr() net.Addr { return nil }

type provRecv struct{}

func (c *Conn) sockAddr(peer bool) net.Addr { return nil }

// Read fails with ring.ErrUnsupportedOS outside Linux.
func (c *Conn) Read(p []byte) (int, error) { return 0, ring.ErrUnsupportedOS }

// Write fails with ring.ErrUnsupportedOS outside Linux.
func (c *Conn) Write(p []byte) (int, error) { return 0, ring.ErrUnsupportedOS }

// Close fails with ring.ErrUnsupportedOS outside Linux.
func (c *Conn) Close() error { return ring.ErrUnsupportedOS }

// CloseRead fails with ring.ErrUnsupportedOS outside Linux.
func (c *Conn) CloseRead() error { return ring.ErrUnsupportedOS }

// CloseWrite fails with ring.ErrUnsupportedOS outside Linux.
func (c *Conn) CloseWrite() error { return ring.ErrUnsupportedOS }

// SetDeadline fails with ring.ErrUnsupportedOS outside Linux.
func (ln *Listener) SetDeadline(t time.Time) error { return ring.ErrUnsupportedOS }

// SetNoDelay fails with ring.ErrUnsupportedOS outside Linux.
func (c *Conn) SetNoDelay(noDelay bool) error { return ring.ErrUnsupportedOS }

// SetKeepAlive fails with ring.ErrUnsupportedOS outside Linux.
func (c *Conn) SetKeepAlive(keepalive bool) error { return ring.ErrUnsupportedOS }

// SetKeepAlivePeriod fails with ring.ErrUnsupportedOS outside Linux.
func (c *Conn) SetKeepAlivePeriod(d time.Duration) error { return ring.ErrUnsupportedOS }

// SetReadBuffer fails with ring.ErrUnsupportedOS outside Linux.
func (c *Conn) SetReadBuffer(bytes int) error { return ring.ErrUnsupportedOS }

// SetWriteBuffer fails with ring.ErrUnsupportedOS outside Linux.
func (c *Conn) SetWriteBuffer(bytes int) error { return ring.ErrUnsupportedOS }

// SetLinger fails with ring.ErrUnsupportedOS outside Linux.
func (c *Conn) SetLinger(sec int) error { return ring.ErrUnsupportedOS }
