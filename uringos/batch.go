package uringos

import (
	"context"
	"io/fs"
	"runtime"
	"strings"
	"syscall"
	"unsafe"

	"github.com/uringkit/uring/future"
	"github.com/uringkit/uring/ring"
	"golang.org/x/sys/unix"
)

// Batch helpers: many independent operations handed to the kernel
// together. Where os makes one system call per path, these fill the
// submission queue with one SQE per path and publish them with one tail
// store per window, so a whole window costs one io_uring_enter; the
// kernel runs the statx and openat calls on its io-wq workers in parallel
// while the caller's goroutine reaps.

// batchWindow is how many requests one Loop.Submit publishes when a stat
// batch runs through the Loop.
const batchWindow = 256

// LstatAll is os.Lstat of every name: infos[i], errs[i] are what
// os.Lstat(names[i]) would return.
func LstatAll(names []string) (infos []fs.FileInfo, errs []error) {
	s, err := defaultSys()
	if err != nil {
		return failAll("lstat", names, err)
	}
	return s.LstatAll(names)
}

// StatAll is os.Stat of every name: infos[i], errs[i] are what
// os.Stat(names[i]) would return.
func StatAll(names []string) (infos []fs.FileInfo, errs []error) {
	s, err := defaultSys()
	if err != nil {
		return failAll("stat", names, err)
	}
	return s.StatAll(names)
}

func failAll(op string, names []string, err error) ([]fs.FileInfo, []error) {
	errs := make([]error, len(names))
	for i, n := range names {
		errs[i] = pathErr(op, n, err)
	}
	return make([]fs.FileInfo, len(names)), errs
}

// LstatAll is LstatAll on s.
func (s *Sys) LstatAll(names []string) ([]fs.FileInfo, []error) {
	return s.statAll("lstat", names, unix.AT_SYMLINK_NOFOLLOW)
}

// StatAll is StatAll on s.
func (s *Sys) StatAll(names []string) ([]fs.FileInfo, []error) {
	return s.statAll("stat", names, 0)
}

// statAll stats every name with one IORING_OP_STATX each. All the paths
// share one allocation, and so do the FileInfos, into which the kernel
// writes the statx results. The batch runs on a private ring
// (batch_ring.go) when one can be made, and otherwise through the Loop.
func (s *Sys) statAll(op string, names []string, flags int) ([]fs.FileInfo, []error) {
	infos := make([]fs.FileInfo, len(names))
	errs := make([]error, len(names))
	if s.useOS != nil {
		for i, n := range names {
			infos[i], errs[i] = s.stat(op, n, flags)
		}
		return infos, errs
	}
	if s.loop == nil {
		for i, n := range names {
			errs[i] = pathErr(op, n, future.ErrNilLoop)
		}
		return infos, errs
	}
	if len(names) == 0 {
		return infos, errs
	}
	dirfds, rels := s.openParents(names)
	defer s.closeParents(dirfds)
	total := 0
	for _, n := range rels {
		total += len(n) + 1
	}
	b := &statBatch{op: op, names: names, flags: flags, dirfds: dirfds,
		cpaths: make([]byte, total), offs: make([]int, len(names)),
		stats: make([]fileStat, len(names)), infos: infos, errs: errs}
	off := 0
	for i, n := range rels {
		b.offs[i] = off
		off += copy(b.cpaths[off:], n) + 1
	}
	// The stat ring bypasses the Loop, so it is used only while the Loop
	// is open (Do fails with ErrClosed after Close, as every other call
	// does) and supports STATX.
	if s.loop.CheckOp(ring.OpStatx) != nil || s.loop.Do(func(*ring.Ring) error { return nil }) != nil || !b.runPrivate() {
		s.statLoop(b)
	} else {
		for _, i := range b.retry {
			infos[i], errs[i] = s.stat(op, names[i], flags)
		}
	}
	runtime.KeepAlive(b.cpaths)
	runtime.KeepAlive(b.stats)
	return infos, errs
}

// statLoop runs batch b through the Loop: one pooled Request per name,
// batchWindow per group, with the next group submitted before the last
// one is reaped.
func (s *Sys) statLoop(b *statBatch) {
	op, names, flags, infos, errs, stats, cpaths := b.op, b.names, b.flags, b.infos, b.errs, b.stats, b.cpaths
	ctx := context.Background()
	window := min(batchWindow, s.loop.MaxGroup())
	var groups [2][]*ring.Request
	var index [2][]int // index[g][k]: the name groups[g][k] stats
	for g := range groups {
		groups[g] = make([]*ring.Request, 0, window)
		index[g] = make([]int, 0, window)
	}
	// submit prepares and submits names[start:start+window] as group g.
	submit := func(g, start int) {
		reqs, idx := groups[g][:0], index[g][:0]
		for i := start; i < min(start+window, len(names)); i++ {
			if strings.IndexByte(names[i], 0) >= 0 {
				errs[i] = pathErr(op, names[i], syscall.EINVAL)
				continue
			}
			r := ring.NewRequest()
			r.SQE.PrepStatx(b.dirfds.fdOf(i), &cpaths[b.offs[i]], uint32(flags), statxMask, &stats[i].sys)
			r.Keep, r.Buf = unsafe.Pointer(&stats[i]), cpaths
			reqs, idx = append(reqs, r), append(idx, i)
		}
		if err := s.loop.Submit(ctx, reqs...); err != nil {
			for k, r := range reqs {
				errs[idx[k]] = pathErr(op, names[idx[k]], err)
				r.Release()
			}
			reqs = reqs[:0]
		}
		groups[g], index[g] = reqs, idx
	}
	// reap waits for group g and fills in its results.
	reap := func(g int) {
		// Last first: the goroutine parks once, until the end of the
		// group, instead of once per request that is not done yet.
		for k := len(groups[g]) - 1; k >= 0; k-- {
			r, i := groups[g][k], index[g][k]
			c, err := r.Wait(ctx)
			r.Release()
			switch {
			case err != nil:
				errs[i] = pathErr(op, names[i], err)
			case c.Res == -int32(syscall.EINTR):
				infos[i], errs[i] = s.stat(op, names[i], flags)
			case c.Res < 0:
				errs[i] = pathErr(op, names[i], syscall.Errno(-c.Res))
			default:
				stats[i].fill(names[i])
				infos[i] = &stats[i]
			}
		}
		groups[g] = groups[g][:0]
	}
	next, g := 0, 0
	submit(g, next)
	next += window
	for {
		if next < len(names) {
			submit(g^1, next)
			next += window
		}
		reap(g)
		g ^= 1
		if len(groups[g]) == 0 && next >= len(names) {
			break
		}
	}
}

