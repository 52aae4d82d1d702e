//go:build linux

package chain_test

import (
	"context"
	"errors"
	"os"
	"path/filepath"
	"testing"

	"github.com/uringkit/uring/chain"
	"github.com/uringkit/uring/future"
	"github.com/uringkit/uring/internal/testutil"
	"github.com/uringkit/uring/ring"
	"golang.org/x/sys/unix"
)

// TestCancelledStepClosesFd: a chain's open step awaited with a context
// that has ended returns the descriptor (the open succeeded before the
// cancel reached it: the caller's, closed here) or the context's error,
// and then nothing was made. The Loop is
// in owner mode: its submitter only rings the owner, so the Await usually
// sees the context and sends a cancel before the owner submits the chain,
// whose open then succeeds inline and escapes the cancel. Before the fix
// every round that returned the context's error leaked: of 200 rounds in
// 3 runs, 98-200 fds for Openat, and OpenatDirect filled its 2-slot table
// and failed with ENFILE in 2 of the 3 runs (rounds 81 and 173; in the
// third every cancel landed before the open). Those rounds now return
// the descriptor.
func TestCancelledStepClosesFd(t *testing.T) {
	bg := context.Background()
	l, err := ring.NewLoop(ring.WithEntries(16), ring.WithMode(ring.ModeOwner))
	if err != nil {
		t.Fatal(err)
	}
	defer l.Close()
	if err := l.Do(func(r *ring.Ring) error { return r.RegisterFilesSparse(2) }); err != nil {
		t.Fatal(err)
	}
	path := filepath.Join(t.TempDir(), "f")
	if err := os.WriteFile(path, []byte("x"), 0o600); err != nil {
		t.Fatal(err)
	}
	for _, tc := range []struct {
		name string
		// round submits a chain with the open and awaits the open with
		// ctx; on success it releases what the open made.
		round func(t *testing.T, ctx context.Context) error
	}{
		{"Openat", func(t *testing.T, ctx context.Context) error {
			c := chain.New()
			s := chain.Add(c, future.Openat(unix.AT_FDCWD, path, unix.O_RDONLY|unix.O_CLOEXEC, 0))
			if err := c.Submit(bg, l); err != nil {
				t.Fatal(err)
			}
			fd, err := s.Await(ctx)
			if err == nil {
				unix.Close(int(fd))
			}
			return err
		}},
		{"OpenatDirect", func(t *testing.T, ctx context.Context) error {
			c := chain.New()
			s := chain.Add(c, future.OpenatDirect(unix.AT_FDCWD, path, unix.O_RDONLY, 0, ring.FileIndexAlloc))
			if err := c.Submit(bg, l); err != nil {
				t.Fatal(err)
			}
			slot, err := s.Await(ctx)
			if err == nil {
				if _, err := future.CloseDirect(uint32(slot)).Await(bg, l); err != nil {
					t.Fatalf("CloseDirect(%d): %v", slot, err)
				}
			}
			return err
		}},
	} {
		t.Run(tc.name, func(t *testing.T) {
			before := testutil.OpenFds(t)
			var opened, cancelled int
			for range 200 {
				ctx, cancel := context.WithCancel(bg)
				cancel()
				switch err := tc.round(t, ctx); {
				case err == nil:
					opened++
				case errors.Is(err, context.Canceled):
					cancelled++
				default:
					t.Fatalf("round %d: %v; want a value or context.Canceled", opened+cancelled, err)
				}
			}
			t.Logf("%d opened, %d cancelled", opened, cancelled)
			if after := testutil.OpenFds(t); after != before {
				t.Errorf("%d descriptors open before, %d after: %d leaked", before, after, after-before)
			}
		})
	}
}
