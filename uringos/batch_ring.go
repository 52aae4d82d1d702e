package uringos

import (
	"errors"
	"io/fs"
	"runtime"
	"strings"
	"sync"
	"sync/atomic"
	"syscall"
	"time"

	"github.com/uringkit/uring/ring"
	"golang.org/x/sys/unix"
)

// Batched stat on private rings, each served by one dedicated OS thread.
//
// The kernel always punts IORING_OP_STATX to io-wq workers (io_statx_prep
// sets REQ_F_FORCE_ASYNC: statx has no non-blocking path), so what a
// batch costs above the statx calls themselves is the hand-off: SQEs in,
// CQEs out. A stat thread is a goroutine, locked to its OS thread for
// life, that owns one plain Ring and runs the batches handed to it on it,
// in line: it opens the batch's parent directories, fills the SQ with one
// STATX per name (relative to its parent), submits with one enter, sleeps
// in the kernel until a completion arrives, copies the CQEs out with
// PeekBatch and refills, from the next batch in line once the current one
// is all submitted; then it closes the parents and hands the batch back.
// The statx results land straight in the FileInfos, so nothing is
// allocated per path.
//
// Why dedicated threads: io-wq pools are per submitting thread. A batch
// that ran on whatever thread its goroutine had made a pool (up to
// 4 x CPUs workers) on every thread it ever ran on: 18-24 threads in a
// 10,000-file benchmark. A stat thread has one pool, and its worker cap
// (IORING_REGISTER_IOWQ_MAX_WORKERS) cannot leak onto a thread that also
// submits the Loop's work. It also lets the ring be SINGLE_ISSUER with
// DEFER_TASKRUN: the workers' completions queue on the ring and run when
// the thread enters to wait (about 5% less CPU on the thread than
// COOP_TASKRUN's task work, measured on a raw ring).
//
// Why two (statThreads): a stat thread is a serial stage (copying each
// path in, queueing it to io-wq, running its completion, waking and
// sleeping: about 0.8 us of CPU per stat) in front of its workers. With
// one, the CPUs went idle whenever it slept or woke while its workers
// ran dry: 1.0-1.6 of 2 cores used. The threads take a call's chunks
// from one queue as they run short of work, so each thread's sleeps are
// covered by the other's work (docs/design.md, Measured limits).
//
// docs/design.md (Measured limits) has the CPU cost of each part.

// statRingEntries is the SQ size of the stat ring: the window of statx
// calls in flight, shared by the batches in line.
const statRingEntries = 256

// statIdle is how long a stat thread waits for a next batch before it
// exits; its io-wq workers exit with it. Guarded by statSrv.mu.
var statIdle = 2 * time.Second

// statWorkers caps each stat thread's bounded io-wq workers. STATX is
// forced async, which io-wq treats as concurrent work: it starts a new
// worker for each SQE that finds none idle, up to the cap (by default
// min(SQ entries, 4 x CPUs)), although on cached dentries statx is CPU
// work and NumCPU workers keep every CPU busy. Twice that over all the
// stat threads (at least 2 each) keeps stats going while some workers
// block in a slow file system (NFS, FUSE): the batches of the whole
// process share these workers. Measured on 2 CPUs with one stat thread
// (load 13): 2 and 4 workers the same CPU per stat (2.17-2.40 us against
// 2.18-2.56 us), 8 no better, 1 worse (3.1 us).
var statWorkers = uint32(max(2, 2*runtime.NumCPU()/statThreads))

// statServer is a stat thread's state. Only the stat thread touches the
// fields after wake.
type statServer struct {
	idx    int           // index in statSrv.s
	wake   chan struct{} // one token: statSrv.queue may not be empty
	r      *ring.Ring    // the stat ring
	cqes   []ring.CQE    // PeekBatch's buffer
	slots  []*statBatch  // batches with SQEs in flight, by slot
	line   []*statBatch  // batches in submission order, head first
	closes []statClose   // parent directories of finished batches, to close
}

// statClose is a parent directory to close for the batch in a slot.
type statClose struct{ fd, slot int32 }

// The kind of a stat ring SQE, in the top bits of its user_data; below
// them are the batch's slot (bits 32-61) and the index of the name or
// parent directory (bits 0-31).
const (
	kindStatx = 0 << 62
	kindOpen  = 1 << 62
	kindClose = 2 << 62
)

// statThreads is how many stat threads, each with its own ring and io-wq
// pool, a process runs at most. Two, or one on one CPU: more were not
// measured (the project machine has 2 CPUs).
var statThreads = max(1, min(2, runtime.NumCPU()))

