package ring

import (
	"sync"
	"sync/atomic"
	"time"
)

// Loop is the goroutine-safe driver over a Ring. Any number of goroutines
// submit Requests (one SQE each, or contiguous groups of them that form
// link chains) and wait for their results; the Loop batches their SQEs into
// few io_uring_enter calls, routes every CQE back to its Request, keeps the
// memory the kernel uses reachable until the terminal CQE, and limits the
// requests in flight to what the CQ can hold.
//
// docs/design.md lists the Loop's invariants and their tests; the files
// loop_*.go each hold one part: admission (credits), slots (user_data to
// Request), group (link chains and skip-success), submit (SQ side),
// dispatch (CQ side), shared and owner (the two ways of entering the
// kernel), policy (the measured constants).
type Loop struct {
	cfg  loopConfig
	mode LoopMode
	ring *Ring

	sqEntries uint32
	cqEntries uint32
	maxGroup  int
	probe     *Probe

	// SQ side. sqMu orders SQE writes and the SQ tail store; published
	// counts SQEs made visible, so a Request's seq says when it was. The
	// counters every Submit changes live here, next to sqMu, and Submit
	// changes them under sqMu (the groups of fields that different cores
	// write for every op are kept apart by cacheLinePad, pad.go). Next
	// to, not on one line with: Go puts an 8-byte header in front of a
	// Loop (objects over 512 bytes with pointers), so no offset in the
	// struct is line-aligned, and sqMu and these counters span two lines.
	// Aligning the groups to 128 bytes (a leading pad for the header)
	// made NOPs from 64 goroutines 5% slower, 8 interleaved runs: with
	// sqMu and the counters that waiters and the dispatcher change
	// (users, inflight) on one line, each of those writes also took
	// sqMu's line from the submitters.
	_         cacheLinePad
	sqMu      sync.Mutex
	closed    atomic.Bool // set under sqMu: no user SQE is published after it is set (runnerShouldExit)
	sqGone    bool        // under sqMu: not even Close's cancels are published (owner mode: Close has nothing left to cancel, or the ring is being closed)
	published atomic.Uint64
	users     atomic.Int64  // requests submitted whose result was not yet collected by Wait/Next
	inflight  atomic.Int64  // user requests bound to slots
	maxInfl   atomic.Int64  // high-water mark of inflight
	accepted  atomic.Uint64 // requests accepted by Submit (Stats.Submitted)

	// Shared mode: enterMu serializes the enters that submit, so that the
	// count passed to io_uring_enter always ends on a group boundary.
	_         cacheLinePad
	enterMu   sync.Mutex
	submitted atomic.Uint64 // SQEs the kernel has consumed
	asyncRun  atomic.Int32  // under enterMu: recent enters whose SQEs went async, 0..asyncRunMax (noteAsync)
	cqTail    *uint32       // under enterMu: the CQ tail's address, read around each submitting enter (noteAsync); nil once Close unmaps the ring (dropCQTail)

	// CQ side. Whoever holds cqMu copies CQEs out and dispatches them:
	// the reaper or owner, or in shared mode a submitter or waiter that
	// finds its CQE already posted (inline completions).
	_          cacheLinePad
	cqMu       sync.Mutex
	cqBuf      []CQE        // under cqMu
	resolved   []resolution // under cqMu: resolved in this reap, not yet delivered (deliverResolved)
	freed      freeList     // under cqMu: their slots
	ringClosed bool         // under cqMu

	// doMu (shared mode) runs one Do's fn at a time, and Close takes it
	// before it closes the ring: the Ring is single-owner, and fn may
	// change its registration tables (TestLoopDoDuringClose).
	doMu sync.Mutex

	// Shared mode: the reaper parks on reaperWake (holding no thread)
	// while nothing is in flight.
	_          cacheLinePad
	reaperIdle atomic.Bool
	reaperWake chan struct{}
	waitArg    GeteventsArg // the reaper's EXT_ARG, on the heap
	wake       wakeTarget   // wakes a reaper asleep in the kernel after a fatal error (loop_wake.go)

	// Shared mode, the kernel-waiter role (loop_lead.go).
	_             cacheLinePad
	role          atomic.Int32            // roleFree, roleReaper, roleWaiter
	leader        atomic.Pointer[Request] // the leading waiter's Request (stored under cqMu)
	leaderReaping *Request                // under cqMu: set while the leader itself reaps
	leaderGrp     *group                  // under cqMu: the group of the Request leader was last set to (forLeader)
	readied       int                     // under cqMu: deliveries to other waiters in this reap
	checked       atomic.Uint64           // SQEs submitted and reaped after their enter
	parked        atomic.Int64            // waiters parked on their channel
	graceArmed    atomic.Bool             // grace is set to fire
	grace         *time.Timer             // kicks the reaper when nobody led (graceFire)
	leadTs        Timespec                // the leader's poll timeout, on the heap
	leadArg       GeteventsArg            // the leader's EXT_ARG
	stale         atomic.Bool             // the role holder may be asked to step down (wantLead)
	holderIn      atomic.Bool             // the role holder is in (or entering) io_uring_enter
	preemptOut    atomic.Bool             // a udPreempt CQE was posted and not yet reaped (loop_lead.go preempt)
	wantLead      atomic.Pointer[Request] // a waiter that asked a stale holder for the role

	// Shared mode, deferred flush (loop_policy.go): the flusher goroutine
	// enters on behalf of submitters that did not enter themselves.
	_              cacheLinePad
	flushScheduled atomic.Bool
	probing        atomic.Bool   // a submitter yields before it enters (flushProbe): submitters defer meanwhile
	eagerRun       atomic.Uint32 // eager decisions so far (flushProbe)
	probeShift     atomic.Uint32 // the probe interval is probeEvery<<probeShift (probed; fills the hole before flusherWake)
	flusherWake    chan struct{} // never closed: a Submit racing Close may still send
	flusherStop    atomic.Bool   // set by Close before its last wake-up
	flusherDone    chan struct{}

	_        cacheLinePad
	adm      admission // user requests: CQ entries minus reserve
	_        cacheLinePad
	internal admission // the Loop's own cancels
	_        cacheLinePad
	slots    slotTable
	_        cacheLinePad
	cseq     uint64       // under cqMu: resolutions so far (tests check order)
	intern   atomic.Int64 // internal SQEs whose CQE has not arrived

	_         cacheLinePad
	closing   atomic.Bool
	closeOnce sync.Once
	closeErr  error
	closeDone chan struct{}
	runDone   chan struct{}         // the reaper or owner goroutine has exited
	fatal     atomic.Pointer[error] // first error that broke the ring

	_      cacheLinePad
	owner  ownerState // owner mode only
	_      cacheLinePad
	stats  loopCounters
	_      cacheLinePad
	shards []*Loop     // WithRings(n > 1): the rings' own Loops (loop_rings.go)
	parent *Loop       // a ring of a WithRings Loop: that Loop
	picks  pickState   // WithRings: the ring of each P (loop_pick.go)
	inject injectState // WithRings: whether NOPs inject results (loop_rings_cancel.go)
	spill  *spillState // WithSpillRings: whether requests spread now (loop_spill.go)
	meter  *spillMeter // a ring of a WithSpillRings Loop: its enter time
	exact  exactState  // WithRings: drains and count timeouts (loop_rings_exact.go)

	_     cacheLinePad
	pbufs pbufTracker // buffer-select requests and unregistered provided-buffer rings (loop_pbuf_release.go)
}