// OpenAll is os.OpenFile of every name with the same flag and perm, all
// IORING_OP_OPENAT submitted together: files[i], errs[i] are what
// os.OpenFile(names[i], flag, perm) would return.
func OpenAll(names []string, flag int, perm fs.FileMode) ([]*File, []error) {
	s, err := defaultSys()
	if err != nil {
		errs := make([]error, len(names))
		for i, n := range names {
			errs[i] = pathErr("open", n, err)
		}
		return make([]*File, len(names)), errs
	}
	return s.OpenAll(names, flag, perm)
}

// OpenAll is OpenAll on s.
func (s *Sys) OpenAll(names []string, flag int, perm fs.FileMode) ([]*File, []error) {
	files := make([]*File, len(names))
	errs := make([]error, len(names))
	if s.useOS != nil {
		for i, n := range names {
			files[i], errs[i] = s.OpenFile(n, flag, perm)
		}
		return files, errs
	}
	ctx := context.Background()
	futs := make([]*future.Future[future.FD], len(names))
	for i, n := range names {
		futs[i] = future.Openat(unix.AT_FDCWD, n, flag|syscall.O_CLOEXEC, syscallMode(perm)).Submit(ctx, s.loop)
	}
	for i, f := range futs {
		fd, err := f.Await(ctx)
		if err != nil && isEINTR(err) {
			files[i], errs[i] = s.OpenFile(names[i], flag, perm)
			continue
		}
		if err != nil {
			errs[i] = pathErr("open", names[i], err)
			continue
		}
		files[i] = s.newFile(int(fd), names[i], flag)
	}
	return files, errs
}

// parentMin is how many names must share a parent directory before
// statAll opens it: below that the extra openat and close cost more than
// the path walks they save.
const parentMin = 8

// parents maps each name of a batch to a directory descriptor.
type parents struct {
	fds   []int32 // the opened parents (O_PATH)
	which []int32 // per name: index into fds, or -1 for AT_FDCWD
}

func (p *parents) fdOf(i int) int32 {
	if p.which == nil || p.which[i] < 0 {
		return unix.AT_FDCWD
	}
	return p.fds[p.which[i]]
}

// openParents opens (IORING_OP_OPENAT with O_PATH|O_DIRECTORY, all in one
// submission) every parent directory that at least parentMin names share,
// and returns the names to stat relative to them: the kernel then walks
// one component per statx instead of the whole path, which os.Lstat
// walks every time. A name whose parent could not be opened, or that
// ends in a slash, is statted by its full path, so every error is the one
// the full path gives.
func (s *Sys) openParents(names []string) (parents, []string) {
	rels := names
	counts := map[string]int{}
	for _, n := range names {
		if i := strings.LastIndexByte(n, '/'); i > 0 && i < len(n)-1 {
			counts[n[:i]]++
		}
	}
	var dirs []string
	index := map[string]int32{}
	for d, c := range counts {
		if c >= parentMin {
			index[d] = int32(len(dirs))
			dirs = append(dirs, d)
		}
	}
	if len(dirs) == 0 {
		return parents{}, rels
	}
	ctx := context.Background()
	futs := make([]*future.Future[future.FD], len(dirs))
	for k, d := range dirs {
		futs[k] = future.Openat(unix.AT_FDCWD, d, oPathDir, 0).Submit(ctx, s.loop)
	}
	p := parents{fds: make([]int32, len(dirs)), which: make([]int32, len(names))}
	for k, f := range futs {
		fd, err := f.Await(ctx)
		p.fds[k] = -1
		if err == nil {
			p.fds[k] = int32(fd)
		}
	}
	rels = make([]string, len(names))
	for i, n := range names {
		p.which[i], rels[i] = -1, n
		j := strings.LastIndexByte(n, '/')
		if j <= 0 || j == len(n)-1 {
			continue
		}
		if k, ok := index[n[:j]]; ok && p.fds[k] >= 0 {
			p.which[i], rels[i] = k, n[j+1:]
		}
	}
	return p, rels
}

// closeParents closes what openParents opened, all in one submission.
func (s *Sys) closeParents(p parents) {
	ctx := context.Background()
	var futs []*future.Future[struct{}]
	for _, fd := range p.fds {
		if fd >= 0 {
			futs = append(futs, future.Close(int(fd)).Submit(ctx, s.loop))
		}
	}
	for _, f := range futs {
		f.Await(ctx)
	}
}
