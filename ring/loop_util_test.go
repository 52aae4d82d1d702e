package ring_test

import "unsafe"

// bufAddr is the address of b's first byte for an SQE. b must be heap
// memory kept reachable until the terminal CQE (the Request's Buf does).
func bufAddr(b []byte) uint64 { return uint64(uintptr(unsafe.Pointer(unsafe.SliceData(b)))) }

func uintptrOf[T any](p *T) uintptr { return uintptr(unsafe.Pointer(p)) }
