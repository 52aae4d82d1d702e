//go:build linux

package timeout_test

import (
	"context"
	"errors"
	"fmt"
	"os"
	"time"

	"github.com/uringkit/uring/future"
	"github.com/uringkit/uring/ring"
	"github.com/uringkit/uring/timeout"
)

// A context deadline becomes a kernel-side linked timeout: the kernel cuts
// the read off itself, with no cancel round trip.
func ExampleAwait() {
	loop, _ := ring.DefaultLoop()
	r, w, _ := os.Pipe()
	defer r.Close()
	defer w.Close()
	ctx, cancel := context.WithTimeout(context.Background(), 10*time.Millisecond)
	defer cancel()
	_, err := timeout.Await(ctx, loop, future.Read(int(r.Fd()), make([]byte, 8), -1))
	fmt.Println(errors.Is(err, os.ErrDeadlineExceeded))
	// Output: true
}

// A ticker is a multishot timeout, ranged over as a stream.
func ExampleTicker() {
	loop, _ := ring.DefaultLoop()
	ticks := 0
	for fired, err := range timeout.Ticker(timeout.After(time.Millisecond), 3).Stream(context.Background(), loop) {
		if err != nil || !fired {
			fmt.Println(err)
			return
		}
		ticks++
	}
	fmt.Println(ticks)
	// Output: 3
}

// A timer as an operation.
func ExampleNew() {
	loop, _ := ring.DefaultLoop()
	expired, err := timeout.New(timeout.After(time.Millisecond)).Await(context.Background(), loop)
	fmt.Println(expired, err)
	// Output: true <nil>
}
