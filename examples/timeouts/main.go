// Command timeouts is a tour of io_uring timeouts through package
// timeout and package chain: a timer as an operation, a completion-count
// timeout, an absolute timer, a linked timeout that fires and one that
// does not, a context deadline turned into a kernel-side linked timeout,
// a multishot ticker, and a timer updated and one removed in flight. Each line prints what the kernel did.
//
//	go run ./examples/timeouts
package main

import (
	"context"
	"errors"
	"fmt"
	"io"
	"os"
	"time"

	"github.com/uringkit/uring/chain"
	"github.com/uringkit/uring/future"
	"github.com/uringkit/uring/ring"
	"github.com/uringkit/uring/timeout"
)

func main() {
	if err := run(os.Stdout); err != nil {
		fmt.Fprintln(os.Stderr, "timeouts:", err)
		os.Exit(1)
	}
}

func run(w io.Writer) error {
	// A Loop of our own: a completion-count timeout counts every CQE of
	// its ring, so a ring shared with other work would end it early.
	loop, err := ring.NewLoop()
	if err != nil {
		return err
	}
	defer loop.Close()
	ctx := context.Background()
	const short = 20 * time.Millisecond

	// 1. A timer is an operation: IORING_OP_TIMEOUT completes with -ETIME
	// when the time is up, which timeout.New reports as expired=true.
	expired, err := timeout.New(timeout.After(short)).Await(ctx, loop)
	if err != nil {
		return err
	}
	fmt.Fprintf(w, "1. timeout.New(After(20ms)): expired=%v\n", expired)

	// 2. With a completion count it also completes when that many other
	// CQEs have been posted: here the NOP's.
	count := timeout.Count(timeout.After(10*time.Second), 1).Submit(ctx, loop)
	if _, err := future.Nop().Await(ctx, loop); err != nil {
		return err
	}
	expired, err = count.Await(ctx)
	if err != nil {
		return err
	}
	fmt.Fprintf(w, "2. timeout.Count(After(10s), 1) and a NOP: expired=%v (the NOP's CQE counted)\n", expired)

	// 3. An absolute timer on the wall clock (IORING_TIMEOUT_ABS |
	// IORING_TIMEOUT_REALTIME).
	expired, err = timeout.New(timeout.At(time.Now().Add(short))).Await(ctx, loop)
	if err != nil {
		return err
	}
	fmt.Fprintf(w, "3. timeout.New(At(now+20ms)): expired=%v on %v\n", expired, timeout.At(time.Now()).Clock())

	r, pw, err := os.Pipe()
	if err != nil {
		return err
	}
	defer r.Close()
	defer pw.Close()
	buf := make([]byte, 16)

	// 4. A linked timeout bounds the step before it: the read of an empty
	// pipe is cancelled by the kernel when the timer fires.
	c := chain.New()
	read := chain.Add(c, future.Read(int(r.Fd()), buf, -1))
	c.LinkTimeout(timeout.After(short))
	if err := c.Submit(ctx, loop); err != nil {
		return err
	}
	res := read.Result(ctx)
	fmt.Fprintf(w, "4. read of an empty pipe + LinkTimeout(20ms): %v, deadline exceeded=%v\n",
		res.Outcome, errors.Is(res.Err, os.ErrDeadlineExceeded))

	// 5. A linked timeout that does not fire: the read finds data, and
	// the kernel removes the timer.
	pw.Write([]byte("hello"))
	c = chain.New()
	read = chain.Add(c, future.Read(int(r.Fd()), buf[:5], -1))
	c.LinkTimeout(timeout.After(10 * time.Second))
	if err := c.Submit(ctx, loop); err != nil {
		return err
	}
	n, err := read.Await(ctx)
	if err != nil {
		return err
	}
	fmt.Fprintf(w, "5. read of a pipe holding %q + LinkTimeout(10s): read %d bytes, %v\n", buf[:n], n, read.Result(ctx).Outcome)

	// 6. A context deadline becomes a kernel-side linked timeout: no
	// timer goroutine, no cancel round trip.
	dctx, cancel := context.WithTimeout(ctx, short)
	_, err = timeout.Await(dctx, loop, future.Read(int(r.Fd()), buf, -1))
	cancel()
	fmt.Fprintf(w, "6. timeout.Await of a read with a 20ms context deadline: %v (os.ErrDeadlineExceeded=%v)\n",
		err, errors.Is(err, os.ErrDeadlineExceeded))

	// 7. A multishot timeout (IORING_TIMEOUT_MULTISHOT, 6.4) is a stream
	// of ticks.
	ticks := 0
	for expired, err := range timeout.Ticker(timeout.After(10*time.Millisecond), 3).Stream(ctx, loop) {
		if err != nil {
			return err
		}
		if expired {
			ticks++
		}
	}
	fmt.Fprintf(w, "7. timeout.Ticker(After(10ms), 3): %d ticks\n", ticks)

	// 8. A timer in flight can be re-armed (IORING_TIMEOUT_UPDATE, 5.11)
	// or removed (IORING_OP_TIMEOUT_REMOVE), by its user_data.
	long := timeout.New(timeout.After(time.Hour)).Submit(ctx, loop)
	if _, err := timeout.Update(long.UserData(), timeout.After(short)).Await(ctx, loop); err != nil {
		return err
	}
	expired, err = long.Await(ctx)
	if err != nil {
		return err
	}
	long = timeout.New(timeout.After(time.Hour)).Submit(ctx, loop)
	if _, err := timeout.Remove(long.UserData()).Await(ctx, loop); err != nil {
		return err
	}
	_, err = long.Await(ctx)
	fmt.Fprintf(w, "8. a 1h timer updated to 20ms: expired=%v; another removed: %v\n", expired, err)
	return nil
}
