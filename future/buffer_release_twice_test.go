//go:build linux

package future_test

import (
	"context"
	"testing"

	"github.com/google/go-cmp/cmp"
	"golang.org/x/sys/unix"

	"github.com/uringkit/uring/future"
)

// TestBufferReleaseTwice: releasing a Buffer a second time (a deferred
// Release plus an explicit one, or two copies of the value) gives its
// buffer back once. Before, each Release added the buffer id to the ring
// again: in a ring of two, the duplicate overwrote the slot of the other
// buffer, and the next two reads both got buffer 0, the second writing
// over the data of the first while it was still held.
func TestBufferReleaseTwice(t *testing.T) {
	ctx := context.Background()
	br, err := future.NewBufferRing(loop, 23, 2, 16)
	if err != nil {
		t.Fatal(err)
	}
	defer br.Close()
	a, b := socketPair(t)
	recv := func(s string) future.Buffer {
		t.Helper()
		if _, err := unix.Write(a, []byte(s)); err != nil {
			t.Fatal(err)
		}
		buf, err := future.RecvBuffer(b, br, 0).Await(ctx, loop)
		if err != nil {
			t.Fatal(err)
		}
		return buf
	}
	first := recv("zero")
	cp := first
	first.Release()
	first.Release()
	cp.Release()

	// held is what two Buffers held at once show: their data, and
	// whether they share a buffer.
	type held struct {
		First, Second string
		SameBuffer    bool
	}
	view := func(x, y future.Buffer) held {
		return held{string(x.Data), string(y.Data), x.ID() == y.ID()}
	}
	x := recv("AAAA")
	y := recv("BBBB")
	if d := cmp.Diff(held{"AAAA", "BBBB", false}, view(x, y)); d != "" {
		t.Errorf("two held Buffers after a double Release (-want +got):\n%s", d)
	}
	x.Release()
	y.Release()

	// A stale copy released after its id went to a newer Buffer leaves
	// the newer one alone.
	z := recv("CCCC")
	stale := x
	if z.ID() != x.ID() {
		stale = y
	}
	stale.Release() // its buffer belongs to z now
	w := recv("DDDD")
	if d := cmp.Diff(held{"CCCC", "DDDD", false}, view(z, w)); d != "" {
		t.Errorf("a stale Release gave away a held buffer (-want +got):\n%s", d)
	}
	z.Release()
	w.Release()
}
