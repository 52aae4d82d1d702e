package ring

import "time"

// LoopMode selects who enters the kernel.
type LoopMode int

const (
	// ModeAuto picks the mode from the kernel and the measurements in
	// docs/heuristics.md (currently: shared).
	ModeAuto LoopMode = iota
	// ModeShared: any goroutine enters to submit (group commit: one enter
	// carries every SQE published while the previous one ran), and a reaper
	// goroutine waits for CQEs. The ring has no SINGLE_ISSUER.
	ModeShared
	// ModeOwner: one goroutine locked to its OS thread creates the ring
	// with SINGLE_ISSUER|DEFER_TASKRUN (6.1) and makes every io_uring_enter
	// and io_uring_register call. Submitters only write SQEs; they ring an
	// eventfd doorbell when the owner sleeps. The doorbell is an
	// IORING_OP_READ of that eventfd which the owner keeps in flight, so an
	// ASYNC_CANCEL by opcode READ or with CANCEL_ANY may cancel it too and
	// then counts it in its result (the Loop arms it again).
	ModeOwner
)

// String returns the mode's name: "auto", "shared" or "owner".
func (m LoopMode) String() string {
	switch m {
	case ModeShared:
		return "shared"
	case ModeOwner:
		return "owner"
	}
	return "auto"
}

// LoopOption configures NewLoop.
type LoopOption func(*loopConfig)

type loopConfig struct {
	entries     uint32
	cqSize      uint32
	mode        LoopMode
	sqPoll      bool
	sqIdle      time.Duration
	spin        time.Duration
	spinSet     bool
	flushPolicy flushPolicy
	iowq        [2]uint32
	iowqSet     bool
	rings       int
	spill       bool
	ringsSet    bool // WithRings or WithSpillRings was given (else defaultRings)
	minWait     time.Duration
	minWaitSet  bool
	ownerYield  bool
	ringOpts    []Option
}

// WithEntries sets the number of SQ entries (default 256). A batch that
// submitters leave to the Loop's flusher gathers at most a quarter of
// them (fewer on a ring whose requests go async), so a small SQ also
// makes smaller batches: 32 entries cost cached reads from 32 goroutines
// 5% of their throughput (docs/heuristics.md, section 2).
func WithEntries(n uint32) LoopOption { return func(c *loopConfig) { c.entries = n } }

// WithLoopCQSize sets the number of CQ entries (IORING_SETUP_CQSIZE). The
// Loop admits at most this many requests in flight, minus a small reserve
// for its own cancel and doorbell SQEs, so a larger CQ allows a deeper
// queue. Default: 4x the SQ entries.
func WithLoopCQSize(n uint32) LoopOption { return func(c *loopConfig) { c.cqSize = n } }

// WithMode selects shared or owner mode (default ModeAuto).
func WithMode(m LoopMode) LoopOption { return func(c *loopConfig) { c.mode = m } }

// WithLoopSQPoll makes the ring use a kernel SQ polling thread
// (IORING_SETUP_SQPOLL) that sleeps after idle; submitters then enter only
// to wake it. Forces shared mode (SQPOLL excludes DEFER_TASKRUN). On a
// machine with few cores the poller competes with the application for a
// CPU (docs/guide.md, "SQPOLL"), so it is off by default.
func WithLoopSQPoll(idle time.Duration) LoopOption {
	return func(c *loopConfig) { c.sqPoll, c.sqIdle = true, idle }
}

// WithSpin sets how long the owner goroutine (owner mode) or the reaper
// (shared mode) keeps polling the rings after the last activity before it
// blocks in io_uring_enter. 0 blocks at once.
func WithSpin(d time.Duration) LoopOption {
	return func(c *loopConfig) { c.spin, c.spinSet = d, true }
}

// WithRingOptions passes ring Options (setup flags) through to New. The
// Loop adds the flags its mode needs; flags that break the mode (for
// example SINGLE_ISSUER in shared mode) make NewLoop fail with a
// *SetupError.
func WithRingOptions(opts ...Option) LoopOption {
	return func(c *loopConfig) { c.ringOpts = append(c.ringOpts, opts...) }
}

// WithEagerFlush makes every submitter enter the kernel itself (batching
// only what other goroutines publish while an enter is in progress),
// instead of deferring to the flusher when many requests are in flight.
// For measurements (docs/heuristics.md); shared mode only.
func WithEagerFlush() LoopOption { return func(c *loopConfig) { c.flushPolicy = flushEager } }

// WithIOWQMaxWorkers caps the kernel's io-wq worker threads that serve
// the Loop's requests (IORING_REGISTER_IOWQ_MAX_WORKERS, 5.15): bounded
// workers run regular-file and block I/O that cannot complete without
// blocking (an O_DIRECT read the device queue cannot take at once, a
// buffered read that misses the page cache), unbounded ones run requests
// that may block forever. They are threads of the process, so the cap
// bounds its thread count. 0 leaves a limit at the kernel's default
// (bounded: 4x the CPUs; unbounded: RLIMIT_NPROC).
func WithIOWQMaxWorkers(bounded, unbounded uint32) LoopOption {
	return func(c *loopConfig) { c.iowq, c.iowqSet = [2]uint32{bounded, unbounded}, true }
}

// WithMinWait sets the reaper's batching window (shared mode, needs
// FEAT_MIN_TIMEOUT, 6.12): with many requests in flight it sleeps until a
// quarter of them completed or d after the first completion. 0 disables
// it (wake on every completion).
func WithMinWait(d time.Duration) LoopOption {
	return func(c *loopConfig) { c.minWait, c.minWaitSet = d, true }
}

// WithOwnerYield makes the owner goroutine (owner mode) yield its P
// before it blocks in the kernel whenever it has woken waiters since it
// last yielded or slept, so they run at once instead of when another
// thread steals them or sysmon retakes the blocked thread's P. Default on.
func WithOwnerYield(on bool) LoopOption { return func(c *loopConfig) { c.ownerYield = on } }
