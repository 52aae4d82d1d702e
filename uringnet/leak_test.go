//go:build linux

package uringnet_test

import (
	"io"
	"os"
	"runtime"
	"sync"
	"sync/atomic"
	"testing"
	"time"

	"github.com/google/go-cmp/cmp"
	"github.com/uringkit/uring/uringnet"
)

// resources is what a leak would show: open fds, goroutines, and the
// requests the Loop still has in flight.
type resources struct {
	FDs, Goroutines int
	InFlight        int64
	BuffersHeld     int // provided buffers conns hold, not back in the ring
}

func snapshot(t *testing.T) resources {
	ents, err := os.ReadDir("/proc/self/fd")
	if err != nil {
		t.Fatal(err)
	}
	l, err := uringnet.PackageLoop()
	if err != nil {
		t.Fatal(err)
	}
	return resources{FDs: len(ents), Goroutines: runtime.NumGoroutine(), InFlight: l.Stats().InFlight, BuffersHeld: uringnet.BuffersHeld(l)}
}

// settle waits (up to a bound, without asserting time) until the
// snapshot equals want: goroutines of closed conns and timers finish
// asynchronously. Fewer goroutines or descriptors than before is no leak
// (a goroutine of an earlier test may have ended meanwhile, and closed a
// descriptor it held: seen once in a shuffled run at GOMAXPROCS=8, 28
// descriptors after against 29 before), so it counts as equal.
func settle(t *testing.T, want resources) resources {
	var got resources
	for i := 0; i < 200; i++ {
		got = snapshot(t)
		got.Goroutines = max(got.Goroutines, want.Goroutines)
		got.FDs = max(got.FDs, want.FDs)
		if got == want {
			break
		}
		time.Sleep(10 * time.Millisecond)
	}
	return got
}

// TestTenThousandConns opens and closes 10,000 connections from 64
// goroutines against one uringnet listener, each carrying one echoed
// message, in each receive mode (netpoll: its listener and conns hold a
// duplicate descriptor each), and checks that fds, goroutines and
// in-flight requests return to where they were.
func TestTenThousandConns(t *testing.T) {
	needUring(t)
	for _, cfg := range []struct {
		name string
		c    *uringnet.Config
	}{{"direct", direct}, {"provided", auto}, {"netpoll", &uringnet.Config{}}} {
		t.Run(cfg.name, func(t *testing.T) {
			const conns, workers = 10_000, 64
			ln, err := cfg.c.Listen("tcp", "127.0.0.1:0")
			if err != nil {
				t.Fatal(err)
			}
			before := snapshot(t) // the listener is open, its accept not armed yet
			var served sync.WaitGroup
			acceptDone := make(chan struct{})
			go func() {
				defer close(acceptDone)
				for {
					c, err := ln.Accept()
					if err != nil {
						return
					}
					served.Add(1)
					go func() {
						defer served.Done()
						defer c.Close()
						io.Copy(c, c)
					}()
				}
			}()
			var next, failed atomic.Int64
			var wg sync.WaitGroup
			for range workers {
				wg.Add(1)
				go func() {
					defer wg.Done()
					msg, buf := []byte("ping"), make([]byte, 4)
					for next.Add(1) <= conns {
						c, err := cfg.c.Dial("tcp", ln.Addr().String())
						if err != nil {
							t.Error(err)
							failed.Add(1)
							return
						}
						if _, err := c.Write(msg); err != nil {
							t.Error(err)
						} else if _, err := io.ReadFull(c, buf); err != nil || string(buf) != "ping" {
							t.Errorf("echo: %q, %v", buf, err)
						}
						if err := c.Close(); err != nil {
							t.Error(err)
						}
					}
				}()
			}
			wg.Wait()
			served.Wait()
			ln.Close()
			<-acceptDone
			if failed.Load() > 0 {
				t.FailNow()
			}
			before.FDs-- // the listener's socket
			if cfg.c.Recv == uringnet.RecvNetpoll {
				before.FDs-- // and its duplicate in the netpoller
			}
			if d := cmp.Diff(before, settle(t, before)); d != "" {
				t.Errorf("resources after %d conns (-before +after):\n%s", conns, d)
			}
		})
	}
}

// TestZeroCopyCloseFullSocket: a zero-copy Write blocked on a socket the
// peer does not read runs into its deadline, and cannot return while the
// kernel holds its buffer; Close (which must wait for the Write) resets
// the connection so the kernel lets go, and both return.
func TestZeroCopyCloseFullSocket(t *testing.T) {
	needUring(t)
	c, _ := pair(t, zeroCopyEn, "tcp", "127.0.0.1:0")
	c.SetWriteDeadline(time.Now().Add(50 * time.Millisecond))
	done := make(chan error, 1)
	var n int
	go func() {
		var err error
		n, err = c.Write(make([]byte, 64<<20))
		done <- err
	}()
	time.Sleep(200 * time.Millisecond)
	if err := c.Close(); err != nil {
		t.Errorf("Close: %v", err)
	}
	err := <-done
	if k := kind(err); n >= 64<<20 || (k != "write tcp: deadline exceeded (timeout)" && k != "write tcp: closed") {
		t.Errorf("Write = %d, %v (%s); want n < 64 MiB and a deadline or closed error", n, err, k)
	}
	t.Logf("Write = %d, %v", n, err)
}
