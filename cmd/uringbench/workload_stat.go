package main

import (
	"errors"
	"fmt"
	"os"
	"path/filepath"
	"runtime"
	"strconv"
	"strings"
	"sync"
	"syscall"
	"time"

	"github.com/uringkit/uring/ring"
	"github.com/uringkit/uring/uringos"
)

// The stat workload: lstat of 10,000 files. The uring engine hands the
// kernel -batch paths at a time with uringos.LstatAll (one IORING_OP_STATX
// SQE per path on uringos's stat rings, relative to the opened parent
// directory, the kernel running them on its io-wq workers); the
// baselines call os.Lstat for each path, from one goroutine ("os") or
// from -goroutines goroutines ("os-parallel", default GOMAXPROCS). A run
// also prints the CPU time per stat over the measured section, workers
// included, and how many cores that was (docs/design.md, Measured
// limits). -ops stats are made in passes over the same files, so the
// dentries are cached on every side alike. Every result is checked (a
// regular file of size 0).
//
// Warm (the default): every side first stats the 10,000 files once,
// untimed (the uring side's stat threads, rings and io-wq workers then
// exist, and both heaps have grown), and then -ops stats are timed.
// Cold (-setup cold): nothing before the timed stats, and the uring
// side makes its Loop on the clock: with -ops 10000, a program's first
// batch of 10,000 files against its first 10,000 os.Lstat calls.
func init() { register(statWorkload{}) }

type statWorkload struct{}

// statFiles is how many files the tree holds: the 10,000.
const statFiles = 10_000

// statPasses is how many timed batches of the 10,000 files a warm run
// makes (-ops 200000: about 0.3 s a side here). It was 5: uringos's side
// allocates a batch's FileInfos and paths together (about 4 MB per
// 10,000 names, all live until the call returns), so its heap grows over
// its first few calls, and the workers writing statx results into fresh
// pages fault them in: a run of the warm-up pass and 5 batches took
// 5,600-6,000 page faults (os.Lstat's 1,800), later batches 14 per 1,000
// stats (os.Lstat's 3), and CPU per stat was 2.64 µs over 5 batches
// against 2.19 over 50 (os.Lstat 2.10 and 2.09; medians of 5 runs,
// 2026-11-26 01:31 UTC, load 5.5). 20 batches measure the steady state
// of a program that stats many files; the cold rows measure a first
// batch, growth included.
const statPasses = 20

func (statWorkload) Name() string { return "stat" }

func (statWorkload) Describe() string {
	return "lstat of 10,000 files: uringos.LstatAll (-batch paths per submission) vs os.Lstat from 1 and from -goroutines goroutines; warm (after an untimed pass), or a process's first batch with -setup cold"
}

// Engines: "ring" is the same batched statx on a raw ring.Ring with full
// paths and nothing else (no parent directories, no FileInfo), to show
// what uringos adds.
func (statWorkload) Engines() []string { return []string{"uring", "ring", "os", "os-parallel"} }

func (statWorkload) Flags() []string { return []string{"batch", "ops", "goroutines", "setup"} }

// Defaults are the two comparisons, against one goroutine
// (target 2x) and against GOMAXPROCS goroutines (target 1x), warm
// (statPasses batches of 10,000 after an untimed one) and cold (a
// process's first batch of 10,000).
func (statWorkload) Defaults() []Comparison {
	p := Params{Batch: statFiles, Ops: statPasses * statFiles, Goroutines: 1, Setup: "none"}
	par := p
	par.Goroutines = runtime.GOMAXPROCS(0)
	cold := Params{Batch: statFiles, Ops: statFiles, Goroutines: 1, Setup: "cold"}
	coldPar := cold
	coldPar.Goroutines = runtime.GOMAXPROCS(0)
	return []Comparison{
		{Params: p, Uring: "uring", Baseline: "os", Note: "target >= 2x"},
		{Params: par, Uring: "uring", Baseline: "os-parallel", Note: "target >= 1x"},
		{Params: cold, Uring: "uring", Baseline: "os", Note: "first batch"},
		{Params: coldPar, Uring: "uring", Baseline: "os-parallel", Note: "first batch"},
	}
}

