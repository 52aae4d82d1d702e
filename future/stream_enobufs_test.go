//go:build linux

package future_test

import (
	"context"
	"errors"
	"syscall"
	"testing"

	"github.com/google/go-cmp/cmp"
	"golang.org/x/sys/unix"

	"github.com/uringkit/uring/future"
)

// TestRecvMultishotEndsWithENOBUFS holds RecvMultishot's doc to the
// kernel: data that arrives while every buffer of the ring is held ends
// the stream with ENOBUFS, and stays in the socket for a new stream once
// the buffers are released.
func TestRecvMultishotEndsWithENOBUFS(t *testing.T) {
	ctx := context.Background()
	br, err := future.NewBufferRing(loop, 24, 2, 4)
	if err != nil {
		t.Fatal(err)
	}
	defer br.Close()
	a, b := socketPair(t)
	if _, err := unix.Write(a, []byte("0123456789")); err != nil { // three buffers' worth
		t.Fatal(err)
	}
	var held []future.Buffer
	var got []string
	var end error
	for v, err := range future.RecvMultishot(b, br, 0).Stream(ctx, loop) {
		if err != nil {
			end = err
			break
		}
		held = append(held, v) // not released: the ring runs dry
		got = append(got, string(v.Data))
	}
	if !errors.Is(end, syscall.ENOBUFS) {
		t.Fatalf("stream ended with %v, want ENOBUFS", end)
	}
	if d := cmp.Diff([]string{"0123", "4567"}, got); d != "" {
		t.Errorf("data before ENOBUFS (-want +got):\n%s", d)
	}
	for _, v := range held {
		v.Release()
	}
	rest, err := future.RecvBuffer(b, br, 0).Await(ctx, loop)
	if err != nil {
		t.Fatal(err)
	}
	defer rest.Release()
	if string(rest.Data) != "89" {
		t.Errorf("after release, the socket still holds %q, want \"89\"", rest.Data)
	}
}
