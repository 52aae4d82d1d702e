//go:build linux

package ring_test

import (
	"errors"
	"os"
	"runtime"
	"strings"
	"sync"
	"syscall"
	"testing"
	"time"
	"unsafe"

	"github.com/google/go-cmp/cmp"
	"golang.org/x/sys/unix"

	"github.com/uringkit/uring/ring"
)

// io_uring_enter on the running kernel: timed waits (EXT_ARG), min_wait,
// signals during a wait, and the errno mapping.

func TestSubmitAndWaitTimeout(t *testing.T) {
	t.Run("completes", func(t *testing.T) {
		r := newRing(t, 8)
		nops(t, r, 1, 2, 3)
		n, err := r.SubmitAndWaitTimeout(3, 10*time.Second, 0)
		if err != nil || n != 3 {
			t.Fatalf("SubmitAndWaitTimeout = %d, %v", n, err)
		}
		if diff := cmp.Diff(nopCQEs(3), byUserData(waitCQEs(t, r, 3))); diff != "" {
			t.Errorf("(-want +got):\n%s", diff)
		}
	})
	t.Run("ETIME with nothing submitted", func(t *testing.T) {
		r := newRing(t, 8)
		n, err := r.SubmitAndWaitTimeout(1, 5*time.Millisecond, 0)
		wantETIME(t, n, err, 0)
	})
	t.Run("ETIME hidden behind a submission", func(t *testing.T) {
		// The kernel returns the submit count, not ETIME, when the enter
		// submitted something: the ring must notice the timeout itself.
		r := newRing(t, 8)
		pipeRead(t, r, 1) // submitted by pipeRead; never completes
		pipeReadQueued(t, r, 2)
		n, err := r.SubmitAndWaitTimeout(1, 5*time.Millisecond, 0)
		wantETIME(t, n, err, 1)
	})
	t.Run("WaitCQETimeout", func(t *testing.T) {
		r := newRing(t, 8)
		c, err := r.WaitCQETimeout(5 * time.Millisecond)
		if c != nil {
			t.Errorf("WaitCQETimeout = %+v, want nil", *c)
		}
		wantETIME(t, 0, err, 0)
		nops(t, r, 4)
		if _, err := r.Submit(); err != nil {
			t.Fatal(err)
		}
		c, err = r.WaitCQETimeout(10 * time.Second)
		if err != nil || c == nil {
			t.Fatalf("WaitCQETimeout = %v, %v", c, err)
		}
		if diff := cmp.Diff(ring.CQE{UserData: 4}, *c); diff != "" {
			t.Errorf("(-want +got):\n%s", diff)
		}
		r.CQESeen(c)
	})
}

func wantETIME(t *testing.T, n int, err error, wantN int) {
	t.Helper()
	var se *ring.SyscallError
	if !errors.Is(err, syscall.ETIME) || !errors.As(err, &se) || se.Call != "io_uring_enter" || !se.Timeout() {
		t.Errorf("err = %v, want io_uring_enter: ETIME with Timeout() true", err)
	}
	if n != wantN {
		t.Errorf("submitted = %d, want %d", n, wantN)
	}
}

// pipeReadQueued queues a READ of one byte from a new pipe without
// submitting it, and returns the pipe's write end.
func pipeReadQueued(t *testing.T, r *ring.Ring, userData uint64) (writeFd int) {
	t.Helper()
	var p [2]int
	if err := unix.Pipe2(p[:], unix.O_CLOEXEC|unix.O_NONBLOCK); err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { unix.Close(p[0]); unix.Close(p[1]) })
	buf := make([]byte, 1)
	t.Cleanup(func() { runtime.KeepAlive(buf) })
	sqe := r.GetSQE()
	sqe.PrepRW(ring.OpRead, int32(p[0]), uint64(uintptr(unsafe.Pointer(&buf[0]))), 1, 0)
	sqe.UserData = userData
	return p[1]
}

