package main

import (
	"context"
	"crypto/rand"
	"errors"
	"fmt"
	"io"
	"os"
	"path/filepath"
	"syscall"
	"time"
	"unsafe"

	"github.com/uringkit/uring/ring"
)

// The randread workload: -bs random reads (4 KiB by default, block
// aligned) from one file by -qd goroutines, each waiting for its read
// before it issues the next. Engines: "uring", every read a Request
// through the Loop (Submit, then Wait); "os", every read an
// os.File.ReadAt, what a Go program does today; "fio", fio's io_uring
// engine at iodepth -qd (workload_randread_fio.go; skipped without fio).
// -direct opens the file
// with O_DIRECT (device speed); without it the file is read into the page
// cache first, so the reads measure the per-read software cost. p50/p99
// are per read; threads is the process's OS thread count at the end (the
// os engine parks a thread per blocked read).
func init() { register(randreadWorkload{}) }

type randreadWorkload struct{}

// randreadFile is the default -file, created (1 GiB of random bytes) if
// missing. randreadSmall is the file of the no-flag table (256 MiB), so
// that creating and caching it fits the default run's time budget.
var (
	randreadFile  = filepath.Join(os.TempDir(), "uringbench", "randread-1g")
	randreadSmall = filepath.Join(os.TempDir(), "uringbench", "randread-256m")
)

func (randreadWorkload) Name() string { return "randread" }

func (randreadWorkload) Describe() string {
	return "random -bs reads from -file by -qd goroutines, each awaiting its read: Loop (uring) vs os.File.ReadAt (os) or fio's io_uring engine at iodepth -qd (fio, if installed)"
}

func (randreadWorkload) Engines() []string { return []string{"uring", "os", "fio"} }

func (randreadWorkload) Flags() []string {
	return []string{"qd", "direct", "bs", "duration", "file", "setup"}
}

// Defaults are the speed targets (item 11), 1 s per run from the
// page cache and 2 s per O_DIRECT run. The fio rows are skipped where fio
// is not installed.
//
// The O_DIRECT runs are longer because the virtio disk's reads/s move
// from one second to the next on both sides: in 12 interleaved pairs
// each, uring/fio at QD 32 had a standard deviation of 0.061 with 1 s
// runs and 0.036 with 2 s (2026-11-26 18:25 UTC). The page-cache rows
// drift over longer stretches, which a longer run does not average out
// (0.056 and 0.055), so they stay at 1 s.
func (randreadWorkload) Defaults() []Comparison {
	c := func(qd int, direct bool, baseline, note string) Comparison {
		d := time.Second
		if direct {
			d = 2 * time.Second
		}
		return Comparison{Params: Params{QD: qd, Direct: direct, BS: 4096, File: randreadSmall, Duration: d, Setup: "none"},
			Uring: "uring", Baseline: baseline, Note: note}
	}
	return []Comparison{
		c(1, false, "os", "target: p50 <= 1.6x os"),
		c(32, false, "os", "target >= 0.8x"),
		oneRing(c(32, false, "os", "one ring, for comparison: WithRings(1)")),
		c(32, true, "os", "target >= 1.8x"),
		c(128, true, "os", "target >= 2.2x"),
		c(32, true, "fio", "target >= 0.9x fio"),
		c(128, true, "fio", "target >= 0.9x fio"),
	}
}

// oneRing is c on a Loop with one ring (ring.WithRings(1)). The default
// Loop spreads over GOMAXPROCS rings while its home ring's enters are
// saturated: cached reads complete inside io_uring_enter, on the
// entering thread and under the ring's uring_lock, so one ring copies on
// one core at a time. This row shows what spreading gains
// (docs/heuristics.md, section 5).
func oneRing(c Comparison) Comparison {
	c.Params.Setup = "rings=1"
	return c
}

func (randreadWorkload) Run(engine string, p Params) (Result, error) {
	p = Params{QD: orDefault(p.QD, 32), Direct: p.Direct, BS: orDefault(p.BS, 4096),
		Duration: orDefault(p.Duration, 2*time.Second), File: orDefault(p.File, randreadFile), Setup: orDefault(p.Setup, "none")}
	if p.QD < 1 || p.BS < 512 || p.BS%512 != 0 {
		return Result{Params: p}, errors.New("randread needs -qd >= 1 and -bs a multiple of 512")
	}
	size := int64(1 << 30)
	if p.File == randreadSmall {
		size = 256 << 20
	}
	f, blocks, err := openRandread(p.File, size, p.BS, p.Direct)
	if err != nil {
		return Result{Params: p}, err
	}
	defer f.Close()
	bufs := make([][]byte, p.QD)
	rngs := make([]uint64, p.QD)
	for i := range bufs {
		bufs[i] = alignedBuf(p.BS)
		rngs[i] = uint64(i)*0x9E3779B97F4A7C15 + 1
	}
	// next returns worker w's next block offset (xorshift64*).
	next := func(w int) int64 {
		x := rngs[w]
		x ^= x >> 12
		x ^= x << 25
		x ^= x >> 27
		rngs[w] = x
		return int64((x*2685821657736338717)%uint64(blocks)) * int64(p.BS)
	}
	var res Result
	switch engine {
	case "os":
		res, err = closedLoop(p.QD, 0, p.Duration, true, func(w int) error {
			n, err := f.ReadAt(bufs[w], next(w))
			if err != nil || n != p.BS {
				return fmt.Errorf("ReadAt: %d bytes, %v", n, err)
			}
			return nil
		})
	case "uring":
		res, err = randreadUring(f, p, bufs, next)
	case "fio":
		res, err = randreadFio(p)
	default:
		return Result{Params: p}, fmt.Errorf("randread: unknown engine %q", engine)
	}
	res.Params = p
	return res, err
}

