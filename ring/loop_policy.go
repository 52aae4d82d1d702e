package ring

import (
	"runtime"
	"time"
)

// The Loop's policy constants, kept apart from the mechanism so they can
// be read (and measured) in one place. docs/heuristics.md records the
// measurements behind each.
const (
	// defaultEntries: SQ entries of a Loop made without WithEntries.
	defaultEntries = 256
	// cqFactor: CQ entries per SQ entry by default. The CQ bounds the
	// requests in flight (admission), so it is larger than the SQ: many
	// goroutines keep deep queues while each enter carries a modest batch.
	cqFactor = 4
	// defaultMode: the mode ModeAuto picks.
	defaultMode = ModeShared
	// closeRecancel: how often Close repeats its cancel-all while it waits
	// for the last terminal CQEs.
	closeRecancel = 50 * time.Millisecond
	// cancelRetry: delay before a cancel that got -EALREADY is sent again.
	cancelRetry = time.Millisecond
	// reapBatch: CQEs copied out of the ring per PeekBatch.
	reapBatch = 256
	// reapWaitDiv: with min-wait batching, the reaper asks for
	// inflight/reapWaitDiv completions per wake-up.
	reapWaitDiv = 4
	// defaultMinWait: the reaper's batching window (WithMinWait).
	defaultMinWait = 0
)

// defaultRings is the ring count and spreading of a Loop made without
// WithRings or WithSpillRings: WithSpillRings(GOMAXPROCS), at most
// maxDefaultRings, in shared mode without SQPOLL; one ring otherwise.
//
// A ring's inline work (page-cache copies) runs on the one thread that
// enters it, so one ring makes cached 4 KiB reads at QD 32 at 0.45x of
// os.File.ReadAt from 32 goroutines on two cores; spreading over two
// rings once the home ring's thread is saturated makes 0.76-0.81x, and
// the rows with little concurrency (QD 1, one echo connection, NOPs from
// one goroutine) stay on the home ring, at one ring's latency
// (docs/heuristics.md, section 5). Owner mode never spreads, so extra
// rings would only cost their owner threads; SQPOLL would start a poller
// thread per ring.
func defaultRings(c loopConfig) (rings int, spill bool) {
	var rc config
	for _, o := range c.ringOpts {
		o(&rc)
	}
	if c.mode == ModeOwner || c.sqPoll || rc.flags&SetupSQPoll != 0 {
		return 1, false
	}
	n := min(runtime.GOMAXPROCS(0), maxDefaultRings)
	return n, n > 1
}

// maxDefaultRings bounds defaultRings on machines with many cores: every
// ring costs two descriptors, its memory and two parked goroutines even
// while the Loop does not spread. Not a measured optimum (this machine
// has two cores); WithSpillRings takes any count up to maxRings.
const maxDefaultRings = 8

// defaultSpin is how long the reaper (shared) or owner keeps polling for
// work before it blocks in io_uring_enter.
//
// Shared mode: 20 µs. The reaper yields while it polls, its goroutine
// (Gosched) and its thread (sched_yield, osYield), so it takes CPU only
// from an idle P and lets a thread runnable on its CPU run: the thread
// whose task work posts the CQEs it polls for (O_DIRECT reads at QD 32:
// +4-7%, docs/heuristics.md section 4). The poll saves the kernel
// wake-up of the reaper's thread when completions follow each other
// closely (cached random reads at QD 32: 684k vs 463k reads/s on a quiet
// machine; neutral at QD 1, for O_DIRECT and for NOPs). Owner mode:
// ownerSpin (loop_owner.go).
func defaultSpin(m LoopMode) time.Duration {
	if m == ModeOwner {
		return ownerSpin
	}
	return 20 * time.Microsecond
}

// cancelReserve is how many CQ entries are kept for the Loop's own
// ASYNC_CANCEL SQEs (each needs a CQE slot of its own).
func cancelReserve(cq uint32) int {
	return max(2, min(64, int(cq/16)))
}