func (statWorkload) Run(engine string, p Params) (Result, error) {
	p = Params{Batch: orDefault(p.Batch, statFiles), Ops: orDefault(p.Ops, int64(statPasses*statFiles)),
		Goroutines: orDefault(p.Goroutines, runtime.GOMAXPROCS(0)), Setup: orDefault(p.Setup, "none")}
	if engine != "os-parallel" {
		p.Goroutines = 1
	}
	if p.Batch < 1 || p.Ops < 1 || p.Goroutines < 1 {
		return Result{Params: p}, fmt.Errorf("stat needs -batch, -ops and -goroutines >= 1")
	}
	paths, err := statTree()
	if err != nil {
		return Result{Params: p}, err
	}
	// names yields the paths of stats [from, to) of the run, in passes.
	names := func(from, to int64, dst []string) []string {
		for i := from; i < to; i++ {
			dst = append(dst, paths[i%int64(len(paths))])
		}
		return dst
	}
	check := func(size int64, mode os.FileMode, err error) error {
		if err != nil {
			return err
		}
		if size != 0 || !mode.IsRegular() {
			return fmt.Errorf("lstat gave size %d mode %v, want an empty regular file", size, mode)
		}
		return nil
	}
	// Warm (the default): each side first stats the files once, untimed,
	// then the clock starts. Cold ("-setup cold"): no pass before, and
	// the uring side also starts its Loop on the clock.
	setup, cold := statCold(p.Setup)
	var res Result
	// The CPU time is counted from the start of the measured section
	// (before, it included the Loop's setup and the uring side's warm-up).
	var cpu0 time.Duration
	start := func() *Meter {
		cpu0 = processCPU()
		return startMeter()
	}
	switch engine {
	case "uring":
		flags, err := parseSetup(setup)
		if err != nil {
			return Result{Params: p}, err
		}
		// Cold: the clock starts before the Loop is made, so the first
		// batch pays for everything a program's first LstatAll starts
		// (the Loop, the stat threads and their rings, the io-wq workers).
		var m *Meter
		if cold {
			m = start()
		}
		l, err := ring.NewLoop(ring.WithRingOptions(ring.WithFlags(flags)))
		if err != nil {
			return Result{Params: p}, err
		}
		defer l.Close()
		s := uringos.On(l)
		pass := func(from, ops int64) error {
			batch := make([]string, 0, min(int64(p.Batch), ops))
			for done := int64(0); done < ops; {
				n := min(int64(p.Batch), ops-done)
				batch = names(from+done, from+done+n, batch[:0])
				infos, errs := s.LstatAll(batch)
				for i := range batch {
					var size int64
					var mode os.FileMode
					if errs[i] == nil {
						size, mode = infos[i].Size(), infos[i].Mode()
					}
					if err := check(size, mode, errs[i]); err != nil {
						return err
					}
				}
				done += n
			}
			return nil
		}
		if !cold {
			if err := pass(0, int64(len(paths))); err != nil {
				return Result{Params: p}, err
			}
			m = start()
		}
		if err := pass(0, p.Ops); err != nil {
			return Result{Params: p}, err
		}
		res = m.Stop(p.Ops)
	case "ring":
		flags, err := parseSetup(setup)
		if err != nil {
			return Result{Params: p}, err
		}
		r, err := statRing(paths, p.Ops, flags, check, start)
		if err != nil {
			return Result{Params: p}, err
		}
		res = r
	case "os", "os-parallel":
		g := p.Goroutines
		pass := func(ops int64) error {
			var wg sync.WaitGroup
			errs := make([]error, g)
			for w := range g {
				wg.Add(1)
				go func() {
					defer wg.Done()
					for i := int64(w); i < ops; i += int64(g) {
						fi, err := os.Lstat(paths[i%int64(len(paths))])
						var size int64
						var mode os.FileMode
						if err == nil {
							size, mode = fi.Size(), fi.Mode()
						}
						if err := check(size, mode, err); err != nil {
							errs[w] = err
							return
						}
					}
				}()
			}
			wg.Wait()
			return errors.Join(errs...)
		}
		if !cold {
			if err := pass(int64(len(paths))); err != nil {
				return Result{Params: p}, err
			}
		}
		m := start()
		err := pass(p.Ops)
		res = m.Stop(p.Ops)
		if err != nil {
			return Result{Params: p}, err
		}
	default:
		return Result{Params: p}, fmt.Errorf("stat: unknown engine %q", engine)
	}
	res.Params = p
	// CPU time per stat, io-wq workers included (they are threads of the
	// process): on a shared machine the throughput says how many cores a
	// side got, this says how much work each stat is.
	if cpu := processCPU() - cpu0; res.Ops > 0 && res.Seconds > 0 {
		res.Note = fmt.Sprintf("cpu %.2fµs/stat on %.2f cores", cpu.Seconds()*1e6/float64(res.Ops), cpu.Seconds()/res.Seconds)
	}
	return res, nil
}