// TestMinWait: with min_wait (FEAT_MIN_TIMEOUT, 6.12) a wait for 2 CQEs
// returns once min_wait has passed with 1 CQE there, long before its
// timeout; without it the same wait runs into the timeout.
func TestMinWait(t *testing.T) {
	r := newRing(t, 8)
	if !r.Features().Has(ring.FeatMinTimeout) {
		t.Skip("kernel lacks IORING_FEAT_MIN_TIMEOUT (6.12)")
	}
	pipeRead(t, r, 1) // never completes
	nops(t, r, 2)
	n, err := r.SubmitAndWaitTimeout(2, time.Minute, time.Millisecond)
	if err != nil || n != 1 {
		t.Fatalf("SubmitAndWaitTimeout(2, 1m, min 1ms) = %d, %v; want 1, nil", n, err)
	}
	if got := r.CQReady(); got != 1 {
		t.Errorf("CQReady = %d, want 1", got)
	}
	// A timed wait that ends with fewer CQEs than asked for, but some,
	// returns nil like the kernel (which reports ETIME only for an empty
	// CQ).
	n, err = r.SubmitAndWaitTimeout(2, 5*time.Millisecond, 0)
	if err != nil || n != 0 {
		t.Errorf("SubmitAndWaitTimeout(2, 5ms) with 1 CQE = %d, %v; want 0, nil", n, err)
	}
	if diff := cmp.Diff([]ring.CQE{{UserData: 2}}, waitCQEs(t, r, 1)); diff != "" {
		t.Errorf("(-want +got):\n%s", diff)
	}
}

// signalThread sends SIGURG (which the Go runtime ignores, it uses it for
// preemption) to OS thread tid every millisecond until stop is closed.
func signalThread(tid int, stop chan struct{}, wg *sync.WaitGroup) {
	defer wg.Done()
	pid := unix.Getpid()
	for {
		select {
		case <-stop:
			return
		case <-time.After(time.Millisecond):
			_ = unix.Tgkill(pid, tid, unix.SIGURG)
		}
	}
}

// TestWaitEINTR: a signal that interrupts a blocking wait makes the kernel
// return EINTR; the ring retries (a timed wait with the time that is left),
// so the caller sees the CQE or the timeout, never EINTR.
func TestWaitEINTR(t *testing.T) {
	runtime.LockOSThread()
	defer runtime.UnlockOSThread()
	r := newRing(t, 8)
	tid := unix.Gettid()

	// First show that the signals do interrupt the raw wait.
	stop := make(chan struct{})
	var wg sync.WaitGroup
	wg.Add(1)
	go signalThread(tid, stop, &wg)
	_, _, errno := unix.Syscall6(unix.SYS_IO_URING_ENTER, uintptr(r.Fd()), 0, 1, uintptr(ring.EnterGetEvents), 0, 0)
	if errno != syscall.EINTR {
		t.Errorf("raw io_uring_enter wait under signals: errno %v, want EINTR", errno)
	}

	// A blocking wait survives the signals until the pipe has data.
	w := pipeRead(t, r, 1)
	go func() {
		time.Sleep(50 * time.Millisecond) // let several signals hit the wait
		unix.Write(w, []byte{'x'})
	}()
	c, err := r.WaitCQE()
	if err != nil || c == nil {
		t.Fatalf("WaitCQE under signals = %v, %v", c, err)
	}
	if diff := cmp.Diff(ring.CQE{UserData: 1, Res: 1}, *c); diff != "" {
		t.Errorf("(-want +got):\n%s", diff)
	}
	r.CQESeen(c)

	// A timed wait under signals ends in ETIME, not EINTR.
	pipeRead(t, r, 2)
	n, err := r.SubmitAndWaitTimeout(1, 30*time.Millisecond, 0)
	wantETIME(t, n, err, 0)
	close(stop)
	wg.Wait()
}

