//go:build linux

package ring

import "golang.org/x/sys/unix"

// Kernel structs some preps point at, taken from x/sys where it has them.
// prep_types_other.go declares same-named stand-ins so the preps build on
// every GOOS (they are never submitted there: New returns ErrUnsupportedOS).

// Statx is struct statx, filled by IORING_OP_STATX.
type Statx = unix.Statx_t

// OpenHow is struct open_how, read by IORING_OP_OPENAT2.
type OpenHow = unix.OpenHow

// EpollEvent is struct epoll_event (packed on amd64), used by EPOLL_CTL and
// EPOLL_WAIT.
type EpollEvent = unix.EpollEvent

// Siginfo is siginfo_t, filled by IORING_OP_WAITID.
type Siginfo = unix.Siginfo
