package ring

import (
	"sync/atomic"
	"time"
)

// Spilling (WithSpillRings). A Loop over several rings made with
// WithSpillRings keeps every request on its home ring while that ring's
// submitting enters leave its thread time to spare, and spreads requests
// over all its rings (choose) only while they do not: while the home
// ring's enters took more than spillOn of the wall clock in the last
// window, or it got more than spillSubs submissions, and at least
// spillUsers requests were outstanding on it. So a
// program with little concurrency (one goroutine at QD 1, one echo
// connection) never leaves the home ring, and one whose inline kernel
// work (page-cache copies) fills the entering thread gets a second
// thread. Spreading stops when all rings' enters together take less than
// spillOff of the window and they got fewer than spillSubs/2
// submissions, or fewer than spillUsers requests are outstanding on all
// of them. docs/heuristics.md section 5 has the
// measurements.

const (
	// spillWindow: how often the rings' enter time is looked at.
	spillWindow = 2 * time.Millisecond
	// spillOn: the share of the window the home ring's submitting enters
	// must take for the Loop to start spreading. NOPs from 64 goroutines
	// keep the home ring's enters at 0.57-0.65 of the wall clock, echo at
	// 64 connections at 0.42-0.50, O_DIRECT reads at QD 32 at 0.30, cached
	// reads at QD 32 at 0.85: since the ring of the P (loop_pick.go),
	// spreading makes the NOPs 1.3x faster and leaves the other rows as
	// they are (docs/heuristics.md section 5), and 0.55 spreads the NOPs
	// in nearly every window and echo in few.
	spillOn = 0.55
	// spillOff: below this share of all rings' enters together, the Loop
	// goes back to the home ring.
	spillOff = 0.4
	// spillHot: windows in a row over spillOn before spreading.
	spillHot = 3
	// spillUsers: fewer outstanding requests than this never spread.
	spillUsers = 8
	// spillSubs: submissions per spillWindow to the home ring that make
	// the Loop spread whatever its enters' share (and keep it spreading
	// while all rings together get half as many). A ring written from
	// both cores at this rate runs at a fraction of its speed in this
	// machine's slow stretches, and its enters' share then stays low:
	// NOPs from 64 goroutines that never left the home ring made
	// 1.1-3.2M/s in 6 of 40 runs (2200-6400 per window), and 3.9-4.9M in
	// all 40 with this trigger. Echo at 64 connections submits about 580
	// per window, O_DIRECT reads at QD 32 about 140, and they stay home
	// (docs/heuristics.md section 5).
	spillSubs = 1200
	// spillSample: a ring's meter times one submitting enter in this
	// many and counts it for all of them. Two clock reads per enter were
	// 1.3-2% of a NOP's CPU from 64 goroutines (about 7 NOPs per enter);
	// a 2 ms window still sees tens of timed enters per ring.
	spillSample = 8
)

// spillEpoch is the base of the meters' clock: time.Since on a time with
// a monotonic reading costs one runtime clock read.
var spillEpoch = time.Now()

// spillState is a spilling Loop's decision: whether requests spread now,
// and the window the decision is taken over.
type spillState struct {
	on       atomic.Bool
	checking atomic.Bool
	winStart atomic.Int64 // since spillEpoch, ns
	last     []int64      // each ring's busy at winStart; under checking
	lastSubs []uint64     // each ring's accepted count at winStart; under checking
	hot      int          // windows in a row that called for spreading; under checking
	meters   []*spillMeter
	shards   []*Loop
}

// spillMeter adds up the time one ring's submitting enters take.
type spillMeter struct {
	busy atomic.Int64 // ns
	st   *spillState
	l    *Loop    // the ring
	skip int      // enters left before the next timed one; under the ring's enterMu
	_    [32]byte // one cache line per ring's meter
}

func newSpillState(shards []*Loop) *spillState {
	st := &spillState{last: make([]int64, len(shards)), lastSubs: make([]uint64, len(shards)), shards: shards}
	st.winStart.Store(int64(time.Since(spillEpoch)))
	for _, c := range shards {
		m := &spillMeter{st: st, l: c}
		st.meters = append(st.meters, m)
		c.meter = m
	}
	return st
}

// start is called before a submitting enter (nil: not a spilling ring),
// with the ring's enterMu held. It does not read the clock (and stop does
// nothing) while the Loop does not spread and the ring has too few
// requests outstanding to start: then the enters of a program with little
// concurrency, whose latency is what it measures, pay two atomic loads
// and no clock reads. The window that was open meanwhile then looks idle
// when it closes, so spreading needs spillHot full windows after the
// requests became many. Otherwise it times one enter in spillSample.
func (m *spillMeter) start() time.Duration {
	if m == nil || !m.st.on.Load() && m.l.users.Load() < spillUsers {
		return -1
	}
	if m.skip > 0 {
		m.skip--
		return -1
	}
	m.skip = spillSample - 1
	return time.Since(spillEpoch)
}

// stop is called after it, with start's result.
func (m *spillMeter) stop(t0 time.Duration) {
	if t0 < 0 {
		return
	}
	now := time.Since(spillEpoch)
	m.busy.Add(spillSample * int64(now-t0))
	st := m.st
	if int64(now)-st.winStart.Load() >= int64(spillWindow) && st.checking.CompareAndSwap(false, true) {
		st.decide(int64(now))
		st.checking.Store(false)
	}
}

// decide closes the window that ends at now; checking is held.
func (st *spillState) decide(now int64) {
	w := now - st.winStart.Load()
	if w <= 0 {
		return
	}
	var home, all int64
	var homeSubs, allSubs uint64
	var users int64
	for i, m := range st.meters {
		b := m.busy.Load()
		d := b - st.last[i]
		st.last[i] = b
		n := st.shards[i].accepted.Load()
		k := n - st.lastSubs[i]
		st.lastSubs[i] = n
		if i == 0 {
			home, homeSubs = d, k
		}
		all += d
		allSubs += k
		users += st.shards[i].users.Load()
	}
	st.winStart.Store(now)
	// Submissions per spillWindow (a window closes at the first timed
	// enter after spillWindow, so it may be longer).
	perWindow := func(k uint64) float64 { return float64(k) * float64(spillWindow) / float64(w) }
	if st.on.Load() {
		if float64(all) < spillOff*float64(w) && perWindow(allSubs) < spillSubs/2 || users < spillUsers {
			st.on.Store(false)
		}
		return
	}
	if float64(home) < spillOn*float64(w) && perWindow(homeSubs) < spillSubs || st.shards[0].users.Load() < spillUsers {
		st.hot = 0
		return
	}
	// spillHot windows in a row: one enter descheduled by another process
	// (wall clock, not CPU time) must not make a whole window look full.
	if st.hot++; st.hot >= spillHot {
		st.hot = 0
		st.on.Store(true)
	}
}
