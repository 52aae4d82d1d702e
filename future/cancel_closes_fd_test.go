//go:build linux

package future_test

import (
	"context"
	"errors"
	"net/netip"
	"os"
	"path/filepath"
	"testing"

	"github.com/uringkit/uring/future"
	"github.com/uringkit/uring/internal/testutil"
	"github.com/uringkit/uring/ring"
	"golang.org/x/sys/unix"
)

// dialTCP connects a new socket to addr (loopback: connect returns once
// the connection is queued on the listener) and returns its fd.
func dialTCP(t *testing.T, addr netip.AddrPort) int {
	t.Helper()
	fd, err := unix.Socket(unix.AF_INET, unix.SOCK_STREAM|unix.SOCK_CLOEXEC, 0)
	if err != nil {
		t.Fatal(err)
	}
	if err := unix.Connect(fd, &unix.SockaddrInet4{Port: int(addr.Port()), Addr: addr.Addr().As4()}); err != nil {
		unix.Close(fd)
		t.Fatal(err)
	}
	return fd
}

// listenerWithQueued returns a listener with n connections queued on it,
// whose client ends are closed at cleanup.
func listenerWithQueued(t *testing.T, n int) int {
	t.Helper()
	lfd, addr := listener(t)
	for range n {
		c := dialTCP(t, addr)
		t.Cleanup(func() { unix.Close(c) })
	}
	return lfd
}

// dropQueued accepts and closes the connections queued on the listener
// lfd, which accepts that a cancel did stop left there, so that the
// backlog never fills (a connect to a full backlog waits for SYN
// retransmits).
func dropQueued(t *testing.T, lfd int) {
	t.Helper()
	for {
		pfd := []unix.PollFd{{Fd: int32(lfd), Events: unix.POLLIN}}
		if n, err := unix.Poll(pfd, 0); err != nil || n == 0 {
			return
		}
		fd, _, err := unix.Accept4(lfd, unix.SOCK_CLOEXEC)
		if err != nil {
			t.Fatalf("accept4 of a queued connection: %v", err)
		}
		unix.Close(fd)
	}
}

// ownerLoop is an owner-mode Loop with a sparse file table of slots
// slots. Its submitter only writes the SQE and rings the owner, so a
// Wait whose context has already ended usually parks, sees the context
// and sends a cancel before the owner has even submitted the op: an op
// that completes inline at submission then succeeds, and its cancel
// finds nothing. That is the race of a cancel with a completion, made
// frequent.
func ownerLoop(t *testing.T, slots uint32) *ring.Loop {
	t.Helper()
	l, err := ring.NewLoop(ring.WithEntries(16), ring.WithMode(ring.ModeOwner))
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { l.Close() })
	if err := l.Do(func(r *ring.Ring) error { return r.RegisterFilesSparse(slots) }); err != nil {
		t.Fatal(err)
	}
	return l
}

// TestCancelledAcceptClosesFd: when a context ends while an accept is in
// flight and the accept succeeds anyway (it completed before the cancel
// reached it), Await returns the accepted fd, the caller's (closed here);
// otherwise the context's error, and nothing was accepted. After 2,000
// rounds of a connect racing a cancel, the process has as many
// descriptors as before. Before the first fix every round that got the
// context's error leaked the accepted fd: 1-13 per run of 2,000 rounds
// (10 runs with -race).
func TestCancelledAcceptClosesFd(t *testing.T) {
	lfd, addr := listener(t)
	before := testutil.OpenFds(t)
	var accepted, cancelled int
	for range 2000 {
		ctx, cancel := context.WithCancel(context.Background())
		f := future.Accept(lfd, unix.SOCK_CLOEXEC).Submit(ctx, loop)
		cfd := dialTCP(t, addr)
		cancel()
		fd, err := f.Await(ctx)
		switch {
		case err == nil:
			accepted++
			unix.Close(int(fd))
		case errors.Is(err, context.Canceled):
			cancelled++
			dropQueued(t, lfd)
		default:
			t.Fatalf("Await = %d, %v; want a fd or context.Canceled", fd, err)
		}
		unix.Close(cfd)
	}
	t.Logf("%d accepted, %d cancelled", accepted, cancelled)
	if after := testutil.OpenFds(t); after != before {
		t.Errorf("%d descriptors open before, %d after: %d leaked", before, after, after-before)
	}
}

