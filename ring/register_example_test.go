//go:build linux

package ring_test

import (
	"fmt"
	"os"

	"github.com/uringkit/uring/ring"
)

// Fixed buffers: register memory once, then READ_FIXED names it by index.
// The Ring keeps the registered slices alive until UnregisterBuffers.
func ExampleRing_RegisterBuffers() {
	r, err := ring.New(8)
	if err != nil {
		fmt.Println(err)
		return
	}
	defer r.Close()
	pr, pw, _ := os.Pipe()
	defer pr.Close()
	defer pw.Close()
	pw.WriteString("fixed")

	if err := r.RegisterBuffers([][]byte{make([]byte, 4096)}); err != nil {
		fmt.Println(err)
		return
	}
	buf := r.FixedBuffer(0)
	r.GetSQE().PrepReadFixed(int32(pr.Fd()), buf[:5], -1, 0)
	if _, err := r.SubmitAndWait(1); err != nil {
		fmt.Println(err)
		return
	}
	c, _ := r.PeekCQE()
	fmt.Println(c.Res, string(buf[:c.Res]))
	r.CQESeen(c)

	err = r.UnregisterBuffers()
	fmt.Println(err)
	err = r.UnregisterBuffers() // nothing registered any more
	fmt.Println(err)
	// Output:
	// 5 fixed
	// <nil>
	// io_uring_register(UNREGISTER_BUFFERS): no such device or address
}

// A provided-buffer ring: the kernel picks a buffer when data arrives and
// the CQE says which.
func ExampleRing_RegisterPbufRing() {
	r, err := ring.New(8)
	if err != nil {
		fmt.Println(err)
		return
	}
	defer r.Close()
	pr, pw, _ := os.Pipe()
	defer pr.Close()
	defer pw.Close()

	const group = 1
	br, err := r.RegisterPbufRing(group, 8, 0)
	if err != nil {
		fmt.Println(err)
		return
	}
	for bid := range uint16(4) {
		br.Add(make([]byte, 256), bid)
	}
	br.Advance(4)

	pw.WriteString("hello")
	r.GetSQE().PrepReadSelect(int32(pr.Fd()), 256, -1, group)
	if _, err := r.SubmitAndWait(1); err != nil {
		fmt.Println(err)
		return
	}
	c, _ := r.PeekCQE()
	bid, ok := c.BufferID()
	fmt.Println(c.Res, bid, ok, string(br.Buffer(bid)[:c.Res]))
	r.CQESeen(c)
	head, _ := r.PbufStatus(group)
	fmt.Println("kernel head", head)
	// Output:
	// 5 0 true hello
	// kernel head 1
}
