// Command cat prints files through io_uring: each file is read with
// pipelined IORING_OP_READs (uringos.File.WriteTo reads the next piece
// while the last is written) and written to stdout with IORING_OP_WRITE,
// all on the default Loop. With no files, or "-", it copies stdin. Where
// io_uring is unavailable (seccomp, kernel.io_uring_disabled) it says so
// and uses package os.
//
//	go run ./examples/cat FILE...
package main

import (
	"errors"
	"fmt"
	"io"
	"os"
	"syscall"

	"github.com/uringkit/uring/uringos"
)

func main() {
	os.Exit(run(os.Args[1:], os.Stdin, os.Stdout, os.Stderr))
}

// run cats args to stdout and returns the exit status: 1 if any file
// could not be printed, as cat does.
func run(args []string, stdin, stdout, stderr *os.File) int {
	uringos.FallbackToOS(func(why error) {
		fmt.Fprintf(stderr, "cat: using package os: %v\n", why)
	})
	// Dup the descriptors: the uringos Files own (and close) theirs.
	out, err := adopt(stdout, "/dev/stdout")
	if err != nil {
		fmt.Fprintln(stderr, "cat:", err)
		return 1
	}
	defer out.Close()
	if len(args) == 0 {
		args = []string{"-"}
	}
	status := 0
	for _, name := range args {
		if err := catOne(out, name, stdin); err != nil {
			if errors.Is(err, syscall.EPIPE) {
				return 1 // the reader went away: stop quietly, as cat does on SIGPIPE
			}
			fmt.Fprintln(stderr, "cat:", err)
			status = 1
		}
	}
	return status
}

func catOne(out *uringos.File, name string, stdin *os.File) error {
	var in *uringos.File
	var err error
	if name == "-" {
		in, err = adopt(stdin, "/dev/stdin")
	} else {
		in, err = uringos.Open(name)
	}
	if err != nil {
		return err
	}
	defer in.Close()
	_, err = io.Copy(out, in) // in.WriteTo(out): pipelined reads, writes on the ring
	return err
}

// adopt returns a uringos File on a duplicate of f's descriptor.
func adopt(f *os.File, name string) (*uringos.File, error) {
	fd, err := syscall.Dup(int(f.Fd()))
	if err != nil {
		return nil, &os.PathError{Op: "dup", Path: name, Err: err}
	}
	syscall.CloseOnExec(fd)
	u := uringos.NewFile(uintptr(fd), name)
	if u == nil {
		syscall.Close(fd)
		_, err := uringos.Default()
		return nil, err
	}
	return u, nil
}