// statCold reports whether setup asks for a cold uring run ("cold",
// alone or among the setup flags) and returns setup without it.
func statCold(setup string) (string, bool) {
	var rest []string
	cold := false
	for _, f := range strings.FieldsFunc(setup, func(r rune) bool { return r == '|' || r == ',' }) {
		if strings.EqualFold(strings.TrimSpace(f), "cold") {
			cold = true
			continue
		}
		rest = append(rest, f)
	}
	return strings.Join(rest, "|"), cold
}

// processCPU is the user and system time of every thread of the process
// so far, exited threads included.
func processCPU() time.Duration {
	var ru syscall.Rusage
	if syscall.Getrusage(syscall.RUSAGE_SELF, &ru) != nil {
		return 0
	}
	return time.Duration(ru.Utime.Nano() + ru.Stime.Nano())
}

var statTreeOnce struct {
	once  sync.Once
	paths []string
	err   error
}

// statTree returns the paths of statFiles empty files, made once in the
// user cache directory (uringbench/stat-10000, 100 directories of 100)
// and reused by later runs.
func statTree() ([]string, error) {
	t := &statTreeOnce
	t.once.Do(func() {
		base, err := os.UserCacheDir()
		if err != nil {
			base = os.TempDir()
		}
		root := filepath.Join(base, "uringbench", "stat-"+strconv.Itoa(statFiles))
		done := filepath.Join(root, "complete")
		_, statErr := os.Stat(done)
		for d := range statFiles / 100 {
			dir := filepath.Join(root, fmt.Sprintf("d%02d", d))
			if statErr != nil {
				if err := os.MkdirAll(dir, 0o755); err != nil {
					t.err = err
					return
				}
			}
			for f := range 100 {
				p := filepath.Join(dir, fmt.Sprintf("f%02d", f))
				if statErr != nil {
					if err := os.WriteFile(p, nil, 0o644); err != nil {
						t.err = err
						return
					}
				}
				t.paths = append(t.paths, p)
			}
		}
		if statErr != nil {
			t.err = os.WriteFile(done, nil, 0o644)
		}
	})
	return t.paths, t.err
}

// statRing is the ring engine: -ops lstat calls as IORING_OP_STATX on a
// raw 256-entry ring, the SQ refilled after each reap, paths converted
// before the measured section, like uringos.LstatAll does.
func statRing(paths []string, ops int64, flags ring.SetupFlags, check func(int64, os.FileMode, error) error, start func() *Meter) (Result, error) {
	runtime.LockOSThread() // SINGLE_ISSUER in -setup needs one thread
	defer runtime.UnlockOSThread()
	r, err := ring.New(256, ring.WithFlags(flags))
	if err != nil {
		return Result{}, err
	}
	defer r.Close()
	cpaths := make([]*byte, len(paths))
	for i, p := range paths {
		if cpaths[i], err = ring.PathBytes(p); err != nil {
			return Result{}, err
		}
	}
	stx := make([]ring.Statx, 256) // one per SQ entry: user_data is the slot
	free := make([]uint64, 0, 256)
	for i := range 256 {
		free = append(free, uint64(i))
	}
	cqes := make([]ring.CQE, 256)
	m := start()
	var sub, done int64
	for done < ops {
		for sub < ops && len(free) > 0 {
			sqe := r.GetSQE()
			if sqe == nil {
				break
			}
			slot := free[len(free)-1]
			free = free[:len(free)-1]
			sqe.PrepStatx(-100, cpaths[sub%int64(len(paths))], 0x100, 0x7ff, &stx[slot]) // AT_FDCWD, AT_SYMLINK_NOFOLLOW, STATX_BASIC_STATS
			sqe.SetUserData(slot)
			sub++
		}
		if _, err := r.SubmitAndWait(1); err != nil {
			return Result{}, err
		}
		n := r.PeekBatch(cqes)
		for _, c := range cqes[:n] {
			var err error
			if c.Res < 0 {
				err = syscall.Errno(-c.Res)
			}
			st := &stx[c.UserData]
			if err := check(statxSize(st), statxMode(st), err); err != nil {
				return Result{}, err
			}
			free = append(free, c.UserData)
		}
		done += int64(n)
	}
	return m.Stop(ops), nil
}
