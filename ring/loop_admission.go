package ring

import (
	"context"
	"sync"
	"sync/atomic"
)

// admission is the Loop's credit counter (DESIGN.md invariant 4): one
// credit per request in flight, at most the CQ entries minus a reserve, so
// the CQ can hold every CQE the admitted requests will post and never
// overflows in steady state. A submitter that finds no credit parks, in
// FIFO order, honouring its context; it never spins and holds no lock
// while parked.
//
// The fast paths are one CAS (acquire) and one Add (release). The slow
// path takes mu. Lost wake-ups are ruled out by a Dekker pair on
// sequentially consistent atomics: a waiter increments nwait before it
// re-reads avail, a releaser adds to avail before it reads nwait, so at
// least one of them sees the other.
type admission struct {
	avail  atomic.Int64
	nwait  atomic.Int32
	mu     sync.Mutex
	queue  []*admWaiter
	closed bool
	stalls atomic.Uint64 // acquisitions that had to park
}

type admWaiter struct {
	n       int64
	ready   chan struct{} // closed when granted or when the Loop closes
	granted bool
}

func (a *admission) init(n int64) { a.avail.Store(n) }

// tryAcquire takes n credits if they are free and nobody queues ahead.
func (a *admission) tryAcquire(n int64) bool {
	for {
		v := a.avail.Load()
		if v < n || a.nwait.Load() != 0 {
			return false
		}
		if a.avail.CompareAndSwap(v, v-n) {
			return true
		}
	}
}

// acquire takes n credits, parking until they are free. It fails with
// ErrClosed when the Loop closes and with the context's error (ctxError)
// when ctx ends first.
func (a *admission) acquire(ctx context.Context, n int64) error {
	if a.tryAcquire(n) {
		return nil
	}
	a.stalls.Add(1)
	w := &admWaiter{n: n, ready: make(chan struct{})}
	a.mu.Lock()
	if a.closed {
		a.mu.Unlock()
		return ErrClosed
	}
	a.queue = append(a.queue, w)
	a.nwait.Add(1)
	a.grantLocked()
	a.mu.Unlock()
	select {
	case <-w.ready:
	case <-ctx.Done():
		a.mu.Lock()
		if !w.granted {
			a.removeLocked(w)
			a.mu.Unlock()
			return ctxError(ctx) // a deadline matches os.ErrDeadlineExceeded too, as in Wait
		}
		a.mu.Unlock()
	}
	if !w.granted {
		return ErrClosed
	}
	return nil
}

// release returns n credits and wakes queued submitters they satisfy.
func (a *admission) release(n int64) {
	a.avail.Add(n)
	if a.nwait.Load() != 0 {
		a.mu.Lock()
		a.grantLocked()
		a.mu.Unlock()
	}
}

// grantLocked hands credits to queued waiters in FIFO order.
func (a *admission) grantLocked() {
	for len(a.queue) > 0 {
		w := a.queue[0]
		v := a.avail.Load()
		if v < w.n {
			return
		}
		if !a.avail.CompareAndSwap(v, v-w.n) {
			continue
		}
		w.granted = true
		close(w.ready)
		a.queue[0] = nil
		a.queue = a.queue[1:]
		a.nwait.Add(-1)
	}
}

func (a *admission) removeLocked(w *admWaiter) {
	for i, q := range a.queue {
		if q == w {
			copy(a.queue[i:], a.queue[i+1:])
			a.queue[len(a.queue)-1] = nil
			a.queue = a.queue[:len(a.queue)-1]
			a.nwait.Add(-1)
			break
		}
	}
	// A waiter at the head that gave up may have been blocking others.
	a.grantLocked()
}

// close fails every queued and future slow-path acquisition with ErrClosed.
func (a *admission) close() {
	a.mu.Lock()
	a.closed = true
	for _, w := range a.queue {
		close(w.ready)
		a.nwait.Add(-1)
	}
	a.queue = nil
	a.mu.Unlock()
}
