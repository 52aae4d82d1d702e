//go:build linux

package chain_test

import (
	"bytes"
	"context"
	"errors"
	"net/netip"
	"os"
	"regexp"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/uringkit/uring/chain"
	"github.com/uringkit/uring/future"
	"github.com/uringkit/uring/ring"
	"github.com/uringkit/uring/timeout"
	"golang.org/x/sys/unix"
)

// The three user scenarios of docs/guide.md ("Layer 2"). The text between
// the guide markers is copied into the guide verbatim; TestGuideSnippets
// checks that it is, and that each stays under 15 lines of code.

// guide:begin writeSynced
// writeSynced writes data at the start of fd and fsyncs it, as one
// hard-linked chain; the kernel cuts the fsync off at ctx's deadline.
func writeSynced(ctx context.Context, loop *ring.Loop, fd int, data []byte) error {
	c := chain.New()
	chain.Add(c, future.Write(fd, data, 0)).HardLink()
	chain.Add(c, future.Fsync(fd))
	if d, ok := timeout.FromContext(ctx); ok {
		c.LinkTimeout(d)
	}
	if err := c.Submit(ctx, loop); err != nil {
		return err
	}
	return c.Wait(ctx)
}

// guide:end

// guide:begin copyFile
// copyFile copies size bytes from src to dst, one read→write chain per
// block: the kernel starts each write as soon as its read is done.
func copyFile(ctx context.Context, loop *ring.Loop, dst, src int, size int64) error {
	buf := make([]byte, 64<<10)
	for off := int64(0); off < size; off += int64(len(buf)) {
		b := buf[:min(int64(len(buf)), size-off)]
		c := chain.New()
		chain.Add(c, future.Read(src, b, off))
		chain.Add(c, future.Write(dst, b, off))
		if err := c.Submit(ctx, loop); err != nil {
			return err
		}
		if err := c.Wait(ctx); err != nil {
			return err
		}
	}
	return nil
}

// guide:end

// guide:begin serve
// serve accepts connections on the listening socket lfd with one multishot
// accept until ctx ends, handing each to handle.
func serve(ctx context.Context, loop *ring.Loop, lfd int, handle func(fd int)) error {
	for fd, err := range future.AcceptMultishot(lfd, unix.SOCK_CLOEXEC).Stream(ctx, loop) {
		if err != nil {
			return err
		}
		go handle(int(fd))
	}
	return nil
}

// guide:end

func TestScenarioWriteSynced(t *testing.T) {
	f, err := os.CreateTemp(t.TempDir(), "synced")
	if err != nil {
		t.Fatal(err)
	}
	defer f.Close()
	ctx, cancel := context.WithTimeout(context.Background(), 10*time.Second)
	defer cancel()
	if err := writeSynced(ctx, loop, int(f.Fd()), []byte("durable")); err != nil {
		t.Fatal(err)
	}
	if got, _ := os.ReadFile(f.Name()); string(got) != "durable" {
		t.Errorf("file holds %q", got)
	}
	// A write that fails still runs the fsync (hard link), whose own error
	// (EBADF on the same bad fd) is reported.
	if err := writeSynced(ctx, loop, 1<<20, []byte("x")); err == nil {
		t.Error("writeSynced on a bad fd succeeded")
	}
}

func TestScenarioCopyFile(t *testing.T) {
	data := bytes.Repeat([]byte("0123456789abcdef"), 10000) // 160000 bytes: 3 blocks, the last short
	dir := t.TempDir()
	os.WriteFile(dir+"/src", data, 0o600)
	src, _ := os.Open(dir + "/src")
	defer src.Close()
	dst, _ := os.Create(dir + "/dst")
	defer dst.Close()
	if err := copyFile(context.Background(), loop, int(dst.Fd()), int(src.Fd()), int64(len(data))); err != nil {
		t.Fatal(err)
	}
	if got, _ := os.ReadFile(dir + "/dst"); !bytes.Equal(got, data) {
		t.Errorf("copy differs: %d bytes", len(got))
	}
}

func TestScenarioServe(t *testing.T) {
	lfd := int(mustAwait(t, future.Socket(unix.AF_INET, unix.SOCK_STREAM|unix.SOCK_CLOEXEC, 0)))
	defer unix.Close(lfd)
	mustAwait(t, future.Bind(lfd, netip.MustParseAddrPort("127.0.0.1:0")))
	mustAwait(t, future.Listen(lfd, 16))
	sa, _ := unix.Getsockname(lfd)
	port := sa.(*unix.SockaddrInet4).Port

	ctx, cancel := context.WithCancel(context.Background())
	var wg sync.WaitGroup
	done := make(chan error, 1)
	go func() {
		done <- serve(ctx, loop, lfd, func(fd int) { // echo one message
			defer wg.Done()
			defer unix.Close(fd)
			buf := make([]byte, 16)
			n, _ := unix.Read(fd, buf)
			unix.Write(fd, buf[:n])
		})
	}()
	for i := range 3 {
		wg.Add(1)
		c, _ := unix.Socket(unix.AF_INET, unix.SOCK_STREAM|unix.SOCK_CLOEXEC, 0)
		if err := unix.Connect(c, &unix.SockaddrInet4{Port: port, Addr: [4]byte{127, 0, 0, 1}}); err != nil {
			t.Fatal(err)
		}
		msg := []byte{'a' + byte(i)}
		unix.Write(c, msg)
		got := make([]byte, 1)
		if n, _ := unix.Read(c, got); n != 1 || got[0] != msg[0] {
			t.Errorf("echo %d: %q", i, got[:n])
		}
		unix.Close(c)
	}
	wg.Wait()
	cancel()
	if err := <-done; !errors.Is(err, context.Canceled) {
		t.Errorf("serve returned %v, want context.Canceled", err)
	}
}

func mustAwait[T any](t *testing.T, op future.Op[T]) T {
	t.Helper()
	v, err := op.Await(context.Background(), loop)
	if err != nil {
		t.Fatal(err)
	}
	return v
}

var snippetRE = regexp.MustCompile(`(?s)// guide:begin (\w+)\n(.*?)\n// guide:end`)

// TestGuideSnippets: each scenario appears verbatim in docs/guide.md and
// its user code (the function body, without comments and braces-only
// lines) stays under 15 lines.
func TestGuideSnippets(t *testing.T) {
	src, err := os.ReadFile("guide_test.go")
	if err != nil {
		t.Fatal(err)
	}
	guide, err := os.ReadFile("../docs/guide.md")
	if err != nil {
		t.Fatal(err)
	}
	found := 0
	for _, m := range snippetRE.FindAllSubmatch(src, -1) {
		found++
		name, code := string(m[1]), strings.TrimSpace(string(m[2]))
		if !bytes.Contains(guide, []byte(code)) {
			t.Errorf("docs/guide.md lacks the current %s snippet:\n%s", name, code)
		}
		lines := 0
		for _, l := range strings.Split(code, "\n") {
			l = strings.TrimSpace(l)
			if l != "" && !strings.HasPrefix(l, "//") && l != "}" && !strings.HasPrefix(l, "func ") {
				lines++
			}
		}
		if lines >= 15 {
			t.Errorf("%s has %d lines of user code, want under 15", name, lines)
		}
	}
	if found != 3 {
		t.Errorf("found %d guide snippets, want 3", found)
	}
}
