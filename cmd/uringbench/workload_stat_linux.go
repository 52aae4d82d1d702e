package main

import (
	"io/fs"

	"github.com/uringkit/uring/ring"
)

func statxSize(st *ring.Statx) int64 { return int64(st.Size) }

// statxMode is the regular-file bit of st_mode, enough for the check.
func statxMode(st *ring.Statx) fs.FileMode {
	if st.Mode&0o170000 == 0o100000 {
		return 0
	}
	return fs.ModeIrregular
}