func randreadUring(f *os.File, p Params, bufs [][]byte, next func(int) int64) (Result, error) {
	opts, n, err := loopOptions(p.Setup)
	if err != nil {
		return Result{}, err
	}
	// The Loop as NewLoop makes it (256 SQ entries per ring, a CQ of
	// 1024) has room for every goroutine's read up to -qd 256; deeper
	// runs get an SQ of -qd entries. A smaller SQ also caps the batch the
	// Loop lets form (a quarter of the SQ, flushNow): 32 entries made
	// cached reads at QD 32 take 1.9 SQEs per enter instead of 2.2, and
	// 5% fewer reads per second (docs/heuristics.md, sections 2 and 8).
	if p.QD > 256 {
		entries := uint32(min(p.QD, 1024))
		opts = append(opts, ring.WithEntries(entries), ring.WithLoopCQSize(max(4*entries, uint32(2*p.QD))))
	}
	ls, err := newLoops(n, opts...)
	if err != nil {
		return Result{}, err
	}
	defer ls.Close()
	fd := int32(f.Fd())
	ctx := context.Background()
	reqs := make([]*ring.Request, p.QD)
	for i := range reqs {
		reqs[i] = ring.NewRequest()
	}
	res, err := closedLoop(p.QD, 0, p.Duration, true, func(w int) error {
		r, buf := reqs[w], bufs[w]
		r.SQE.PrepRW(ring.OpRead, fd, uint64(uintptr(unsafe.Pointer(unsafe.SliceData(buf)))), uint32(len(buf)), uint64(next(w)))
		r.Buf = buf // kept reachable until the CQE
		if err := ls[w%len(ls)].Submit(ctx, r); err != nil {
			return err
		}
		c, err := r.Wait(ctx)
		if err != nil {
			return err
		}
		if c.Res != int32(len(buf)) {
			if c.Res < 0 {
				return fmt.Errorf("read: %w", syscall.Errno(-c.Res))
			}
			return fmt.Errorf("short read: %d bytes", c.Res)
		}
		return nil
	})
	res.Note = ls.note()
	return res, err
}

// openRandread opens (creating it if missing) the data file and returns
// it with its number of bs blocks. Without O_DIRECT it reads the whole
// file once, so the measured reads hit the page cache.
func openRandread(path string, size int64, bs int, direct bool) (*os.File, int64, error) {
	st, err := os.Stat(path)
	if errors.Is(err, os.ErrNotExist) {
		if err := createRandread(path, size); err != nil {
			return nil, 0, err
		}
		st, err = os.Stat(path)
	}
	if err != nil {
		return nil, 0, err
	}
	blocks := st.Size() / int64(bs)
	if blocks < 1 {
		return nil, 0, fmt.Errorf("%s is smaller than one %d-byte block", path, bs)
	}
	flags := os.O_RDONLY
	if direct {
		flags |= oDirect
	}
	f, err := os.OpenFile(path, flags, 0)
	if err != nil {
		return nil, 0, err
	}
	if !direct {
		buf := make([]byte, 1<<20)
		for off := int64(0); off < st.Size(); off += int64(len(buf)) {
			if _, err := f.ReadAt(buf, off); err != nil && err != io.EOF {
				f.Close()
				return nil, 0, err
			}
		}
	}
	return f, blocks, nil
}

// createRandread writes size random bytes (not fallocate: unwritten
// extents would not reach the device, ../shared/bench/README.md).
func createRandread(path string, size int64) error {
	if err := os.MkdirAll(filepath.Dir(path), 0o755); err != nil {
		return err
	}
	tmp := path + ".tmp"
	f, err := os.Create(tmp)
	if err != nil {
		return err
	}
	buf := make([]byte, 4<<20)
	for off := int64(0); off < size; off += int64(len(buf)) {
		if _, err := rand.Read(buf); err != nil {
			f.Close()
			return err
		}
		if _, err := f.Write(buf[:min(int64(len(buf)), size-off)]); err != nil {
			f.Close()
			return err
		}
	}
	if err := f.Close(); err != nil {
		return err
	}
	return os.Rename(tmp, path)
}

// alignedBuf returns n bytes on the heap aligned to 4096, as O_DIRECT
// needs.
func alignedBuf(n int) []byte {
	b := make([]byte, n+4096)
	off := (4096 - int(uintptr(unsafe.Pointer(unsafe.SliceData(b)))&4095)) & 4095
	return b[off : off+n : off+n]
}