// TestCancelledCreateClosesFd: each operation that creates descriptors,
// submitted on an owner-mode Loop (ownerLoop) with its context then ended
// before Await, either returns its value (the caller's, closed here) or
// the context's error, and then it made nothing. On that Loop the
// submitter only rings the owner, so Await usually sees the ended
// context and sends a cancel before the owner submits the op, which then
// succeeds inline and escapes the cancel. Before the first fix each round
// that returned the context's error leaked what it made; of 200 rounds,
// in 3 runs: Accept 98-135, Openat 177-194, Socket 196-200, Pipe 198-200
// (two fds each), and AcceptDirect filled its 2-slot table and failed
// with ENFILE in its fourth or fifth round. Now those rounds return the
// value.
func TestCancelledCreateClosesFd(t *testing.T) {
	bg := context.Background()
	l := ownerLoop(t, 2)
	lfd, addr := listener(t)
	path := filepath.Join(t.TempDir(), "f")
	if err := os.WriteFile(path, []byte("x"), 0o600); err != nil {
		t.Fatal(err)
	}
	// Each round returns the fds to close, or the error.
	for _, tc := range []struct {
		name  string
		round func(t *testing.T) ([]int, error)
	}{
		{"Accept", func(t *testing.T) ([]int, error) {
			cfd := dialTCP(t, addr) // queued: the accept completes at submission
			defer unix.Close(cfd)
			fd, err := awaitCancelled(future.Accept(lfd, unix.SOCK_CLOEXEC), l)
			return []int{int(fd)}, err
		}},
		{"Openat", func(t *testing.T) ([]int, error) {
			fd, err := awaitCancelled(future.Openat(unix.AT_FDCWD, path, unix.O_RDONLY|unix.O_CLOEXEC, 0), l)
			return []int{int(fd)}, err
		}},
		{"Socket", func(t *testing.T) ([]int, error) {
			fd, err := awaitCancelled(future.Socket(unix.AF_INET, unix.SOCK_STREAM|unix.SOCK_CLOEXEC, 0), l)
			return []int{int(fd)}, err
		}},
		{"Pipe", func(t *testing.T) ([]int, error) {
			p, err := awaitCancelled(future.Pipe(unix.O_CLOEXEC), l)
			return []int{int(p[0]), int(p[1])}, err
		}},
		{"AcceptDirect", func(t *testing.T) ([]int, error) {
			// A leaked slot fills the 2-slot table: the third leak
			// fails the accept with ENFILE.
			cfd := dialTCP(t, addr)
			defer unix.Close(cfd)
			slot, err := awaitCancelled(future.AcceptDirect(lfd, 0, ring.FileIndexAlloc), l)
			if err == nil {
				if _, err := future.CloseDirect(uint32(slot)).Await(bg, l); err != nil {
					t.Fatalf("CloseDirect(%d): %v", slot, err)
				}
			}
			return nil, err
		}},
	} {
		t.Run(tc.name, func(t *testing.T) {
			before := testutil.OpenFds(t)
			var ok, cancelled int
			for range 200 {
				fds, err := tc.round(t)
				switch {
				case err == nil:
					ok++
					for _, fd := range fds {
						unix.Close(fd)
					}
				case errors.Is(err, context.Canceled):
					cancelled++
					dropQueued(t, lfd)
				default:
					t.Fatalf("round %d: %v; want a value or context.Canceled", ok+cancelled, err)
				}
			}
			t.Logf("%d values, %d cancelled", ok, cancelled)
			if after := testutil.OpenFds(t); after != before {
				t.Errorf("%d descriptors open before, %d after: %d leaked", before, after, after-before)
			}
		})
	}
}

// awaitCancelled submits op on l with a live context, then ends the context and
// awaits the Future with it.
func awaitCancelled[T any](op future.Op[T], l *ring.Loop) (T, error) {
	ctx, cancel := context.WithCancel(context.Background())
	f := op.Submit(ctx, l)
	cancel()
	return f.Await(ctx)
}

// TestStreamBreakClosesDrainedFds: a multishot accept with three
// connections queued posts three CQEs at once; breaking out of the range
// after the first cancels it and drains the other two, whose accepted
// fds the library closes. Before the fix they stayed open: 2 leaked, every
// run.
func TestStreamBreakClosesDrainedFds(t *testing.T) {
	lfd := listenerWithQueued(t, 3)
	before := testutil.OpenFds(t)
	n := 0
	for fd, err := range future.AcceptMultishot(lfd, unix.SOCK_CLOEXEC).Stream(context.Background(), loop) {
		if err != nil {
			t.Fatal(err)
		}
		n++
		unix.Close(int(fd))
		break
	}
	if n != 1 {
		t.Fatalf("%d values before the break, want 1", n)
	}
	if after := testutil.OpenFds(t); after != before {
		t.Errorf("%d descriptors open before, %d after: %d leaked", before, after, after-before)
	}
}
