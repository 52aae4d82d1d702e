//go:build linux

package ring_test

import (
	"context"
	"io/fs"
	"os"
	"path/filepath"
	"runtime"
	"strings"
	"testing"
	"time"

	"github.com/uringkit/uring/ring"
	"golang.org/x/sys/unix"
)

// Regression tests for bugs that other Go io_uring libraries shipped
// (../shared/reference/go-peers.md, sections 3, 5 and 6(b)). Each test is
// named after the behaviour it proves and would fail on the peer's
// behaviour; docs/peer-bugs.md maps every peer bug to its test here, in
// peerbugs_loop_test.go (the Loop's), or elsewhere in the suite.

// hangAfter bounds a test step that a peer's bug turns into a hang. It is a
// hang detector with a generous margin, not a timing assertion.
const hangAfter = 60 * time.Second

// mustFinish runs fn and, if it has not returned after hangAfter, crashes
// the test binary with every goroutine's stack (which show where it hangs).
// The crash comes from a watchdog goroutine on purpose: a failure reported
// from the test goroutine would run the test's cleanups, and Loop.Close
// would hang on the same stuck requests.
func mustFinish(t *testing.T, what string, fn func()) {
	t.Helper()
	done := make(chan struct{})
	go func() {
		select {
		case <-done:
		case <-time.After(hangAfter):
			buf := make([]byte, 1<<20)
			buf = buf[:runtime.Stack(buf, true)]
			panic(t.Name() + ": " + what + " hung; goroutines:\n" + string(buf))
		}
	}()
	defer close(done)
	fn()
}

