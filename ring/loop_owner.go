package ring

import (
	"runtime"
	"sync"
	"sync/atomic"
	"syscall"
	"time"
)

// Owner mode (DESIGN.md invariant 5). SINGLE_ISSUER (6.0) makes the kernel
// refuse io_uring_enter and io_uring_register from any thread but the
// ring's creator (EEXIST), and DEFER_TASKRUN (6.1) runs completion work
// only inside that thread's GETEVENTS enters. Goroutines move between OS
// threads, so one goroutine, locked to its thread for its whole life,
// creates the ring and makes every enter and register call. Submitters
// only write SQEs (plain memory, allowed from any thread) and publish the
// SQ tail; when the owner sleeps they ring an eventfd doorbell, whose READ
// the owner keeps armed in the ring. The flag sleeping and the
// publication form a Dekker pair on sequentially consistent atomics: the
// owner stores sleeping then re-reads published, a submitter adds to
// published then reads sleeping, so one of them always sees the other.
type ownerState struct {
	sleeping  atomic.Bool
	bellRung  atomic.Bool // deduplicates doorbell writes, like netpollBreak
	bellArmed bool        // the doorbell READ is in the ring (owner goroutine only)
	bellMu    sync.Mutex  // orders doorbell writes against closing efd
	bellShut  bool        // efd is closed (under bellMu)
	drained   bool        // closing with nothing in flight: sqGone is set (owner goroutine only)
	efd       int
	bellBuf   *[8]byte // the doorbell READ's buffer, on the heap
	sqCond    sync.Cond
	sqWaiters atomic.Int32
	doMu      sync.Mutex
	doQ       []func()
	doPending atomic.Int32
	closeErr  error
}

// ownerSpin is the owner's default WithSpin: none, it sleeps in
// io_uring_enter as soon as it has nothing to do. A spinning owner runs Go
// code on its P, and the Go scheduler (runqgrab) makes a thread that would
// steal the goroutine the owner just woke (its P's runnext) sleep 3 µs
// first, unless the owner is in a system call; a sleeping owner is. On the
// 2-CPU test machine, 25 Nov 2026 22:45-22:52 UTC (load 3-11, interleaved
// runs of uringbench -workload echo -engine uring-owner): one connection's
// p50 round trip 37-45 µs with no spin against 86-94 µs with 20 µs of spin,
// at 1/2 to 2/3 of the CPU per round trip; 64 connections and
// randread -setup owner (cached and O_DIRECT, QD 32) within the noise.
const ownerSpin = 0

// ownerYieldMin: the owner yields its P before it sleeps when it
// dispatched at least this many CQEs since it last yielded or slept (the
// doorbell's own CQE included). A locked goroutine's yield costs two
// thread switches (the P goes to another thread and comes back), but the
// goroutines it woke then run at once on the CPU the owner leaves. Left
// in its P's run queue, they wait for a thread to steal them, and on the
// loaded 2-CPU machine waking one took ~60 µs (Go trace, 25 Nov 2026
// 23:25 UTC). A threshold of 3 gave echo at one connection a slightly
// lower p50 (37 vs 43 µs) but 30% fewer round trips per second, 4x slower
// one-byte echo between two conns of one Loop and fewer HTTP requests
// with 16 clients (docs/heuristics.md), so every woken goroutine counts.
const ownerYieldMin = 1

func (l *Loop) startOwner() error {
	initErr := make(chan error, 1)
	go l.ownerMain(initErr)
	return <-initErr
}

func (l *Loop) ownerMain(initErr chan<- error) {
	// Never unlocked: when the goroutine returns, the runtime ends the
	// thread, and the ring's issuer task with it.
	runtime.LockOSThread()
	if err := l.ownerSetup(); err != nil {
		initErr <- err
		return
	}
	initErr <- nil
	l.ownerLoop()
	// Close may still publish a re-cancel until it sees runDone (and after
	// a fatal error nothing stopped it): it must find the SQ gone, not
	// read the rings being unmapped.
	l.sqMu.Lock()
	l.sqGone = true
	l.sqMu.Unlock()
	l.owner.closeErr = l.ring.Close()
	l.closeRetire()
	l.owner.bellMu.Lock()
	l.owner.bellShut = true
	closeEventfd(l.owner.efd)
	l.owner.bellMu.Unlock()
	close(l.runDone)
}

