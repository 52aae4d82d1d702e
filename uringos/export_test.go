package uringos

import "github.com/uringkit/uring/ring"

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
// private ring can be made; the returned function restores the rings.
func StatThroughLoop() (restore func()) {
	p := &statRings
	p.mu.Lock()
	prev, idle := p.failed, p.idle
	p.failed, p.idle = true, nil
	p.mu.Unlock()
	return func() {
		p.mu.Lock()
		p.failed, p.idle = prev, append(p.idle, idle...)
		p.mu.Unlock()
	}
}
