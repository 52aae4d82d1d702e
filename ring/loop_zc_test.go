package ring_test

import (
	"bytes"
	"context"
	"io"
	"net"
	"testing"

	"github.com/uringkit/uring/ring"
)

// TestLoopSendZC: a zero-copy send posts its result CQE (F_MORE) and then
// a NOTIF CQE once the kernel no longer needs the buffer. Next returns
// both, in that order; Wait returns the result CQE, and only after the
// NOTIF arrived (so the buffer is free when Wait returns).
func TestLoopSendZC(t *testing.T) {
	forEachMode(t, modeLoop(), func(t *testing.T, l *ring.Loop) {
		if err := l.CheckOp(ring.OpSendZC); err != nil {
			t.Skip(err)
		}
		ln, err := net.Listen("tcp", "127.0.0.1:0")
		if err != nil {
			t.Skip("no loopback TCP:", err)
		}
		defer ln.Close()
		conn, err := net.Dial("tcp", ln.Addr().String())
		if err != nil {
			t.Fatal(err)
		}
		defer conn.Close()
		peer, err := ln.Accept()
		if err != nil {
			t.Fatal(err)
		}
		defer peer.Close()
		f, err := conn.(*net.TCPConn).File()
		if err != nil {
			t.Fatal(err)
		}
		defer f.Close()
		const n = 4096
		for _, useNext := range []bool{true, false} {
			r := ring.NewRequest()
			r.Buf = bytes.Repeat([]byte{'z'}, n)
			r.SQE.PrepSendZC(int32(f.Fd()), r.Buf, 0, 0)
			if err := l.Submit(context.Background(), r); err != nil {
				t.Fatal(err)
			}
			if useNext {
				var got []ring.CQE
				for {
					c, ok, err := r.Next(context.Background())
					if err != nil {
						t.Fatal(err)
					}
					if !ok {
						break
					}
					got = append(got, c)
				}
				if len(got) != 2 || got[0].Res != n || got[0].Flags&ring.CQEFMore == 0 ||
					got[1].Flags&ring.CQEFNotif == 0 || got[1].Flags&ring.CQEFMore != 0 {
					t.Fatalf("zero-copy send CQEs %+v: want the result with F_MORE, then NOTIF", got)
				}
			} else {
				c, err := r.Wait(context.Background())
				if err != nil || c.Res != n || c.Flags&ring.CQEFNotif != 0 {
					t.Fatalf("Wait on a zero-copy send = %+v, %v: want the result CQE", c, err)
				}
			}
			buf := make([]byte, n)
			if _, err := io.ReadFull(peer, buf); err != nil || !bytes.Equal(buf, r.Buf) {
				t.Fatalf("peer read %v", err)
			}
		}
	})
}
