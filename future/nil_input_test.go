//go:build linux

package future_test

import (
	"context"
	"errors"
	"syscall"
	"testing"

	"golang.org/x/sys/unix"

	"github.com/uringkit/uring/future"
	"github.com/uringkit/uring/ring"
)

// TestNilBufferRing: the buffer-select operations built with a nil
// BufferRing carry a build error (an *ArgError, which matches EINVAL) that
// Await and Stream return without submitting anything. Before the fix the
// constructors dereferenced the nil ring (br.group) and panicked.
func TestNilBufferRing(t *testing.T) {
	ctx := context.Background()
	var msg unix.Msghdr
	for _, tc := range []struct {
		name string
		op   func() future.Op[future.Buffer]
		code ring.Op
	}{
		{"RecvBuffer", func() future.Op[future.Buffer] { return future.RecvBuffer(0, nil, 0) }, ring.OpRecv},
		{"ReadBuffer", func() future.Op[future.Buffer] { return future.ReadBuffer(0, nil, 8, 0) }, ring.OpRead},
		{"RecvMultishot", func() future.Op[future.Buffer] { return future.RecvMultishot(0, nil, 0) }, ring.OpRecv},
		{"ReadMultishot", func() future.Op[future.Buffer] { return future.ReadMultishot(0, nil, 0) }, ring.OpReadMultishot},
		{"RecvmsgMultishot", func() future.Op[future.Buffer] { return future.RecvmsgMultishot(0, nil, &msg, 0) }, ring.OpRecvmsg},
	} {
		t.Run(tc.name, func(t *testing.T) {
			var op future.Op[future.Buffer]
			func() {
				defer func() {
					if p := recover(); p != nil {
						t.Fatalf("%s(nil BufferRing) panicked: %v", tc.name, p)
					}
				}()
				op = tc.op()
			}()
			var ae *future.ArgError
			if !errors.As(op.Err(), &ae) || ae.Op != tc.code || !errors.Is(op.Err(), syscall.EINVAL) {
				t.Errorf("Err() = %v, want an *ArgError for %v", op.Err(), tc.code)
			}
			if _, err := op.Await(ctx, loop); !errors.Is(err, syscall.EINVAL) {
				t.Errorf("Await = %v, want the build error", err)
			}
			var errs []error
			for _, err := range op.Stream(ctx, loop) {
				errs = append(errs, err)
			}
			if len(errs) != 1 || !errors.As(errs[0], &ae) {
				t.Errorf("Stream yielded %v, want the build error once", errs)
			}
		})
	}
}

// TestZeroOp: the zero Op, which no constructor made, reports
// ErrZeroOp from Err, and Await, Submit, Stream and Result fail with it
// without submitting anything; a Custom op without a Decode has T's zero
// value. Before the fix the zero Op was submitted as a NOP and decoding
// its CQE panicked (a nil decoder), as did a Custom op without Decode.
func TestZeroOp(t *testing.T) {
	ctx := context.Background()
	var op future.Op[int]
	func() {
		defer func() {
			if p := recover(); p != nil {
				t.Fatalf("the zero Op panicked: %v", p)
			}
		}()
		if err := op.Err(); !errors.Is(err, future.ErrZeroOp) {
			t.Errorf("Err = %v, want ErrZeroOp", err)
		}
		if _, err := op.Await(ctx, loop); !errors.Is(err, future.ErrZeroOp) {
			t.Errorf("Await = %v, want ErrZeroOp", err)
		}
		if _, err := op.Submit(ctx, loop).Await(ctx); !errors.Is(err, future.ErrZeroOp) {
			t.Errorf("Submit(...).Await = %v, want ErrZeroOp", err)
		}
		var errs []error
		for _, err := range op.Stream(ctx, loop) {
			errs = append(errs, err)
		}
		if len(errs) != 1 || !errors.Is(errs[0], future.ErrZeroOp) {
			t.Errorf("Stream yielded %v, want ErrZeroOp once", errs)
		}
		if _, err := op.Result(ring.CQE{}); !errors.Is(err, future.ErrZeroOp) {
			t.Errorf("Result = %v, want ErrZeroOp", err)
		}
		var nop ring.SQE
		nop.PrepNop()
		v, err := future.Custom(future.Raw[int]{SQE: nop, Expect: -1}).Await(ctx, loop)
		if v != 0 || err != nil {
			t.Errorf("Custom NOP without Decode = %d, %v; want 0, nil", v, err)
		}
	}()
}
