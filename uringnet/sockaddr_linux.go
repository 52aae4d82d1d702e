package uringnet

import (
	"unsafe"

	"golang.org/x/sys/unix"
)

// rawSockaddr encodes sa as the kernel reads it (struct sockaddr_*) for
// IORING_OP_CONNECT. The result is heap memory: the request keeps it
// (Request.Keep) until its CQE. x/sys/unix encodes only inside its own
// syscall wrappers, so the three families are written out here.
func rawSockaddr(sa unix.Sockaddr) (*unix.RawSockaddrAny, uint32) {
	raw := new(unix.RawSockaddrAny)
	switch sa := sa.(type) {
	case *unix.SockaddrInet4:
		p := (*unix.RawSockaddrInet4)(unsafe.Pointer(raw))
		p.Family = unix.AF_INET
		putPort(&p.Port, sa.Port)
		p.Addr = sa.Addr
		return raw, unix.SizeofSockaddrInet4
	case *unix.SockaddrInet6:
		p := (*unix.RawSockaddrInet6)(unsafe.Pointer(raw))
		p.Family = unix.AF_INET6
		putPort(&p.Port, sa.Port)
		p.Scope_id = sa.ZoneId
		p.Addr = sa.Addr
		return raw, unix.SizeofSockaddrInet6
	case *unix.SockaddrUnix:
		p := (*unix.RawSockaddrUnix)(unsafe.Pointer(raw))
		p.Family = unix.AF_UNIX
		name := sa.Name
		n := uint32(2 + len(name) + 1) // family, path, NUL
		for i := 0; i < len(name) && i < len(p.Path); i++ {
			p.Path[i] = int8(name[i])
		}
		if len(name) > 0 && name[0] == '@' {
			// Abstract socket: a leading NUL, and the length counts no
			// trailing NUL (unix(7)).
			p.Path[0] = 0
			n--
		}
		return raw, n
	}
	return nil, 0
}

// putPort stores a port in network byte order.
func putPort(dst *uint16, port int) {
	b := (*[2]byte)(unsafe.Pointer(dst))
	b[0], b[1] = byte(port>>8), byte(port)
}
