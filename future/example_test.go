//go:build linux

package future_test

import (
	"context"
	"fmt"
	"os"
	"unsafe"

	"github.com/uringkit/uring/future"
	"github.com/uringkit/uring/ring"
	"golang.org/x/sys/unix"
)

// exampleFile writes content to a temporary file and opens it.
func exampleFile(content string) *os.File {
	f, _ := os.CreateTemp("", "example")
	f.WriteString(content)
	os.Remove(f.Name())
	return f
}

// An Op is a value: building it does no I/O. Await submits it and waits.
func ExampleOp() {
	f := exampleFile("hello, io_uring")
	defer f.Close()
	buf := make([]byte, 5)
	op := future.Read(int(f.Fd()), buf, 0) // nothing happened yet
	fmt.Println(op.Opcode())

	loop, err := ring.DefaultLoop()
	if err != nil {
		fmt.Println(err)
		return
	}
	n, err := op.Await(context.Background(), loop)
	fmt.Println(n, string(buf[:n]), err)
	// Output:
	// READ
	// 5 hello <nil>
}

// Submit starts the operation; Await collects the result later.
func ExampleFuture_Await() {
	f := exampleFile("abc")
	defer f.Close()
	loop, _ := ring.DefaultLoop()
	ctx := context.Background()
	fut := future.Statx(unix.AT_FDCWD, "/", 0, unix.STATX_TYPE).Submit(ctx, loop)
	_, err := future.Fsync(int(f.Fd())).Await(ctx, loop) // meanwhile
	st, err2 := fut.Await(ctx)
	fmt.Println(st.Mode&unix.S_IFMT == unix.S_IFDIR, err, err2)
	// Output: true <nil> <nil>
}

// Then runs a dependent operation built from a result: open, then read.
func ExampleThen() {
	f := exampleFile("then")
	defer f.Close()
	loop, _ := ring.DefaultLoop()
	ctx := context.Background()
	buf := make([]byte, 16)
	opened := future.Openat(unix.AT_FDCWD, fmt.Sprintf("/proc/self/fd/%d", f.Fd()), unix.O_RDONLY|unix.O_CLOEXEC, 0).Submit(ctx, loop)
	n, err := future.Then(opened, loop, func(fd future.FD) future.Op[int] {
		return future.Read(int(fd), buf, 0)
	}).Await(ctx)
	fmt.Println(string(buf[:n]), err)
	// Output: then <nil>
}

// All awaits several operations of one type; Join2 and Join3 mix types.
func ExampleAll() {
	f := exampleFile("0123456789")
	defer f.Close()
	loop, _ := ring.DefaultLoop()
	ctx := context.Background()
	a, b := make([]byte, 2), make([]byte, 2)
	ns, err := future.All(ctx,
		future.Read(int(f.Fd()), a, 0).Submit(ctx, loop),
		future.Read(int(f.Fd()), b, 8).Submit(ctx, loop))
	fmt.Println(ns, string(a), string(b), err)
	// Output: [2 2] 01 89 <nil>
}

// Race returns the first operation to finish and cancels the others in the
// kernel, waiting for their end before it returns.
func ExampleRace() {
	loop, _ := ring.DefaultLoop()
	ctx := context.Background()
	r, w, _ := os.Pipe() // nothing will ever be written: the read blocks
	defer r.Close()
	defer w.Close()
	blocked := future.Read(int(r.Fd()), make([]byte, 1), -1).Submit(ctx, loop)
	quick := future.NopResult(1).Submit(ctx, loop)
	i, v, err := future.Race(ctx, blocked, quick)
	fmt.Println(i, v, err)
	// Output: 1 1 <nil>
}

// A multishot operation is a stream; breaking out cancels it in the kernel.
func ExampleOp_Stream() {
	loop, _ := ring.DefaultLoop()
	r, w, _ := os.Pipe()
	defer r.Close()
	defer w.Close()
	w.Write([]byte("x"))
	n := 0
	for ev, err := range future.PollMultishot(int(r.Fd()), unix.POLLIN).Stream(context.Background(), loop) {
		fmt.Println(ev&unix.POLLIN != 0, err)
		r.Read(make([]byte, 1))
		if n++; n == 2 {
			break
		}
		w.Write([]byte("y"))
	}
	// Output:
	// true <nil>
	// true <nil>
}

// Custom makes an operation from a prepared SQE, for an opcode or a form
// future has no constructor for. Here: openat(2), whose result is a
// descriptor. Keep holds the path the kernel reads until the CQE, and
// Discard closes a descriptor that no caller will see (a Stream's CQEs
// drained after an early break).
func ExampleCustom() {
	path, _ := unix.BytePtrFromString("/dev/null")
	var sqe ring.SQE
	sqe.PrepOpenat(unix.AT_FDCWD, path, unix.O_RDONLY|unix.O_CLOEXEC, 0)
	open := future.Custom(future.Raw[int]{
		SQE:     sqe,
		Keep:    unsafe.Pointer(path),
		Decode:  func(c ring.CQE, _ unsafe.Pointer) (int, error) { return int(c.Res), nil },
		Discard: func(_ *ring.Loop, c ring.CQE, _ unsafe.Pointer) { unix.Close(int(c.Res)) },
	})
	loop, _ := ring.DefaultLoop()
	fd, err := open.Await(context.Background(), loop)
	fmt.Println(fd >= 0, err, open.Creates())
	unix.Close(fd)
	// Output: true <nil> true
}
