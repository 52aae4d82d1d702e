//go:build linux

package ring_test

import (
	"os"
	"path/filepath"
	"runtime"
	"syscall"
	"testing"

	"golang.org/x/sys/unix"

	"github.com/uringkit/uring/ring"
)

func withPersonality(id uint16, prep func(*ring.SQE)) func(*ring.SQE) {
	return func(s *ring.SQE) { prep(s); s.Personality = id }
}

func TestRegisterPersonalityIDs(t *testing.T) {
	r := newTestRing(t, 8)
	id, err := r.RegisterPersonality()
	if err != nil {
		t.Fatal(err)
	}
	diff(t, "NOP with the registered personality", submitOne(t, r, withPersonality(id, nop(1))), cqe(1, 0))
	diff(t, "NOP with an unknown personality", submitOne(t, r, withPersonality(id+1, nop(2))), cqe(2, errno(syscall.EINVAL)))
	if err := r.UnregisterPersonality(id); err != nil {
		t.Fatal(err)
	}
	diff(t, "NOP with the unregistered personality", submitOne(t, r, withPersonality(id, nop(3))), cqe(3, errno(syscall.EINVAL)))
	wantSyscallErr(t, r.UnregisterPersonality(id), ring.UnregisterPersonality, syscall.EINVAL)
}

// A personality carries the registering thread's credentials: after the
// submitting thread drops to an unprivileged uid, an open of a root-only
// file fails with EACCES, and succeeds when the SQE names the personality
// registered as root.
func TestRegisterPersonalityCredentials(t *testing.T) {
	if os.Geteuid() != 0 {
		t.Skip("needs root to switch the thread's uid")
	}
	r := newTestRing(t, 8)
	dir := t.TempDir()
	if err := os.Chmod(dir, 0o700); err != nil {
		t.Fatal(err)
	}
	path := filepath.Join(dir, "secret")
	if err := os.WriteFile(path, []byte("s"), 0o600); err != nil {
		t.Fatal(err)
	}
	id, err := r.RegisterPersonality()
	if err != nil {
		t.Fatal(err)
	}
	cpath := append([]byte(path), 0)
	open := func(ud uint64) func(*ring.SQE) {
		return func(s *ring.SQE) {
			*s = ring.SQE{Opcode: ring.OpOpenat, Fd: unix.AT_FDCWD, Addr: addr(cpath), OpFlags: unix.O_RDONLY | unix.O_CLOEXEC, UserData: ud}
		}
	}
	type result struct {
		plain, pers ring.CQE
		err         error
	}
	done := make(chan result)
	go func() {
		// The thread stays locked, so it exits with the goroutine and its
		// changed uid never serves other goroutines.
		runtime.LockOSThread()
		var res result
		defer func() { done <- res }()
		// setresuid(2) directly changes only this thread (Go's
		// syscall.Setresuid changes all threads).
		if _, _, e := unix.RawSyscall(unix.SYS_SETRESUID, ^uintptr(0), 65534, ^uintptr(0)); e != 0 {
			res.err = e
			return
		}
		for i, c := range []*ring.CQE{&res.plain, &res.pers} {
			s := r.GetSQE()
			open(uint64(i + 1))(s)
			if i == 1 {
				s.Personality = id
			}
			if _, err := r.SubmitAndWait(1); err != nil {
				res.err = err
				return
			}
			p, err := r.PeekCQE()
			if p == nil {
				res.err = err
				return
			}
			*c = *p
			r.CQESeen(p)
		}
	}()
	res := <-done
	if res.err != nil {
		t.Fatal(res.err)
	}
	diff(t, "open as uid 65534", res.plain, cqe(1, errno(syscall.EACCES)))
	if res.pers.Res < 0 {
		t.Fatalf("open with the root personality: %v", syscall.Errno(-res.pers.Res))
	}
	unix.Close(int(res.pers.Res))
}
