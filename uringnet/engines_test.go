package uringnet_test

import (
	"context"
	"errors"
	"fmt"
	"io"
	"net"
	"os"
	"sync"
	"syscall"
	"testing"

	"github.com/uringkit/uring/ring"
	"github.com/uringkit/uring/uringnet"
)

// The tests in this package run each scenario on two engines, package net
// and uringnet, and compare what the caller sees (values, error kinds) with
// cmp.Diff: uringnet's contract is "whatever net does".

// engine is a way to listen and dial.
type engine struct {
	name    string
	listen  func(network, address string) (net.Listener, error)
	dial    func(network, address string) (net.Conn, error)
	dialCtx func(ctx context.Context, network, address string) (net.Conn, error)
}

var (
	netEngine  = engine{"net", net.Listen, net.Dial, (&net.Dialer{}).DialContext}
	uringnetEn = engine{"uringnet", uringnet.Listen, uringnet.Dial, uringnet.DialContext}
	direct     = &uringnet.Config{Recv: uringnet.RecvDirect}
	zeroCopy   = &uringnet.Config{ZeroCopy: 64 << 10}
	directEn   = engine{"uringnet-direct", direct.Listen, direct.Dial, direct.DialContext}
	auto       = &uringnet.Config{Recv: uringnet.RecvAuto}
	autoEn     = engine{"uringnet-auto", auto.Listen, auto.Dial, auto.DialContext}
	zeroCopyEn = engine{"uringnet-zerocopy", zeroCopy.Listen, zeroCopy.Dial, zeroCopy.DialContext}
)

// ownerEn runs on an owner-mode Loop (SINGLE_ISSUER|DEFER_TASKRUN: one
// locked thread makes every enter and register, so the provided-buffer
// ring is registered through Loop.Do), made on first use.
var ownerEn = engine{"uringnet-owner",
	func(n, a string) (net.Listener, error) { return ownerConfig().Listen(n, a) },
	func(n, a string) (net.Conn, error) { return ownerConfig().Dial(n, a) },
	func(ctx context.Context, n, a string) (net.Conn, error) { return ownerConfig().DialContext(ctx, n, a) },
}

var ownerConfig = sync.OnceValue(func() *uringnet.Config {
	l, err := ring.NewLoop(ring.WithMode(ring.ModeOwner), ring.WithLoopCQSize(8192))
	if err != nil {
		panic(err) // needUring has checked that io_uring works
	}
	return &uringnet.Config{Loop: l}
})

// engines are the engines every comparison runs on; the first is the
// reference. uringnet's default waits in Go's netpoller and moves the data
// with io_uring ops (RecvNetpoll); RecvDirect, RecvAuto (provided buffers
// until bulk traffic), zero-copy sends and the owner-mode Loop are the
// other paths.
var engines = []engine{netEngine, uringnetEn, directEn, autoEn, zeroCopyEn, ownerEn}

// needUring skips the test when io_uring cannot be set up here at all
// (seccomp, sysctl), naming the reason.
func needUring(t testing.TB) {
	t.Helper()
	l, err := uringnet.Listen("tcp", "127.0.0.1:0")
	if errors.Is(err, ring.ErrUnavailable) {
		t.Skipf("io_uring unavailable: %v", err)
	}
	if errors.Is(err, ring.ErrNotSupported) {
		t.Skipf("kernel lacks what uringnet needs: %v", err)
	}
	if err != nil {
		t.Fatal(err)
	}
	l.Close()
}

// pair returns a connected pair: c from e.dial, to a listener made by e,
// and the accepted side s (also e's).
func pair(t testing.TB, e engine, network, address string) (c, s net.Conn) {
	t.Helper()
	ln, err := e.listen(network, address)
	if err != nil {
		t.Fatalf("%s: listen: %v", e.name, err)
	}
	defer ln.Close()
	type res struct {
		c   net.Conn
		err error
	}
	ch := make(chan res, 1)
	go func() {
		c, err := ln.Accept()
		ch <- res{c, err}
	}()
	c, err = e.dial(network, ln.Addr().String())
	if err != nil {
		t.Fatalf("%s: dial: %v", e.name, err)
	}
	r := <-ch
	if r.err != nil {
		t.Fatalf("%s: accept: %v", e.name, r.err)
	}
	t.Cleanup(func() { c.Close(); r.c.Close() })
	return c, r.c
}

// kind describes an error by what callers test: the OpError's Op and Net,
// the system call named, and which of net's conditions it is.
func kind(err error) string {
	if err == nil {
		return "nil"
	}
	if err == io.EOF {
		return "EOF"
	}
	s := ""
	var op *net.OpError
	if errors.As(err, &op) {
		s = op.Op + " " + op.Net + ": "
	}
	var sc *os.SyscallError
	if errors.As(err, &sc) {
		s += sc.Syscall + ": "
	}
	var errno syscall.Errno
	switch {
	case errors.Is(err, os.ErrDeadlineExceeded):
		s += "deadline exceeded"
	case errors.Is(err, net.ErrClosed):
		s += "closed"
	case errors.Is(err, context.Canceled):
		s += "context canceled"
	case errors.Is(err, context.DeadlineExceeded):
		s += "context deadline exceeded"
	case errors.As(err, &errno):
		s += "errno " + errnoName(errno)
	default:
		s += fmt.Sprintf("%T", errors.Unwrap(err))
	}
	var ne net.Error
	if errors.As(err, &ne) && ne.Timeout() {
		s += " (timeout)"
	}
	return s
}

func errnoName(e syscall.Errno) string {
	for _, n := range []struct {
		e    syscall.Errno
		name string
	}{
		{syscall.ECONNRESET, "ECONNRESET"}, {syscall.ECONNREFUSED, "ECONNREFUSED"},
		{syscall.EADDRINUSE, "EADDRINUSE"}, {syscall.EPIPE, "EPIPE"}, {syscall.ENOENT, "ENOENT"},
		{syscall.ENOTCONN, "ENOTCONN"}, {syscall.EINVAL, "EINVAL"},
	} {
		if n.e == e {
			return n.name
		}
	}
	return fmt.Sprintf("%d", int(e))
}
