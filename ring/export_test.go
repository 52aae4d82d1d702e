package ring

import (
	"time"
	"unsafe"
)

// Hooks for the external tests (package ring_test) into internals that have
// no public surface.

// IdlePipe is idlePipe (loop_pipe_internal_test.go): a pipe whose reads
// stay in flight until the test writes, closed at the test's cleanup.
var IdlePipe = idlePipe

// RaceEnabled is raceEnabled (race_on_internal_test.go).
const RaceEnabled = raceEnabled

// Unavailable is the setup-errno mapping New applies (errors.go).
var Unavailable = unavailable

// CQHead returns the CQ head the application last published.
func (r *Ring) CQHead() uint32 { return *r.cq.khead }

// EnterError is the io_uring_enter errno mapping (enter.go).
var EnterError = enterError

// SetSeparateMaps makes New map the SQ and CQ rings separately, the path
// for kernels without FEAT_SINGLE_MMAP.
func SetSeparateMaps(on bool) { separateMaps = on }

// SharesRingMap reports whether the CQ ring lies in the SQ ring's mapping.
func (r *Ring) SharesRingMap() bool { return unsafe.SliceData(r.cqMem) == unsafe.SliceData(r.ringMem) }

// ToggleSpill flips whether a WithSpillRings Loop spreads every interval
// until stop is called, so that tests meet requests submitted on either
// side of a switch. It does nothing on other Loops.
func ToggleSpill(l *Loop, every time.Duration) (stop func()) {
	if l.spill == nil {
		return func() {}
	}
	done := make(chan struct{})
	finished := make(chan struct{})
	go func() {
		defer close(finished)
		t := time.NewTicker(every)
		defer t.Stop()
		for {
			select {
			case <-done:
				return
			case <-t.C:
				l.spill.on.Store(!l.spill.on.Load())
			}
		}
	}()
	return func() { close(done); <-finished }
}