// flushNow decides, in shared mode, whether the goroutine that just
// published SQEs enters the kernel itself (eager: lowest latency, one
// enter per op when few goroutines submit) or leaves it to the flusher
// goroutine, which yields first so that the other runnable submitters
// join the batch (deferred: fewer, larger enters when many goroutines
// submit). Deferred only when enough requests are in flight for a batch
// to form, and never past the high-water mark of pending SQEs. Eager
// also once the batch is complete: when every request submitted and not
// yet collected is waiting for this enter (its SQE is published, not
// submitted), nobody else is going to join it; in a closed loop that is
// the last goroutine of the batch, which then enters without waiting for
// the flusher to get a turn.
//
// Every probeEvery-th eager decision is a probe instead (flushProbe).
func (l *Loop) flushNow() flushDecision {
	if l.cfg.flushPolicy == flushEager {
		return flushEnter
	}
	if l.probing.Load() {
		if l.pending() >= l.batchCap() {
			return flushEnter
		}
		return flushDefer
	}
	if !l.batchDone() && l.users.Load() >= deferBelowUsers {
		return flushDefer
	}
	if l.parent == nil && l.eagerRun.Add(1)&(probeEvery<<l.probeShift.Load()-1) == 0 {
		return flushProbe
	}
	return flushEnter
}

// flushDecision is flushNow's answer.
type flushDecision int

const (
	flushDefer flushDecision = iota // leave it to the flusher (scheduleFlush)
	flushEnter                      // enter now (flush)
	// flushProbe: yield once, then enter. The eager rule counts only
	// requests submitted and not yet collected, so it cannot see
	// goroutines that are runnable but have not submitted yet. On one P
	// that is a stable trap: a goroutine whose op completes inside its
	// own enter never parks, so it submits alone, and eagerly, until the
	// scheduler preempts it (10 ms), and the next one does the same: one
	// enter per op, 1.6M NOPs/s from 64 goroutines at GOMAXPROCS=1
	// instead of 3.8M. The probe lets the runnable goroutines run first;
	// while it yields (probing) every submitter defers, so their SQEs
	// join its enter and the Loop is back in the batched regime, where
	// the goroutines waiting for their results count (4096 NOPs from 64
	// goroutines on one P then take 30 SQEs per enter; 3.9M NOPs/s,
	// TestLoopBatchesClosedLoopOnOneP). Only a Loop with one ring probes
	// (the default at GOMAXPROCS=1): on the rings of a Loop over several,
	// the submitters of the other rings stayed eager, and a prober's
	// yield put it behind goroutines that never parked, each running
	// until preempted (TestLoopDependentChainOnOneP, two rings: 100,000
	// dependent ops took 140 s instead of 0.3 s), and with both cores the
	// rings' probes cost NOPs from 64 goroutines 5% (3.27M against 3.43M
	// NOPs/s on the default two rings, medians of 7 runs).
	flushProbe
)

// probeEvery: eager decisions per probe (flushProbe). A yield is not free
// even with nothing else runnable (with two Ps the goroutine may resume
// on the other one): a probe every 64 eager ops cost QD 1 NOPs 14% of
// their throughput (1.38M -> 1.19M per second, 5 interleaved runs); every
// 4096 costs nothing measurable (1.40M against 1.43M) and still leaves
// the trap within a few milliseconds.
const probeEvery = 4096

// probeMaxShift bounds the probe's back-off: a probe during which no
// other goroutine published an SQE doubles the interval to the next one,
// up to probeEvery<<probeMaxShift (262,144 eager decisions); one that
// found others resets it (probed). A yield at GOMAXPROCS=1 waits for
// every runnable goroutine, and one that computes runs until the scheduler
// preempts it, 10 ms later: 100,000 NOPs from one goroutine beside one
// CPU-bound goroutine took 472-481 ms with a probe every 4096 (24 stalls
// of 10-18 ms), 145-150 ms with none. In the trap the probe is for, the
// goroutines it lets run publish their SQEs, so it stays at probeEvery
// (NOPs from 64 goroutines at GOMAXPROCS=1: 7-8 probes in 1.92M NOPs, the
// interval back at probeEvery at the end).
const probeMaxShift = 6

// probeYield is flushProbe's yield: submitters defer while it lasts, so
// that the goroutines it lets run join the enter that follows it.
func (l *Loop) probeYield() {
	pub := l.published.Load()
	l.probing.Store(true)
	runtime.Gosched()
	l.probing.Store(false)
	l.probed(l.published.Load() != pub)
}

// probed records a probe and whether others published while it yielded
// (useful).
func (l *Loop) probed(useful bool) {
	l.stats.probes.Add(1)
	switch sh := l.probeShift.Load(); {
	case useful && sh != 0:
		l.probeShift.Store(0)
	case !useful && sh < probeMaxShift:
		l.probeShift.Store(sh + 1)
	}
}

