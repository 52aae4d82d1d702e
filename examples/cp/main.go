// Command cp copies a file through io_uring: a pipeline of linked
// read-then-write chains (IORING_OP_READ_FIXED | IOSQE_IO_LINK, then
// IORING_OP_WRITE_FIXED) on registered buffers, -qd of them in flight,
// then fsync. It draws a progress bar when stdout is a terminal.
//
//	go run ./examples/cp SRC DST
package main

import (
	"context"
	"errors"
	"flag"
	"fmt"
	"io"
	"os"
	"strings"
	"time"

	"github.com/uringkit/uring/chain"
	"github.com/uringkit/uring/future"
	"github.com/uringkit/uring/ring"
	"github.com/uringkit/uring/uringos"
)

func main() {
	if err := run(os.Args[1:], os.Stdout); err != nil {
		fmt.Fprintln(os.Stderr, "cp:", err)
		os.Exit(1)
	}
}

func run(args []string, stdout io.Writer) error {
	fs := flag.NewFlagSet("cp", flag.ContinueOnError)
	bs := fs.Int("bs", 256<<10, "bytes per read/write chain (one registered buffer each)")
	qd := fs.Int("qd", 16, "chains in flight")
	progress := fs.Bool("progress", isTerminal(stdout), "draw a progress bar (default: when stdout is a terminal)")
	if err := fs.Parse(args); err != nil {
		return err
	}
	if fs.NArg() != 2 {
		return errors.New("usage: cp [-bs N] [-qd N] SRC DST")
	}
	if *bs < 4096 || *bs > 1<<30 || *qd < 1 || *qd > 1024 {
		return errors.New("need 4096 <= -bs <= 1 GiB and 1 <= -qd <= 1024")
	}
	// A Loop of our own: registered buffers belong to one ring, and the
	// default Loop is shared with the rest of the program.
	loop, err := ring.NewLoop(ring.WithEntries(uint32(max(2*(*qd), 8))))
	if err != nil {
		return err
	}
	defer loop.Close()
	var bar func(done, total int64)
	if *progress {
		bar = progressBar(stdout)
	}
	return copyFile(loop, fs.Arg(0), fs.Arg(1), *bs, *qd, bar)
}

// block is one buffer's share of the pipeline: the chain copying
// [off, off+n) through registered buffer idx.
type block struct {
	idx   uint16
	off   int64
	n     int
	read  chain.Step[int]
	write chain.Step[int]
	c     *chain.Chain
}