// statTurn picks the stat thread a chunk starts if it does not run: the
// chunks of one call, and the first chunks of calls one after the other,
// go to the threads in turn, so a call of several chunks starts them all.
var statTurn atomic.Uint32

var statSrv struct {
	mu sync.Mutex
	s  []*statServer // the running stat threads by index, nil where none
	// queue holds the batches handed in and not yet taken: a stat thread
	// takes the next one when it has no more than a window's worth of
	// names left to submit, so that a thread slowed down (by other
	// processes on its CPU) takes fewer chunks of a call instead of
	// holding the call up.
	queue []*statBatch
	// failed is set when the stat ring cannot be made (no io_uring,
	// RLIMIT_MEMLOCK, ...): batches then run through the Loop.
	failed bool
}

// statBeforeEnter, when set (by tests), runs on the stat thread before
// each enter.
var statBeforeEnter atomic.Pointer[func(*ring.Ring)]

// statLeaked keeps the memory of batches whose statx calls could not be
// waited for reachable for the life of the process: the kernel may still
// write into it.
var statLeaked struct {
	mu   sync.Mutex
	keep []any
}

// statBatch is one chunk of an LstatAll/StatAll call (statChunk names).
type statBatch struct {
	op     string
	names  []string
	flags  int
	dirs   parents
	cpaths []byte // every name, NUL-terminated
	offs   []int  // offs[i]: where names[i]'s path starts in cpaths
	stats  []fileStat
	infos  []fs.FileInfo
	errs   []error

	// Set by the stat thread; read by the caller after done is closed.
	slot     int   // index in statServer.slots while in flight
	nextDir  int   // the next parent directory to open
	opening  int   // parent opens submitted, CQE not yet reaped
	closing  int   // parent closes queued, CQE not yet reaped
	next     int   // the next name to prepare
	inflight int   // statx SQEs submitted, CQE not yet reaped
	retry    []int // names whose statx was cut short by EINTR
	private  bool  // false: run through the Loop (no stat ring)
	done     chan struct{}
}

// startPrivate queues b for the stat threads, starting thread turn
// (modulo statThreads) if it does not run; b.done is closed when b is
// finished. It reports false, with nothing done and b.done nil, when no
// stat ring can be made; the caller then runs b through the Loop. A
// batch that no stat thread could run because a ring failed to start
// comes back with b.private false.
func (b *statBatch) startPrivate(turn int) bool {
	p := &statSrv
	p.mu.Lock()
	if p.failed {
		p.mu.Unlock()
		return false
	}
	b.done = make(chan struct{})
	b.private = true
	if p.s == nil {
		p.s = make([]*statServer, statThreads)
	}
	if k := turn % len(p.s); p.s[k] == nil {
		p.s[k] = &statServer{idx: k, wake: make(chan struct{}, 1)}
		go p.s[k].run()
	}
	p.queue = append(p.queue, b)
	for _, s := range p.s {
		if s != nil {
			select {
			case s.wake <- struct{}{}:
			default:
			}
		}
	}
	p.mu.Unlock()
	return true
}

// take moves the next queued batch into line, giving it a slot; with
// none queued it waits up to statIdle for one, then retires the server
// (under the lock, so that no batch is queued while no server runs) and
// reports false.
func (s *statServer) take() bool {
	p := &statSrv
	timedOut := false
	for {
		p.mu.Lock()
		if s.pullLocked() {
			p.mu.Unlock()
			return true
		}
		if timedOut {
			p.s[s.idx] = nil
			p.mu.Unlock()
			return false
		}
		idle := statIdle
		p.mu.Unlock()
		select {
		case <-s.wake:
		case <-time.After(idle):
			timedOut = true
		}
	}
}

// pull moves the next queued batch, if any, into line, so that it joins
// the window while the ring is still busy with the ones before.
func (s *statServer) pull() {
	statSrv.mu.Lock()
	s.pullLocked()
	statSrv.mu.Unlock()
}

func (s *statServer) pullLocked() bool {
	p := &statSrv
	if len(p.queue) == 0 {
		return false
	}
	b := p.queue[0]
	p.queue[0] = nil
	p.queue = p.queue[1:]
	b.slot = s.slotFor(b)
	s.line = append(s.line, b)
	return true
}

// unsubmitted is how many SQEs b still has to prepare.
func (b *statBatch) unsubmitted() int {
	return len(b.dirs.names) - b.nextDir + len(b.names) - b.next
}

