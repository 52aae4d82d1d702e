//go:build !linux

package ring

import "golang.org/x/sys/unix"

// Stand-ins for the Linux structs of prep_types_linux.go, so that code using
// the preps builds on every GOOS. They are never handed to a kernel.

// Statx stands in for struct statx (Linux only).
type Statx struct{ _ [256]byte }

// OpenHow stands in for struct open_how (Linux only).
type OpenHow struct{ Flags, Mode, Resolve uint64 }

// EpollEvent stands in for struct epoll_event (Linux only).
type EpollEvent struct {
	Events uint32
	Fd     int32
	Pad    int32
}

// Siginfo stands in for siginfo_t (Linux only).
type Siginfo struct{ _ [128]byte }

// RawSockaddr is Linux only; elsewhere it returns ErrUnsupportedOS.
func RawSockaddr(sa unix.Sockaddr) (*unix.RawSockaddrAny, uint32, error) {
	return nil, 0, ErrUnsupportedOS
}