// loopCounters are the Stats counters, updated with atomics.
type loopCounters struct {
	completed             atomic.Uint64
	enters, submitEnters  atomic.Uint64
	sqesSubmitted         atomic.Uint64
	waits                 atomic.Uint64
	sqFull, cqOverflow    atomic.Uint64
	busy                  atomic.Uint64
	cancels, stale        atomic.Uint64
	doorbells, interrupts atomic.Uint64
	preempts              atomic.Uint64
	probes                atomic.Uint64 // flushProbe yields (tests)
}

// LoopStats is a snapshot of a Loop's counters.
type LoopStats struct {
	Mode           string  // "shared" or "owner"
	Rings          int     // rings the requests are spread over
	Submitted      uint64  // requests accepted by Submit
	Completed      uint64  // requests resolved (terminal CQE or synthesized)
	InFlight       int64   // requests submitted and not yet resolved
	MaxInFlight    int64   // the most requests ever in flight at once
	Capacity       int     // the most requests admitted at once (CQ minus reserve)
	Enters         uint64  // io_uring_enter calls
	SubmitEnters   uint64  // enters that handed SQEs to the kernel
	SQEsSubmitted  uint64  // SQEs the kernel consumed, the Loop's own included
	AvgBatch       float64 // SQEsSubmitted / SubmitEnters
	Waits          uint64  // enters that blocked waiting for a CQE
	SQFull         uint64  // times a submitter found no room in the SQ
	CQOverflow     uint64  // times the kernel flagged IORING_SQ_CQ_OVERFLOW
	Busy           uint64  // enters that failed with EBUSY or EAGAIN
	AdmissionWaits uint64  // submissions that parked for lack of credits
	Cancels        uint64  // ASYNC_CANCEL SQEs sent
	StaleCQEs      uint64  // CQEs for requests already resolved
	Doorbells      uint64  // eventfd writes that woke the owner
	Interrupts     uint64  // enters interrupted by a signal (EINTR)
}

