//go:build !linux

package future

import (
	"net/netip"

	"golang.org/x/sys/unix"
)

// sockaddr is Linux-only; elsewhere the Op carries an error (io_uring needs
// Linux anyway).
func sockaddr(netip.AddrPort) (*unix.RawSockaddrAny, uint32, bool) { return nil, 0, false }
