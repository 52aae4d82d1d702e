//go:build !linux

package uringos

import (
	"time"

	"github.com/uringkit/uring/ring"
)

// On systems without io_uring only the os fallback runs, and statx
// results never exist.

func newFileStat(path string, st *ring.Statx) *fileStat { return &fileStat{name: baseName(path)} }

func (fs *fileStat) fill(path string) { fs.name = baseName(path) }

func (fs *fileStat) Size() int64 { return 0 }

func (fs *fileStat) ModTime() time.Time { return time.Time{} }

func sameInode(a, b *ring.Statx) bool { return false }

func statxID(st *ring.Statx) FileID { return FileID{} }

const (
	atEmptyPath = 0x1000
	statxSize   = 0x200
)

func statxSizeOf(st *ring.Statx) int64 { return 0 }

const oPathDir = 0
