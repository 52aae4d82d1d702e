//go:build linux

package future_test

import (
	"context"
	"errors"
	"testing"

	"github.com/google/go-cmp/cmp"
	"github.com/uringkit/uring/future"
	"golang.org/x/sys/unix"
)

// TestCancelledOpKeepsItsResult: a read of a pipe with 4 bytes waiting,
// submitted on an owner-mode Loop and awaited with its context ended
// (awaitCancelled), usually succeeds inline before the cancel reaches
// it. Await then returns the 4 bytes and no error: the kernel consumed
// them, and the context's error would lose them. Either way no byte is
// lost: each round reads all 4 bytes, or gets the context's error with
// the 4 still in the pipe. Before, Await returned the context's error and
// dropped the data in most rounds (the pipe empty, the bytes only in the
// buffer, which the caller was told nothing of).
func TestCancelledOpKeepsItsResult(t *testing.T) {
	l := ownerLoop(t, 2)
	r, w := pipe(t)
	type round struct {
		N    int
		Err  bool
		Data string
		Left int
	}
	var got []round
	for range 200 {
		if _, err := unix.Write(w, []byte("abcd")); err != nil {
			t.Fatal(err)
		}
		buf := make([]byte, 4)
		n, err := awaitCancelled(future.Read(r, buf, -1), l)
		if err != nil && !errors.Is(err, context.Canceled) {
			t.Fatalf("Read = %d, %v; want 4 bytes or context.Canceled", n, err)
		}
		left, ierr := unix.IoctlGetInt(r, unix.TIOCINQ) // FIONREAD
		if ierr != nil {
			t.Fatal(ierr)
		}
		got = append(got, round{n, err != nil, string(buf[:n]), left})
		if left > 0 {
			unix.Read(r, make([]byte, left)) // the next round starts empty
		}
	}
	var read, cancelled int
	for i, g := range got {
		want := round{N: 4, Data: "abcd"}
		if g.Err {
			want = round{Err: true, Left: 4}
			cancelled++
		} else {
			read++
		}
		if diff := cmp.Diff(want, g); diff != "" {
			t.Errorf("round %d (-want +got):\n%s", i, diff)
		}
	}
	t.Logf("%d read, %d cancelled", read, cancelled)
}