// newStatRing makes the stat ring on the calling (locked) thread.
//
// SUBMIT_ALL: an SQE that fails in prep still posts its CQE and does not
// stop the submission of those after it, so every SQE in the SQ is
// consumed and every consumed SQE completes.
//
// SINGLE_ISSUER|DEFER_TASKRUN (6.1): an io-wq worker hands each finished
// request back through task work to the submitter; deferred, that task
// work waits on the ring until the stat thread enters to wait and runs as
// one batch. COOP_TASKRUN (5.19) is the older, weaker form.
func newStatRing() (*ring.Ring, error) {
	r, err := ring.New(statRingEntries, ring.WithSubmitAll(), ring.WithSingleIssuer(), ring.WithDeferTaskrun())
	if err != nil {
		r, err = ring.New(statRingEntries, ring.WithSubmitAll(), ring.WithCoopTaskrun())
	}
	if err != nil {
		r, err = ring.New(statRingEntries, ring.WithSubmitAll())
	}
	if err != nil {
		return nil, err
	}
	if statWorkers > 0 {
		// Best effort (5.15): without it the pool has up to 4 x CPUs.
		r.RegisterIOWQMaxWorkers(statWorkers, 0)
	}
	return r, nil
}

// run is the stat thread.
func (s *statServer) run() {
	// Never unlocked: the thread exits with the goroutine, and its io-wq
	// pool with it.
	runtime.LockOSThread()
	r, err := newStatRing()
	if err != nil {
		p := &statSrv
		p.mu.Lock()
		p.failed, p.s[s.idx] = true, nil
		queued := p.queue
		p.queue = nil
		p.mu.Unlock()
		for _, b := range queued {
			b.private = false
			close(b.done)
		}
		return
	}
	s.r, s.cqes = r, make([]ring.CQE, 2*statRingEntries)
	for s.take() {
		if s.serve() != nil {
			s.abandon()
			return
		}
	}
	r.Close()
}

// serve runs the batches in line until the line is empty and every
// parent directory they opened is closed. An error is a failure of the
// ring itself; the batches still in line are then unfinished (abandon).
//
// A batch first opens its parent directories (IORING_OP_OPENAT with
// O_PATH|O_DIRECTORY: the kernel opens a cached directory inline, at
// submit time, so this costs no io-wq hand-off), then stats its names,
// relative to the parents that opened. When it is done its parents are
// closed (IORING_OP_CLOSE, inline too) while the next batch runs.
func (s *statServer) serve() error {
	r := s.r
	queued, kernel := 0, 0 // SQEs prepared but not consumed; consumed but not reaped
	fill := 0              // index in line of the batch being prepared
	for len(s.line) > 0 || len(s.closes) > 0 || queued+kernel > 0 {
		if fill >= len(s.line) || fill == len(s.line)-1 && s.line[fill].unsubmitted() < statRingEntries {
			s.pull()
		}
		for queued+kernel < statRingEntries && len(s.closes) > 0 {
			sqe := r.GetSQE()
			if sqe == nil {
				break
			}
			c := s.closes[len(s.closes)-1]
			sqe.PrepClose(c.fd)
			sqe.SetUserData(kindClose | uint64(c.slot)<<32)
			s.closes = s.closes[:len(s.closes)-1]
			queued++
		}
		// The head batches may be all submitted: prepare from the first
		// batch with work left, while the SQ has room.
	prepare:
		for queued+kernel < statRingEntries && fill < len(s.line) {
			b := s.line[fill]
			tag := uint64(b.slot) << 32
			switch {
			case b.nextDir < len(b.dirs.names):
				k := b.nextDir
				sqe := r.GetSQE()
				if sqe == nil {
					break prepare
				}
				sqe.PrepOpenat(unix.AT_FDCWD, &b.dirs.cpaths[b.dirs.offs[k]], oPathDir, 0)
				sqe.SetUserData(kindOpen | tag | uint64(k))
				b.nextDir++
				b.opening++
				queued++
			case b.opening > 0:
				break prepare // its names wait for their parents
			case b.next == len(b.names):
				fill++
			case strings.IndexByte(b.names[b.next], 0) >= 0:
				b.errs[b.next] = pathErr(b.op, b.names[b.next], syscall.EINVAL)
				b.next++
			default:
				i := b.next
				sqe := r.GetSQE()
				if sqe == nil {
					break prepare
				}
				dirfd, path := b.pathOf(i)
				sqe.PrepStatx(dirfd, path, uint32(b.flags), statxMask, &b.stats[i].sys)
				sqe.SetUserData(kindStatx | tag | uint64(i))
				b.next++
				b.inflight++
				queued++
			}
		}
		if kernel+queued == 0 {
			fill = max(fill-s.finishDone(), 0) // batches with nothing to submit
			continue
		}
		// Submit and sleep until the first completion, then refill at
		// once: waiting for half the window measured 15-20% slower
		// than waiting for one (workers idle while the queue drains).
		if h := statBeforeEnter.Load(); h != nil {
			(*h)(r)
		}
		n, err := r.SubmitAndWait(1)
		queued -= n
		kernel += n
		if err != nil && !errors.Is(err, ring.ErrBusy) && !errors.Is(err, ring.ErrAgain) {
			return err
		}
		if err != nil && kernel == 0 {
			return err // EBUSY/EAGAIN with nothing of ours to reap: final
		}
		n = r.PeekBatch(s.cqes)
		kernel -= n
		for _, c := range s.cqes[:n] {
			kind := c.UserData &^ (1<<62 - 1)
			b, i := s.slots[c.UserData>>32&(1<<30-1)], int(uint32(c.UserData))
			switch {
			case kind == kindClose:
				b.closing--
			case kind == kindOpen:
				b.opening--
				if c.Res >= 0 {
					b.dirs.fds[i] = c.Res
				}
			case c.Res == -int32(syscall.EINTR):
				b.inflight--
				b.retry = append(b.retry, i)
			case c.Res < 0:
				b.inflight--
				b.errs[i] = pathErr(b.op, b.names[i], syscall.Errno(-c.Res))
			default:
				b.inflight--
				b.stats[i].fill(b.names[i])
				b.infos[i] = &b.stats[i]
			}
		}
		fill = max(fill-s.finishDone(), 0)
	}
	return nil
}

