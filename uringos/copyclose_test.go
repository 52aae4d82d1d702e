//go:build linux

package uringos_test

import (
	"errors"
	"io"
	"io/fs"
	"os"
	"path/filepath"
	"testing"
	"time"

	"github.com/uringkit/uring/uringos"
	"golang.org/x/sys/unix"
)

// TestCloseDuringCopyBlockedOnPeer: Close on a File whose ReadFrom waits
// in r.Read (a source with nothing to send), or whose WriteTo waits in
// w.Write (a sink that does not take data), returns at once and closes
// the descriptor, as os's Close does: what blocks is the other end, not
// an operation on the File. Once the other end moves, the copy ends with
// os.ErrClosed.
func TestCloseDuringCopyBlockedOnPeer(t *testing.T) {
	dir := t.TempDir()
	name := filepath.Join(dir, "f")
	if err := os.WriteFile(name, make([]byte, 1<<20), 0o644); err != nil {
		t.Fatal(err)
	}
	for _, c := range []struct {
		name string
		op   string
		flag int
		copy func(f *uringos.File, pr *io.PipeReader, pw *io.PipeWriter) error
		peer func(pr *io.PipeReader, pw *io.PipeWriter)
	}{
		{"ReadFrom", "write", os.O_WRONLY,
			func(f *uringos.File, pr *io.PipeReader, _ *io.PipeWriter) error { _, err := f.ReadFrom(pr); return err },
			func(_ *io.PipeReader, pw *io.PipeWriter) { pw.Write([]byte("late")); pw.Close() }},
		{"WriteTo", "read", os.O_RDONLY,
			func(f *uringos.File, _ *io.PipeReader, pw *io.PipeWriter) error { _, err := f.WriteTo(pw); return err },
			func(pr *io.PipeReader, _ *io.PipeWriter) { io.Copy(io.Discard, pr) }},
	} {
		t.Run(c.name, func(t *testing.T) {
			f, err := uringos.OpenFile(name, c.flag, 0)
			if err != nil {
				t.Fatal(err)
			}
			fd := int(f.Fd())
			var st unix.Stat_t
			if err := unix.Fstat(fd, &st); err != nil {
				t.Fatal(err)
			}
			pr, pw := io.Pipe()
			defer pr.Close()
			defer pw.Close()
			copyErr := make(chan error, 1)
			go func() { copyErr <- c.copy(f, pr, pw) }()
			time.Sleep(20 * time.Millisecond) // the copy blocks on the pipe
			closed := make(chan error, 1)
			go func() { closed <- f.Close() }()
			select {
			case err := <-closed:
				if err != nil {
					t.Errorf("Close: %v", err)
				}
			case <-time.After(2 * time.Second):
				pr.Close() // unblock the copy, so Close and the test end
				pw.Close()
				t.Fatalf("hang: Close waits for %s's other end", c.name)
			}
			if fdOpen(t, fd, &st) {
				t.Errorf("fd %d still open after Close", fd)
			}
			go c.peer(pr, pw)
			select {
			case err := <-copyErr:
				var pe *fs.PathError
				if !errors.As(err, &pe) || pe.Op != c.op || !errors.Is(err, os.ErrClosed) {
					t.Errorf("%s after Close: %v, want *fs.PathError{%s, os.ErrClosed}", c.name, err, c.op)
				}
			case <-time.After(2 * time.Second):
				t.Fatalf("hang: %s did not return after Close and its other end moved", c.name)
			}
		})
	}
}
