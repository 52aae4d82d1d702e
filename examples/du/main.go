// Command du prints the apparent size in bytes of each argument's tree,
// like du -sb: every file, directory and symbolic link counted once (hard
// links once per inode), symbolic links not followed. It walks a level of
// the tree at a time: the directories of a level are opened together
// (uringos.OpenAll), listed (getdents64), and every entry of the next
// level is statted in batched IORING_OP_STATX submissions
// (uringos.LstatAll) instead of one lstat system call each.
//
//	go run ./examples/du DIR...
package main

import (
	"fmt"
	"io"
	"os"
	"syscall"

	"github.com/uringkit/uring/uringos"
)

func main() {
	os.Exit(run(os.Args[1:], os.Stdout, os.Stderr))
}

func run(args []string, stdout, stderr io.Writer) int {
	uringos.FallbackToOS(func(why error) { fmt.Fprintf(stderr, "du: using package os: %v\n", why) })
	if len(args) == 0 {
		args = []string{"."}
	}
	status := 0
	for _, root := range args {
		total, errs := du(root)
		for _, err := range errs {
			fmt.Fprintln(stderr, "du:", err)
			status = 1
		}
		if total >= 0 {
			fmt.Fprintf(stdout, "%d\t%s\n", total, root)
		}
	}
	return status
}

// du returns the apparent size of the tree at root (-1 if root itself
// cannot be statted) and the errors met on the way.
func du(root string) (int64, []error) {
	seen := map[uringos.FileID]bool{}
	var total int64
	var errs []error
	level := []string{root}
	for first := true; len(level) > 0; first = false {
		infos, lerrs := uringos.LstatAll(level)
		var dirs []string
		for i, fi := range infos {
			if lerrs[i] != nil {
				if first {
					return -1, []error{lerrs[i]}
				}
				errs = append(errs, lerrs[i])
				continue
			}
			if id, ok := uringos.FileIDOf(fi); ok {
				if seen[id] {
					continue // another hard link to a file already counted
				}
				seen[id] = true
			}
			total += fi.Size()
			if fi.IsDir() {
				dirs = append(dirs, level[i])
			}
		}
		var next []string
		next, errs = list(dirs, next, errs)
		level = next
	}
	return total, errs
}

// list appends the paths of the entries of dirs to next: the directories
// are opened in one submission, then read with getdents64.
func list(dirs, next []string, errs []error) ([]string, []error) {
	files, oerrs := uringos.OpenAll(dirs, os.O_RDONLY|syscall.O_DIRECTORY, 0)
	for i, f := range files {
		if oerrs[i] != nil {
			errs = append(errs, oerrs[i])
			continue
		}
		names, err := f.Readdirnames(-1)
		if err != nil {
			errs = append(errs, err)
		}
		sep := "/"
		if d := dirs[i]; d != "" && d[len(d)-1] == '/' {
			sep = ""
		}
		for _, n := range names {
			next = append(next, dirs[i]+sep+n)
		}
		f.Close()
	}
	return next, errs
}
