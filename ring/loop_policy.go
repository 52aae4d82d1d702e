package ring

import "time"

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
	// reapBatch: CQEs copied out of the ring per PeekBatch.
	reapBatch = 256
)

// defaultSpin is how long the reaper (shared) or owner keeps polling for
// work before it blocks in io_uring_enter.
func defaultSpin(m LoopMode) time.Duration {
	if m == ModeOwner {
		return 20 * time.Microsecond
	}
	return 0
}

// cancelReserve is how many CQ entries are kept for the Loop's own
// ASYNC_CANCEL SQEs (each needs a CQE slot of its own).
func cancelReserve(cq uint32) int {
	return max(2, min(64, int(cq/16)))
}
