package ring

import (
	"context"
	"sync"
	"sync/atomic"
	"time"
	"weak"
)

// Requests that see the whole ring, on a Loop over several rings. Two
// kinds of SQE are defined by what else is on their ring: IOSQE_IO_DRAIN
// (the kernel starts it only after every SQE submitted before it on the
// ring has completed, and starts none submitted after it until it has)
// and a TIMEOUT with a completion count (it fires once count CQEs have
// been posted to its ring after it was armed). On one ring of several
// they would see only that ring. So a Loop over several rings submits
// them to the home ring only once its other rings have nothing in
// flight, and keeps every request on the home ring, without spreading,
// from then until they have completed: the home ring then holds every
// request that could come before, after or be counted by them, as a Loop
// with one ring would.
//
// The price: Submit of such a request waits (honouring its context)
// until what is in flight on the other rings completes, where one ring
// would return at once; a read of an idle pipe on another ring holds it
// until data arrives.

// exactState is the parent Loop's record of such requests.
type exactState struct {
	entering atomic.Int32 // exact submissions between their pin and their record in pins
	npins    atomic.Int32 // len(pins)
	mu       sync.Mutex
	// pins are the exact requests submitted, held weakly: a Request in
	// flight is kept reachable by the Loop anyway (its slot), and one that
	// completed must not be kept by the Loop (its memory, Keep included,
	// is the program's again; TestLoopKeepsMultishotMemoryUntilTerminalCQEUnderGC).
	pins []weak.Pointer[Request] // under mu
}

// wholeRing reports whether the request must see the whole ring: it
// drains, or it is a timeout with a completion count (SQE off; with
// TimeoutMultishot off counts the expiries instead, and the timeout
// sees nothing else).
func wholeRing(s *SQE) bool {
	return s.Flags&SQEIODrain != 0 || s.Opcode == OpTimeout && s.Off != 0 && s.OpFlags&TimeoutMultishot == 0
}

// pinned reports whether requests must stay on the home ring: an exact
// submission is in progress, or an exact request is still in flight.
func (l *Loop) pinned() bool {
	x := &l.exact
	if x.entering.Load() > 0 {
		return true
	}
	if x.npins.Load() == 0 {
		return false
	}
	x.mu.Lock()
	defer x.mu.Unlock()
	k := 0
	for _, p := range x.pins {
		// A Request submitted again meanwhile stays pinned until that
		// submission completes too: longer than needed, never shorter.
		if r := p.Value(); r != nil && r.state.Load() == reqInFlight {
			x.pins[k] = p
			k++
		}
	}
	clear(x.pins[k:])
	x.pins = x.pins[:k]
	x.npins.Store(int32(k))
	return k > 0
}

// submitWholeRing submits reqs, which include an exact request, to the
// home ring once the other rings have nothing in flight.
func (l *Loop) submitWholeRing(ctx context.Context, reqs []*Request) error {
	x := &l.exact
	// Pin first, then look at the other rings: a Submit that chose
	// another ring counts its requests in that ring's inflight, under its
	// sqMu, before it looks at the pin (submit), so either it sees the pin
	// and goes home, or this sees them in flight and waits until they
	// complete (sequentially consistent atomics, a Dekker pair).
	x.entering.Add(1)
	defer x.entering.Add(-1)
	wait := 20 * time.Microsecond
	for _, s := range l.shards[1:] {
		for s.inflight.Load() != 0 {
			t := time.NewTimer(wait)
			select {
			case <-ctx.Done():
				t.Stop()
				return ctxError(ctx) // as admission waits do
			case <-t.C:
			}
			wait = min(2*wait, 5*time.Millisecond)
		}
	}
	if err := l.shards[0].Submit(ctx, reqs...); err != nil {
		return err
	}
	x.mu.Lock()
	for _, r := range reqs {
		if wholeRing(&r.SQE) {
			x.pins = append(x.pins, weak.Make(r))
		}
	}
	x.npins.Store(int32(len(x.pins)))
	x.mu.Unlock()
	return nil
}
