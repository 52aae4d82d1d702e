//go:build linux

package uringnet_test

import (
	"fmt"
	"sync"
	"testing"
	"time"

	"github.com/uringkit/uring/uringnet"
)

// within runs f and fails the test if it has not returned after d.
func within(t *testing.T, d time.Duration, what string, f func()) {
	t.Helper()
	done := make(chan struct{})
	go func() { f(); close(done) }()
	select {
	case <-done:
	case <-time.After(d):
		t.Fatalf("hang: %s did not return within %v", what, d)
	}
}

// TestConnCloseRestartsStarvedPoolDuringReads: RecvProvided conns on one
// Loop share its buffer pool. A hog conn whose peer floods it but which
// never reads lets its armed multishot take every buffer, so the other
// conns' recvs find the pool empty (starved). Closing the hog gives its
// buffers back (provRecv.stop, bufPool.put), and the first of those puts
// cancels the other conns' armed multishots so they re-arm, while those
// conns keep reading (and re-arming the same Requests). Run with -race.
func TestConnCloseRestartsStarvedPoolDuringReads(t *testing.T) {
	needUring(t)
	l, err := uringnet.NewLoop()
	if err != nil {
		t.Fatal(err)
	}
	defer l.Close()
	cfg := uringnet.Config{Loop: l, Recv: uringnet.RecvProvided}
	en := engine{"own", cfg.Listen, cfg.Dial, cfg.DialContext}
	const readers, flood = 6, 5 << 20
	for round := range 10 {
		hog, hs := pair(t, en, "tcp", "127.0.0.1:0")
		hs.Write([]byte("x"))
		hog.Read(make([]byte, 1)) // arms the hog's multishot, which stays armed
		go hs.Write(make([]byte, flood))
		for uringnet.BuffersFree(l) > 0 {
			time.Sleep(100 * time.Microsecond)
		}
		var wg sync.WaitGroup
		stop := make(chan struct{})
		for range readers {
			c, s := pair(t, en, "tcp", "127.0.0.1:0")
			wg.Add(2)
			go func() {
				defer wg.Done()
				chunk := make([]byte, 64<<10)
				for {
					select {
					case <-stop:
						s.Close()
						return
					default:
					}
					if _, err := s.Write(chunk); err != nil {
						return
					}
				}
			}()
			go func() {
				defer wg.Done()
				buf := make([]byte, 1024)
				for {
					if _, err := c.Read(buf); err != nil {
						return // the peer stopped (EOF) or was closed
					}
				}
			}()
		}
		time.Sleep(5 * time.Millisecond)
		if err := hog.Close(); err != nil {
			t.Errorf("round %d: Close of the hog: %v", round, err)
		}
		time.Sleep(5 * time.Millisecond)
		close(stop)
		within(t, 5*time.Second, fmt.Sprintf("round %d: the readers", round), wg.Wait)
	}
}
