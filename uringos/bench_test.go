package uringos_test

import (
	"fmt"
	"os"
	"path/filepath"
	"testing"

	"github.com/uringkit/uring/uringos"
)

// Benchmarks of the hot paths, each beside the os call it replaces:
//
//	go test -run '^$' -bench . -benchmem ./uringos
//
// On a shared machine the numbers move with the neighbours' load; compare
// the pairs from one run.

func benchFiles(b *testing.B, n, size int) []string {
	b.Helper()
	dir := b.TempDir()
	names := make([]string, n)
	for i := range names {
		names[i] = filepath.Join(dir, fmt.Sprintf("f%04d", i))
		if err := os.WriteFile(names[i], make([]byte, size), 0o644); err != nil {
			b.Fatal(err)
		}
	}
	return names
}

func BenchmarkLstat(b *testing.B) {
	names := benchFiles(b, 1000, 0)
	b.Run("uringos.LstatAll", func(b *testing.B) {
		b.ReportAllocs()
		for b.Loop() {
			if _, errs := uringos.LstatAll(names); errs[0] != nil {
				b.Fatal(errs[0])
			}
		}
		b.ReportMetric(float64(b.Elapsed().Nanoseconds())/float64(b.N*len(names)), "ns/stat")
	})
	b.Run("os.Lstat", func(b *testing.B) {
		b.ReportAllocs()
		for b.Loop() {
			for _, n := range names {
				if _, err := os.Lstat(n); err != nil {
					b.Fatal(err)
				}
			}
		}
		b.ReportMetric(float64(b.Elapsed().Nanoseconds())/float64(b.N*len(names)), "ns/stat")
	})
}

func BenchmarkReadFile(b *testing.B) {
	names := benchFiles(b, 64, 16<<10)
	b.Run("uringos.ReadFile", func(b *testing.B) {
		b.ReportAllocs()
		for b.Loop() {
			if _, err := uringos.ReadFile(names[0]); err != nil {
				b.Fatal(err)
			}
		}
	})
	b.Run("uringos.ReadFiles/64", func(b *testing.B) {
		b.ReportAllocs()
		for b.Loop() {
			if _, errs := uringos.ReadFiles(names); errs[0] != nil {
				b.Fatal(errs[0])
			}
		}
	})
	b.Run("os.ReadFile", func(b *testing.B) {
		b.ReportAllocs()
		for b.Loop() {
			if _, err := os.ReadFile(names[0]); err != nil {
				b.Fatal(err)
			}
		}
	})
	b.Run("os.ReadFile/64", func(b *testing.B) {
		b.ReportAllocs()
		for b.Loop() {
			for _, n := range names {
				if _, err := os.ReadFile(n); err != nil {
					b.Fatal(err)
				}
			}
		}
	})
}

func BenchmarkReadAt(b *testing.B) {
	names := benchFiles(b, 1, 8<<20)
	buf := make([]byte, 8<<20)
	uf, err := uringos.Open(names[0])
	if err != nil {
		b.Fatal(err)
	}
	defer uf.Close()
	of, err := os.Open(names[0])
	if err != nil {
		b.Fatal(err)
	}
	defer of.Close()
	for _, c := range []struct {
		name string
		f    interface {
			ReadAt([]byte, int64) (int, error)
		}
	}{{"uringos/8MiB", uf}, {"os/8MiB", of}} {
		b.Run(c.name, func(b *testing.B) {
			b.SetBytes(int64(len(buf)))
			b.ReportAllocs()
			for b.Loop() {
				if n, err := c.f.ReadAt(buf, 0); n != len(buf) || err != nil {
					b.Fatal(n, err)
				}
			}
		})
	}
}
