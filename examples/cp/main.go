// Command cp copies a file through io_uring: a pipeline of linked
// two-step chains, -qd of them in flight, each moving one -bs block to the
// same offset, then fsync. It draws a progress bar when stdout is a
// terminal.
//
// The chains are, by default, IORING_OP_SPLICE from SRC into a pipe |
// IOSQE_IO_LINK, then IORING_OP_SPLICE from the pipe into DST: the pipe
// takes references to SRC's page-cache pages and the second splice copies
// them into DST's, one copy of the data. With -splice=false they are
// IORING_OP_READ_FIXED | IOSQE_IO_LINK, then IORING_OP_WRITE_FIXED, on one
// registered buffer each: two copies. DST's blocks are allocated first
// (IORING_OP_FALLOCATE, FALLOC_FL_KEEP_SIZE).
//
// The fsync at the end makes the copy durable, which coreutils cp does
// not do. So that it finds little left to write, cp starts writeback of
// every -wb bytes copied while the copy goes on
// (IORING_OP_SYNC_FILE_RANGE with SYNC_FILE_RANGE_WRITE, which queues the
// dirty pages for the disk without waiting for them): the disk writes
// while the next bytes are copied. -fsync=false skips both, leaving the
// copy in the page cache like coreutils cp (see README.md for numbers).
//
//	go run ./examples/cp SRC DST
package main

import (
	"errors"
	"flag"
	"fmt"
	"io"
	"os"
	"strings"
	"time"

	"github.com/uringkit/uring/ring"
)

func main() {
	if err := run(os.Args[1:], os.Stdout); err != nil {
		fmt.Fprintln(os.Stderr, "cp:", err)
		os.Exit(1)
	}
}

// options are cp's flags.
type options struct {
	bs, qd    int                     // bytes per chain, chains in flight
	splice    bool                    // splice chains through pipes instead of read/write on registered buffers
	prealloc  bool                    // fallocate DST before the copy
	fsync     bool                    // fsync the copy at the end
	writeback int64                   // start writeback every writeback bytes (0: never)
	bar       func(done, total int64) // progress, or nil
}

func run(args []string, stdout io.Writer) error {
	fs := flag.NewFlagSet("cp", flag.ContinueOnError)
	bs := fs.Int("bs", 1<<20, "bytes per chain (one registered buffer or pipe each)")
	qd := fs.Int("qd", 8, "chains in flight")
	splice := fs.Bool("splice", true, "copy with splice chains through pipes (one copy of the data); false: read/write chains on registered buffers (two)")
	prealloc := fs.Bool("prealloc", true, "fallocate DST's blocks before the copy (FALLOC_FL_KEEP_SIZE)")
	fsync := fs.Bool("fsync", true, "fsync the copy at the end (false: leave it in the page cache, like coreutils cp)")
	wb := fs.Int64("wb", 4<<20, "with -fsync, start writeback of every this many bytes copied (SYNC_FILE_RANGE_WRITE); 0: only the final fsync")
	progress := fs.Bool("progress", isTerminal(stdout), "draw a progress bar (default: when stdout is a terminal)")
	if err := fs.Parse(args); err != nil {
		return err
	}
	if fs.NArg() != 2 {
		return errors.New("usage: cp [-bs N] [-qd N] [-splice=false] [-fsync=false] [-wb N] SRC DST")
	}
	if *bs < 4096 || *bs > 1<<30 || *qd < 1 || *qd > 1024 {
		return errors.New("need 4096 <= -bs <= 1 GiB and 1 <= -qd <= 1024")
	}
	if *wb < 0 || *wb > 1<<30 {
		return errors.New("need 0 <= -wb <= 1 GiB")
	}
	o := options{bs: *bs, qd: *qd, splice: *splice, prealloc: *prealloc, fsync: *fsync, writeback: *wb}
	if !o.fsync {
		o.writeback = 0
	}
	// A Loop of our own: registered buffers belong to one ring, and the
	// default Loop is shared with the rest of the program.
	loop, err := ring.NewLoop(ring.WithEntries(uint32(2*(*qd) + 2)))
	if err != nil {
		return err
	}
	defer loop.Close()
	if *progress {
		o.bar = progressBar(stdout)
	}
	return copyFile(loop, fs.Arg(0), fs.Arg(1), o)
}

// isTerminal reports whether w is a character device (a terminal).
func isTerminal(w io.Writer) bool {
	f, ok := w.(*os.File)
	if !ok {
		return false
	}
	fi, err := f.Stat()
	return err == nil && fi.Mode()&os.ModeCharDevice != 0
}

// progressBar returns a function that redraws a bar on w, at most ten
// times a second, and ends the line at 100% (once: later calls print
// nothing).
func progressBar(w io.Writer) func(done, total int64) {
	start := time.Now()
	var last time.Time
	ended := false
	return func(done, total int64) {
		now := time.Now()
		if ended || done < total && now.Sub(last) < 100*time.Millisecond {
			return
		}
		last = now
		frac := 1.0
		if total > 0 {
			frac = float64(done) / float64(total)
		}
		const width = 40
		fill := int(frac * width)
		rate := float64(done) / max(now.Sub(start).Seconds(), 1e-9) / (1 << 20)
		fmt.Fprintf(w, "\r[%s%s] %3.0f%% %d/%d MiB %.0f MiB/s", strings.Repeat("=", fill), strings.Repeat(" ", width-fill),
			frac*100, done>>20, total>>20, rate)
		if done >= total {
			fmt.Fprintln(w)
			ended = true
		}
	}
}
