package ring

import "unsafe"

// Hooks for the external tests (package ring_test) into internals that have
// no public surface.

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