// NewLoop sets up a ring and starts the Loop's goroutine (the reaper in
// shared mode, the owner in owner mode). Close it when done: a Loop that
// is dropped without Close keeps its rings (their fds and memory) and its
// goroutines for the life of the process. A program that needs no Loop of
// its own shares DefaultLoop.
func NewLoop(opts ...LoopOption) (*Loop, error) {
	cfg := loopConfig{entries: defaultEntries, mode: ModeAuto, ownerYield: true}
	for _, o := range opts {
		o(&cfg)
	}
	if !cfg.ringsSet {
		cfg.rings, cfg.spill = defaultRings(cfg)
	}
	if cfg.rings < 1 {
		return nil, &SetupError{Rule: "WithRings and WithSpillRings need at least 1 ring"}
	}
	if cfg.rings > 1 {
		return newShardedLoop(cfg, opts)
	}
	if cfg.entries == 0 {
		return nil, &SetupError{Rule: "Loop entries must be at least 1"}
	}
	if cfg.cqSize == 0 {
		cfg.cqSize = cqFactor * roundPow2(min(cfg.entries, 32768))
	}
	mode := cfg.mode
	if mode == ModeAuto {
		mode = defaultMode
	}
	if cfg.sqPoll {
		if cfg.mode == ModeOwner {
			return nil, &SetupError{Rule: "SQPOLL cannot be combined with owner mode (DEFER_TASKRUN)"}
		}
		mode = ModeShared
	}
	if !cfg.spinSet {
		cfg.spin = defaultSpin(mode)
	}
	if !cfg.minWaitSet {
		cfg.minWait = defaultMinWait
	}
	l := &Loop{cfg: cfg, mode: mode, closeDone: make(chan struct{}), runDone: make(chan struct{}),
		reaperWake: make(chan struct{}, 1), cqBuf: make([]CQE, reapBatch), resolved: make([]resolution, 0, reapBatch),
		flusherWake: make(chan struct{}, 1), flusherDone: make(chan struct{})}
	var err error
	if mode == ModeOwner {
		err = l.startOwner()
	} else {
		err = l.startShared()
	}
	if err != nil {
		return nil, err
	}
	return l, nil
}