// TestEnterErrorMapping: EBUSY and EAGAIN become the named conditions
// (6.18 no longer returns EBUSY for a CQ overflow, see TestCQOverflow, so
// the mapping is tested directly); other errnos name the call.
func TestEnterErrorMapping(t *testing.T) {
	for _, tt := range []struct {
		errno syscall.Errno
		want  error
	}{
		{syscall.EBUSY, ring.ErrBusy},
		{syscall.EAGAIN, ring.ErrAgain},
	} {
		err := ring.EnterError(tt.errno)
		if err != tt.want || !errors.Is(err, tt.errno) {
			t.Errorf("EnterError(%v) = %v; want %v, matching the errno", tt.errno, err, tt.want)
		}
	}
	err := ring.EnterError(syscall.EBADR)
	var se *ring.SyscallError
	if !errors.As(err, &se) || se.Call != "io_uring_enter" || !errors.Is(err, syscall.EBADR) || se.Timeout() {
		t.Errorf("EnterError(EBADR) = %v, want io_uring_enter: EBADR", err)
	}
	if got, want := err.Error(), "io_uring_enter: "+syscall.EBADR.Error(); got != want {
		t.Errorf("Error() = %q, want %q", got, want)
	}
}

// TestUnavailableMapping: the setup errnos that mean io_uring itself is off
// limits become an *UnavailableError saying why; others stay plain.
func TestUnavailableMapping(t *testing.T) {
	for _, tt := range []struct {
		errno syscall.Errno
		hint  string // a phrase the reason must contain
	}{
		{syscall.ENOSYS, "seccomp"},
		{syscall.EPERM, "kernel.io_uring_disabled"},
		{syscall.ENOMEM, "RLIMIT_MEMLOCK"},
	} {
		err := ring.Unavailable(tt.errno)
		var ue *ring.UnavailableError
		if !errors.As(err, &ue) || ue.Errno != tt.errno {
			t.Errorf("Unavailable(%v) = %v, want *UnavailableError", tt.errno, err)
			continue
		}
		if !errors.Is(err, ring.ErrUnavailable) || !errors.Is(err, tt.errno) {
			t.Errorf("errors.Is(%v, ErrUnavailable / %v) = false", err, tt.errno)
		}
		if !strings.Contains(err.Error(), tt.hint) || !strings.Contains(err.Error(), tt.errno.Error()) {
			t.Errorf("Unavailable(%v).Error() = %q, want it to mention %q and the errno", tt.errno, err, tt.hint)
		}
	}
	if err := ring.Unavailable(syscall.EINVAL); err != nil {
		t.Errorf("Unavailable(EINVAL) = %v, want nil (a bad argument, not an unavailable io_uring)", err)
	}
}

