package uringos_test

import (
	"fmt"
	"io"
	"io/fs"
	"os"
	"path/filepath"

	"github.com/uringkit/uring/uringos"
)

// exampleDir makes a small directory for the examples.
func exampleDir() string {
	dir, err := os.MkdirTemp("", "uringos-example")
	if err != nil {
		panic(err)
	}
	os.WriteFile(filepath.Join(dir, "hello.txt"), []byte("hello, io_uring\n"), 0o644)
	os.Mkdir(filepath.Join(dir, "sub"), 0o755)
	os.WriteFile(filepath.Join(dir, "sub", "b.txt"), []byte("bb"), 0o644)
	return dir
}

func ExampleReadFile() {
	dir := exampleDir()
	defer os.RemoveAll(dir)

	data, err := uringos.ReadFile(filepath.Join(dir, "hello.txt"))
	fmt.Printf("%q %v\n", data, err)

	_, err = uringos.ReadFile(filepath.Join(dir, "missing"))
	fmt.Println(err == nil, os.IsNotExist(err))
	// Output:
	// "hello, io_uring\n" <nil>
	// false true
}

func ExampleOpen() {
	dir := exampleDir()
	defer os.RemoveAll(dir)

	f, err := uringos.Open(filepath.Join(dir, "hello.txt"))
	if err != nil {
		panic(err)
	}
	defer f.Close()
	buf := make([]byte, 5)
	n, err := f.ReadAt(buf, 7) // pread: the offset does not move
	fmt.Println(n, string(buf[:n]), err)
	rest, err := io.ReadAll(f) // Read from offset 0
	fmt.Printf("%q %v\n", rest, err)
	// Output:
	// 5 io_ur <nil>
	// "hello, io_uring\n" <nil>
}

func ExampleLstatAll() {
	dir := exampleDir()
	defer os.RemoveAll(dir)

	names := []string{
		filepath.Join(dir, "hello.txt"),
		filepath.Join(dir, "sub"),
		filepath.Join(dir, "missing"),
	}
	infos, errs := uringos.LstatAll(names) // one submission for all of them
	for i := range names {
		if errs[i] != nil {
			fmt.Println(filepath.Base(names[i]), os.IsNotExist(errs[i]))
			continue
		}
		fmt.Println(infos[i].Name(), infos[i].Mode().IsRegular(), infos[i].IsDir())
	}
	// Output:
	// hello.txt true false
	// sub false true
	// missing true
}

func ExampleDirFS() {
	dir := exampleDir()
	defer os.RemoveAll(dir)

	fsys := uringos.DirFS(dir)
	fs.WalkDir(fsys, ".", func(path string, d fs.DirEntry, err error) error {
		fmt.Println(path, d.IsDir())
		return err
	})
	b, err := fs.ReadFile(fsys, "sub/b.txt")
	fmt.Printf("%q %v\n", b, err)
	// Output:
	// . true
	// hello.txt false
	// sub true
	// sub/b.txt false
	// "bb" <nil>
}

func ExampleFallbackToOS() {
	// Call it early: from then on, where io_uring is unavailable, the
	// package-level functions use package os, and the program is told.
	uringos.FallbackToOS(func(why error) {
		fmt.Fprintln(os.Stderr, "using package os:", why)
	})
	s, err := uringos.Default()
	fmt.Println(err, s.Fallback() == nil) // io_uring works here
	// Output:
	// <nil> true
}