// ringOptions builds the ring setup options of the mode.
func (l *Loop) ringOptions(modeFlags SetupFlags) ([]Option, error) {
	var c config
	for _, o := range l.cfg.ringOpts {
		o(&c)
	}
	if l.mode == ModeShared && c.flags&(SetupSingleIssuer|SetupDeferTaskrun) != 0 {
		return nil, &SetupError{Rule: "SINGLE_ISSUER and DEFER_TASKRUN need owner mode (WithMode(ModeOwner))"}
	}
	if c.flags&(SetupIOPoll|SetupSQE128|SetupCQE32|SetupCQEMixed|SetupRegisteredFdOnly) != 0 {
		return nil, &SetupError{Rule: "the Loop does not drive IOPOLL, SQE128, CQE32, CQE_MIXED or REGISTERED_FD_ONLY rings"}
	}
	if c.flags&SetupRDisabled != 0 {
		// Every enter fails with EBADFD until the ring is enabled, which
		// the Loop never does: its requests could never be submitted.
		return nil, &SetupError{Rule: "the Loop does not drive R_DISABLED rings"}
	}
	opts := append([]Option{}, l.cfg.ringOpts...)
	opts = append(opts, WithFlags(modeFlags|SetupSubmitAll), WithCQSize(max(l.cfg.cqSize, l.cfg.entries)))
	if l.cfg.sqPoll {
		opts = append(opts, WithSQPoll(l.cfg.sqIdle))
	}
	return opts, nil
}

// adopt finishes setup once the ring exists: probe, credits, slots.
func (l *Loop) adopt(r *Ring) error {
	p, err := r.Probe()
	if err != nil {
		return err
	}
	if r.Features()&FeatNoDrop == 0 {
		return &NotSupportedError{What: "IORING_FEAT_NODROP", Kernel: KernelVersion{5, 5}}
	}
	if r.Flags()&SetupSQPoll != 0 {
		// SQPOLL may come through WithRingOptions rather than
		// WithLoopSQPoll. Either way the kernel's poller submits, and once
		// it sleeps only IORING_ENTER_SQ_WAKEUP wakes it: without this the
		// Loop would enter with to_submit, which SQPOLL ignores, and every
		// request after the poller's first idle period would hang.
		l.cfg.sqPoll = true
	}
	if l.cfg.iowqSet {
		if _, _, err := r.RegisterIOWQMaxWorkers(l.cfg.iowq[0], l.cfg.iowq[1]); err != nil {
			return err
		}
	}
	l.ring, l.probe = r, p
	l.sqEntries, l.cqEntries = r.SQEntries(), r.CQEntries()
	l.cqTail = r.cqTailAddr()
	reserve := cancelReserve(l.cqEntries) + 1 // +1: the owner's doorbell read, or in shared mode the one udPreempt CQE
	if int(l.cqEntries) <= reserve {
		return &SetupError{Rule: "Loop CQ too small: needs more than " + itoa(int64(reserve)) + " entries"}
	}
	users := int(l.cqEntries) - reserve
	l.adm.init(int64(users))
	l.internal.init(int64(reserve - 1))
	l.slots.init(users)
	l.maxGroup = min(int(l.sqEntries), users)
	return nil
}

// MaxGroup returns the longest group Submit accepts: the SQ entries, or
// fewer if the CQ admits fewer requests at once.
func (l *Loop) MaxGroup() int { return l.maxGroup }

// Mode returns the mode the Loop runs in.
func (l *Loop) Mode() LoopMode { return l.mode }

// Features returns the IORING_FEAT_* bits of the Loop's ring.
func (l *Loop) Features() Features {
	if l.shards != nil {
		return l.shards[0].Features()
	}
	return l.ring.Features()
}

// CheckOp returns nil if the running kernel implements op, and otherwise a
// *NotSupportedError (errors.Is(err, ErrNotSupported)) naming it.
func (l *Loop) CheckOp(op Op) error {
	if l.probe.Supports(op) {
		return nil
	}
	return &NotSupportedError{What: "IORING_OP_" + op.String(), Kernel: op.Kernel()}
}

