package uringnet

import (
	"context"
	"net"
	"net/netip"

	"golang.org/x/sys/unix"
)

// Addresses: networks are resolved with package net's resolvers (so host
// names, ports by name and "tcp4"/"tcp6" mean what they mean there) and
// turned into socket addresses for socket(2), bind(2) and
// IORING_OP_CONNECT; addresses the kernel reports come back as
// *net.TCPAddr or *net.UnixAddr.

// family is what socket(2) needs for a network, and how to name it.
type family struct {
	domain int    // AF_INET, AF_INET6, AF_UNIX
	net    string // the network as the caller named it
}

// resolve turns network and address into a socket address and its family
// (see tcpSockaddr). Dialing looks host names up with ctx; an empty host
// dials the local system, as net does.
func resolve(ctx context.Context, network, address string, listening bool) (unix.Sockaddr, net.Addr, family, error) {
	sas, addrs, fam, err := resolveAll(ctx, network, address, listening)
	if err != nil {
		return nil, nil, fam, err
	}
	return sas[0], addrs[0], fam, nil
}

// resolveAll is resolve with every address a dialed host name has, in the
// resolver's order (a dial tries them in turn, as net does).
func resolveAll(ctx context.Context, network, address string, listening bool) ([]unix.Sockaddr, []net.Addr, family, error) {
	switch network {
	case "tcp", "tcp4", "tcp6":
		var ta *net.TCPAddr
		if listening {
			var err error
			if ta, err = net.ResolveTCPAddr(network, address); err != nil {
				return nil, nil, family{}, err
			}
		} else {
			host, port, err := net.SplitHostPort(address)
			if err != nil {
				return nil, nil, family{}, err
			}
			if host == "" {
				host = "localhost" // net dials the local system for an empty host
			}
			ips, err := net.DefaultResolver.LookupNetIP(ctx, ipNet(network), host)
			if err != nil {
				return nil, nil, family{}, err
			}
			p, err := net.DefaultResolver.LookupPort(ctx, network, port)
			if err != nil {
				return nil, nil, family{}, err
			}
			var sas []unix.Sockaddr
			var addrs []net.Addr
			var fam family
			for _, ip := range ips {
				ta := net.TCPAddrFromAddrPort(netip.AddrPortFrom(ip.Unmap(), uint16(p)))
				sa, dom := tcpSockaddr(network, ta)
				sas, addrs = append(sas, sa), append(addrs, ta)
				fam = family{domain: dom, net: network}
			}
			return sas, addrs, fam, nil
		}
		sa, dom := tcpSockaddr(network, ta)
		return []unix.Sockaddr{sa}, []net.Addr{ta}, family{domain: dom, net: network}, nil
	case "unix":
		ua, err := net.ResolveUnixAddr(network, address)
		if err != nil {
			return nil, nil, family{}, err
		}
		return []unix.Sockaddr{&unix.SockaddrUnix{Name: ua.Name}}, []net.Addr{ua}, family{domain: unix.AF_UNIX, net: network}, nil
	}
	return nil, nil, family{}, net.UnknownNetworkError(network)
}

func ipNet(network string) string {
	switch network {
	case "tcp4":
		return "ip4"
	case "tcp6":
		return "ip6"
	}
	return "ip"
}

// tcpSockaddr picks the family and socket address for ta: AF_INET for an
// IPv4 address (or "tcp4"), AF_INET6 otherwise. An unspecified address
// under "tcp" listens on both families through AF_INET6 (IPV6_V6ONLY off,
// the kernel default), as net.Listen does.
func tcpSockaddr(network string, ta *net.TCPAddr) (unix.Sockaddr, int) {
	ip4 := ta.IP.To4()
	wild := len(ta.IP) == 0 || ta.IP.IsUnspecified()
	if network == "tcp4" || ip4 != nil && !(wild && network == "tcp") {
		sa := &unix.SockaddrInet4{Port: ta.Port}
		if ip4 != nil {
			copy(sa.Addr[:], ip4)
		}
		return sa, unix.AF_INET
	}
	sa := &unix.SockaddrInet6{Port: ta.Port}
	if !wild {
		copy(sa.Addr[:], ta.IP.To16())
		if ta.Zone != "" {
			if ifi, err := net.InterfaceByName(ta.Zone); err == nil {
				sa.ZoneId = uint32(ifi.Index)
			}
		}
	}
	return sa, unix.AF_INET6
}

// netAddr converts a socket address from the kernel into net's form.
func netAddr(sa unix.Sockaddr, network string) net.Addr {
	switch sa := sa.(type) {
	case *unix.SockaddrInet4:
		return &net.TCPAddr{IP: net.IPv4(sa.Addr[0], sa.Addr[1], sa.Addr[2], sa.Addr[3]), Port: sa.Port}
	case *unix.SockaddrInet6:
		a := &net.TCPAddr{IP: append(net.IP(nil), sa.Addr[:]...), Port: sa.Port}
		if sa.ZoneId != 0 {
			if ifi, err := net.InterfaceByIndex(int(sa.ZoneId)); err == nil {
				a.Zone = ifi.Name
			}
		}
		return a
	case *unix.SockaddrUnix:
		return &net.UnixAddr{Name: sa.Name, Net: network}
	}
	if network == "unix" {
		// An unnamed Unix socket (a dialing client's local end): net
		// reports an empty name, not nil.
		return &net.UnixAddr{Net: network}
	}
	return nil
}

// domainOf is the socket(2) domain for sa.
func domainOf(sa unix.Sockaddr) int {
	switch sa.(type) {
	case *unix.SockaddrInet4:
		return unix.AF_INET
	case *unix.SockaddrInet6:
		return unix.AF_INET6
	}
	return unix.AF_UNIX
}
