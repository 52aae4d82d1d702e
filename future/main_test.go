package future_test

import (
	"fmt"
	"os"
	"testing"

	"github.com/uringkit/uring/ring"
)

// loop is the Loop every test in the package submits to. Its ring has a
// sparse registered file table of fixedSlots slots and one registered
// buffer, fixedBuf.
var loop *ring.Loop

const fixedSlots = 16

var fixedBuf = make([]byte, 4096)

func TestMain(m *testing.M) {
	l, err := ring.NewLoop(ring.WithEntries(64))
	if err != nil {
		fmt.Fprintln(os.Stderr, "future tests need io_uring:", err)
		os.Exit(1)
	}
	loop = l
	if err := l.Do(func(r *ring.Ring) error {
		if err := r.RegisterFilesSparse(fixedSlots); err != nil {
			return err
		}
		return r.RegisterBuffers([][]byte{fixedBuf})
	}); err != nil {
		fmt.Fprintln(os.Stderr, "registering files and buffers:", err)
		os.Exit(1)
	}
	code := m.Run()
	if err := l.Close(); err != nil {
		fmt.Fprintln(os.Stderr, "Loop.Close:", err)
		code = 1
	}
	os.Exit(code)
}
