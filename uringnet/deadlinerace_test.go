package uringnet_test

import (
	"bytes"
	"errors"
	"io"
	"os"
	"sync"
	"testing"
	"time"

	"github.com/google/go-cmp/cmp"
)

// TestReadDeadlineRacesData: a peer streams 1 MiB in small writes while the
// reader keeps setting deadlines a few microseconds away, so deadlines fire
// while data is arriving (and while a multishot recv is being cancelled).
// On every engine the only errors are timeouts and no byte is lost or
// reordered.
func TestReadDeadlineRacesData(t *testing.T) {
	needUring(t)
	type outcome struct {
		Intact       bool
		OnlyTimeouts bool
	}
	var got []outcome
	for _, e := range engines {
		c, s := pair(t, e, "tcp", "127.0.0.1:0")
		data := make([]byte, 1<<20)
		for i := range data {
			data[i] = byte(i * 13)
		}
		var wg sync.WaitGroup
		wg.Add(1)
		go func() {
			defer wg.Done()
			for off := 0; off < len(data); off += 1000 {
				s.Write(data[off:min(off+1000, len(data))])
				if off%50000 == 0 {
					time.Sleep(time.Millisecond)
				}
			}
			s.Close()
		}()
		var recv []byte
		buf := make([]byte, 3000)
		only := true
		for i := 0; ; i++ {
			c.SetReadDeadline(time.Now().Add(time.Duration(i%50) * time.Microsecond))
			n, err := c.Read(buf)
			recv = append(recv, buf[:n]...)
			if err == io.EOF {
				break
			}
			if err != nil && !errors.Is(err, os.ErrDeadlineExceeded) {
				t.Logf("%s: %v", e.name, err)
				only = false
				break
			}
		}
		wg.Wait()
		got = append(got, outcome{bytes.Equal(recv, data), only})
	}
	for i := 1; i < len(engines); i++ {
		if d := cmp.Diff(got[0], got[i]); d != "" {
			t.Errorf("%s differs from net (-net +%s):\n%s", engines[i].name, engines[i].name, d)
		}
	}
	if !got[0].Intact || !got[0].OnlyTimeouts {
		t.Errorf("net itself: %+v", got[0])
	}
}

// TestAcceptDeadlineRacesConns: connections arrive while Accept keeps
// running into deadlines a few microseconds away (cancelling the multishot
// accept as connections land). On every engine the only errors are
// timeouts and every connection is accepted exactly once.
func TestAcceptDeadlineRacesConns(t *testing.T) {
	needUring(t)
	type outcome struct {
		Accepted     int
		OnlyTimeouts bool
	}
	const conns = 200
	var got []outcome
	for _, e := range engines {
		ln, err := e.listen("tcp", "127.0.0.1:0")
		if err != nil {
			t.Fatal(err)
		}
		dl := ln.(interface{ SetDeadline(time.Time) error })
		go func() {
			for range conns {
				c, err := e.dial("tcp", ln.Addr().String())
				if err != nil {
					t.Error(err)
					return
				}
				c.Close()
			}
		}()
		o := outcome{OnlyTimeouts: true}
		for i := 0; o.Accepted < conns && i < 1_000_000; i++ {
			dl.SetDeadline(time.Now().Add(time.Duration(i%50) * time.Microsecond))
			c, err := ln.Accept()
			if err == nil {
				o.Accepted++
				c.Close()
				continue
			}
			if !errors.Is(err, os.ErrDeadlineExceeded) {
				t.Logf("%s: %v", e.name, err)
				o.OnlyTimeouts = false
				break
			}
		}
		ln.Close()
		got = append(got, o)
	}
	for i := 1; i < len(engines); i++ {
		if d := cmp.Diff(got[0], got[i]); d != "" {
			t.Errorf("%s differs from net (-net +%s):\n%s", engines[i].name, engines[i].name, d)
		}
	}
}
