package uringos

import (
	"errors"
	"sync"

	"github.com/uringkit/uring/ring"
)

// Sys is the set of os-like functions bound to one Loop (or, after a
// fallback, to package os). The package-level functions use Default().
// A Sys is safe for concurrent use.
type Sys struct {
	loop *ring.Loop
	// useOS is the reason io_uring is not used, or nil: set when the
	// fallback to package os is in effect.
	useOS error
}

// On returns the os-like functions running on l. The caller keeps
// ownership of l: closing it makes later calls fail with ring.ErrClosed.
// With a nil l every call fails with future.ErrNilLoop.
func On(l *ring.Loop) *Sys { return &Sys{loop: l} }

// Loop returns the Loop s runs on; nil when s uses package os.
func (s *Sys) Loop() *ring.Loop { return s.loop }

// Fallback returns why s uses package os instead of io_uring, or nil when
// it uses io_uring.
func (s *Sys) Fallback() error { return s.useOS }

var def struct {
	mu       sync.Mutex
	sys      *Sys
	fallback bool
	notify   func(reason error)
	notified bool
}

// newDefaultLoop makes the default Loop; tests replace it to simulate a
// kernel without io_uring.
var newDefaultLoop = ring.DefaultLoop

// FallbackToOS makes the package-level functions use package os when
// io_uring cannot be used in this process: the errors that match
// ring.ErrUnavailable (ENOSYS from a seccomp filter, EPERM from
// kernel.io_uring_disabled, ENOMEM from RLIMIT_MEMLOCK on kernels before
// 5.12) and ring.ErrUnsupportedOS. notify, if not nil, is called once with
// the reason when the fallback takes effect, so the program can say so.
// Call it early, before the first package-level call.
func FallbackToOS(notify func(reason error)) {
	def.mu.Lock()
	defer def.mu.Unlock()
	def.fallback, def.notify = true, notify
}

// Default returns the Sys behind the package-level functions: the one on
// ring.DefaultLoop, or, if FallbackToOS was called and io_uring is
// unavailable, one that uses package os. Its error says why neither is
// possible.
func Default() (*Sys, error) {
	def.mu.Lock()
	defer def.mu.Unlock()
	if def.sys != nil && def.sys.useOS != nil {
		return def.sys, nil
	}
	l, err := newDefaultLoop()
	if err == nil {
		if def.sys == nil || def.sys.loop != l { // DefaultLoop makes a new Loop after Close
			def.sys = On(l)
		}
		return def.sys, nil
	}
	if def.fallback && (errors.Is(err, ring.ErrUnavailable) || errors.Is(err, ring.ErrUnsupportedOS)) {
		def.sys = &Sys{useOS: err}
		if def.notify != nil && !def.notified {
			def.notified = true
			def.notify(err)
		}
		return def.sys, nil
	}
	return nil, err
}

// sysOrErr is Default for the package-level functions.
func defaultSys() (*Sys, error) { return Default() }
