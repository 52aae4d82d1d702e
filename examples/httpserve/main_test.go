package main

import (
	"bytes"
	"context"
	"errors"
	"fmt"
	"io"
	"math/rand/v2"
	"net"
	"net/http"
	"net/http/httptrace"
	"os"
	"os/exec"
	"path/filepath"
	"strings"
	"sync"
	"sync/atomic"
	"testing"

	"github.com/google/go-cmp/cmp"
	"github.com/uringkit/uring/ring"
)

// The files served, by name: sizes chosen to cover an empty body, bodies
// below, at and above net/http's 4 KiB and 32 KiB buffers, and 64 MiB.
var sizes = map[string]int{
	"empty.txt": 0, "small.txt": 13, "4k.bin": 4096, "33k.bin": 33 << 10,
	"1m.bin": 1 << 20, "big.bin": 64 << 20,
}

// smallFiles are the names requested most often.
var smallFiles = []string{"empty.txt", "small.txt", "4k.bin", "33k.bin", "1m.bin"}

// serveDir writes the files into a temporary directory, starts the example
// on it and returns the base URL and the files' contents.
func serveDir(t *testing.T) (string, map[string][]byte) {
	t.Helper()
	dir := t.TempDir()
	files := map[string][]byte{}
	rng := rand.New(rand.NewPCG(1, 2))
	for name, n := range sizes {
		b := make([]byte, n)
		for i := 0; i+8 <= n; i += 8 {
			v := rng.Uint64()
			for k := range 8 {
				b[i+k] = byte(v >> (8 * k))
			}
		}
		if err := os.WriteFile(filepath.Join(dir, name), b, 0o644); err != nil {
			t.Fatal(err)
		}
		files[name] = b
	}
	started := make(chan net.Listener, 1)
	done := make(chan error, 1)
	var out bytes.Buffer
	go func() { done <- run([]string{"-addr", "127.0.0.1:0", "-dir", dir}, &out, started) }()
	select {
	case ln := <-started:
		t.Cleanup(func() {
			ln.Close()
			if err := <-done; err != nil {
				t.Errorf("run: %v", err)
			}
		})
		if !strings.HasPrefix(out.String(), "httpserve: serving ") {
			t.Errorf("output %q", out.String())
		}
		return "http://" + ln.Addr().String() + "/", files
	case err := <-done:
		if errors.Is(err, ring.ErrUnavailable) {
			t.Skipf("io_uring unavailable: %v", err)
		}
		t.Fatalf("run: %v", err)
	}
	return "", nil
}

// get fetches base+name with client and reports whether the connection
// was reused.
func get(client *http.Client, url string) ([]byte, bool, error) {
	var reused atomic.Bool
	trace := &httptrace.ClientTrace{GotConn: func(i httptrace.GotConnInfo) { reused.Store(i.Reused) }}
	req, err := http.NewRequestWithContext(httptrace.WithClientTrace(context.Background(), trace), "GET", url, nil)
	if err != nil {
		return nil, false, err
	}
	resp, err := client.Do(req)
	if err != nil {
		return nil, false, err
	}
	defer resp.Body.Close()
	b, err := io.ReadAll(resp.Body)
	if err == nil && resp.StatusCode != http.StatusOK {
		err = fmt.Errorf("GET %s: %s", url, resp.Status)
	}
	return b, reused.Load(), err
}

