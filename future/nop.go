package future

import "github.com/uringkit/uring/ring"

// Nop is IORING_OP_NOP (5.1): completes with res 0 without doing anything.
// Useful to measure the ring and to hold a place in a chain.
func Nop() Op[struct{}] {
	var s ring.SQE
	s.PrepNop()
	return newOp(s, nil, decodeVoid)
}
