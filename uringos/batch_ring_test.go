package uringos_test

import (
	"errors"
	"fmt"
	"os"
	"path/filepath"
	"runtime"
	"sync"
	"testing"
	"time"

	"github.com/google/go-cmp/cmp"
	"github.com/uringkit/uring/ring"
	"github.com/uringkit/uring/uringos"
)

// lstatDiff compares s.LstatAll(names) with os.Lstat of each name.
func lstatDiff(s *uringos.Sys, names []string) string {
	root := filepath.Dir(names[0])
	infos, errs := s.LstatAll(names)
	var got, want []any
	for i, n := range names {
		wi, we := os.Lstat(n)
		want = append(want, normInfo(wi), normErr(root, we))
		got = append(got, normInfo(infos[i]), normErr(root, errs[i]))
	}
	return cmp.Diff(want, got)
}

// The Loop path of batched stat (used when no private ring can be made)
// gives the same results as the private rings and os.
func TestLstatAllThroughLoopMatchesOS(t *testing.T) {
	names := batchNames(t)
	restore := uringos.StatThroughLoop()
	defer restore()
	for cfg, s := range loops(t) {
		if diff := lstatDiff(s, names); diff != "" {
			t.Errorf("%s: (-os +uringos):\n%s", cfg, diff)
		}
	}
}

// More concurrent batches than private rings stay idle: each gets a ring
// of its own, and every result matches os.
func TestLstatAllConcurrentBatches(t *testing.T) {
	names := batchNames(t)
	s, err := uringos.Default()
	if err != nil {
		t.Fatal(err)
	}
	const callers = 8
	diffs := make([]string, callers)
	var wg sync.WaitGroup
	for g := range callers {
		wg.Add(1)
		go func() {
			defer wg.Done()
			for range 3 {
				if diffs[g] = lstatDiff(s, names); diffs[g] != "" {
					return
				}
			}
		}()
	}
	wg.Wait()
	for g, d := range diffs {
		if d != "" {
			t.Errorf("caller %d: (-os +uringos):\n%s", g, d)
		}
	}
}

// A call is cut into chunks of equal size dealt out to the stat threads:
// whatever the number of names, around chunk boundaries or below one
// chunk per thread, every result matches os; a call of several chunks
// starts every stat thread.
func TestLstatAllChunksOverStatThreads(t *testing.T) {
	all := batchNames(t)
	s, err := uringos.Default()
	if err != nil {
		t.Fatal(err)
	}
	defer uringos.SetStatChunk(100)()
	for _, n := range []int{1, 2, 99, 100, 101, 255, 256, 257, 300, 301, len(all)} {
		if diff := lstatDiff(s, all[:n]); diff != "" {
			t.Errorf("%d names: (-os +uringos):\n%s", n, diff)
		}
	}
	if got, want := uringos.StatThreadsRunning(), uringos.StatThreads(); got != want {
		t.Errorf("after calls of several chunks: %d stat threads running, want %d", got, want)
	}
}

// A batch on a closed Loop fails like every other call on it, although
// the private rings do not need the Loop.
func TestLstatAllAfterLoopClose(t *testing.T) {
	l, err := ring.NewLoop()
	if err != nil {
		t.Fatal(err)
	}
	s := uringos.On(l)
	l.Close()
	dir := t.TempDir()
	var names []string
	for i := range 10 { // enough to share a parent directory
		names = append(names, filepath.Join(dir, fmt.Sprint(i)))
	}
	infos, errs := s.LstatAll(names)
	for i := range names {
		if infos[i] != nil || !errors.Is(errs[i], ring.ErrClosed) {
			t.Errorf("LstatAll(%s) on a closed Loop = %v, %v; want nil, ErrClosed", names[i], infos[i], errs[i])
		}
	}
}

// Garbage collections while batches are in flight do not disturb the
// paths and statx buffers the kernel is using: every result still
// matches os.
func TestLstatAllUnderGC(t *testing.T) {
	names := batchNames(t)
	s, err := uringos.Default()
	if err != nil {
		t.Fatal(err)
	}
	stop := make(chan struct{})
	var wg sync.WaitGroup
	wg.Add(1)
	go func() {
		defer wg.Done()
		for {
			select {
			case <-stop:
				return
			default:
				runtime.GC()
			}
		}
	}()
	for range 5 {
		if diff := lstatDiff(s, names); diff != "" {
			t.Errorf("(-os +uringos):\n%s", diff)
			break
		}
	}
	close(stop)
	wg.Wait()
}

// The stat thread exits when no batch comes for a while, and the next
// batch starts a new one: every result still matches os.
func TestLstatAllAfterStatThreadExits(t *testing.T) {
	names := batchNames(t)
	s, err := uringos.Default()
	if err != nil {
		t.Fatal(err)
	}
	defer uringos.SetStatIdle(time.Millisecond)()
	for range 3 {
		if diff := lstatDiff(s, names); diff != "" {
			t.Fatalf("(-os +uringos):\n%s", diff)
		}
		for uringos.StatThreadRunning() { // exits within about 1ms
			time.Sleep(time.Millisecond)
		}
	}
}

// openFDs counts the process's open descriptors.
func openFDs(t *testing.T) int {
	t.Helper()
	ents, err := os.ReadDir("/proc/self/fd")
	if err != nil {
		t.Skipf("no /proc/self/fd: %v", err)
	}
	return len(ents)
}

// The parent directories a batch opens are all closed by the time the
// batch returns, those that failed to open included.
func TestLstatAllClosesParents(t *testing.T) {
	root, names := dirfdNames(t)
	t.Chdir(root)
	s, err := uringos.Default()
	if err != nil {
		t.Fatal(err)
	}
	for _, mode := range []string{"ring", "loop"} {
		t.Run(mode, func(t *testing.T) {
			if mode == "loop" {
				defer uringos.StatThroughLoop()()
			}
			// Every stat thread and its ring exist, each having just had a
			// batch (so none is near its idle exit): a call this small is
			// one chunk, and the chunks of calls one after the other start
			// the threads in turn, so the measured calls could otherwise
			// start one (a ring fd more).
			for i := 0; i < 4*uringos.StatThreads(); i++ {
				s.LstatAll(names)
			}
			if mode == "ring" && uringos.StatThreadsRunning() != uringos.StatThreads() {
				t.Fatalf("%d stat threads running after the warm-up, want %d", uringos.StatThreadsRunning(), uringos.StatThreads())
			}
			before := openFDs(t)
			s.LstatAll(names)
			s.StatAll(names)
			if after := openFDs(t); after != before {
				t.Errorf("open descriptors: %d before LstatAll and StatAll, %d after", before, after)
			}
		})
	}
}

// A stat ring that fails in the middle of a call (every enter from the
// nth on fails) costs time, not results: the names it left unfinished,
// in flight or not yet submitted, are statted again through the Loop,
// every result matches os, and the next call starts a new stat thread.
func TestLstatAllSurvivesFailingStatRing(t *testing.T) {
	names := batchNames(t)
	s, err := uringos.Default()
	if err != nil {
		t.Fatal(err)
	}
	defer uringos.SetStatChunk(64)() // chunks in line behind the failure
	for _, n := range []int{1, 2, 5} {
		restore := uringos.BreakStatRingAt(n)
		diff := lstatDiff(s, names)
		restore()
		if diff != "" {
			t.Errorf("ring failing at enter %d: (-os +uringos):\n%s", n, diff)
		}
		if diff := lstatDiff(s, names); diff != "" {
			t.Errorf("after the ring failed at enter %d: (-os +uringos):\n%s", n, diff)
		}
	}
}
