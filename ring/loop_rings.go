package ring

import (
	"context"
	"math/rand/v2"
)

// One ring's kernel work is bound to the thread that enters it: requests
// that complete inside io_uring_enter (cached reads, NOPs) run there, and
// the ring's uring_lock serializes submitters. A Loop made WithRings(n)
// spreads its requests over n rings, each a complete Loop of its own
// (SQ, CQ, reaper or owner, admission), so that n threads can enter at
// once. Submit picks a ring at random per call (a group stays on one
// ring, so chains keep their guarantees); the Request then belongs to
// that ring until its terminal CQE. docs/heuristics.md has the
// measurements behind the default.

// WithRings spreads the Loop's requests over n rings (default 1). Each
// ring gets the Loop's entries and CQ size, so admission capacity scales
// with n.
func WithRings(n int) LoopOption { return func(c *loopConfig) { c.rings = n } }

// newShardedLoop builds a Loop whose requests go to n child Loops.
func newShardedLoop(cfg loopConfig, opts []LoopOption) (*Loop, error) {
	l := &Loop{cfg: cfg, closeDone: make(chan struct{})}
	childOpts := append(append([]LoopOption{}, opts...), WithRings(1))
	for range cfg.rings {
		c, err := NewLoop(childOpts...)
		if err != nil {
			for _, s := range l.shards {
				s.Close()
			}
			return nil, err
		}
		l.shards = append(l.shards, c)
	}
	c0 := l.shards[0]
	l.mode, l.probe, l.maxGroup = c0.mode, c0.probe, c0.maxGroup
	l.sqEntries, l.cqEntries = c0.sqEntries, c0.cqEntries
	return l, nil
}

// pick chooses the ring for one Submit. math/rand/v2's top-level
// functions use the runtime's per-thread generator: no shared state.
func (l *Loop) pick() *Loop {
	return l.shards[rand.N(len(l.shards))]
}

func (l *Loop) submitSharded(ctx context.Context, reqs []*Request) error {
	return l.pick().Submit(ctx, reqs...)
}

func (l *Loop) closeSharded() error {
	var first error
	for _, s := range l.shards {
		if err := s.Close(); err != nil && first == nil {
			first = err
		}
	}
	return first
}

func (l *Loop) doSharded(fn func(r *Ring) error) error {
	for _, s := range l.shards {
		if err := s.Do(fn); err != nil {
			return err
		}
	}
	return nil
}

// statsSharded adds up the rings' counters.
func (l *Loop) statsSharded() LoopStats {
	var t LoopStats
	for _, s := range l.shards {
		st := s.Stats()
		t.Mode = st.Mode
		t.Submitted += st.Submitted
		t.Completed += st.Completed
		t.InFlight += st.InFlight
		t.MaxInFlight += st.MaxInFlight
		t.Capacity += st.Capacity
		t.Enters += st.Enters
		t.SubmitEnters += st.SubmitEnters
		t.SQEsSubmitted += st.SQEsSubmitted
		t.Waits += st.Waits
		t.SQFull += st.SQFull
		t.CQOverflow += st.CQOverflow
		t.Busy += st.Busy
		t.AdmissionWaits += st.AdmissionWaits
		t.Cancels += st.Cancels
		t.StaleCQEs += st.StaleCQEs
		t.Doorbells += st.Doorbells
		t.Interrupts += st.Interrupts
	}
	if t.SubmitEnters > 0 {
		t.AvgBatch = float64(t.SQEsSubmitted) / float64(t.SubmitEnters)
	}
	t.Rings = len(l.shards)
	return t
}