func copyFile(loop *ring.Loop, srcName, dstName string, bs, qd int, bar func(done, total int64)) error {
	sys := uringos.On(loop)
	src, err := sys.Open(srcName)
	if err != nil {
		return err
	}
	defer src.Close()
	info, err := src.Stat()
	if err != nil {
		return err
	}
	if !info.Mode().IsRegular() {
		return fmt.Errorf("%s is not a regular file", srcName)
	}
	dst, err := sys.OpenFile(dstName, os.O_WRONLY|os.O_CREATE|os.O_TRUNC, info.Mode().Perm())
	if err != nil {
		return err
	}
	defer dst.Close()
	size := info.Size()
	qd = int(min(int64(qd), (size+int64(bs)-1)/int64(bs)))

	// The registered buffers: pinned by the kernel once, so each read and
	// write skips the per-op page mapping (IORING_REGISTER_BUFFERS).
	bufs := make([][]byte, max(qd, 1))
	for i := range bufs {
		bufs[i] = make([]byte, bs)
	}
	if err := loop.Do(func(r *ring.Ring) error { return r.RegisterBuffers(bufs) }); err != nil {
		return fmt.Errorf("registering buffers: %w", err)
	}
	// Every chain has finished when copyFile returns (drain on errors).
	defer loop.Do(func(r *ring.Ring) error { return r.UnregisterBuffers() })
	ctx := context.Background()
	sfd, dfd := int(src.Fd()), int(dst.Fd())

	// start submits the chain for [off, off+n) on buffer b.
	start := func(b *block, off int64, n int) error {
		b.off, b.n = off, n
		buf := bufs[b.idx][:n]
		b.c = chain.New()
		b.read = chain.Add(b.c, future.Read(sfd, buf, off).FixedBuffer(b.idx))
		b.write = chain.Add(b.c, future.Write(dfd, buf, off).FixedBuffer(b.idx))
		return b.c.Submit(ctx, loop)
	}
	// finish waits for b's chain. A short read (the file shrank, or a
	// signal) breaks the link and cancels the write: then the part read
	// is written and the rest copied one op at a time.
	finish := func(b *block) (int64, error) {
		w, werr := b.write.Await(ctx)
		if werr == nil && w == b.n {
			return int64(w), nil
		}
		r, rerr := b.read.Await(ctx)
		if rerr != nil {
			return 0, &os.PathError{Op: "read", Path: srcName, Err: rerr}
		}
		if werr != nil && !errors.Is(werr, ring.ErrClosed) && !isCancelled(werr) {
			return 0, &os.PathError{Op: "write", Path: dstName, Err: werr}
		}
		return copyRest(ctx, loop, sfd, dfd, bufs[b.idx], b.off, r, b.n, srcName, dstName)
	}

	blocks := make([]block, qd)
	var next, done int64
	for i := range blocks {
		blocks[i].idx = uint16(i)
		n := int(min(int64(bs), size-next))
		if err := start(&blocks[i], next, n); err != nil {
			return err
		}
		next += int64(n)
	}
	for i := 0; done < size; i = (i + 1) % qd {
		b := &blocks[i]
		k, err := finish(b)
		if err != nil {
			drain(blocks, i, qd)
			return err
		}
		done += k
		if bar != nil {
			bar(done, size)
		}
		if next < size {
			n := int(min(int64(bs), size-next))
			if err := start(b, next, n); err != nil {
				drain(blocks, i+1, qd)
				return err
			}
			next += int64(n)
		} else {
			b.c = nil
		}
	}
	if bar != nil {
		bar(size, size)
	}
	if _, err := future.Fsync(dfd).Await(ctx, loop); err != nil {
		return &os.PathError{Op: "sync", Path: dstName, Err: err}
	}
	return dst.Close()
}

// drain waits for the chains still in flight after an error, so their
// buffers are not in use when the Loop closes.
func drain(blocks []block, from, qd int) {
	for j := range qd {
		if b := &blocks[(from+j)%qd]; b.c != nil {
			b.c.Wait(context.Background())
			b.c = nil
		}
	}
}

func isCancelled(err error) bool {
	var ce *chain.CancelledError
	return errors.As(err, &ce)
}

// copyRest writes buf[:got] at off and copies the rest of [off, off+n)
// one read and one write at a time.
func copyRest(ctx context.Context, loop *ring.Loop, sfd, dfd int, buf []byte, off int64, got, n int, srcName, dstName string) (int64, error) {
	total := int64(0)
	for {
		for w := 0; w < got; {
			k, err := future.Write(dfd, buf[w:got], off+int64(w)).Await(ctx, loop)
			if err != nil {
				return total, &os.PathError{Op: "write", Path: dstName, Err: err}
			}
			w += k
		}
		total += int64(got)
		off += int64(got)
		n -= got
		if n == 0 {
			return total, nil
		}
		k, err := future.Read(sfd, buf[:n], off).Await(ctx, loop)
		if err != nil {
			return total, &os.PathError{Op: "read", Path: srcName, Err: err}
		}
		if k == 0 {
			return total, fmt.Errorf("%s: shrank while being copied", srcName)
		}
		got = k
	}
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
// times a second, and ends the line at 100%.
func progressBar(w io.Writer) func(done, total int64) {
	start := time.Now()
	var last time.Time
	return func(done, total int64) {
		now := time.Now()
		if done < total && now.Sub(last) < 100*time.Millisecond {
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
		}
	}
}
