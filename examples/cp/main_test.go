package main

import (
	"bytes"
	"errors"
	"io/fs"
	"math/rand/v2"
	"os"
	"path/filepath"
	"strings"
	"testing"
)

// TestCopy runs cp on files of several sizes (empty, smaller than a block,
// exact multiples, ragged: not a multiple of the block) and block, queue
// and writeback settings, with splice chains and with read/write chains on
// registered buffers, and checks that each copy is byte-identical with the
// source's permissions.
func TestCopy(t *testing.T) {
	dir := t.TempDir()
	rng := rand.New(rand.NewPCG(1, 2))
	for _, c := range []struct {
		size  int
		flags []string
	}{
		{0, []string{"-bs", "4096", "-qd", "4"}},
		{1, []string{"-bs", "4096", "-qd", "4"}},
		{4096, []string{"-bs", "4096", "-qd", "4"}},
		{3*4096 + 17, []string{"-bs", "4096", "-qd", "2"}},
		{3*4096 + 17, []string{"-bs", "5000", "-qd", "3"}}, // a block that is not whole pages
		{5<<20 + 123, []string{"-bs", "1048576", "-qd", "8"}},
		{5<<20 + 123, nil}, // the defaults
		{5<<20 + 123, []string{"-wb", "4096", "-bs", "65536"}},  // a writeback hint per block, more than maxWriteback in flight
		{5<<20 + 123, []string{"-wb", "0"}},                     // only the final fsync
		{5<<20 + 123, []string{"-fsync=false", "-bs", "65536"}}, // no writeback, no fsync
		{64 << 10, []string{"-bs", "4096", "-qd", "1"}},
		{1 << 20, []string{"-bs", "65536", "-qd", "64"}},
		{3<<20 + 1, []string{"-bs", "8388608", "-qd", "2"}}, // a block larger than the pipes F_SETPIPE_SZ grants without privilege
	} {
		src := filepath.Join(dir, "src")
		dst := filepath.Join(dir, "dst")
		data := make([]byte, c.size)
		for i := range data {
			data[i] = byte(rng.Uint32())
		}
		if err := os.WriteFile(src, data, 0o640); err != nil {
			t.Fatal(err)
		}
		for _, mode := range []string{"-splice=true", "-splice=false"} {
			os.Remove(dst)
			var out bytes.Buffer
			args := append(append([]string{mode}, c.flags...), src, dst)
			if err := run(args, &out); err != nil {
				t.Fatalf("size %d %v: %v", c.size, args[:len(args)-2], err)
			}
			got, err := os.ReadFile(dst)
			if err != nil || !bytes.Equal(got, data) {
				t.Fatalf("size %d %v: copy differs (%d bytes, %v)", c.size, args[:len(args)-2], len(got), err)
			}
			if fi, _ := os.Stat(dst); fi.Mode().Perm() != 0o640 {
				t.Errorf("size %d %v: dst mode %v, want 0640", c.size, args[:len(args)-2], fi.Mode())
			}
			if out.Len() != 0 {
				t.Errorf("printed %q to a non-terminal", out.String())
			}
		}
	}
}

// TestCopyOverwritesAndProgress: an existing, longer destination is
// truncated, and -progress draws a bar ending at 100%.
func TestCopyOverwritesAndProgress(t *testing.T) {
	dir := t.TempDir()
	src, dst := filepath.Join(dir, "a"), filepath.Join(dir, "b")
	os.WriteFile(src, bytes.Repeat([]byte("x"), 300_000), 0o644)
	os.WriteFile(dst, bytes.Repeat([]byte("y"), 900_000), 0o644)
	var out bytes.Buffer
	if err := run([]string{"-progress", "-bs", "65536", src, dst}, &out); err != nil {
		t.Fatal(err)
	}
	if got, _ := os.ReadFile(dst); !bytes.Equal(got, bytes.Repeat([]byte("x"), 300_000)) {
		t.Errorf("dst has %d bytes, want the 300000 of src", len(got))
	}
	if s := out.String(); strings.Count(s, "100%") != 1 || strings.Count(s, "\n") != 1 || !strings.HasSuffix(s, "\n") {
		t.Errorf("progress output %q does not end at 100%% once, with one newline", s)
	}
}

func TestCopyErrors(t *testing.T) {
	dir := t.TempDir()
	err := run([]string{filepath.Join(dir, "missing"), filepath.Join(dir, "x")}, &bytes.Buffer{})
	var pe *fs.PathError
	if !errors.As(err, &pe) || !errors.Is(err, fs.ErrNotExist) || pe.Op != "open" {
		t.Errorf("missing source: %v, want *fs.PathError{open} matching fs.ErrNotExist", err)
	}
	if err := run([]string{dir, filepath.Join(dir, "x")}, &bytes.Buffer{}); err == nil || !strings.Contains(err.Error(), "not a regular file") {
		t.Errorf("directory source: %v", err)
	}
	if err := run([]string{"only-one"}, &bytes.Buffer{}); err == nil || !strings.Contains(err.Error(), "usage") {
		t.Errorf("one argument: %v", err)
	}
}

// TestCopyLikeCoreutils: cp into a directory copies to DIR/base(SRC); cp
// of a file onto itself is refused and leaves it intact; cp to /dev/null
// reads the whole source and succeeds (no fsync of a device).
func TestCopyLikeCoreutils(t *testing.T) {
	dir := t.TempDir()
	src := filepath.Join(dir, "a")
	data := bytes.Repeat([]byte("abc"), 100_000)
	if err := os.WriteFile(src, data, 0o600); err != nil {
		t.Fatal(err)
	}
	sub := filepath.Join(dir, "sub")
	if err := os.Mkdir(sub, 0o755); err != nil {
		t.Fatal(err)
	}
	if err := run([]string{src, sub}, &bytes.Buffer{}); err != nil {
		t.Fatalf("cp into a directory: %v", err)
	}
	if got, err := os.ReadFile(filepath.Join(sub, "a")); err != nil || !bytes.Equal(got, data) {
		t.Errorf("cp into a directory: sub/a has %d bytes (%v), want the %d of a", len(got), err, len(data))
	}
	for _, same := range []string{src, filepath.Join(dir, ".", "a")} {
		err := run([]string{src, same}, &bytes.Buffer{})
		if err == nil || !strings.Contains(err.Error(), "are the same file") {
			t.Errorf("cp a %s: %v, want an error saying they are the same file", same, err)
		}
		if got, _ := os.ReadFile(src); !bytes.Equal(got, data) {
			t.Fatalf("cp a %s changed a: now %d bytes", same, len(got))
		}
	}
	if err := run([]string{src, os.DevNull}, &bytes.Buffer{}); err != nil {
		t.Errorf("cp to %s: %v", os.DevNull, err)
	}
}
