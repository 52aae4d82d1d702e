package future_test

import (
	"fmt"
	"os"
	"testing"

	"github.com/uringkit/uring/ring"
)

// loop is the Loop every test in the package submits to.
var loop *ring.Loop

func TestMain(m *testing.M) {
	l, err := ring.NewLoop(ring.WithEntries(64))
	if err != nil {
		fmt.Fprintln(os.Stderr, "future tests need io_uring:", err)
		os.Exit(1)
	}
	loop = l
	code := m.Run()
	if err := l.Close(); err != nil {
		fmt.Fprintln(os.Stderr, "Loop.Close:", err)
		code = 1
	}
	os.Exit(code)
}