// TestUnavailableEPERM proves the EPERM path on the real kernel: with
// kernel.io_uring_disabled = 1 only CAP_SYS_ADMIN (or io_uring_group) may
// create rings. The sysctl is raised to 1, never 2, so root processes (every
// other test on this machine) keep io_uring; a Cleanup restores it, which
// also runs when the test fails. The ring is set up from a locked OS thread
// that dropped CAP_SYS_ADMIN from its effective set (capabilities are per
// thread); the thread exits with its goroutine.
func TestUnavailableEPERM(t *testing.T) {
	const sysctl = "/proc/sys/kernel/io_uring_disabled"
	if unix.Geteuid() != 0 {
		t.Skip("needs root to set " + sysctl)
	}
	old, err := os.ReadFile(sysctl)
	if err != nil {
		t.Skipf("no %s: %v", sysctl, err)
	}
	if strings.TrimSpace(string(old)) != "0" {
		t.Skipf("%s is %s, not 0: leaving it alone", sysctl, strings.TrimSpace(string(old)))
	}
	if err := os.WriteFile(sysctl, []byte("1"), 0); err != nil {
		t.Skipf("cannot write %s: %v", sysctl, err)
	}
	t.Cleanup(func() {
		if err := os.WriteFile(sysctl, old, 0); err != nil {
			t.Errorf("restoring %s: %v", sysctl, err)
		}
	})
	errc := make(chan error, 1)
	go func() {
		runtime.LockOSThread() // never unlocked: the thread dies with the goroutine
		hdr := unix.CapUserHeader{Version: unix.LINUX_CAPABILITY_VERSION_3}
		var data [2]unix.CapUserData
		if err := unix.Capget(&hdr, &data[0]); err != nil {
			errc <- err
			return
		}
		data[unix.CAP_SYS_ADMIN/32].Effective &^= 1 << (unix.CAP_SYS_ADMIN % 32)
		if err := unix.Capset(&hdr, &data[0]); err != nil {
			errc <- err
			return
		}
		r, err := ring.New(4)
		if err == nil {
			r.Close()
		}
		errc <- err
	}()
	err = <-errc
	var ue *ring.UnavailableError
	if !errors.As(err, &ue) || ue.Errno != syscall.EPERM || !errors.Is(err, ring.ErrUnavailable) || !errors.Is(err, syscall.EPERM) {
		t.Fatalf("New without CAP_SYS_ADMIN under io_uring_disabled=1: err = %v, want *UnavailableError(EPERM)", err)
	}
	if !strings.Contains(err.Error(), "kernel.io_uring_disabled") {
		t.Errorf("error %q does not say what to do", err)
	}
}

// TestUnavailableENOSYS proves the ENOSYS path on the real kernel the way
// a container meets it: a seccomp filter (here on one locked OS thread,
// which exits with its goroutine; the Go runtime never clones new threads
// from a locked one) answers io_uring_setup with ENOSYS.
func TestUnavailableENOSYS(t *testing.T) {
	errc := make(chan error, 1)
	go func() {
		runtime.LockOSThread() // never unlocked: the thread dies with the goroutine
		const (
			retErrno = 0x00050000 // SECCOMP_RET_ERRNO
			retAllow = 0x7fff0000 // SECCOMP_RET_ALLOW
		)
		filter := []unix.SockFilter{
			{Code: unix.BPF_LD | unix.BPF_W | unix.BPF_ABS, K: 0}, // seccomp_data.nr
			{Code: unix.BPF_JMP | unix.BPF_JEQ | unix.BPF_K, Jt: 0, Jf: 1, K: unix.SYS_IO_URING_SETUP},
			{Code: unix.BPF_RET | unix.BPF_K, K: retErrno | uint32(unix.ENOSYS)},
			{Code: unix.BPF_RET | unix.BPF_K, K: retAllow},
		}
		prog := unix.SockFprog{Len: uint16(len(filter)), Filter: &filter[0]}
		if err := unix.Prctl(unix.PR_SET_NO_NEW_PRIVS, 1, 0, 0, 0); err != nil {
			errc <- err
			return
		}
		if err := unix.Prctl(unix.PR_SET_SECCOMP, unix.SECCOMP_MODE_FILTER, uintptr(unsafe.Pointer(&prog)), 0, 0); err != nil {
			errc <- err
			return
		}
		r, err := ring.New(4)
		if err == nil {
			r.Close()
		}
		errc <- err
	}()
	err := <-errc
	var ue *ring.UnavailableError
	if !errors.As(err, &ue) || ue.Errno != syscall.ENOSYS || !errors.Is(err, ring.ErrUnavailable) || !errors.Is(err, syscall.ENOSYS) {
		t.Fatalf("New under a seccomp filter: err = %v, want *UnavailableError(ENOSYS)", err)
	}
	if !strings.Contains(err.Error(), "seccomp") {
		t.Errorf("error %q does not say what to do", err)
	}
	// Other threads were not touched.
	nopRoundTrip(t, newRing(t, 4), 2)
}
