package uringnet_test

import (
	"bytes"
	"io"
	"math/rand/v2"
	"runtime/debug"
	"sync"
	"testing"
)

// TestEchoUnderGCStress runs echo traffic through every uringnet receive
// and send path with the collector running almost continuously
// (GOGC=1): buffers the kernel reads or writes (Read's and Write's
// slices, provided buffers, sockaddrs) must stay reachable and unmoved
// until their CQEs, so every byte must come back as sent.
func TestEchoUnderGCStress(t *testing.T) {
	needUring(t)
	defer debug.SetGCPercent(debug.SetGCPercent(1))
	for _, e := range engines[1:] {
		// Conn 0 echoes one byte per Read. On the owner-mode engine each
		// one-byte Write waits for a round trip through the owner's thread
		// (30-100 µs, against 6 µs for a shared-mode submitter that enters
		// itself and reaps its own inline completion; PERFORMANCE.md), which
		// made this test take 14-50 s there: its echo buffers start at 512
		// bytes instead, so it runs as fast as the others and still covers
		// every owner-mode path under the collector.
		minBuf := 1
		if e.name == ownerEn.name {
			minBuf = 512
		}
		t.Run(e.name, func(t *testing.T) {
			var wg sync.WaitGroup
			for i := range 4 {
				c, s := pair(t, e, "tcp", "127.0.0.1:0")
				wg.Add(2)
				go func() { // echo side, on the uringnet conn s
					defer wg.Done()
					buf := make([]byte, minBuf+i*4096)
					for {
						n, err := s.Read(buf)
						if n > 0 {
							if _, err := s.Write(buf[:n]); err != nil {
								return
							}
						}
						if err != nil {
							s.(interface{ CloseWrite() error }).CloseWrite()
							return
						}
					}
				}()
				go func() { // client side, also uringnet
					defer wg.Done()
					rng := rand.New(rand.NewPCG(uint64(i), 3))
					var sent []byte
					got := make(chan []byte, 1)
					go func() { b, _ := io.ReadAll(c); got <- b }()
					for k := range 20 {
						n := 1 + rng.IntN(16<<10)
						if k == 19 {
							n = 128 << 10 // a zero-copy send on the zero-copy engine
						}
						msg := make([]byte, n)
						for j := range msg {
							msg[j] = byte(rng.Uint32())
						}
						sent = append(sent, msg...)
						if _, err := c.Write(msg); err != nil {
							t.Error(err)
							break
						}
					}
					c.(interface{ CloseWrite() error }).CloseWrite()
					if b := <-got; !bytes.Equal(b, sent) {
						t.Errorf("conn %d: echoed %d bytes, sent %d, equal %v", i, len(b), len(sent), bytes.Equal(b, sent))
					}
				}()
			}
			wg.Wait()
		})
	}
}
