//go:build !linux

package uringos

import (
	"io/fs"

	"github.com/uringkit/uring/ring"
)

// Only the os fallback runs where there is no io_uring.

func getdents(fd int, buf []byte) (int, error) { return 0, ring.ErrUnsupportedOS }

func parseDirent(b []byte) (name string, typ fs.FileMode, known bool, size int) {
	return "", 0, false, 0
}
