package main

import (
	"bytes"
	"errors"
	"io"
	"math/rand/v2"
	"net"
	"path/filepath"
	"strings"
	"sync"
	"testing"

	"github.com/uringkit/uring/ring"
)

// start runs the example with args and returns its listener; the test's
// cleanup closes it and checks that run returned nil.
func start(t *testing.T, args ...string) net.Listener {
	t.Helper()
	started := make(chan net.Listener, 1)
	done := make(chan error, 1)
	var out bytes.Buffer
	go func() { done <- run(args, &out, started) }()
	select {
	case ln := <-started:
		t.Cleanup(func() {
			ln.Close()
			if err := <-done; err != nil {
				t.Errorf("run: %v", err)
			}
		})
		if !strings.HasPrefix(out.String(), "echo: listening on ") {
			t.Errorf("output %q", out.String())
		}
		return ln
	case err := <-done:
		if errors.Is(err, ring.ErrUnavailable) {
			t.Skipf("io_uring unavailable: %v", err)
		}
		t.Fatalf("run: %v", err)
	}
	return nil
}

// TestEcho: 32 connections each send a random-sized random message (up to
// 1 MiB, written while the echo is read back), half-close, and get back
// exactly what they sent, then EOF.
func TestEcho(t *testing.T) {
	for _, tc := range []struct {
		name string
		args []string
	}{
		{"tcp", []string{"-addr", "127.0.0.1:0"}},
		{"tcp direct recv", []string{"-addr", "127.0.0.1:0", "-recv", "direct"}},
		{"unix", []string{"-net", "unix", "-addr", filepath.Join(t.TempDir(), "echo.sock")}},
	} {
		t.Run(tc.name, func(t *testing.T) {
			ln := start(t, tc.args...)
			var wg sync.WaitGroup
			for i := range 32 {
				wg.Add(1)
				go func() {
					defer wg.Done()
					rng := rand.New(rand.NewPCG(uint64(i), 7))
					msg := make([]byte, 1+rng.IntN(1<<20))
					for j := range msg {
						msg[j] = byte(rng.Uint32())
					}
					c, err := net.Dial(ln.Addr().Network(), ln.Addr().String())
					if err != nil {
						t.Error(err)
						return
					}
					defer c.Close()
					go func() {
						c.Write(msg)
						c.(interface{ CloseWrite() error }).CloseWrite()
					}()
					got, err := io.ReadAll(c)
					if err != nil || !bytes.Equal(got, msg) {
						t.Errorf("conn %d: echoed %d of %d bytes equal=%v, err %v", i, len(got), len(msg), bytes.Equal(got, msg), err)
					}
				}()
			}
			wg.Wait()
		})
	}
}
