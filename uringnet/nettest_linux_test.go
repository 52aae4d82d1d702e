package uringnet_test

import (
	"net"
	"testing"

	"golang.org/x/net/nettest"
)

// TestNettestConn runs golang.org/x/net/nettest.TestConn, the conformance
// suite for net.Conn implementations (basic I/O, ping-pong, concurrent
// reads and writes, Close while reading or writing, past, future and
// racing deadlines), on a TCP connection made by each uringnet engine:
// both ends are uringnet Conns. The owner-mode engine included.
func TestNettestConn(t *testing.T) {
	needUring(t)
	for _, en := range engines[1:] {
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
