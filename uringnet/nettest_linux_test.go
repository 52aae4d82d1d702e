package uringnet_test

import (
	"net"
	"testing"

	"github.com/uringkit/uring/ring"
	"github.com/uringkit/uring/uringnet"
	"golang.org/x/net/nettest"
)

// TestNettestConn runs golang.org/x/net/nettest.TestConn, the conformance
// suite for net.Conn implementations (basic I/O, ping-pong, concurrent
// reads and writes, Close while reading or writing, past, future and
// racing deadlines), on a TCP connection made by each uringnet engine:
// both ends are uringnet Conns. The owner-mode engine included, and the
// completion-driven modes on a Loop over two rings (WithRings(2): the
// conns' ops, cancels and deadlines spread over both).
func TestNettestConn(t *testing.T) {
	needUring(t)
	l, err := ring.NewLoop(ring.WithRings(2))
	if err != nil {
		t.Fatal(err)
	}
	defer l.Close()
	rings2 := func(name string, mode uringnet.RecvMode) engine {
		c := &uringnet.Config{Loop: l, Recv: mode}
		return engine{name: name, listen: c.Listen, dial: c.Dial, dialCtx: c.DialContext}
	}
	all := append(engines[1:len(engines):len(engines)],
		rings2("uringnet-direct-rings2", uringnet.RecvDirect), rings2("uringnet-auto-rings2", uringnet.RecvAuto))
	for _, en := range all {
		t.Run(en.name, func(t *testing.T) {
			nettest.TestConn(t, func() (c1, c2 net.Conn, stop func(), err error) {
				ln, err := en.listen("tcp", "127.0.0.1:0")
				if err != nil {
					return nil, nil, nil, err
				}
				defer ln.Close()
				type accepted struct {
					c   net.Conn
					err error
				}
				ch := make(chan accepted, 1)
				go func() {
					c, err := ln.Accept()
					ch <- accepted{c, err}
				}()
				c1, err = en.dial("tcp", ln.Addr().String())
				if err != nil {
					return nil, nil, nil, err
				}
				a := <-ch
				if a.err != nil {
					c1.Close()
					return nil, nil, nil, a.err
				}
				c2 = a.c
				return c1, c2, func() { c1.Close(); c2.Close() }, nil
			})
		})
	}
}
