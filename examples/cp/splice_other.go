//go:build !linux

package main

import (
	"context"

	"github.com/uringkit/uring/ring"
)

// newSpliceMover: splice(2) and io_uring are Linux's.
func newSpliceMover(context.Context, *ring.Loop, files, int, int) (mover, int, error) {
	return nil, 0, ring.ErrUnsupportedOS
}