// giouring's PrepareLinkTimeout stored the address of a timespec local to
// the prep, and raw ports put pointers to callers' locals into SQEs
// (go-peers.md 2.2, 6(b)1): the kernel then reads a dead stack frame, or a
// stack that moved. Every prep that stores the address of Go memory must
// move that memory to the heap even when the caller declared it as a
// local: each case below declares one local, hands it to one prep, and
// must cost exactly one allocation (the local escaping). A prep that
// stored the address as a bare uintptr would leave the local on the stack
// and allocate nothing. TestPrepForcesHeap (prep_test.go) covers PrepTimeout,
// PrepRead, PrepPipe and PrepReadv the same way; this covers the others.
// (A kernel round trip cannot show the bug reliably: what a dead frame
// holds when the kernel reads it is arbitrary, often a valid timespec.)
func TestPrepMovesCallerLocalsToHeap(t *testing.T) {
	s := new(ring.SQE)
	path := new(byte)
	for name, f := range map[string]func(){
		"PrepLinkTimeout":       func() { var ts ring.Timespec; s.PrepLinkTimeout(&ts, 0) },
		"PrepTimeoutUpdate":     func() { var ts ring.Timespec; s.PrepTimeoutUpdate(&ts, 1, 0) },
		"PrepLinkTimeoutUpdate": func() { var ts ring.Timespec; s.PrepLinkTimeoutUpdate(&ts, 1, 0) },
		"PrepWrite":             func() { var b [64]byte; s.PrepWrite(0, b[:], 0) },
		"PrepReadFixed":         func() { var b [64]byte; s.PrepReadFixed(0, b[:], 0, 0) },
		"PrepWriteFixed":        func() { var b [64]byte; s.PrepWriteFixed(0, b[:], 0, 0) },
		"PrepWritev":            func() { var v [2]unix.Iovec; s.PrepWritev(0, v[:], 0, 0) },
		"PrepReadvFixed":        func() { var v [2]unix.Iovec; s.PrepReadvFixed(0, v[:], 0, 0, 0) },
		"PrepWritevFixed":       func() { var v [2]unix.Iovec; s.PrepWritevFixed(0, v[:], 0, 0, 0) },
		"PrepMadvise":           func() { var b [64]byte; s.PrepMadvise(b[:], 0) },
		"PrepProvideBuffers":    func() { var b [64]byte; s.PrepProvideBuffers(b[:], 32, 2, 0, 0) },
		"PrepOpenat":            func() { var p [8]byte; s.PrepOpenat(0, &p[0], 0, 0) },
		"PrepOpenatDirect":      func() { var p [8]byte; s.PrepOpenatDirect(0, &p[0], 0, 0, 0) },
		"PrepOpenat2":           func() { var how ring.OpenHow; s.PrepOpenat2(0, path, &how) },
		"PrepOpenat2Direct":     func() { var how ring.OpenHow; s.PrepOpenat2Direct(0, path, &how, 0) },
		"PrepStatx":             func() { var stx ring.Statx; s.PrepStatx(0, path, 0, 0, &stx) },
		"PrepRenameat":          func() { var p [8]byte; s.PrepRenameat(0, path, 0, &p[0], 0) },
		"PrepUnlinkat":          func() { var p [8]byte; s.PrepUnlinkat(0, &p[0], 0) },
		"PrepMkdirat":           func() { var p [8]byte; s.PrepMkdirat(0, &p[0], 0) },
		"PrepSymlinkat":         func() { var p [8]byte; s.PrepSymlinkat(path, 0, &p[0]) },
		"PrepLinkat":            func() { var p [8]byte; s.PrepLinkat(0, &p[0], 0, path, 0) },
		"PrepFilesUpdate":       func() { var fds [2]int32; s.PrepFilesUpdate(fds[:], 0) },
		"PrepFutexWait":         func() { var f uint32; s.PrepFutexWait(&f, 0, 0, 0) },
		"PrepFutexWake":         func() { var f uint32; s.PrepFutexWake(&f, 0, 0, 0) },
		"PrepFutexWaitv":        func() { var w [1]ring.FutexWaitv; s.PrepFutexWaitv(w[:]) },
		"PrepPipeDirect":        func() { var fds [2]int32; s.PrepPipeDirect(&fds, 0, 0) },
		"PrepBind":              func() { var sa unix.RawSockaddrAny; s.PrepBind(0, &sa, 0) },
		"PrepConnect":           func() { var sa unix.RawSockaddrAny; s.PrepConnect(0, &sa, 0) },
		"PrepAccept":            func() { var sa unix.RawSockaddrAny; s.PrepAccept(0, &sa, nil, 0) },
		"PrepAccept/addrlen":    func() { var n uint32; s.PrepAccept(0, nil, &n, 0) },
		"PrepAcceptDirect":      func() { var sa unix.RawSockaddrAny; s.PrepAcceptDirect(0, &sa, nil, 0, 0) },
		"PrepAcceptMultishot":   func() { var sa unix.RawSockaddrAny; s.PrepAcceptMultishot(0, &sa, nil, 0) },
		"PrepAcceptMultishotDirect": func() {
			var sa unix.RawSockaddrAny
			s.PrepAcceptMultishotDirect(0, &sa, nil, 0)
		},
		"PrepSend":             func() { var b [64]byte; s.PrepSend(0, b[:], 0) },
		"PrepSendto":           func() { var sa unix.RawSockaddrAny; s.PrepSendto(0, nil, 0, &sa, 0) },
		"PrepSendv":            func() { var v [2]unix.Iovec; s.PrepSendv(0, v[:], 0) },
		"PrepRecv":             func() { var b [64]byte; s.PrepRecv(0, b[:], 0) },
		"PrepSendmsg":          func() { var m unix.Msghdr; s.PrepSendmsg(0, &m, 0) },
		"PrepRecvmsg":          func() { var m unix.Msghdr; s.PrepRecvmsg(0, &m, 0) },
		"PrepRecvmsgMultishot": func() { var m unix.Msghdr; s.PrepRecvmsgMultishot(0, &m, 0, 0) },
		"PrepSendZC":           func() { var b [64]byte; s.PrepSendZC(0, b[:], 0, 0) },
		"PrepSendZCFixed":      func() { var b [64]byte; s.PrepSendZCFixed(0, b[:], 0, 0, 0) },
		"PrepSendmsgZC":        func() { var m unix.Msghdr; s.PrepSendmsgZC(0, &m, 0) },
		"PrepGetsockopt":       func() { var b [8]byte; s.PrepGetsockopt(0, 0, 0, b[:]) },
		"PrepSetsockopt":       func() { var b [8]byte; s.PrepSetsockopt(0, 0, 0, b[:]) },
		"PrepEpollCtl":         func() { var ev ring.EpollEvent; s.PrepEpollCtl(0, 0, 0, &ev) },
		"PrepEpollWait":        func() { var ev [2]ring.EpollEvent; s.PrepEpollWait(0, ev[:]) },
		"PrepWaitid":           func() { var info ring.Siginfo; s.PrepWaitid(0, 0, &info, 0) },
		"PrepFsetxattr":        func() { var b [8]byte; s.PrepFsetxattr(0, path, b[:], 0) },
		"PrepSetxattr":         func() { var p [8]byte; s.PrepSetxattr(&p[0], path, nil, 0) },
		"PrepFgetxattr":        func() { var b [8]byte; s.PrepFgetxattr(0, path, b[:]) },
		"PrepGetxattr":         func() { var p [8]byte; s.PrepGetxattr(path, &p[0], nil) },
	} {
		if n := testing.AllocsPerRun(10, f); n != 1 {
			t.Errorf("%s: %v allocations, want 1 (the caller's local must move to the heap)", name, n)
		}
	}
}

