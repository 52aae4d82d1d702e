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

// LstatAll is LstatAll on s. The statx calls run on the package's stat
// threads, each with a ring of its own (batch_ring.go: STATX always goes
// to io-wq, and a dedicated ring with a bounded worker pool measured
// faster), not on s's Loop, while that Loop is open and supports
// IORING_OP_STATX; so the Loop's own setup (mode, SQPOLL, rings) does not
// apply to them. Otherwise they run through the Loop.
func (s *Sys) LstatAll(names []string) ([]fs.FileInfo, []error) {
	return s.statAll("lstat", names, unix.AT_SYMLINK_NOFOLLOW)
}

// StatAll is StatAll on s, run as LstatAll on s runs.
func (s *Sys) StatAll(names []string) ([]fs.FileInfo, []error) {
	return s.statAll("stat", names, 0)
}

// statChunk is how many names one statBatch holds. A call's names are
// cut into chunks handed to the stat thread one by one, so the caller
// prepares the next chunk (paths, parents, FileInfo memory) while the
// ring runs the ones before: preparing 10,000 names at once measured
// 0.5-4 ms before the first SQE, with the workers idle.
var statChunk = 1024

// statChunkMin is the smallest chunk a call is cut into to give every
// stat thread a share.
const statChunkMin = 128

// statAll stats every name with one IORING_OP_STATX each. The paths of a
// chunk share one allocation, and so do its FileInfos, into which the
// kernel writes the statx results. The chunks run on the stat ring
// (batch_ring.go) when it can be made, and otherwise through the Loop.
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
	// The stat ring bypasses the Loop, so it is used only while the Loop
	// is open (Do fails with ErrClosed after Close, as every other call
	// does) and supports STATX.
	private := s.loop.CheckOp(ring.OpStatx) == nil && s.loop.Do(func(*ring.Ring) error { return nil }) == nil
	// Chunks of equal size, as many as the stat threads or a multiple,
	// so that the threads can share a call evenly.
	chunks := (len(names) + statChunk - 1) / statChunk
	if len(names) >= statThreads*statChunkMin {
		chunks = (chunks + statThreads - 1) / statThreads * statThreads
	}
	size := (len(names) + chunks - 1) / chunks
	turn := int(statTurn.Add(1))
	batches := make([]*statBatch, 0, chunks)
	for start := 0; start < len(names); start += size {
		end := min(start+size, len(names))
		b := newStatBatch(op, names[start:end], flags, infos[start:end], errs[start:end])
		if private {
			private = b.startPrivate(turn + len(batches))
		}
		batches = append(batches, b)
	}
	for _, b := range batches {
		if b.done != nil {
			<-b.done
		}
		if !b.private {
			s.openParents(&b.dirs)
			s.statLoop(b)
			s.closeParents(&b.dirs)
		}
		for _, i := range b.retry {
			b.infos[i], b.errs[i] = s.stat(op, b.names[i], flags)
		}
		runtime.KeepAlive(b.cpaths)
		runtime.KeepAlive(b.dirs.cpaths)
		runtime.KeepAlive(b.stats)
	}
	return infos, errs
}

