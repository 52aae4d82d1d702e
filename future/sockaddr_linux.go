//go:build linux

package future

import (
	"net/netip"
	"unsafe"

	"golang.org/x/sys/unix"
)

// sockaddr encodes addr as struct sockaddr_in or sockaddr_in6 (port in
// network byte order) in heap memory the Op keeps.
func sockaddr(addr netip.AddrPort) (*unix.RawSockaddrAny, uint32, bool) {
	sa := new(unix.RawSockaddrAny)
	port := addr.Port()
	switch ip := addr.Addr(); {
	case ip.Is4():
		in := (*unix.RawSockaddrInet4)(unsafe.Pointer(sa))
		in.Family = unix.AF_INET
		in.Port = port<<8 | port>>8
		in.Addr = ip.As4()
		return sa, unix.SizeofSockaddrInet4, true
	case ip.Is6():
		in := (*unix.RawSockaddrInet6)(unsafe.Pointer(sa))
		in.Family = unix.AF_INET6
		in.Port = port<<8 | port>>8
		in.Addr = ip.As16()
		return sa, unix.SizeofSockaddrInet6, true
	}
	return nil, 0, false
}
