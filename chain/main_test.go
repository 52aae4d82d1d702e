package chain_test

import (
	"fmt"
	"os"
	"testing"

	"github.com/uringkit/uring/ring"
)

// loop runs every chain of the package's kernel tests. A chain that uses
// IOSQE_IO_DRAIN goes to drainLoop instead: once a ring has seen
// IOSQE_CQE_SKIP_SUCCESS the kernel fails drained requests (EOPNOTSUPP).
var loop, drainLoop *ring.Loop

func TestMain(m *testing.M) {
	var err error
	if loop, err = ring.NewLoop(ring.WithEntries(64)); err == nil {
		drainLoop, err = ring.NewLoop(ring.WithEntries(16))
	}
	if err != nil {
		fmt.Fprintln(os.Stderr, "chain tests need io_uring:", err)
		os.Exit(1)
	}
	code := m.Run()
	for _, l := range []*ring.Loop{loop, drainLoop} {
		if err := l.Close(); err != nil {
			fmt.Fprintln(os.Stderr, "Loop.Close:", err)
			code = 1
		}
	}
	os.Exit(code)
}

// tmpFile returns the fd of an empty temporary file, closed at cleanup.
func tmpFile(tb testing.TB) int {
	f, err := os.CreateTemp(tb.TempDir(), "chain")
	if err != nil {
		tb.Fatal(err)
	}
	tb.Cleanup(func() { f.Close() })
	return int(f.Fd())
}
