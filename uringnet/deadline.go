package uringnet

import (
	"context"
	"net"
	"os"
	"sync"
	"time"
)

// deadline is one direction's (read or write) deadline, with net's
// semantics: it can be set, moved or cleared at any time, and a call
// blocked in that direction sees the change.
//
// A blocked call waits on ch. ch is closed when the deadline passes or the
// conn is closed; setting a deadline after that opens a new channel for
// the calls that start later. Moving a deadline that has not passed keeps
// ch and only replaces the timer, so a blocked call's wait follows the new
// deadline; clearing it stops the timer.
type deadline struct {
	mu    sync.Mutex
	ch    chan struct{}
	state deadlineState
	timer *time.Timer
	gen   uint64 // bumped by every set, so a stale timer does nothing
}

type deadlineState uint8

const (
	dlOpen    deadlineState = iota // ch open
	dlExpired                      // the deadline passed: ch closed
	dlClosed                       // the conn was closed: ch closed
)

func (d *deadline) init() { d.ch = make(chan struct{}) }

// arm returns the context a call in this direction waits with, or the
// error that stops the call before it starts: os.ErrDeadlineExceeded if
// the deadline has passed, net.ErrClosed if the conn was closed.
func (d *deadline) arm() (waitCtx, error) {
	d.mu.Lock()
	defer d.mu.Unlock()
	switch d.state {
	case dlExpired:
		return waitCtx{}, os.ErrDeadlineExceeded
	case dlClosed:
		return waitCtx{}, net.ErrClosed
	}
	return waitCtx{d.ch}, nil
}

// reason says why a wait ended through its context: net.ErrClosed if the
// conn was closed, otherwise os.ErrDeadlineExceeded (even if the deadline
// was moved again since: the call that saw it pass times out, as in net).
func (d *deadline) reason() error {
	d.mu.Lock()
	defer d.mu.Unlock()
	if d.state == dlClosed {
		return net.ErrClosed
	}
	return os.ErrDeadlineExceeded
}

// set moves the deadline to t; the zero t clears it.
func (d *deadline) set(t time.Time) {
	d.mu.Lock()
	defer d.mu.Unlock()
	if d.state == dlClosed {
		return
	}
	d.gen++
	if d.timer != nil {
		d.timer.Stop()
		d.timer = nil
	}
	if t.IsZero() {
		d.reopenLocked()
		return
	}
	wait := time.Until(t)
	if wait <= 0 {
		d.expireLocked()
		return
	}
	d.reopenLocked()
	gen := d.gen
	d.timer = time.AfterFunc(wait, func() {
		d.mu.Lock()
		if d.gen == gen {
			d.expireLocked()
		}
		d.mu.Unlock()
	})
}

func (d *deadline) reopenLocked() {
	if d.state == dlExpired {
		d.ch, d.state = make(chan struct{}), dlOpen
	}
}

func (d *deadline) expireLocked() {
	if d.state == dlOpen {
		close(d.ch)
		d.state = dlExpired
	}
}

// close ends every wait in this direction for good (the conn is closing).
func (d *deadline) close() {
	d.mu.Lock()
	defer d.mu.Unlock()
	if d.timer != nil {
		d.timer.Stop()
		d.timer = nil
	}
	if d.state == dlOpen {
		close(d.ch)
	}
	d.state = dlClosed
}

// waitCtx is the context.Context a blocked call hands to ring.Request.Wait
// and ring.Loop.Submit: it is done when its deadline channel closes, which
// makes the Loop cancel the request in the kernel and still wait for its
// last CQE. It is a single channel, so passing it as an interface does not
// allocate.
type waitCtx struct{ done chan struct{} }

// Deadline implements context.Context; the deadline is kept by the timer.
func (c waitCtx) Deadline() (time.Time, bool) { return time.Time{}, false }

// Done implements context.Context.
func (c waitCtx) Done() <-chan struct{} { return c.done }

// Err implements context.Context. The cause (deadline or close) is asked
// from the deadline itself.
func (c waitCtx) Err() error {
	select {
	case <-c.done:
		return context.Canceled
	default:
		return nil
	}
}

// Value implements context.Context.
func (c waitCtx) Value(any) any { return nil }

// ended reports whether the wait's channel has closed.
func (c waitCtx) ended() bool { return c.Err() != nil }
