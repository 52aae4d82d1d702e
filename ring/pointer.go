package ring

import (
	"math"
	"unsafe"
)

// Helpers that turn Go memory into the addresses an SQE carries.
//
// A pointer converted to uintptr is invisible to escape analysis, so a
// buffer that only reaches the kernel that way could be allocated on the
// goroutine's stack, and the stack can move. Every address that goes into
// an SQE or a kernel struct therefore passes through escape, which makes
// the compiler put the object on the heap, where Go never moves it. Keeping
// it reachable until its last CQE is the caller's job (the Loop does it).

var (
	//lint:ignore U1000 written, never read: the store is what makes escape work
	escapeSink  any
	escapeNever bool
)

// escape forces p's object to the heap. The store never runs.
func escape(p unsafe.Pointer) {
	if escapeNever {
		escapeSink = p
	}
}

// uintptrOf returns the address of b's first byte (0 for an empty slice).
func uintptrOf(b []byte) uintptr {
	if len(b) == 0 {
		return 0
	}
	p := unsafe.Pointer(unsafe.SliceData(b))
	escape(p)
	return uintptr(p)
}

// addrOf returns the address of b's first byte as an SQE field.
func addrOf(b []byte) uint64 { return uint64(uintptrOf(b)) }

// ptrAddr returns the address of *p as an SQE field, forcing *p to the heap.
func ptrAddr[T any](p *T) uint64 {
	if p == nil {
		return 0
	}
	up := unsafe.Pointer(p)
	escape(up)
	return uint64(uintptr(up))
}

// lenOf returns len(s) as an SQE's 32-bit len field, capped at
// math.MaxUint32 instead of wrapping: a 4 GiB + 10 byte buffer would
// otherwise read or write 10 bytes. Capped, a read or write transfers
// what fits (a short count, which the kernel gives anyway: it moves at
// most about 2 GiB per call), and a count that large (iovecs, fds, events)
// gets EINVAL from the kernel.
func lenOf[T any](s []T) uint32 {
	if uint64(len(s)) > math.MaxUint32 {
		return math.MaxUint32
	}
	return uint32(len(s))
}