func (l *Loop) ownerSetup() error {
	opts, err := l.ringOptions(SetupSingleIssuer | SetupDeferTaskrun | SetupTaskrunFlag)
	if err != nil {
		return err
	}
	r, err := New(l.cfg.entries, opts...)
	if err != nil {
		return err
	}
	if err := l.adopt(r); err != nil {
		r.Close()
		return err
	}
	// A registered ring fd saves the fd lookup on every enter; it belongs
	// to this thread, which is the only one that enters. Optional (5.18).
	_, _ = r.RegisterRingFd()
	efd, err := newEventfd()
	if err != nil {
		r.Close()
		return err
	}
	l.owner.efd, l.owner.bellBuf = efd, new([8]byte)
	l.owner.sqCond.L = &l.sqMu
	return nil
}

func (l *Loop) ownerLoop() {
	l.armDoorbell()
	var idleSince time.Time
	readied := 0 // CQEs dispatched since the owner last yielded or slept
	defer l.wakeSQWaiters(true)
	// However the owner leaves, a fatal error set by then fails what is in
	// flight. runnerShouldExit below is true once fatal is set, which may
	// happen after the check at the top of the loop: returning there
	// without failing left waiters parked for good
	// (TestRingsFatalBreaksAll, owner-rings2, about once in 2000 runs).
	defer func() {
		if err := l.fatal.Load(); err != nil {
			l.failInFlight(*err)
		}
	}()
	for {
		if l.fatal.Load() != nil {
			return
		}
		l.runDo()
		l.cqMu.Lock()
		n := l.reap()
		l.cqMu.Unlock()
		pend := l.published.Load() - l.submitted.Load()
		if pend > 0 || l.ring.cqNeedsFlush() {
			// Submit, and run deferred completion work (GETEVENTS with
			// min_complete 0 does not block).
			got, _ := l.enter(uint32(pend), 0, EnterGetEvents)
			l.submitted.Add(uint64(got))
			l.wakeSQWaiters(false)
			idleSince = time.Time{}
			continue
		}
		if n > 0 {
			readied += n
			idleSince = time.Time{}
			continue
		}
		if l.closing.Load() && l.inflight.Load() == 0 && !l.owner.drained {
			// Close has nothing left to cancel. Until now the doorbell stayed
			// armed (ownerDoorbellCQE), so Close's cancels always woke this
			// goroutine. Stop all publication, then complete the doorbell
			// READ ourselves: what remains in flight is internal SQEs already
			// in the kernel, whose CQEs need no kick, so intern drains to 0.
			l.sqMu.Lock()
			if l.inflight.Load() == 0 { // a racing Submit raises it under sqMu, before it publishes
				l.sqGone, l.owner.drained = true, true
			}
			l.sqMu.Unlock()
			if l.owner.drained {
				if l.owner.bellArmed {
					l.ringBell()
				}
				continue // submit what was published before sqGone
			}
		}
		if l.runnerShouldExit() {
			return
		}
		if l.cfg.spin > 0 {
			// Busy-poll a little before sleeping (WithSpin; off by default,
			// see ownerSpin): a locked goroutine that yields costs two
			// thread switches, so this spin does not yield.
			if idleSince.IsZero() {
				idleSince = time.Now()
			}
			if time.Since(idleSince) < l.cfg.spin {
				continue
			}
		}
		if readied >= ownerYieldMin && l.cfg.ownerYield {
			// The waiters this goroutine woke sit in its P's run queue. A
			// blocking enter keeps the P until sysmon retakes it, 20 µs to
			// 10 ms later, unless an idle thread steals them first;
			// yielding hands the P, and so the waiters, to another thread
			// now.
			readied = 0
			runtime.Gosched()
			continue
		}
		l.owner.sleeping.Store(true)
		if l.published.Load() != l.submitted.Load() || l.ring.CQReady() > 0 ||
			l.ring.cqNeedsFlush() || l.owner.doPending.Load() > 0 || l.fatal.Load() != nil {
			l.owner.sleeping.Store(false)
			continue
		}
		l.enter(0, 1, 0)
		l.owner.sleeping.Store(false)
		idleSince = time.Time{}
		readied = 0
	}
}

// ownerKick wakes the owner if it sleeps (or is about to).
func (l *Loop) ownerKick() {
	if l.owner.sleeping.Load() && l.ringBell() {
		l.stats.doorbells.Add(1)
	}
}