// TestNetHTTPClient: 900 requests from net/http's client, half over
// keep-alive connections (4 goroutines sharing one Transport) and half
// over a fresh connection each, plus the 64 MiB file once each way; every
// body is byte-identical to its file.
func TestNetHTTPClient(t *testing.T) {
	base, files := serveDir(t)
	for _, mode := range []struct {
		name      string
		keepAlive bool
	}{{"keep-alive", true}, {"fresh connections", false}} {
		t.Run(mode.name, func(t *testing.T) {
			tr := &http.Transport{DisableKeepAlives: !mode.keepAlive, MaxIdleConnsPerHost: 4}
			defer tr.CloseIdleConnections()
			client := &http.Client{Transport: tr}
			const requests, workers = 450, 4
			var next, reused, bad atomic.Int64
			var wg sync.WaitGroup
			for range workers {
				wg.Add(1)
				go func() {
					defer wg.Done()
					for {
						i := next.Add(1) - 1
						if i >= requests {
							return
						}
						name := smallFiles[i%int64(len(smallFiles))]
						if i == requests-1 {
							name = "big.bin"
						}
						body, r, err := get(client, base+name)
						if err != nil {
							t.Error(err)
							bad.Add(1)
							continue
						}
						if r {
							reused.Add(1)
						}
						if !bytes.Equal(body, files[name]) {
							t.Errorf("%s: body of %d bytes differs from the file's %d", name, len(body), len(files[name]))
							bad.Add(1)
						}
					}
				}()
			}
			wg.Wait()
			// Keep-alive: all but the first request per worker reuse a
			// connection; fresh: none does.
			if mode.keepAlive && reused.Load() < requests-workers*2 || !mode.keepAlive && reused.Load() != 0 {
				t.Errorf("%d of %d requests reused a connection", reused.Load(), requests)
			}
			t.Logf("%d requests, %d over a reused connection, %d bad", requests, reused.Load(), bad.Load())
		})
	}
}

// TestCurl: 100 requests from curl: one curl process fetching 90 URLs over
// its keep-alive connection, and 10 processes with one URL each (the 64
// MiB file among them); each output file is byte-identical to the served
// file.
func TestCurl(t *testing.T) {
	curl, err := exec.LookPath("curl")
	if err != nil {
		t.Skip("curl is not installed (apt-get install -y curl)")
	}
	base, files := serveDir(t)
	out := t.TempDir()
	args := []string{"--silent", "--show-error", "--fail", "--http1.1"}
	for i := range 90 {
		name := smallFiles[i%len(smallFiles)]
		dst := filepath.Join(out, fmt.Sprintf("ka-%d-%s", i, name))
		args = append(args, "-o", dst, base+name)
	}
	cmd := exec.Command(curl, append(args, "--write-out", "%{num_connects}\n")...)
	var stderr bytes.Buffer
	cmd.Stderr = &stderr
	connects, err := cmd.Output()
	if err != nil {
		t.Fatalf("curl: %v: %s", err, stderr.String())
	}
	// --write-out prints per URL how many new connections it made: one
	// for the first, none after (keep-alive).
	fields := strings.Fields(string(connects))
	newConns := 0
	for _, f := range fields {
		if f != "0" {
			newConns++
		}
	}
	if len(fields) != 90 || newConns != 1 {
		t.Errorf("curl made a new connection for %d of %d URLs, want 1 of 90", newConns, len(fields))
	}
	for i := range 10 {
		name := smallFiles[i%len(smallFiles)]
		if i == 0 {
			name = "big.bin"
		}
		dst := filepath.Join(out, fmt.Sprintf("fresh-%d-%s", i, name))
		if b, err := exec.Command(curl, "--silent", "--show-error", "--fail", "-o", dst, base+name).CombinedOutput(); err != nil {
			t.Fatalf("curl %s: %v: %s", name, err, b)
		}
	}
	ents, err := os.ReadDir(out)
	if err != nil {
		t.Fatal(err)
	}
	if len(ents) != 100 {
		t.Errorf("%d files written by curl, want 100", len(ents))
	}
	var mismatched []string
	for _, e := range ents {
		got, err := os.ReadFile(filepath.Join(out, e.Name()))
		if err != nil {
			t.Fatal(err)
		}
		name := e.Name()[strings.LastIndex(e.Name(), "-")+1:]
		if !bytes.Equal(got, files[name]) {
			mismatched = append(mismatched, e.Name())
		}
	}
	if d := cmp.Diff([]string(nil), mismatched); d != "" {
		t.Errorf("files that differ from the served ones:\n%s", d)
	}
}
