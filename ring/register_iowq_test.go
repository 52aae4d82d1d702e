//go:build linux

package ring_test

import (
	"errors"
	"os"
	"path/filepath"
	"runtime"
	"sort"
	"strconv"
	"strings"
	"syscall"
	"testing"

	"golang.org/x/sys/unix"

	"github.com/uringkit/uring/ring"
)

// onFreshThread runs f on a locked OS thread that has no io-wq yet (so no
// io-wq workers from earlier tests) and that exits afterwards, taking its
// io-wq and any changed limits with it. RegisterIOWQAff answers EINVAL on
// a thread without io-wq, which is how a fresh thread is recognised.
func onFreshThread(t *testing.T, r *ring.Ring, f func() error) {
	t.Helper()
	for attempt := 0; attempt < 20; attempt++ {
		done := make(chan error)
		go func() {
			runtime.LockOSThread() // never unlocked: the thread exits with the goroutine
			err := r.RegisterIOWQAff([]int{0})
			if !errors.Is(err, syscall.EINVAL) {
				done <- errRetry
				return
			}
			done <- f()
		}()
		err := <-done
		if err == errRetry {
			continue
		}
		if err != nil {
			t.Fatal(err)
		}
		return
	}
	t.Fatal("no OS thread without an io-wq after 20 attempts")
}

var errRetry = errors.New("thread already has an io-wq")

// iowqWorkers returns the Cpus_allowed_list of every io-wq worker of the
// thread tid (threads named iou-wrk-<tid>), keyed by worker tid.
func iowqWorkers(tid int) (map[int]string, error) {
	dirs, err := filepath.Glob("/proc/self/task/*")
	if err != nil {
		return nil, err
	}
	out := map[int]string{}
	for _, d := range dirs {
		comm, err := os.ReadFile(d + "/comm")
		if err != nil || strings.TrimSpace(string(comm)) != "iou-wrk-"+strconv.Itoa(tid) {
			continue
		}
		st, err := os.ReadFile(d + "/status")
		if err != nil {
			continue // exited meanwhile
		}
		for _, line := range strings.Split(string(st), "\n") {
			if v, ok := strings.CutPrefix(line, "Cpus_allowed_list:"); ok {
				w, _ := strconv.Atoi(filepath.Base(d))
				out[w] = strings.TrimSpace(v)
			}
		}
	}
	return out, nil
}

func threadCPUs(tid int) (string, error) {
	st, err := os.ReadFile("/proc/self/task/" + strconv.Itoa(tid) + "/status")
	if err != nil {
		return "", err
	}
	for _, line := range strings.Split(string(st), "\n") {
		if v, ok := strings.CutPrefix(line, "Cpus_allowed_list:"); ok {
			return strings.TrimSpace(v), nil
		}
	}
	return "", errors.New("no Cpus_allowed_list")
}

// submitWait submits what is queued and reaps n CQEs (on the calling thread).
func submitWait(r *ring.Ring, n int) ([]ring.CQE, error) {
	if _, err := r.Submit(); err != nil {
		return nil, err
	}
	var out []ring.CQE
	for len(out) < n {
		c, err := r.WaitCQE()
		if err != nil {
			return nil, err
		}
		out = append(out, *c)
		r.CQESeen(c)
	}
	return out, nil
}

