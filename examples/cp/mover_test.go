package main

import (
	"bytes"
	"context"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/uringkit/uring/ring"
)

// TestMoverShortSource asks each mover for a block that runs past the end
// of the source, as when the source shrinks during the copy: the first op
// of the chain comes back short, which breaks the link and cancels the
// second. finish must write what was read, find the end of the file, and
// say the source shrank; the destination then holds the bytes that were
// there.
func TestMoverShortSource(t *testing.T) {
	loop, err := ring.NewLoop(ring.WithEntries(16))
	if err != nil {
		t.Fatal(err)
	}
	defer loop.Close()
	dir := t.TempDir()
	data := bytes.Repeat([]byte("0123456789abcdef"), 10000/16)
	src := filepath.Join(dir, "src")
	if err := os.WriteFile(src, data, 0o644); err != nil {
		t.Fatal(err)
	}
	for _, mode := range []string{"splice", "rw"} {
		t.Run(mode, func(t *testing.T) {
			sf, err := os.Open(src)
			if err != nil {
				t.Fatal(err)
			}
			defer sf.Close()
			df, err := os.Create(filepath.Join(dir, "dst-"+mode))
			if err != nil {
				t.Fatal(err)
			}
			defer df.Close()
			f := files{int(sf.Fd()), int(df.Fd()), sf.Name(), df.Name()}
			ctx := context.Background()
			var m mover
			if mode == "splice" {
				m, _, err = newSpliceMover(ctx, loop, f, 16384, 1)
			} else {
				m, err = newRWMover(ctx, loop, f, 16384, 1)
			}
			if err != nil {
				t.Fatal(err)
			}
			defer m.close()
			if err := m.start(0, 0, 16384); err != nil {
				t.Fatal(err)
			}
			n, err := m.finish(0)
			if n != int64(len(data)) || err == nil || !strings.Contains(err.Error(), "shrank") {
				t.Errorf("finish = %d, %v; want %d and an error saying the source shrank", n, err, len(data))
			}
			if got, _ := os.ReadFile(df.Name()); !bytes.Equal(got, data) {
				t.Errorf("destination holds %d bytes, want the %d of the source", len(got), len(data))
			}
		})
	}
}