// ringBell writes the doorbell unless a write is already pending or the
// owner has closed it. A kicker can stall between seeing the owner asleep
// and writing for as long as the owner takes to wake for another CQE,
// finish and close the eventfd (its last doorbell CQE clears bellRung),
// and by then the fd's number may name another file of the process:
// bellShut, under bellMu, keeps the write off it. It reports whether it
// wrote.
func (l *Loop) ringBell() bool {
	if !l.owner.bellRung.CompareAndSwap(false, true) {
		return false
	}
	l.owner.bellMu.Lock()
	defer l.owner.bellMu.Unlock()
	if l.owner.bellShut {
		return false
	}
	ringEventfd(l.owner.efd)
	return true
}

// armDoorbell queues the eventfd READ. Owner goroutine only.
func (l *Loop) armDoorbell() {
	l.sqMu.Lock()
	defer l.sqMu.Unlock()
	if l.sqGone {
		return
	}
	for l.ring.SQSpace() == 0 {
		// The owner may enter itself to make room.
		got, err := l.enter(uint32(l.published.Load()-l.submitted.Load()), 0, EnterGetEvents)
		l.submitted.Add(uint64(got))
		if err != nil && l.fatal.Load() != nil {
			return
		}
	}
	sqe := l.ring.GetSQE()
	sqe.PrepRW(OpRead, int32(l.owner.efd), ptrAddr(l.owner.bellBuf), 8, ^uint64(0))
	sqe.UserData = udDoorbell
	l.owner.bellArmed = true
	l.intern.Add(1)
	l.ring.flushSQ()
	l.published.Add(1)
}

// ownerDoorbellCQE handles the doorbell READ's CQE: re-arm it. A cancel
// can end it too (-ECANCELED): Close's ASYNC_CANCEL_ANY, whose re-cancels
// rely on ownerKick to have them submitted until the owner stops
// publication (sqGone, armDoorbell), and a program's own cancel by opcode
// READ or CANCEL_ANY that runs while the owner is awake (the doorbell is
// then armed and matches; it also counts in that cancel's result). Not
// re-armed, the owner would sleep for good the next time it sleeps.
func (l *Loop) ownerDoorbellCQE(c *CQE) {
	l.owner.bellRung.Store(false)
	l.owner.bellArmed = false
	if c.Res >= 0 || c.Res == -int32(syscall.ECANCELED) {
		l.armDoorbell()
	}
}

// ownerWaitSQ waits, with sqMu held, until the owner has consumed enough
// of the SQ for n SQEs. It reports false if the ring broke.
func (l *Loop) ownerWaitSQ(n uint32) bool {
	l.owner.sqWaiters.Add(1)
	defer l.owner.sqWaiters.Add(-1)
	// Re-check after announcing ourselves: an owner that consumed the SQ
	// before seeing sqWaiters did so before this load.
	if l.ring.SQSpace() >= n {
		return true
	}
	if l.fatal.Load() != nil || l.runnerDone() {
		return false
	}
	l.ownerKick()
	l.owner.sqCond.Wait()
	return l.fatal.Load() == nil
}

func (l *Loop) runnerDone() bool {
	select {
	case <-l.runDone:
		return true
	default:
		return false
	}
}

// wakeSQWaiters lets submitters waiting for SQ room re-check.
func (l *Loop) wakeSQWaiters(always bool) {
	if always || l.owner.sqWaiters.Load() > 0 {
		l.sqMu.Lock()
		l.owner.sqCond.Broadcast()
		l.sqMu.Unlock()
	}
}

// ownerDo runs fn on the owner's thread.
func (l *Loop) ownerDo(fn func(*Ring) error) error {
	done := make(chan error, 1)
	l.owner.doMu.Lock()
	l.owner.doQ = append(l.owner.doQ, func() { done <- fn(l.ring) })
	l.owner.doPending.Add(1)
	l.owner.doMu.Unlock()
	l.ownerKick()
	select {
	case err := <-done:
		return err
	case <-l.runDone:
		select {
		case err := <-done:
			return err
		default:
			return ErrClosed
		}
	}
}

func (l *Loop) runDo() {
	if l.owner.doPending.Load() == 0 {
		return
	}
	l.owner.doMu.Lock()
	q := l.owner.doQ
	l.owner.doQ = nil
	l.owner.doPending.Store(0)
	l.owner.doMu.Unlock()
	for _, fn := range q {
		fn()
	}
}
