package ring_test

import (
	"context"
	"errors"
	"fmt"
	"os"
	"syscall"
	"time"

	"github.com/uringkit/uring/ring"
)

// A Loop shared by goroutines: submit a read and wait for its CQE.
func ExampleNewLoop() {
	loop, err := ring.NewLoop()
	if err != nil {
		fmt.Println(err)
		return
	}
	defer loop.Close()

	pr, pw, err := os.Pipe()
	if err != nil {
		fmt.Println(err)
		return
	}
	defer pr.Close()
	defer pw.Close()
	pw.WriteString("hello")

	buf := make([]byte, 16)
	req := ring.NewRequest()
	defer req.Release()
	req.SQE.PrepRead(int32(pr.Fd()), buf, -1)
	req.Buf = buf // the Loop keeps buf alive until the CQE
	ctx := context.Background()
	if err := loop.Submit(ctx, req); err != nil {
		fmt.Println(err)
		return
	}
	cqe, err := req.Wait(ctx)
	if err != nil {
		fmt.Println(err)
		return
	}
	if cqe.Res < 0 {
		fmt.Println(syscall.Errno(-cqe.Res))
		return
	}
	fmt.Printf("%q\n", buf[:cqe.Res])
	// Output: "hello"
}

// The process-wide Loop, made on first use: for callers that do not
// manage one (uringos, uringnet and future use it when given none).
func ExampleDefaultLoop() {
	loop, err := ring.DefaultLoop()
	if err != nil {
		fmt.Println(err)
		return
	}
	req := ring.NewRequest()
	defer req.Release()
	req.SQE.PrepNop()
	ctx := context.Background()
	if err := loop.Submit(ctx, req); err != nil {
		fmt.Println(err)
		return
	}
	cqe, err := req.Wait(ctx)
	fmt.Println(cqe.Res, err)
	// Output: 0 <nil>
}

// Requests submitted together form a group: their SQEs are adjacent in
// the ring, so IOSQE_IO_LINK chains them. Here a write to a pipe and a
// read of it, which starts only after the write succeeded.
func ExampleLoop_Submit() {
	loop, err := ring.NewLoop()
	if err != nil {
		fmt.Println(err)
		return
	}
	defer loop.Close()
	pr, pw, err := os.Pipe()
	if err != nil {
		fmt.Println(err)
		return
	}
	defer pr.Close()
	defer pw.Close()

	msg, buf := []byte("ping"), make([]byte, 4)
	write, read := ring.NewRequest(), ring.NewRequest()
	defer write.Release()
	defer read.Release()
	write.SQE.PrepWrite(int32(pw.Fd()), msg, -1)
	write.SQE.Flags |= ring.SQEIOLink
	write.Buf = msg
	read.SQE.PrepRead(int32(pr.Fd()), buf, -1)
	read.Buf = buf

	ctx := context.Background()
	if err := loop.Submit(ctx, write, read); err != nil {
		fmt.Println(err)
		return
	}
	w, _ := write.Wait(ctx)
	r, _ := read.Wait(ctx)
	fmt.Printf("wrote %d, read %d: %q\n", w.Res, r.Res, buf)
	// Output: wrote 4, read 4: "ping"
}

// A Wait whose context ends cancels the op in the kernel and still waits
// for its last CQE, so the buffer is free to reuse when Wait returns.
func ExampleRequest_Wait_deadline() {
	loop, err := ring.NewLoop()
	if err != nil {
		fmt.Println(err)
		return
	}
	defer loop.Close()
	pr, pw, err := os.Pipe()
	if err != nil {
		fmt.Println(err)
		return
	}
	defer pr.Close()
	defer pw.Close()

	buf := make([]byte, 1)
	req := ring.NewRequest()
	defer req.Release()
	req.SQE.PrepRead(int32(pr.Fd()), buf, -1) // nothing is ever written
	req.Buf = buf
	ctx, cancel := context.WithTimeout(context.Background(), 10*time.Millisecond)
	defer cancel()
	if err := loop.Submit(ctx, req); err != nil {
		fmt.Println(err)
		return
	}
	cqe, err := req.Wait(ctx)
	fmt.Println(errors.Is(err, os.ErrDeadlineExceeded), syscall.Errno(-cqe.Res))
	// Output: true operation canceled
}

// Next returns a multishot op's CQEs one by one: here a timeout that
// fires three times (IORING_TIMEOUT_MULTISHOT, 6.4). Every CQE but the
// last has CQEFMore set.
func ExampleRequest_Next() {
	loop, err := ring.NewLoop()
	if err != nil {
		fmt.Println(err)
		return
	}
	defer loop.Close()

	ts := &ring.Timespec{Nsec: int64(time.Millisecond)}
	req := ring.NewRequest()
	defer req.Release()
	req.SQE.PrepTimeout(ts, 3, ring.TimeoutMultishot)
	req.Keep = ts // the kernel reads ts: keep it until the last CQE
	ctx := context.Background()
	if err := loop.Submit(ctx, req); err != nil {
		fmt.Println(err)
		return
	}
	for {
		cqe, ok, err := req.Next(ctx)
		if err != nil || !ok {
			break
		}
		fmt.Println(syscall.Errno(-cqe.Res), cqe.Flags&ring.CQEFMore != 0)
	}
	// Output:
	// timer expired true
	// timer expired true
	// timer expired false
}

// Stats counts what went through the Loop.
func ExampleLoop_Stats() {
	loop, err := ring.NewLoop()
	if err != nil {
		fmt.Println(err)
		return
	}
	defer loop.Close()
	ctx := context.Background()
	for range 3 {
		req := ring.NewRequest()
		req.SQE.PrepNop()
		if err := loop.Submit(ctx, req); err != nil {
			fmt.Println(err)
			return
		}
		req.Wait(ctx)
		req.Release()
	}
	st := loop.Stats()
	fmt.Println(st.Submitted, st.Completed, st.InFlight)
	// Output: 3 3 0
}
