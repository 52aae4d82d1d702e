package ring

// Hooks for the external tests (package ring_test) into internals that have
// no public surface.

// Unavailable is the setup-errno mapping New applies (errors.go).
var Unavailable = unavailable

// CQHead returns the CQ head the application last published.
func (r *Ring) CQHead() uint32 { return *r.cq.khead }

// EnterError is the io_uring_enter errno mapping (enter.go).
var EnterError = enterError
