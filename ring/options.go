package ring

import "time"

// Option configures a Ring at New. Each maps to one IORING_SETUP_* flag (or
// a params field); combinations the kernel rejects are refused by New with a
// *SetupError naming the rule, before io_uring_setup is called.
type Option func(*config)

type config struct {
	flags       SetupFlags
	cqEntries   uint32
	sqThreadCPU int
	sqIdle      time.Duration // WithSQPoll's idle, checked by validate
	wqFd        uint32
	ringMem     []byte // NO_MMAP: SQ/CQ rings
	sqeMem      []byte // NO_MMAP: SQE array
}

// WithFlags ORs raw IORING_SETUP_* flags into the setup. It is the escape
// hatch for flags newer than this package; the named options are clearer.
func WithFlags(f SetupFlags) Option { return func(c *config) { c.flags |= f } }

// WithIOPoll sets IORING_SETUP_IOPOLL (5.1): completions are busy-polled.
// Only O_DIRECT reads and writes on devices with poll queues (and NOP,
// URING_CMD) may be submitted; others fail with EOPNOTSUPP.
func WithIOPoll() Option { return WithFlags(SetupIOPoll) }

// WithHybridIOPoll sets IORING_SETUP_HYBRID_IOPOLL (6.13): IOPOLL that
// sleeps before it polls. Needs WithIOPoll.
func WithHybridIOPoll() Option { return WithFlags(SetupHybridIOPoll) }

// WithSQPoll sets IORING_SETUP_SQPOLL (5.1): a kernel thread polls the SQ,
// so submission needs no syscall while it is awake. idle is how long the
// thread spins before it sleeps (sq_thread_idle, rounded up to whole
// milliseconds; 0 lets the kernel choose, one second). New refuses a
// negative idle, or one above 2^32-1 ms, with a *SetupError.
func WithSQPoll(idle time.Duration) Option {
	return func(c *config) {
		c.flags |= SetupSQPoll
		c.sqIdle = idle
	}
}

// maxSQIdle is the longest sq_thread_idle the u32 millisecond field holds.
const maxSQIdle = (1<<32 - 1) * time.Millisecond

// sqThreadIdle is sq_thread_idle for idle: milliseconds, a sub-millisecond
// idle rounded up, not down (0 means the kernel's default, 1 s). validate
// has checked that it fits.
func sqThreadIdle(idle time.Duration) uint32 {
	return uint32((idle + time.Millisecond - 1) / time.Millisecond)
}

// WithSQThreadCPU sets IORING_SETUP_SQ_AFF (5.1): pin the SQPOLL thread to
// cpu (0 to 2^32-1). Needs WithSQPoll.
func WithSQThreadCPU(cpu int) Option {
	return func(c *config) {
		c.flags |= SetupSQAff
		c.sqThreadCPU = cpu
	}
}

// WithCQSize sets IORING_SETUP_CQSIZE (5.5): the CQ gets n entries (rounded
// up to a power of two) instead of twice the SQ. n must be at least the
// number of SQ entries.
func WithCQSize(n uint32) Option {
	return func(c *config) {
		c.flags |= SetupCQSize
		c.cqEntries = n
	}
}

// WithClamp sets IORING_SETUP_CLAMP (5.6): oversized entry counts are
// clamped to the kernel's maximum instead of failing with EINVAL.
func WithClamp() Option { return WithFlags(SetupClamp) }

// WithAttachWQ sets IORING_SETUP_ATTACH_WQ (5.6): share the io-wq worker
// pool (and the SQPOLL thread) of the ring whose fd is ringFd.
func WithAttachWQ(ringFd int) Option {
	return func(c *config) {
		c.flags |= SetupAttachWQ
		c.wqFd = uint32(ringFd)
	}
}

// WithDisabled sets IORING_SETUP_R_DISABLED (5.10): the ring starts
// disabled, so restrictions can be registered; Enable starts it.
func WithDisabled() Option { return WithFlags(SetupRDisabled) }

// WithSubmitAll sets IORING_SETUP_SUBMIT_ALL (5.18): keep submitting the
// rest of a batch after one SQE fails at submission.
func WithSubmitAll() Option { return WithFlags(SetupSubmitAll) }

// WithCoopTaskrun sets IORING_SETUP_COOP_TASKRUN (5.19): no IPI to run
// completion task work; it runs at the next kernel transition.
func WithCoopTaskrun() Option { return WithFlags(SetupCoopTaskrun) }

// WithTaskrunFlag sets IORING_SETUP_TASKRUN_FLAG (5.19): the kernel sets
// IORING_SQ_TASKRUN when task work is pending, and PeekCQE enters to run
// it. Needs WithCoopTaskrun or WithDeferTaskrun.
func WithTaskrunFlag() Option { return WithFlags(SetupTaskrunFlag) }

// WithSQE128 sets IORING_SETUP_SQE128 (5.19): 128-byte SQEs (GetSQE128),
// needed by some URING_CMD users such as NVMe passthrough.
func WithSQE128() Option { return WithFlags(SetupSQE128) }

// WithCQE32 sets IORING_SETUP_CQE32 (5.19): 32-byte CQEs (BigCQE).
func WithCQE32() Option { return WithFlags(SetupCQE32) }

// WithCQEMixed sets IORING_SETUP_CQE_MIXED (6.18): 16- and 32-byte CQEs in
// one ring; big ones carry IORING_CQE_F_32. Not with WithCQE32.
func WithCQEMixed() Option { return WithFlags(SetupCQEMixed) }

// WithSingleIssuer sets IORING_SETUP_SINGLE_ISSUER (6.0): only the thread
// that created the ring (or enabled it, with WithDisabled) may submit; any
// other gets EEXIST. Call runtime.LockOSThread before New and keep every
// Submit on that goroutine.
func WithSingleIssuer() Option { return WithFlags(SetupSingleIssuer) }

// WithDeferTaskrun sets IORING_SETUP_DEFER_TASKRUN (6.1): completion work
// runs only when the issuer enters with GETEVENTS (SubmitAndWait,
// GetEvents). Needs WithSingleIssuer; not with WithSQPoll.
func WithDeferTaskrun() Option { return WithFlags(SetupDeferTaskrun) }

// WithNoMmap sets IORING_SETUP_NO_MMAP (6.5): the rings live in memory the
// application provides instead of kernel memory mapped afterwards. rings
// holds the SQ and CQ rings, sqes the SQE array; both must be page-aligned
// (use memory from mmap) and large enough (NoMmapSizes). Nil slices make New
// allocate anonymous memory itself. The memory must outlive the Ring.
func WithNoMmap(rings, sqes []byte) Option {
	return func(c *config) {
		c.flags |= SetupNoMmap
		c.ringMem, c.sqeMem = rings, sqes
	}
}

// WithRegisteredFdOnly sets IORING_SETUP_REGISTERED_FD_ONLY (6.5): setup
// returns a registered-ring index instead of an fd. Needs WithNoMmap. The
// Ring then has no fd (Fd returns -1) and must be used from the thread that
// created it.
func WithRegisteredFdOnly() Option { return WithFlags(SetupRegisteredFdOnly) }

// WithNoSQArray sets IORING_SETUP_NO_SQARRAY (6.6): no SQ index array; SQEs
// are consumed in ring order. Saves a cache line per submission.
func WithNoSQArray() Option { return WithFlags(SetupNoSQArray) }
