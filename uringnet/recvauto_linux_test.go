package uringnet_test

import (
	"bytes"
	"io"
	"testing"

	"github.com/google/go-cmp/cmp"
	"github.com/uringkit/uring/ring"
	"github.com/uringkit/uring/uringnet"
)

// TestRecvAutoSwitch: with RecvAuto a conn that exchanges small messages
// keeps receiving through the provided-buffer ring, and one that is sent
// 4 MiB read with 64 KiB buffers switches to direct receives; the bytes
// arrive intact across the switch. Unix conns always receive directly.
func TestRecvAutoSwitch(t *testing.T) {
	needUring(t)
	small, peer := pair(t, autoEn, "tcp", "127.0.0.1:0")
	buf := make([]byte, 64)
	for i := range 100 {
		msg := []byte{byte(i), 'x'}
		peer.Write(msg)
		if _, err := io.ReadFull(small, buf[:2]); err != nil || !bytes.Equal(buf[:2], msg) {
			t.Fatalf("message %d: %q, %v", i, buf[:2], err)
		}
	}
	bulk, peer2 := pair(t, autoEn, "tcp", "127.0.0.1:0")
	data := make([]byte, 4<<20)
	for i := range data {
		data[i] = byte(i * 7)
	}
	go func() {
		peer2.Write(data)
		peer2.Close()
	}()
	var got []byte
	rbuf := make([]byte, 64<<10)
	for {
		n, err := bulk.Read(rbuf)
		got = append(got, rbuf[:n]...)
		if err == io.EOF {
			break
		}
		if err != nil {
			t.Fatal(err)
		}
	}
	if !bytes.Equal(got, data) {
		t.Errorf("bulk data differs: got %d bytes", len(got))
	}
	unixConn, _ := pair(t, autoEn, "unix", t.TempDir()+"/sock")
	want := []string{"provided", "provided->direct", "direct"}
	if d := cmp.Diff(want, []string{uringnet.RecvPath(small), uringnet.RecvPath(bulk), uringnet.RecvPath(unixConn)}); d != "" {
		t.Errorf("receive paths (-want +got):\n%s", d)
	}
}

// TestPoolOfClosedLoopDropped: a Loop passed in Config gets its own
// provided-buffer pool; once that Loop is closed, the next pool created
// drops it, so short-lived Loops do not pile up 4 MiB each.
func TestPoolOfClosedLoopDropped(t *testing.T) {
	needUring(t)
	use := func() *ring.Loop {
		l, err := ring.NewLoop()
		if err != nil {
			t.Fatal(err)
		}
		cfg := &uringnet.Config{Loop: l, Recv: uringnet.RecvAuto}
		ln, err := cfg.Listen("tcp", "127.0.0.1:0")
		if err != nil {
			t.Fatal(err)
		}
		defer ln.Close()
		c, err := cfg.Dial("tcp", ln.Addr().String())
		if err != nil {
			t.Fatal(err)
		}
		c.Close()
		return l
	}
	first := use()
	if !uringnet.HasPool(first) {
		t.Fatal("no pool for the first Loop after a conn used it")
	}
	first.Close()
	second := use()
	defer second.Close()
	if got := []bool{uringnet.HasPool(first), uringnet.HasPool(second)}; !cmp.Equal(got, []bool{false, true}) {
		t.Errorf("pools of (closed first Loop, second Loop) = %v, want [false true]", got)
	}
}

// TestRecvAutoOnSeveralRings: on a Loop made WithRings(2) the pool's
// buffer ring lives on the home ring and the Loop sends the conn's
// buffer-select recvs there (ring.Loop.DoBufferGroup): the conn receives
// through provided buffers, and its bytes arrive intact (a recv on the
// other ring would fail with ENOBUFS).
func TestRecvAutoOnSeveralRings(t *testing.T) {
	needUring(t)
	l, err := ring.NewLoop(ring.WithRings(2))
	if err != nil {
		t.Fatal(err)
	}
	defer l.Close()
	cfg := &uringnet.Config{Loop: l, Recv: uringnet.RecvAuto}
	ln, err := cfg.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		t.Fatal(err)
	}
	defer ln.Close()
	accepted := make(chan any, 1)
	go func() {
		c, err := ln.Accept()
		if err != nil {
			accepted <- err
			return
		}
		accepted <- c
	}()
	c, err := cfg.Dial("tcp", ln.Addr().String())
	if err != nil {
		t.Fatal(err)
	}
	defer c.Close()
	srv, ok := (<-accepted).(interface {
		io.ReadWriteCloser
	})
	if !ok {
		t.Fatal("accept failed")
	}
	defer srv.Close()
	var got []string
	buf := make([]byte, 16)
	for i := range 50 {
		msg := []byte{'m', byte('a' + i%26)}
		if _, err := c.Write(msg); err != nil {
			t.Fatal(err)
		}
		if _, err := io.ReadFull(srv, buf[:2]); err != nil {
			t.Fatal(err)
		}
		got = append(got, string(buf[:2]))
	}
	var want []string
	for i := range 50 {
		want = append(want, string([]byte{'m', byte('a' + i%26)}))
	}
	if d := cmp.Diff(want, got); d != "" {
		t.Errorf("messages (-want +got):\n%s", d)
	}
	if got := []any{uringnet.RecvPath(srv), uringnet.HasPool(l)}; !cmp.Equal(got, []any{"provided", true}) {
		t.Errorf("(receive path, pool) on a 2-ring Loop = %v, want [provided true]", got)
	}
}