// A peer that issues io_uring_enter through RawSyscall (go-uring, and
// hayabusa's zcall; go-peers.md 5.7) keeps its P while the thread sleeps in
// the kernel, so one blocked wait stalls a whole GOMAXPROCS slot. A wait
// that blocks must go through the runtime's syscall path: the goroutine is
// then in state "syscall". This checks the Ring's own blocking wait, and
// the enter in which the Loop's reaper (shared mode) or owner (owner mode)
// sleeps.
func TestBlockingEnterIsARuntimeSyscall(t *testing.T) {
	t.Run("Ring.SubmitAndWait", func(t *testing.T) {
		r := newRing(t, 4)
		rfd, wfd := opPipe(t)
		buf := make([]byte, 8)
		r.GetSQE().PrepRead(int32(rfd), buf, -1)
		done := make(chan error, 1)
		go func() {
			_, err := r.SubmitAndWait(1)
			done <- err
		}()
		waitSyscallState(t, "ring.(*Ring).SubmitAndWait")
		if _, err := unix.Write(wfd, []byte("x")); err != nil {
			t.Fatal(err)
		}
		if err := <-done; err != nil {
			t.Fatal(err)
		}
	})
	for _, m := range loopModes {
		t.Run("Loop/"+m.name, func(t *testing.T) {
			l := newTestLoop(t, append(m.opts, ring.WithSpin(0))...)
			pr, pw := ring.IdlePipe(t)
			req := ring.NewRequest()
			req.Buf = make([]byte, 8)
			req.SQE.PrepRead(int32(pr.Fd()), req.Buf, -1)
			if err := l.Submit(context.Background(), req); err != nil {
				t.Fatal(err)
			}
			runner := "ring.(*Loop).reaper"
			if strings.HasPrefix(m.name, "owner") {
				runner = "ring.(*Loop).ownerLoop"
			}
			waitSyscallState(t, runner)
			if _, err := pw.Write([]byte("x")); err != nil {
				t.Fatal(err)
			}
			if c, err := req.Wait(context.Background()); err != nil || c.Res != 1 {
				t.Fatalf("Wait = %+v, %v", c, err)
			}
		})
	}
}

// waitSyscallState waits until the goroutine whose stack contains fn is
// blocked in io_uring_enter in the runtime's syscall state. A goroutine
// blocked in a raw syscall shows as running instead; the stack dump's
// stop-the-world then cannot stop it either, so the test hangs until go
// test's -timeout, whose dump shows that goroutine.
func waitSyscallState(t *testing.T, fn string) {
	t.Helper()
	deadline := time.Now().Add(hangAfter)
	var last string
	for time.Now().Before(deadline) {
		buf := make([]byte, 1<<20)
		buf = buf[:runtime.Stack(buf, true)]
		for _, g := range strings.Split(string(buf), "\n\n") {
			if !strings.Contains(g, fn) || !strings.Contains(g, "sysEnter") {
				continue
			}
			last = g
			header, _, _ := strings.Cut(g, "\n")
			if strings.Contains(header, "[syscall") {
				return
			}
		}
		time.Sleep(time.Millisecond)
	}
	t.Fatalf("no goroutine in %s ever blocked in io_uring_enter in syscall state; last seen:\n%s", fn, last)
}

// goroutineStates returns the states in the stack dump headers of the
// goroutines whose stacks contain fn ("syscall", "chan receive", ...).
func goroutineStates(fn string) []string {
	buf := make([]byte, 1<<20)
	buf = buf[:runtime.Stack(buf, true)]
	var states []string
	for _, g := range strings.Split(string(buf), "\n\n") {
		if !strings.Contains(g, fn+"(") {
			continue
		}
		header, _, _ := strings.Cut(g, "\n")
		_, state, _ := strings.Cut(header, "[")
		state, _, _ = strings.Cut(state, "]")
		states = append(states, state)
	}
	return states
}

// Iceber, giouring and ii64/gouring no longer link on Go 1.23+ because they
// reach into the syscall package with the go:linkname directive
// (go-peers.md 2.1, 2.2, 2.5, 5.6), and dshulyak hides its hot paths from
// the race detector with go:norace (2.4, 6(b)5). No file of this module
// may use either directive.
func TestModuleUsesNoLinknameOrNorace(t *testing.T) {
	directives := []string{"//go:" + "linkname", "//go:" + "norace"} // a directive starts its line
	root := ".."
	if _, err := os.Stat(filepath.Join(root, "go.mod")); err != nil {
		t.Fatalf("module root not found from the ring package: %v", err)
	}
	n := 0
	err := filepath.WalkDir(root, func(path string, d fs.DirEntry, err error) error {
		if err != nil {
			return err
		}
		if d.IsDir() && strings.HasPrefix(d.Name(), ".") && path != root {
			return filepath.SkipDir
		}
		if d.IsDir() || !strings.HasSuffix(path, ".go") {
			return nil
		}
		n++
		b, err := os.ReadFile(path)
		if err != nil {
			return err
		}
		for i, line := range strings.Split(string(b), "\n") {
			for _, d := range directives {
				if strings.HasPrefix(line, d) {
					t.Errorf("%s:%d uses %s", path, i+1, d)
				}
			}
		}
		return nil
	})
	if err != nil {
		t.Fatal(err)
	}
	if n < 50 {
		t.Errorf("scanned only %d Go files; is the module root right?", n)
	}
}
