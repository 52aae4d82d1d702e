//go:build !linux

package main

import (
	"io/fs"

	"github.com/uringkit/uring/ring"
)

func statxSize(st *ring.Statx) int64 { return 0 }

func statxMode(st *ring.Statx) fs.FileMode { return fs.ModeIrregular }
