package uringnet

import (
	"context"
	"net"

	"github.com/uringkit/uring/ring"
	"golang.org/x/sys/unix"
)

// DialContext is the package-level DialContext with c's choices. The
// connect runs as IORING_OP_CONNECT; a ctx that ends first cancels it in
// the kernel. A host name with several addresses is tried address by
// address, in the resolver's order, as net does.
func (c *Config) DialContext(ctx context.Context, network, address string) (net.Conn, error) {
	sas, raddrs, fam, err := resolveAll(ctx, network, address, false)
	if err != nil {
		return nil, &net.OpError{Op: "dial", Net: network, Err: err}
	}
	l, err := c.loop()
	if err != nil {
		return nil, &net.OpError{Op: "dial", Net: network, Addr: raddrs[0], Err: err}
	}
	if err := l.CheckOp(ring.OpConnect); err != nil {
		return nil, &net.OpError{Op: "dial", Net: network, Addr: raddrs[0], Err: err}
	}
	var first error
	for i, sa := range sas {
		if err := ctx.Err(); err != nil {
			// As net does, a context that has ended stops the dial before
			// the next attempt (a connect to loopback can complete inside
			// the submit, before the Loop looks at the context).
			if first == nil {
				first = &net.OpError{Op: "dial", Net: network, Addr: raddrs[i], Err: dialContextError(err)}
			}
			break
		}
		fam.domain = domainOf(sa)
		conn, err := c.connect(ctx, l, sa, raddrs[i], fam)
		if err == nil {
			return conn, nil
		}
		if first == nil {
			first = &net.OpError{Op: "dial", Net: network, Addr: raddrs[i], Err: err}
		}
		if ctx.Err() != nil {
			break
		}
	}
	return nil, first
}

// connect makes one connection attempt.
func (c *Config) connect(ctx context.Context, l *ring.Loop, sa unix.Sockaddr, raddr net.Addr, fam family) (*Conn, error) {
	fd, err := unix.Socket(fam.domain, unix.SOCK_STREAM|unix.SOCK_CLOEXEC, 0)
	if err != nil {
		return nil, wrapSyscall("socket", err)
	}
	rsa, n := rawSockaddr(sa)
	r := ring.NewRequest()
	r.SQE.PrepConnect(int32(fd), rsa, n)
	r.Keep = rsa // the kernel reads the address until the CQE
	if err := l.Submit(ctx, r); err != nil {
		r.Release()
		unix.Close(fd)
		if ctx.Err() != nil {
			err = dialContextError(ctx.Err())
		}
		return nil, err
	}
	cqe, err := r.Wait(ctx)
	r.Release()
	switch {
	case ctx.Err() != nil && (err != nil || cqe.Res < 0):
		unix.Close(fd)
		return nil, dialContextError(ctx.Err())
	case err != nil:
		unix.Close(fd)
		return nil, err
	case cqe.Res < 0:
		unix.Close(fd)
		return nil, errnoError("connect", cqe.Res)
	}
	var laddr net.Addr
	if got, err := unix.Getsockname(fd); err == nil {
		laddr = netAddr(got, fam.net)
	}
	return newConn(l, fd, fam, c, laddr, raddr), nil
}