// pending is how many published SQEs wait to be submitted.
func (l *Loop) pending() uint64 { return l.published.Load() - l.submitted.Load() }

// batchDone reports whether the SQEs waiting to be submitted fill a
// batch (batchCap), or every request submitted and not yet collected
// (users) is among them. Read without a lock, it may be off by the
// requests being submitted or collected meanwhile; it only chooses
// between entering now and a little later (the flusher is the safety
// net), never whether an SQE reaches the kernel.
func (l *Loop) batchDone() bool {
	pend := l.pending()
	return pend >= l.batchCap() || l.users.Load() <= int64(pend)
}

// batchCap is the most SQEs a deferred batch gathers before a submitter
// enters: a quarter of the SQ; while the ring's recent enters went async
// (asyncRun), at most asyncBatch, or a quarter of the async requests in
// flight if that is more.
func (l *Loop) batchCap() uint64 {
	c := uint64(l.sqEntries / 4)
	if l.asyncRun.Load() >= asyncRunMin {
		c = min(c, max(asyncBatch, uint64(max(l.asyncOps(), 0))/asyncBatchDiv))
	}
	return max(c, 1)
}

// asyncBatch and asyncBatchDiv cap the batch on a ring whose requests go
// async (a device's reads). The device starts on an enter's reads only
// when the enter ends (the block layer plugs them), so while few of them
// are in flight a batch leaves it idle for as long as the batch takes to
// gather and enter; with many in flight it has work meanwhile, and larger
// batches save enters. O_DIRECT 4 KiB reads on the test machine's virtio
// disk (docs/heuristics.md, section 2): the C baseline made 66-74k
// reads/s at QD 32 with one enter for all the refills of a burst, 77-86k
// with one per 8, 78-87k with one per refill (fio: 78-82k); the Loop with
// 256 SQ entries and no cap (31 SQEs per enter) 51-54k, capped at 8 59-66k;
// against fio, in four interleaved series of 10-14 rows, a cap of 4 made
// 0.925-0.939x where 8 made 0.872-0.903x (2 and 1: 0.914-0.961x, 0.912x),
// but at QD 128 a fixed 4 lost 4% (0.964x, 2 of 10 runs better), which
// the quarter of the requests in flight takes back (0.988x and 0.993x).
// Cached reads complete inside their enter and keep the larger batches,
// which they prefer (2.2 SQEs per enter against 1.9 with a cap of 8, 5%
// more reads per second).
const (
	asyncBatch    = 4
	asyncBatchDiv = 4
)

// asyncRunMin and asyncRunMax: an enter moves asyncRun up by one (at most
// to asyncRunMax) when fewer than half of its SQEs had posted their CQE by
// the time it returned, down by one otherwise; the cap applies from
// asyncRunMin. The CQ tail also counts CQEs that other threads' task work
// posted meanwhile, which only makes an enter look inline.
const (
	asyncRunMin = 2
	asyncRunMax = 4
)

// noteAsync records whether the enter that submitted got SQEs, during
// which posted CQEs appeared, went async. enterMu is held.
func (l *Loop) noteAsync(got int, posted uint32) {
	if got <= 0 {
		return
	}
	r := l.asyncRun.Load()
	switch {
	case int64(posted)*2 < int64(got) && r < asyncRunMax:
		l.asyncRun.Store(r + 1)
	case int64(posted)*2 >= int64(got) && r > 0:
		l.asyncRun.Store(r - 1)
	}
}

// deferBelowUsers: with fewer requests submitted and not yet collected by
// their waiters than this, submitters enter themselves. Collected, not
// completed: ops that complete inside the enter (NOPs, cached reads) are
// never in flight for long, but their woken waiters, about to submit
// again, show how many goroutines use the Loop.
const deferBelowUsers = 4

type flushPolicy int

const (
	flushAuto  flushPolicy = iota // flushNow decides
	flushEager                    // every submitter enters (group commit only)
)

// deferredPending reports whether r's SQE waits for the flusher: it is
// published and not yet submitted, and the flusher has been woken for it
// (deferred mode only: a submitter that entered itself never leaves its
// SQE to the flusher, so QD 1 never gets here). Its waiter then yields
// once before it parks: the flusher, queued ahead of it, enters and
// dispatches first, and an op that completes inside that enter (NOPs,
// cached reads) is there when the waiter looks again, without the park
// and the wake-up.
func (l *Loop) deferredPending(r *Request) bool {
	return l.flushScheduled.Load() && l.submitted.Load() < r.seq
}
