package uringnet_test

import (
	"context"
	"errors"
	"fmt"
	"net"
	"path/filepath"
	"regexp"
	"syscall"
	"testing"
	"time"

	"github.com/google/go-cmp/cmp"
)

// Bad input gives the same errors as net: each scenario runs on every
// engine and reports, per call, the error's kind (see kind) and its
// message with addresses replaced, compared with net's.

var addrRE = regexp.MustCompile(`(127\.0\.0\.1|\[::1\]):\d+|/[^ :]*/sock[^ :]*`)

type errResult struct {
	Kind string
	Msg  string
}

func describe(err error) errResult {
	if err == nil {
		return errResult{Kind: "nil"}
	}
	return errResult{Kind: kind(err), Msg: addrRE.ReplaceAllString(err.Error(), "ADDR")}
}

type errScenario struct {
	name string
	run  func(t *testing.T, e engine) []errResult
}

var errScenarios = []errScenario{
	{"calls after Close", func(t *testing.T, e engine) []errResult {
		c, _ := pair(t, e, "tcp", "127.0.0.1:0")
		first := c.Close()
		_, werr := c.Write([]byte("x"))
		_, rerr := c.Read(make([]byte, 1))
		return []errResult{describe(first), describe(werr), describe(rerr), describe(c.Close()),
			describe(c.SetDeadline(time.Now())), describe(c.SetReadDeadline(time.Now())),
			describe(c.(interface{ CloseWrite() error }).CloseWrite())}
	}},
	{"read and write after the peer reset the connection", func(t *testing.T, e engine) []errResult {
		ln, err := e.listen("tcp", "127.0.0.1:0")
		if err != nil {
			t.Fatal(err)
		}
		defer ln.Close()
		peer, err := net.Dial("tcp", ln.Addr().String())
		if err != nil {
			t.Fatal(err)
		}
		c, err := ln.Accept()
		if err != nil {
			t.Fatal(err)
		}
		defer c.Close()
		peer.(*net.TCPConn).SetLinger(0) // close sends RST
		peer.Close()
		_, rerr := c.Read(make([]byte, 10))
		_, werr := c.Write([]byte("after reset"))
		return []errResult{describe(rerr), describe(werr),
			{Kind: map[bool]string{true: "errors.Is ECONNRESET", false: "not ECONNRESET"}[errors.Is(rerr, syscall.ECONNRESET)]}}
	}},
	{"Close while a Read and a Write are blocked", func(t *testing.T, e engine) []errResult {
		c, _ := pair(t, e, "tcp", "127.0.0.1:0")
		rerr, werr := make(chan error, 1), make(chan error, 1)
		go func() { _, err := c.Read(make([]byte, 10)); rerr <- err }()
		go func() { _, err := c.Write(make([]byte, 64<<20)); werr <- err }() // fills the socket
		time.Sleep(50 * time.Millisecond)
		cerr := c.Close()
		return []errResult{describe(cerr), describe(<-rerr), describe(<-werr)}
	}},
	{"dial with a cancelled context, and with a passed deadline", func(t *testing.T, e engine) []errResult {
		ln, err := e.listen("tcp", "127.0.0.1:0")
		if err != nil {
			t.Fatal(err)
		}
		defer ln.Close()
		ctx, cancel := context.WithCancel(context.Background())
		cancel()
		_, cerr := e.dialCtx(ctx, "tcp", ln.Addr().String())
		ctx, cancel = context.WithDeadline(context.Background(), time.Now().Add(-time.Second))
		defer cancel()
		_, derr := e.dialCtx(ctx, "tcp", ln.Addr().String())
		return []errResult{describe(cerr), {Kind: fmt.Sprint(errors.Is(cerr, context.Canceled))},
			describe(derr), {Kind: fmt.Sprint(errors.Is(derr, context.DeadlineExceeded))}}
	}},
	{"accept deadline: blocked, moved, past, cleared", func(t *testing.T, e engine) []errResult {
		ln, err := e.listen("tcp", "127.0.0.1:0")
		if err != nil {
			t.Fatal(err)
		}
		defer ln.Close()
		dl := ln.(interface{ SetDeadline(time.Time) error })
		dl.SetDeadline(time.Now().Add(20 * time.Millisecond))
		_, blocked := ln.Accept()
		dl.SetDeadline(time.Now().Add(-time.Second))
		_, past := ln.Accept()
		dl.SetDeadline(time.Time{})
		go func() {
			if c, err := net.Dial("tcp", ln.Addr().String()); err == nil {
				defer c.Close()
				c.Read(make([]byte, 1))
			}
		}()
		c, cleared := ln.Accept()
		if c != nil {
			c.Close()
		}
		ln.Close()
		return []errResult{describe(blocked), describe(past), describe(cleared), describe(dl.SetDeadline(time.Now()))}
	}},
	{"SetLinger(0) then Close resets the peer", func(t *testing.T, e engine) []errResult {
		c, s := pair(t, e, "tcp", "127.0.0.1:0")
		lerr := c.(interface{ SetLinger(int) error }).SetLinger(0)
		c.Close()
		_, rerr := s.Read(make([]byte, 1))
		return []errResult{describe(lerr), describe(rerr), describe(c.(interface{ SetNoDelay(bool) error }).SetNoDelay(true))}
	}},
	{"listen on an address in use", func(t *testing.T, e engine) []errResult {
		ln, err := e.listen("tcp", "127.0.0.1:0")
		if err != nil {
			t.Fatal(err)
		}
		defer ln.Close()
		ln2, err := e.listen("tcp", ln.Addr().String())
		if err == nil {
			ln2.Close()
		}
		return []errResult{describe(err), {Kind: map[bool]string{true: "errors.Is EADDRINUSE"}[errors.Is(err, syscall.EADDRINUSE)]}}
	}},
	{"dial a closed port", func(t *testing.T, e engine) []errResult {
		ln, err := net.Listen("tcp", "127.0.0.1:0")
		if err != nil {
			t.Fatal(err)
		}
		addr := ln.Addr().String()
		ln.Close()
		c, err := e.dial("tcp", addr)
		if err == nil {
			c.Close()
		}
		return []errResult{describe(err), {Kind: map[bool]string{true: "errors.Is ECONNREFUSED"}[errors.Is(err, syscall.ECONNREFUSED)]}}
	}},
	{"accept after listener Close", func(t *testing.T, e engine) []errResult {
		ln, err := e.listen("tcp", "127.0.0.1:0")
		if err != nil {
			t.Fatal(err)
		}
		blocked := make(chan error, 1)
		go func() { _, err := ln.Accept(); blocked <- err }()
		time.Sleep(20 * time.Millisecond)
		first := ln.Close()
		berr := <-blocked
		_, aerr := ln.Accept()
		return []errResult{describe(first), describe(berr), describe(aerr), describe(ln.Close())}
	}},
	{"unix: address in use, dial a missing socket, dial after the listener closed", func(t *testing.T, e engine) []errResult {
		path := filepath.Join(t.TempDir(), "sock")
		ln, err := e.listen("unix", path)
		if err != nil {
			t.Fatal(err)
		}
		_, inUse := e.listen("unix", path)
		_, missing := e.dial("unix", path+"-missing")
		c, err := e.dial("unix", path)
		if err != nil {
			t.Fatal(err)
		}
		c.Close()
		ln.Close()
		_, after := e.dial("unix", path)
		return []errResult{describe(inUse), describe(missing), describe(after)}
	}},
}

func TestErrorsMatchNet(t *testing.T) {
	needUring(t)
	for _, sc := range errScenarios {
		t.Run(sc.name, func(t *testing.T) {
			results := make([][]errResult, len(engines))
			for i, e := range engines {
				results[i] = sc.run(t, e)
			}
			for i := 1; i < len(engines); i++ {
				if d := cmp.Diff(results[0], results[i]); d != "" {
					t.Errorf("%s differs from net (-net +%s):\n%s", engines[i].name, engines[i].name, d)
				}
			}
			t.Logf("net: %+v", results[0])
		})
	}
}
