package uringnet_test

import (
	"io"
	"testing"

	"github.com/uringkit/uring/uringnet"
)

func TestSmokeEcho(t *testing.T) {
	ln, err := uringnet.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		t.Fatal(err)
	}
	defer ln.Close()
	go func() {
		c, err := ln.Accept()
		if err != nil {
			t.Error(err)
			return
		}
		defer c.Close()
		io.Copy(c, c)
	}()
	c, err := uringnet.Dial("tcp", ln.Addr().String())
	if err != nil {
		t.Fatal(err)
	}
	defer c.Close()
	if _, err := c.Write([]byte("hello")); err != nil {
		t.Fatal(err)
	}
	b := make([]byte, 5)
	if _, err := io.ReadFull(c, b); err != nil {
		t.Fatal(err)
	}
	t.Logf("%q %v %v", b, c.LocalAddr(), c.RemoteAddr())
}
