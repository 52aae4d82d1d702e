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
// exact multiples, ragged) and block/queue settings, and checks that each
// copy is byte-identical with the source's permissions.
func TestCopy(t *testing.T) {
	dir := t.TempDir()
	rng := rand.New(rand.NewPCG(1, 2))
	for _, c := range []struct {
		size   int
		bs, qd string
	}{
		{0, "4096", "4"}, {1, "4096", "4"}, {4096, "4096", "4"}, {3*4096 + 17, "4096", "2"},
		{5<<20 + 123, "1048576", "8"}, {64 << 10, "4096", "1"}, {1 << 20, "65536", "64"},
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
		os.Remove(dst)
		var out bytes.Buffer
		if err := run([]string{"-bs", c.bs, "-qd", c.qd, src, dst}, &out); err != nil {
			t.Fatalf("size %d bs %s qd %s: %v", c.size, c.bs, c.qd, err)
		}
		got, err := os.ReadFile(dst)
		if err != nil || !bytes.Equal(got, data) {
			t.Fatalf("size %d bs %s qd %s: copy differs (%d bytes, %v)", c.size, c.bs, c.qd, len(got), err)
		}
		if fi, _ := os.Stat(dst); fi.Mode().Perm() != 0o640 {
			t.Errorf("size %d: dst mode %v, want 0640", c.size, fi.Mode())
		}
		if out.Len() != 0 {
			t.Errorf("printed %q to a non-terminal", out.String())
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
	if s := out.String(); !strings.Contains(s, "100%") || !strings.HasSuffix(s, "\n") {
		t.Errorf("progress output %q does not end at 100%%", s)
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