// Do runs fn with the Loop's Ring for registration calls (RegisterBuffers,
// RegisterFiles, ...) and waits for it: in owner mode on the owner's OS
// thread, which SINGLE_ISSUER requires of io_uring_register too. Calls
// from several goroutines run one at a time, and Close waits for a
// running fn before it closes the ring; once Close has begun, Do returns
// ErrClosed without running fn. fn must not get SQEs, submit or reap (the
// Loop owns the queues), nor call Do or Close.
//
// On a Loop over several rings (WithRings, WithSpillRings, and a
// shared-mode Loop made without either, which has up to GOMAXPROCS rings)
// Do runs fn once per ring, home ring first, and stops at the first error,
// leaving the rings before it with whatever fn did to them. So fn must be
// repeatable per ring, and a value it returns (a personality id, a
// registered ring fd index) is the last ring's; DoBufferGroup runs on the
// home ring only.
func (l *Loop) Do(fn func(r *Ring) error) error {
	if l.shards != nil {
		return l.doSharded(fn)
	}
	fn = l.retiring(fn) // the Loop takes over the provided-buffer rings fn unregisters
	if l.mode == ModeOwner {
		if l.closing.Load() {
			return ErrClosed
		}
		return l.ownerDo(fn)
	}
	l.doMu.Lock()
	defer l.doMu.Unlock()
	if l.closing.Load() {
		return ErrClosed
	}
	return fn(l.ring)
}

// Stats returns a snapshot of the Loop's counters.
func (l *Loop) Stats() LoopStats {
	if l.shards != nil {
		return l.statsSharded()
	}
	s := &l.stats
	st := LoopStats{
		Mode:           l.mode.String(),
		Rings:          1,
		Submitted:      l.accepted.Load(),
		Completed:      l.completedCount(),
		InFlight:       l.inflight.Load(),
		MaxInFlight:    l.maxInfl.Load(),
		Capacity:       len(l.slots.slots),
		Enters:         s.enters.Load(),
		SubmitEnters:   s.submitEnters.Load(),
		SQEsSubmitted:  s.sqesSubmitted.Load(),
		Waits:          s.waits.Load(),
		SQFull:         s.sqFull.Load(),
		CQOverflow:     s.cqOverflow.Load(),
		Busy:           s.busy.Load(),
		AdmissionWaits: l.adm.stalls.Load(),
		Cancels:        s.cancels.Load(),
		StaleCQEs:      s.stale.Load(),
		Doorbells:      s.doorbells.Load(),
		Interrupts:     s.interrupts.Load(),
	}
	if st.SubmitEnters > 0 {
		st.AvgBatch = float64(st.SQEsSubmitted) / float64(st.SubmitEnters)
	}
	return st
}

// Close stops new submissions (they get ErrClosed), asks the kernel to
// cancel everything in flight, waits for every terminal CQE (so every
// waiter gets its op's own result, usually -ECANCELED), stops the Loop's
// goroutine and only then closes the ring. A zero-copy send whose result
// has arrived but whose NOTIF has not within a second (a peer that does
// not read keeps the data in the socket) is not waited for: its waiter
// gets ErrClosed, and its buffer is kept for good (see Request.Wait). A
// second Close waits for the first and returns nil.
func (l *Loop) Close() error {
	first := false
	l.closeOnce.Do(func() {
		first = true
		if l.shards != nil {
			l.closing.Store(true)
			l.closeErr = l.closeSharded()
		} else {
			l.closeErr = l.close()
		}
		close(l.closeDone)
	})
	<-l.closeDone
	if first {
		return l.closeErr
	}
	return nil
}

