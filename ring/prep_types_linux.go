//go:build linux

package ring

import (
	"encoding/binary"
	"unsafe"

	"golang.org/x/sys/unix"
)

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

// RawSockaddr encodes sa (*unix.SockaddrInet4, *SockaddrInet6 or
// *SockaddrUnix) as the raw socket address and length that PrepConnect,
// PrepBind and PrepSendto take. The result is on the heap; keep it until
// the CQE.
func RawSockaddr(sa unix.Sockaddr) (*unix.RawSockaddrAny, uint32, error) {
	raw := new(unix.RawSockaddrAny)
	p := unsafe.Pointer(raw)
	switch sa := sa.(type) {
	case *unix.SockaddrInet4:
		r := (*unix.RawSockaddrInet4)(p)
		r.Family = unix.AF_INET
		binary.BigEndian.PutUint16((*[2]byte)(unsafe.Pointer(&r.Port))[:], uint16(sa.Port))
		r.Addr = sa.Addr
		return raw, unix.SizeofSockaddrInet4, nil
	case *unix.SockaddrInet6:
		r := (*unix.RawSockaddrInet6)(p)
		r.Family = unix.AF_INET6
		binary.BigEndian.PutUint16((*[2]byte)(unsafe.Pointer(&r.Port))[:], uint16(sa.Port))
		r.Addr = sa.Addr
		r.Scope_id = sa.ZoneId
		return raw, unix.SizeofSockaddrInet6, nil
	case *unix.SockaddrUnix:
		r := (*unix.RawSockaddrUnix)(p)
		r.Family = unix.AF_UNIX
		name := sa.Name
		if len(name) >= len(r.Path) {
			return nil, 0, unix.EINVAL
		}
		for i := 0; i < len(name); i++ {
			r.Path[i] = int8(name[i])
		}
		n := uint32(2) // sun_family
		if len(name) > 0 {
			n += uint32(len(name)) + 1 // with the NUL
		}
		if len(name) > 0 && name[0] == '@' {
			r.Path[0] = 0 // abstract: no NUL terminator counted
			n--
		}
		return raw, n, nil
	}
	return nil, 0, unix.EAFNOSUPPORT
}
