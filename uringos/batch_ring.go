package uringos

import (
	"errors"
	"io/fs"
	"runtime"
	"strings"
	"sync"
	"syscall"

	"github.com/uringkit/uring/ring"
)

// Batched stat on private rings. The kernel always punts IORING_OP_STATX
// to io-wq workers (statx has no non-blocking path: io_statx_prep sets
// REQ_F_FORCE_ASYNC), so what a batch costs above the statx calls
// themselves is the hand-off: SQEs in, CQEs out. Through the Loop each
// path is a pooled Request with its own routing and wake-up; here one
// goroutine owns a plain Ring for the whole batch, fills the SQ with one
// SQE per path (user_data = the path's index), submits it with one enter,
// sleeps in the kernel until half the window has completed, copies the
// CQEs out with PeekBatch and refills. The statx results land straight in
// the FileInfos, so nothing is allocated per path.

// statRingEntries is the SQ size of a private stat ring: the window of
// statx calls in flight. The io-wq bounded worker limit is min(SQ
// entries, 4 * CPUs), so the window does not limit the workers.
const statRingEntries = 256

// statRingsIdle is how many private rings stay open between batches; a
// batch that finds none idle makes its own, and one beyond this many is
// closed after its batch.
const statRingsIdle = 4

// statRing is a private ring owned by one batch at a time.
type statRing struct {
	r    *ring.Ring
	cqes []ring.CQE
}

var statRings struct {
	mu   sync.Mutex
	idle []*statRing
	// failed is set when a private ring cannot be made (no io_uring,
	// RLIMIT_MEMLOCK, ...): batches then run through the Loop.
	failed bool
}

// getStatRing returns an idle private ring or a new one; nil when none
// can be made.
func getStatRing() *statRing {
	p := &statRings
	p.mu.Lock()
	if n := len(p.idle); n > 0 {
		sr := p.idle[n-1]
		p.idle = p.idle[:n-1]
		p.mu.Unlock()
		return sr
	}
	failed := p.failed
	p.mu.Unlock()
	if failed {
		return nil
	}
	// SUBMIT_ALL: an SQE that fails in prep still posts its CQE and does
	// not stop the submission of those after it, so every SQE in the SQ
	// is consumed and every consumed SQE completes.
	//
	// COOP_TASKRUN: an io-wq worker frees each request through task work
	// queued to the submitting task (io_free_req), and without this flag
	// every one of those interrupts the submitter's wait; with it the
	// task work waits for the submitter's next enter. Measured 5-10%
	// faster on the raw ring (-engine ring -setup COOP_TASKRUN).
	r, err := ring.New(statRingEntries, ring.WithSubmitAll(), ring.WithCoopTaskrun())
	if err != nil { // kernels before 5.19
		r, err = ring.New(statRingEntries, ring.WithSubmitAll())
	}
	if err != nil {
		p.mu.Lock()
		p.failed = true
		p.mu.Unlock()
		return nil
	}
	return &statRing{r: r, cqes: make([]ring.CQE, 2*statRingEntries)}
}

// putStatRing gives back a ring with nothing in flight.
func putStatRing(sr *statRing) {
	p := &statRings
	p.mu.Lock()
	if len(p.idle) < statRingsIdle {
		p.idle = append(p.idle, sr)
		sr = nil
	}
	p.mu.Unlock()
	if sr != nil {
		sr.r.Close()
	}
}

// statLeaked keeps the memory of batches whose statx calls could not be
// waited for reachable for the life of the process: the kernel may still
// write into it.
var statLeaked struct {
	mu   sync.Mutex
	keep []any
}

// statBatch is one LstatAll/StatAll call's state.
type statBatch struct {
	op     string
	names  []string
	flags  int
	dirfds parents
	cpaths []byte // every path, NUL-terminated
	offs   []int  // offs[i]: where names[i]'s path starts in cpaths
	stats  []fileStat
	infos  []fs.FileInfo
	errs   []error
}

// runOn stats every name of b on sr and fills b.infos and b.errs, except
// for the names whose statx was cut short by EINTR, which it returns for
// the caller to stat again. It reports whether sr may be reused.
func (b *statBatch) runOn(sr *statRing) (retry []int, reusable bool) {
	// io-wq pools are per thread: one thread for the whole batch keeps it
	// on one pool of workers, created by the first batch and kept warm.
	runtime.LockOSThread()
	defer runtime.UnlockOSThread()
	r := sr.r
	var (
		next    int // the next name to prepare
		queued  int // SQEs prepared, not yet consumed by the kernel
		kernel  int // SQEs consumed, CQE not yet reaped
		failure error
	)
	for next < len(b.names) || queued+kernel > 0 {
		for failure == nil && next < len(b.names) && queued+kernel < statRingEntries {
			i := next
			if strings.IndexByte(b.names[i], 0) >= 0 {
				b.errs[i] = pathErr(b.op, b.names[i], syscall.EINVAL)
				next++
				continue
			}
			sqe := r.GetSQE()
			if sqe == nil {
				break
			}
			sqe.PrepStatx(b.dirfds.fdOf(i), &b.cpaths[b.offs[i]], uint32(b.flags), statxMask, &b.stats[i].sys)
			sqe.SetUserData(uint64(i))
			next++
			queued++
		}
		if queued > 0 {
			n, err := r.Submit()
			queued -= n
			kernel += n
			if err != nil && (kernel == 0 || !errors.Is(err, ring.ErrBusy) && !errors.Is(err, ring.ErrAgain)) {
				// EBUSY and EAGAIN pass once completions are reaped;
				// with none to reap they are final.
				failure = err
			}
		}
		if kernel == 0 {
			if failure != nil || queued > 0 {
				if failure == nil {
					failure = syscall.EAGAIN
				}
				break // nothing of ours in the kernel, and nothing more goes in
			}
			continue
		}
		// Sleep until the first completion and refill at once: waiting
		// for half the window measured 15-20% slower than waiting for
		// one (workers idle while the queue drains), waiting for every
		// SQE of the window slower still.
		if _, err := r.SubmitAndWait(1); err != nil &&
			!errors.Is(err, ring.ErrBusy) && !errors.Is(err, ring.ErrAgain) {
			if failure == nil {
				failure = err
			}
			if r.CQReady() == 0 {
				break // cannot wait for the rest: leaked below
			}
		}
		n := r.PeekBatch(sr.cqes)
		kernel -= n
		for _, c := range sr.cqes[:n] {
			i := int(c.UserData)
			switch {
			case c.Res == -int32(syscall.EINTR):
				retry = append(retry, i)
			case c.Res < 0:
				b.errs[i] = pathErr(b.op, b.names[i], syscall.Errno(-c.Res))
			default:
				b.stats[i].fill(b.names[i])
				b.infos[i] = &b.stats[i]
			}
		}
	}
	if failure == nil {
		return retry, true
	}
	// Every name without a result gets the error. SQEs still queued or in
	// the kernel may yet run: their memory stays reachable for good, and
	// the ring is closed, not reused.
	for i := range b.names {
		if b.infos[i] == nil && b.errs[i] == nil {
			b.errs[i] = pathErr(b.op, b.names[i], failure)
		}
	}
	if queued+kernel > 0 {
		statLeaked.mu.Lock()
		statLeaked.keep = append(statLeaked.keep, b.cpaths, b.stats)
		statLeaked.mu.Unlock()
	}
	return retry, false
}