// newStatBatch prepares a batch that stats names into infos and errs.
func newStatBatch(op string, names []string, flags int, infos []fs.FileInfo, errs []error) *statBatch {
	total := 0
	for _, n := range names {
		total += len(n) + 1
	}
	b := &statBatch{op: op, names: names, flags: flags, dirs: groupParents(names),
		cpaths: make([]byte, total), offs: make([]int, len(names)),
		stats: make([]fileStat, len(names)), infos: infos, errs: errs}
	off := 0
	for i, n := range names {
		b.offs[i] = off
		off += copy(b.cpaths[off:], n) + 1
	}
	return b
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
			dirfd, path := b.pathOf(i)
			r.SQE.PrepStatx(dirfd, path, uint32(flags), statxMask, &stats[i].sys)
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

// parents are the parent directories of a batch's names that are worth
// opening (O_PATH): each name under one is then statted relative to it,
// and the kernel walks one component per statx instead of the whole path,
// which os.Lstat walks every time. A name whose parent is not opened, or
// could not be, or that ends in a slash, is statted by its full path, so
// every error is the one the full path gives.
type parents struct {
	names  []string // the directories
	cpaths []byte   // names, each NUL-terminated
	offs   []int    // offs[k]: where names[k] starts in cpaths
	fds    []int32  // the opened directories, -1 where not (yet) open
	which  []int32  // per batch name: index into names, or -1
	base   []int32  // per batch name under a parent: where its last component starts
}

// groupParents finds the parent directories that at least parentMin of
// names share. Names from a directory walk come grouped by directory, so
// the map is consulted only when the parent changes.
func groupParents(names []string) parents {
	var p parents
	p.which = make([]int32, len(names))
	p.base = make([]int32, len(names))
	index := map[string]int32{}
	var counts []int
	last, lastK := "", int32(-1)
	for i, n := range names {
		p.which[i] = -1
		j := strings.LastIndexByte(n, '/')
		if j <= 0 || j == len(n)-1 {
			continue
		}
		d := n[:j]
		k := lastK
		if lastK < 0 || d != last {
			var ok bool
			if k, ok = index[d]; !ok {
				k = int32(len(p.names))
				index[d] = k
				p.names = append(p.names, d)
				counts = append(counts, 0)
			}
			last, lastK = d, k
		}
		counts[k]++
		p.which[i], p.base[i] = k, int32(j+1)
	}
	// Keep the directories with parentMin names or more.
	keep := make([]int32, len(p.names))
	kept := p.names[:0]
	total := 0
	for k, d := range p.names {
		keep[k] = -1
		if counts[k] >= parentMin {
			keep[k] = int32(len(kept))
			kept = append(kept, d)
			total += len(d) + 1
		}
	}
	p.names = kept
	for i, k := range p.which {
		if k >= 0 {
			p.which[i] = keep[k]
		}
	}
	if len(p.names) == 0 {
		p.which, p.base = nil, nil
		return p
	}
	p.cpaths = make([]byte, total)
	p.offs = make([]int, len(p.names))
	p.fds = make([]int32, len(p.names))
	off := 0
	for k, d := range p.names {
		p.offs[k], p.fds[k] = off, -1
		off += copy(p.cpaths[off:], d) + 1
	}
	return p
}

// pathOf is where the statx of names[i] starts: its opened parent and
// last component, or AT_FDCWD and the whole name.
func (b *statBatch) pathOf(i int) (int32, *byte) {
	if p := &b.dirs; p.which != nil {
		if k := p.which[i]; k >= 0 && p.fds[k] >= 0 {
			return p.fds[k], &b.cpaths[b.offs[i]+int(p.base[i])]
		}
	}
	return unix.AT_FDCWD, &b.cpaths[b.offs[i]]
}

// openParents opens the parents through the Loop (IORING_OP_OPENAT with
// O_PATH|O_DIRECTORY, all in one submission), for a batch that runs
// through the Loop.
func (s *Sys) openParents(p *parents) {
	ctx := context.Background()
	futs := make([]*future.Future[future.FD], len(p.names))
	for k, d := range p.names {
		futs[k] = future.Openat(unix.AT_FDCWD, d, oPathDir, 0).Submit(ctx, s.loop)
	}
	for k, f := range futs {
		if fd, err := f.Await(ctx); err == nil {
			p.fds[k] = int32(fd)
		}
	}
}

// closeParents closes what openParents opened, all in one submission.
func (s *Sys) closeParents(p *parents) {
	ctx := context.Background()
	var futs []*future.Future[struct{}]
	var fds []int
	for k, fd := range p.fds {
		if fd >= 0 {
			futs = append(futs, future.Close(int(fd)).Submit(ctx, s.loop))
			fds = append(fds, int(fd))
			p.fds[k] = -1
		}
	}
	for i, f := range futs {
		_, err := f.Await(ctx)
		closeRefused(fds[i], err)
	}
}
