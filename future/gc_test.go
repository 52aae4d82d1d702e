//go:build linux

package future_test

import (
	"context"
	"runtime"
	"strings"
	"sync"
	"sync/atomic"
	"testing"

	"github.com/uringkit/uring/future"
	"golang.org/x/sys/unix"
)

// TestKeptMemoryUnderGC: memory only the Op references (the statx result
// buffer, the iovec array, the path) must stay alive until the CQE. A
// goroutine collects garbage all the time while operations run from
// several goroutines; every result must be exact.
func TestKeptMemoryUnderGC(t *testing.T) {
	content := strings.Repeat("k", 3000)
	f := file(t, content)
	var stop atomic.Bool
	go func() {
		for !stop.Load() {
			runtime.GC()
		}
	}()
	defer stop.Store(true)
	ctx := context.Background()
	var wg sync.WaitGroup
	errs := make(chan string, 8)
	for range 4 {
		wg.Add(1)
		go func() {
			defer wg.Done()
			for range 300 {
				st, err := future.Statx(unix.AT_FDCWD, f.Name(), 0, unix.STATX_SIZE).Submit(ctx, loop).Await(ctx)
				if err != nil || st.Size != 3000 {
					errs <- "statx size wrong"
					return
				}
				a, b := make([]byte, 1000), make([]byte, 2000)
				n, err := future.Readv(fdOf(f), [][]byte{a, b}, 0, 0).Submit(ctx, loop).Await(ctx)
				if err != nil || n != 3000 || string(a)+string(b) != content {
					errs <- "readv content wrong"
					return
				}
			}
		}()
	}
	wg.Wait()
	close(errs)
	for e := range errs {
		t.Error(e)
	}
}
