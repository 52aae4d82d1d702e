package future

import (
	"unsafe"

	"github.com/uringkit/uring/ring"
)

// Decoders: how a CQE with res >= 0 becomes an operation's value. Each is a
// plain function (no captured state), so an Op that uses one allocates
// nothing for it.

// FD is a file descriptor an operation created (OPENAT, ACCEPT, SOCKET, ...).
type FD int

// Direct is a direct descriptor: an index into the ring's registered file
// table that an operation installed (file_index / IORING_FILE_INDEX_ALLOC).
// Use it with Op.Fixed.
type Direct int

// decodeInt returns res: a byte count, a mask, a count.
func decodeInt(c ring.CQE, _ unsafe.Pointer) (int, error) { return int(c.Res), nil }

// decodeZero ignores the CQE: the value of a Custom op without a decoder.
func decodeZero[T any](ring.CQE, unsafe.Pointer) (T, error) {
	var zero T
	return zero, nil
}

// decodeVoid ignores res: the operation's success is its whole value.
func decodeVoid(ring.CQE, unsafe.Pointer) (struct{}, error) { return struct{}{}, nil }

// decodeFD returns res as a file descriptor.
func decodeFD(c ring.CQE, _ unsafe.Pointer) (FD, error) { return FD(c.Res), nil }

// decodeDirect returns res as a direct descriptor (the allocated index with
// IORING_FILE_INDEX_ALLOC).
func decodeDirect(c ring.CQE, _ unsafe.Pointer) (Direct, error) { return Direct(c.Res), nil }

// decodeU32 returns res as an unsigned value (poll masks).
func decodeU32(c ring.CQE, _ unsafe.Pointer) (uint32, error) { return uint32(c.Res), nil }
