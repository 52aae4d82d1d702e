package ring

import (
	"runtime"
	"sync"
	"weak"
)

// The ring of the P. While a Loop over several rings spreads its requests,
// Submit sends each to the ring of the P (the Go scheduler's processor)
// the submitter runs on (choose, pick): the SQ, the enter lock and the
// admission credits of a ring are then written from one core, and the
// Ps of a GOMAXPROCS > 1 program enter different rings at once. Go has no
// API for the P's identity; sync.Pool keeps an item per P, so a token
// taken from it and put back at once names the same ring every time the
// caller runs on the same P.
//
// A goroutine can move to another P between Get and Put, and then puts
// its token in that P's pool. The other P meanwhile finds its pool empty
// and asks New for a token. Were New to make one for any ring, both Ps
// could end up on one ring for good (no GC empties the pools of a
// program that does not allocate): cached 4 KiB reads at QD 32 ran at
// 0.53-0.55M/s instead of 0.81-0.94M/s in 2 of 8 one-second runs. So
// there is at most one live token per P slot: the pickState remembers
// each weakly, and New makes a new one only for a slot whose token was
// dropped (a GC empties the pools) and collected. While every token is
// held, New hands out a spare, which names the least loaded ring and is
// not put back: the P asks again on its next pick, and finds the moved
// token once its holder has put it in a pool (Get takes from other Ps'
// pools before it calls New).

// ringToken names a ring in the pick pool.
type ringToken struct {
	i     int  // the ring's index
	spare bool // not put back (pickState)
}

// pickState is a Loop's P-to-ring mapping.
type pickState struct {
	pool   sync.Pool
	mu     sync.Mutex
	slots  []weak.Pointer[ringToken] // under mu: slot k's token names ring k % rings
	spares []ringToken               // one per ring
}

func (l *Loop) initPick() {
	p := &l.picks
	p.spares = make([]ringToken, len(l.shards))
	for i := range p.spares {
		p.spares[i] = ringToken{i: i, spare: true}
	}
	p.pool.New = l.newToken
}

// pick returns the ring of the P the caller runs on.
func (l *Loop) pick() *Loop {
	t := l.picks.pool.Get().(*ringToken)
	if !t.spare {
		l.picks.pool.Put(t)
	}
	return l.shards[t.i]
}

// newToken is the pool's New: a token for a slot whose token is gone, or
// a spare.
func (l *Loop) newToken() any {
	p := &l.picks
	p.mu.Lock()
	defer p.mu.Unlock()
	// A slot per P (and at least one per ring): with more Ps than rings,
	// rings take turns.
	for n := max(len(l.shards), runtime.GOMAXPROCS(0)); len(p.slots) < n; {
		p.slots = append(p.slots, weak.Pointer[ringToken]{})
	}
	for k := range p.slots {
		if p.slots[k].Value() == nil {
			t := &ringToken{i: k % len(l.shards)}
			p.slots[k] = weak.Make(t)
			return t
		}
	}
	return &p.spares[l.leastLoaded()]
}

// leastLoaded returns the index of the ring with the fewest requests
// submitted and not yet collected.
func (l *Loop) leastLoaded() int {
	least, lu := 0, l.shards[0].users.Load()
	for i, s := range l.shards {
		if u := s.users.Load(); u < lu {
			least, lu = i, u
		}
	}
	return least
}