// slotFor gives b a slot in s.slots.
func (s *statServer) slotFor(b *statBatch) int {
	for k, o := range s.slots {
		if o == nil {
			s.slots[k] = b
			return k
		}
	}
	s.slots = append(s.slots, b)
	return len(s.slots) - 1
}

// finishDone hands back the batches at the head of the line whose names
// are all statted and whose parents are closed, and returns how many. A
// batch whose names are all statted has its parents queued for closing.
func (s *statServer) finishDone() int {
	k := 0
	for k < len(s.line) {
		b := s.line[k]
		if b.nextDir < len(b.dirs.names) || b.opening > 0 || b.next < len(b.names) || b.inflight > 0 {
			break
		}
		for d, fd := range b.dirs.fds {
			if fd >= 0 {
				s.closes = append(s.closes, statClose{fd, int32(b.slot)})
				b.closing++
				b.dirs.fds[d] = -1
			}
		}
		if b.closing > 0 {
			break
		}
		s.slots[b.slot] = nil
		close(b.done)
		k++
	}
	s.line = s.line[:copy(s.line, s.line[k:])]
	return k
}

// abandon ends the stat thread after its ring failed: the ring is
// closed, not reused, and the next batch starts a new thread. The caller
// of each batch in line stats what is missing again through the Loop
// (whole batches that had not started, b.private false; single names of
// the others, b.retry), so a failed ring costs time, not results. The
// memory of the started batches stays reachable for good: SQEs still in
// the kernel may yet write into it. A parent directory whose open was in
// flight stays open.
func (s *statServer) abandon() {
	p := &statSrv
	p.mu.Lock()
	p.s[s.idx] = nil
	// The queued batches, not started, run through the Loop too: no
	// stat thread may be left to take them.
	s.line = append(s.line, p.queue...)
	p.queue = nil
	p.mu.Unlock()
	for _, c := range s.closes {
		unix.Close(int(c.fd))
	}
	s.closes = nil
	for _, b := range s.line {
		if b.nextDir == 0 && b.next == 0 {
			b.private = false
			close(b.done)
			continue
		}
		statLeaked.mu.Lock()
		statLeaked.keep = append(statLeaked.keep, b.cpaths, b.dirs.cpaths, b.stats)
		statLeaked.mu.Unlock()
		b.retry = b.retry[:0] // EINTR's names are among those without a result
		for i := range b.names {
			if b.infos[i] == nil && b.errs[i] == nil {
				b.retry = append(b.retry, i)
			}
		}
		for k, fd := range b.dirs.fds {
			if fd >= 0 {
				unix.Close(int(fd))
				b.dirs.fds[k] = -1
			}
		}
		close(b.done)
	}
	s.r.Close()
}
