//go:build linux

package ring_test

import (
	"errors"
	"testing"

	"github.com/google/go-cmp/cmp"
	"github.com/uringkit/uring/ring"
)

// TestArgErrorsNameTheCall: a fixed buffer over the kernel's 1 GiB limit
// is refused before the syscall with an *ArgError that says so (before:
// the kernel's bare "bad address", EFAULT), and PbufRing.Add's errors name
// PbufRing.Add, where no register call happens (before: they said
// io_uring_register(REGISTER_PBUF_RING)). The ring stays usable.
func TestArgErrorsNameTheCall(t *testing.T) {
	r := newTestRing(t, 4)
	big := make([]byte, 1<<30+1) // never touched: the check comes first
	err := r.RegisterBuffers([][]byte{make([]byte, 64), big})
	wantArgErr(t, r, err)
	var ae *ring.ArgError
	errors.As(err, &ae)
	diff(t, "RegisterBuffers of a 1 GiB + 1 buffer", *ae, ring.ArgError{
		Call:   "io_uring_register(REGISTER_BUFFERS)",
		Reason: "fixed buffer 1 is 1073741825 bytes, over the kernel's limit of 1 GiB per buffer",
	})

	pb, err := r.RegisterPbufRing(3, 4, 0)
	if err != nil {
		t.Fatal(err)
	}
	err = pb.Add(nil, 0)
	if !errors.As(err, &ae) || !errors.Is(err, ring.ErrInvalidArgument) {
		t.Fatalf("Add(nil) = %v, want an *ArgError", err)
	}
	if d := cmp.Diff(ring.ArgError{Call: "PbufRing.Add", Reason: "empty provided buffer"}, *ae); d != "" {
		t.Errorf("Add(nil)'s error (-want +got):\n%s", d)
	}
}
