// Command echo is an echo server on uringnet: on every connection it
// writes back every byte it reads until the peer closes (or half-closes)
// its side, then closes the connection.
//
//	go run ./examples/echo -addr 127.0.0.1:7007
//	go run ./examples/echo -net unix -addr /tmp/echo.sock
//
// Accept is a multishot accept; each connection's reads and writes run on
// uringnet's Loop, one goroutine per connection, as with package net.
package main

import (
	"errors"
	"flag"
	"fmt"
	"io"
	"log"
	"net"
	"os"

	"github.com/uringkit/uring/uringnet"
)

func main() {
	if err := run(os.Args[1:], os.Stdout, nil); err != nil {
		log.Fatal(err)
	}
}

// run parses the flags, listens and serves until the listener is closed.
// started, if not nil, receives the listener once it listens.
func run(args []string, out io.Writer, started chan<- net.Listener) error {
	fs := flag.NewFlagSet("echo", flag.ContinueOnError)
	addr := fs.String("addr", "127.0.0.1:7007", "address to listen on (a path for -net unix)")
	network := fs.String("net", "tcp", "network: tcp, tcp4, tcp6 or unix")
	recv := fs.String("recv", "netpoll", "receive mode: netpoll (readiness from Go's netpoller, data through io_uring), auto (provided buffers until bulk traffic), direct (one recv per Read) or provided (multishot recv into a provided-buffer ring)")
	if err := fs.Parse(args); err != nil {
		return err
	}
	cfg := &uringnet.Config{}
	switch *recv {
	case "netpoll":
	case "auto":
		cfg.Recv = uringnet.RecvAuto
	case "direct":
		cfg.Recv = uringnet.RecvDirect
	case "provided":
		cfg.Recv = uringnet.RecvProvided
	default:
		return fmt.Errorf("echo: -recv %q: want netpoll, auto, direct or provided", *recv)
	}
	ln, err := cfg.Listen(*network, *addr)
	if err != nil {
		return err
	}
	fmt.Fprintf(out, "echo: listening on %s %s\n", ln.Addr().Network(), ln.Addr())
	if started != nil {
		started <- ln
	}
	return serve(ln)
}

// serve accepts connections until ln is closed.
func serve(ln net.Listener) error {
	for {
		c, err := ln.Accept()
		if errors.Is(err, net.ErrClosed) {
			return nil
		}
		if err != nil {
			return err
		}
		go echo(c)
	}
}

// echo copies c to itself until EOF or an error, then closes c.
func echo(c net.Conn) {
	defer c.Close()
	buf := make([]byte, 32<<10)
	for {
		n, err := c.Read(buf)
		if n > 0 {
			if _, werr := c.Write(buf[:n]); werr != nil {
				return
			}
		}
		if err != nil {
			return
		}
	}
}