func (l *Loop) close() error {
	l.closing.Store(true)
	l.sqMu.Lock()
	l.closed.Store(true)
	l.sqMu.Unlock()
	l.adm.close()
	t := time.NewTicker(closeRecancel)
	defer t.Stop()
	start := time.Now()
	for {
		l.cancelAll()
		if l.mode == ModeShared {
			// A reaper parked for lack of work must see closing (Dekker
			// pair: closing is stored above, reaperIdle loaded here).
			l.kickReaper()
		}
		select {
		case <-l.runDone:
			if l.mode == ModeShared {
				// Not close(flusherWake): a Submit that got in before
				// closed was set may still be in its kick, and a send on a
				// closed channel panics.
				l.flusherStop.Store(true)
				select {
				case l.flusherWake <- struct{}{}:
				default: // a wake-up is pending; the flusher sees the stop after it
				}
				<-l.flusherDone
				l.doMu.Lock() // a running Do finishes before the ring closes
				defer l.doMu.Unlock()
				l.cqMu.Lock()
				defer l.cqMu.Unlock()
				l.ringClosed = true
				l.dropCQTail()
				err := l.ring.Close()
				l.closeRetire()
				l.closeWake()
				return err
			}
			return l.owner.closeErr
		case <-t.C:
			// Something survived the cancel (an op that was still being
			// queued, or one that ignored it): cancel again. Zero-copy
			// sends waiting for their NOTIF are given up after a while
			// (loop_close_notif.go); the goroutine that waits in the
			// kernel is woken to see that nothing is left in flight.
			if time.Since(start) >= closeNotifWait && l.abandonNotifs() > 0 {
				if l.mode == ModeOwner {
					l.ownerKick()
				} else {
					l.wakeReaper()
				}
			}
		}
	}
}

// runnerShouldExit reports whether the reaper or owner may stop: the Loop
// is closed and no CQE, user or internal, is still owed. Closed, not only
// closing: Close sets closed under sqMu after closing, and a Submit that
// passed its closing check before it still publishes, and counts its
// requests in flight, under sqMu; a runner that left when closing was set
// and nothing was in flight yet left that request without anyone to reap
// it, and Close then closed the ring under it (its waiter parked for good,
// or its enter failed with EBADF: TestLoopCloseDuringSubmits, about once
// in a few hundred rounds under -race on a busy machine). In owner mode
// the owner itself ends publication when Close has nothing left to
// cancel (owner.drained, with sqGone under sqMu; only the owner goroutine
// writes or reads it), possibly before Close has set closed; it must not
// then wait for closed, which nothing would wake it to see.
func (l *Loop) runnerShouldExit() bool {
	return l.fatal.Load() != nil || (l.closed.Load() || l.owner.drained) && l.inflight.Load() == 0 && l.intern.Load() == 0
}

// noteFatal records an error that makes the ring unusable and closes the
// Loop to submissions; the reaper or owner then resolves every request in
// flight with it (failAll) and stops. Safe from any goroutine.
func (l *Loop) noteFatal(err error) {
	first := l.fatal.CompareAndSwap(nil, &err)
	l.closing.Store(true)
	l.adm.close()
	if first && l.parent != nil {
		l.parent.breakShards(l, err) // loop_rings.go
	}
	if l.mode == ModeOwner {
		// Only the owner enters, so it is awake and sees the error.
		l.ownerKick()
		return
	}
	l.kickReaper()
	if first {
		// A reaper asleep in io_uring_enter sees the error only when a
		// CQE arrives; post one (loop_wake.go). Once is enough: the CQE
		// stays until reaped, and a reaper that reaped it sees fatal.
		l.wakeReaper()
	}
}

var (
	defaultLoopMu sync.Mutex
	defaultLoop   *Loop
)

// DefaultLoop returns the process-wide Loop, creating it with the default
// options on first use (and again if it was closed). It is shared (uringos
// runs on it), so leave closing it to the end of the program: a Close
// while others use it fails their operations in flight with ECANCELED and
// the later ones of Files opened on it with ErrClosed.
func DefaultLoop() (*Loop, error) {
	defaultLoopMu.Lock()
	defer defaultLoopMu.Unlock()
	if defaultLoop != nil && !defaultLoop.closing.Load() {
		return defaultLoop, nil
	}
	l, err := NewLoop()
	if err != nil {
		return nil, err
	}
	defaultLoop = l
	return l, nil
}
