package uringos

import (
	"os"
	"sync/atomic"
	"time"

	"github.com/uringkit/uring/ring"
	"golang.org/x/sys/unix"
)

// SimulateUnavailable makes Default see err instead of a Loop, as on a
// kernel where io_uring is disabled, and forgets the fallback state; the
// returned function restores the real Loop.
func SimulateUnavailable(err error) (restore func()) {
	resetDefault()
	newDefaultLoop = func() (*ring.Loop, error) { return nil, err }
	return func() {
		resetDefault()
		newDefaultLoop = ring.DefaultLoop
	}
}

func resetDefault() {
	def.mu.Lock()
	defer def.mu.Unlock()
	def.sys, def.fallback, def.notify, def.notified = nil, false, nil, false
}

// StatThroughLoop makes batched stat run through the Loop, as when no
// stat ring can be made; the returned function restores the stat ring.
func StatThroughLoop() (restore func()) {
	p := &statSrv
	p.mu.Lock()
	prev := p.failed
	p.failed = true
	p.mu.Unlock()
	return func() {
		p.mu.Lock()
		p.failed = prev
		p.mu.Unlock()
	}
}

// SetStatIdle sets how long the stat thread waits for a next batch
// before it exits; the returned function restores the default.
func SetStatIdle(d time.Duration) (restore func()) {
	statSrv.mu.Lock()
	prev := statIdle
	statIdle = d
	statSrv.mu.Unlock()
	return func() {
		statSrv.mu.Lock()
		statIdle = prev
		statSrv.mu.Unlock()
	}
}

// StatThreadRunning reports whether a stat thread is running.
func StatThreadRunning() bool { return StatThreadsRunning() > 0 }

// StatThreadsRunning is how many stat threads are running.
func StatThreadsRunning() int {
	statSrv.mu.Lock()
	defer statSrv.mu.Unlock()
	n := 0
	for _, s := range statSrv.s {
		if s != nil {
			n++
		}
	}
	return n
}

// StatThreads is how many stat threads a process runs at most.
func StatThreads() int { return statThreads }

// SetStatChunk sets how many names one stat batch holds; the returned
// function restores the default. Not safe during a batch.
func SetStatChunk(n int) (restore func()) {
	prev := statChunk
	statChunk = n
	return func() { statChunk = prev }
}

// BreakStatRingAt puts /dev/null over the stat ring's descriptor just
// before the stat thread's nth enter from now, so that enter and every
// later one fail; the returned function removes the hook.
func BreakStatRingAt(n int) (restore func()) {
	var calls atomic.Int32
	hook := func(r *ring.Ring) {
		if int(calls.Add(1)) != n {
			return
		}
		devNull, err := os.Open(os.DevNull)
		if err != nil {
			panic(err)
		}
		defer devNull.Close()
		if err := unix.Dup2(int(devNull.Fd()), r.Fd()); err != nil {
			panic(err)
		}
	}
	statBeforeEnter.Store(&hook)
	return func() { statBeforeEnter.Store(nil) }
}
