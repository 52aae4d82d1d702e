//go:build linux

package ring_test

import (
	"errors"
	"net"
	"runtime"
	"syscall"
	"testing"
	"unsafe"

	"golang.org/x/sys/unix"

	"github.com/uringkit/uring/ring"
)

var zcrxKeep []any

// Zero-copy receive needs a NIC with header split and queue management;
// the loopback device has neither, so this shows the kernel's answer and
// skips unless registration succeeds (on a capable NIC it would).
func TestRegisterZcrxIfq(t *testing.T) {
	runtime.LockOSThread()
	defer runtime.UnlockOSThread()
	plain := newTestRing(t, 4)
	reg := &ring.ZcrxIfqReg{}
	wantArgErr(t, plain, plain.RegisterZcrxIfq(nil))
	wantArgErr(t, plain, plain.RegisterZcrxIfq(reg))

	r := newTestRing(t, 4, ring.WithSingleIssuer(), ring.WithDeferTaskrun(), ring.WithCQE32())
	lo, err := net.InterfaceByName("lo")
	if err != nil {
		t.Skipf("no loopback interface: %v", err)
	}
	const areaSize = 16 << 12
	area, err := unix.Mmap(-1, 0, areaSize, unix.PROT_READ|unix.PROT_WRITE, unix.MAP_PRIVATE|unix.MAP_ANONYMOUS)
	if err != nil {
		t.Fatal(err)
	}
	defer unix.Munmap(area)
	areaReg := &ring.ZcrxAreaReg{Addr: uint64(uintptr(unsafe.Pointer(&area[0]))), Len: areaSize}
	region := &ring.RegionDesc{Size: 1 << 16} // kernel-allocated refill queue
	// Their addresses travel as integers: keep them on the heap, where
	// they cannot move.
	zcrxKeep = append(zcrxKeep, areaReg, region)
	*reg = ring.ZcrxIfqReg{
		IfIdx:     uint32(lo.Index),
		IfRxq:     0,
		RqEntries: 64,
		AreaPtr:   uint64(uintptr(unsafe.Pointer(areaReg))),
		RegionPtr: uint64(uintptr(unsafe.Pointer(region))),
	}
	wantArgErr(t, r, r.RegisterZcrxIfq(&ring.ZcrxIfqReg{IfIdx: 1}))
	err = r.RegisterZcrxIfq(reg)
	runtime.KeepAlive(areaReg)
	runtime.KeepAlive(region)
	if err == nil {
		t.Logf("zero-copy receive registered on lo queue 0: zcrx id %d, offsets %+v", reg.ZcrxID, reg.Offsets)
		return
	}
	var se *ring.SyscallError
	if !errors.As(err, &se) || se.Call != "io_uring_register(REGISTER_ZCRX_IFQ)" {
		t.Fatalf("got %v, want a *SyscallError naming REGISTER_ZCRX_IFQ", err)
	}
	switch {
	case errors.Is(err, syscall.EOPNOTSUPP), errors.Is(err, syscall.ENODEV):
		t.Skipf("kernel answered %v for lo: zero-copy receive needs a NIC whose driver has header split "+
			"and netdev queue management (e.g. bnxt, mlx5, fbnic) with a dedicated RX queue", err)
	case errors.Is(err, syscall.EPERM):
		t.Skipf("kernel answered %v: zero-copy receive needs CAP_NET_ADMIN", err)
	default:
		t.Fatalf("unexpected answer: %v", err)
	}
}