// Workers created after IOWQ_AFF run only on the registered CPU; after
// UNREGISTER_IOWQ_AFF new workers may run on every CPU again.
func TestRegisterIOWQAff(t *testing.T) {
	var set unix.CPUSet
	if err := unix.SchedGetaffinity(0, &set); err != nil {
		t.Fatal(err)
	}
	if set.Count() < 2 {
		t.Skip("needs at least 2 usable CPUs to tell an io-wq affinity from the default")
	}
	cpu := -1
	for c := 0; c < 1024 && cpu < 0; c++ {
		if set.IsSet(c) {
			cpu = c
		}
	}
	r := newTestRing(t, 8)
	fifo := filepath.Join(t.TempDir(), "fifo")
	if err := unix.Mkfifo(fifo, 0o600); err != nil {
		t.Fatal(err)
	}
	cfifo := append([]byte(fifo), 0)
	var got, want []string
	onFreshThread(t, r, func() error {
		tid := unix.Gettid()
		all, err := threadCPUs(tid)
		if err != nil {
			return err
		}
		nop(1)(r.GetSQE()) // the thread's first submission creates its io-wq
		if _, err := submitWait(r, 1); err != nil {
			return err
		}
		if err := r.RegisterIOWQAff([]int{cpu}); err != nil {
			return err
		}
		s := r.GetSQE() // a NOP forced to io-wq creates the first worker
		nop(2)(s)
		s.Flags = ring.SQEAsync
		if _, err := submitWait(r, 1); err != nil {
			return err
		}
		if err := r.UnregisterIOWQAff(); err != nil {
			return err
		}
		// Keep the first worker busy in a blocking FIFO open, so the next
		// io-wq NOP needs a second worker, created after the reset.
		s = r.GetSQE()
		*s = ring.SQE{Opcode: ring.OpOpenat, Fd: unix.AT_FDCWD, Addr: addr(cfifo), OpFlags: unix.O_RDONLY | unix.O_CLOEXEC,
			Flags: ring.SQEAsync, UserData: 3}
		s = r.GetSQE()
		nop(4)(s)
		s.Flags = ring.SQEAsync
		if _, err := r.Submit(); err != nil {
			return err
		}
		c, err := r.WaitCQE() // the NOP; the open is still blocked
		if err != nil {
			return err
		}
		if c.UserData != 4 {
			return errors.New("unexpected CQE before the FIFO has a writer")
		}
		r.CQESeen(c)
		workers, err := iowqWorkers(tid)
		if err != nil {
			return err
		}
		for _, cpus := range workers {
			got = append(got, cpus)
		}
		want = []string{strconv.Itoa(cpu), all}
		w, err := unix.Open(fifo, unix.O_WRONLY|unix.O_NONBLOCK|unix.O_CLOEXEC, 0)
		if err != nil {
			return err
		}
		defer unix.Close(w)
		cs, err := submitWait(r, 1)
		if err != nil {
			return err
		}
		if cs[0].Res >= 0 {
			unix.Close(int(cs[0].Res))
		}
		return nil
	})
	sort.Strings(got)
	sort.Strings(want)
	diff(t, "CPUs of the io-wq workers", got, want)
}

// IOWQ_MAX_WORKERS sets the limits and hands back the previous ones; 0
// leaves a limit as it is.
func TestRegisterIOWQMaxWorkers(t *testing.T) {
	r := newTestRing(t, 8)
	type pair struct{ Bounded, Unbounded uint32 }
	var got []pair
	onFreshThread(t, r, func() error {
		nop(1)(r.GetSQE())
		if _, err := submitWait(r, 1); err != nil {
			return err
		}
		for _, set := range []pair{{2, 3}, {0, 0}, {5, 0}, {0, 0}} {
			b, u, err := r.RegisterIOWQMaxWorkers(set.Bounded, set.Unbounded)
			if err != nil {
				return err
			}
			got = append(got, pair{b, u})
		}
		return nil
	})
	// got[0] is the kernel's default for this thread; the rest must echo
	// what was set.
	if got[0].Bounded == 0 || got[0].Unbounded == 0 {
		t.Fatalf("default limits %+v, want non-zero", got[0])
	}
	diff(t, "limits handed back", got[1:], []pair{{2, 3}, {2, 3}, {5, 3}})
	_, _, err := r.RegisterIOWQMaxWorkers(1<<31, 0)
	wantArgErr(t, r, err)
	wantArgErr(t, r, r.RegisterIOWQAff(nil))
}
