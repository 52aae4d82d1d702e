//go:build linux

package chain_test

import (
	"context"
	"errors"
	"fmt"
	"os"
	"time"

	"github.com/uringkit/uring/chain"
	"github.com/uringkit/uring/future"
	"github.com/uringkit/uring/ring"
	"github.com/uringkit/uring/timeout"
)

// A chain with a linked timeout: the read from an empty pipe is cut off by
// the kernel after 10 ms, and the write linked after it never runs.
func ExampleChain_LinkTimeout() {
	loop, _ := ring.DefaultLoop()
	ctx := context.Background()
	r, w, _ := os.Pipe()
	defer r.Close()
	defer w.Close()
	out, _ := os.CreateTemp("", "chain")
	defer os.Remove(out.Name())
	defer out.Close()

	buf := make([]byte, 64)
	c := chain.New()
	read := chain.Add(c, future.Read(int(r.Fd()), buf, -1))
	c.LinkTimeout(timeout.After(10 * time.Millisecond))
	write := chain.Add(c, future.Write(int(out.Fd()), buf, 0))
	if err := c.Submit(ctx, loop); err != nil {
		fmt.Println(err)
		return
	}
	_, err := read.Await(ctx)
	fmt.Println(errors.Is(err, os.ErrDeadlineExceeded))
	_, err = write.Await(ctx)
	fmt.Println(err)
	// Output:
	// true
	// chain: step 1 (WRITE) cancelled because step 0 (READ) broke the chain: io_uring READ: deadline exceeded (operation canceled)
}

// Results tells each step's outcome: a short read breaks the soft link.
func ExampleChain_Results() {
	loop, _ := ring.DefaultLoop()
	ctx := context.Background()
	f, _ := os.CreateTemp("", "short")
	defer os.Remove(f.Name())
	defer f.Close()
	f.WriteString("ten bytes!")

	c := chain.New()
	chain.Add(c, future.Read(int(f.Fd()), make([]byte, 100), 0))
	chain.Add(c, future.Nop())
	c.Submit(ctx, loop)
	for i, r := range c.Results(ctx) {
		fmt.Println(i, r.Outcome, r.Res, r.By)
	}
	// Output:
	// 0 short 10 -1
	// 1 cancelled -125 0
}
