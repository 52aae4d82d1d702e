package ring

import "unsafe"

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
