package uringos_test

import (
	"fmt"
	"os"
	"path/filepath"
	"testing"
	"testing/iotest"
)

// TestFilePassesIOTest runs the standard library's reader conformance
// check, testing/iotest.TestReader, on uringos Files: Read, ReadAt and
// Seek in every combination it tries, against the file's content. Small
// sizes on every Loop configuration; on the default one (without -race)
// also one beyond ChunkSize (reads larger than one op are split and
// pipelined).
// iotest makes tens of thousands of small calls per MiB, and an owner-mode
// Loop pays a thread hand-off per call (docs/heuristics.md section 1).
func TestFilePassesIOTest(t *testing.T) {
	dir := t.TempDir()
	for name, s := range loops(t) {
		sizes := []int{0, 1, 4095, 4096, 9000}
		if name == "default" && !raceEnabled {
			sizes = append(sizes, 1<<20+7)
		}
		for _, size := range sizes {
			t.Run(fmt.Sprintf("%s/%d", name, size), func(t *testing.T) {
				content := pattern(size, uint64(size))
				path := filepath.Join(dir, fmt.Sprintf("f%d", size))
				if err := os.WriteFile(path, content, 0o644); err != nil {
					t.Fatal(err)
				}
				f, err := s.Open(path)
				if err != nil {
					t.Fatal(err)
				}
				defer f.Close()
				if err := iotest.TestReader(f, content); err != nil {
					t.Error(err)
				}
			})
		}
	}
}
