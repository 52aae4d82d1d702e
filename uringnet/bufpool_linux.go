package uringnet

import (
	"errors"
	"sync"
	"syscall"

	"github.com/uringkit/uring/ring"
)

// bufPool is a Loop's provided-buffer ring (IORING_REGISTER_PBUF_RING,
// 5.19) shared by every RecvProvided conn on that Loop. Each buffer is, at
// any time, either in the ring (the kernel may pick it for a multishot
// recv) or held by one conn (a CQE named it and the conn's Reads have not
// consumed all of its data yet). The ring has one slot per buffer, so
// putting a buffer back can never overwrite one the kernel has not
// consumed.
type bufPool struct {
	bgid    uint16
	size    int
	mu      sync.Mutex // PbufRing is single-owner: Add/Advance under mu
	pb      *ring.PbufRing
	bufs    [][]byte
	holding int // buffers handed out by CQEs and not yet put back

	// Starvation. A multishot recv that finds the ring empty ends with
	// ENOBUFS, but one already waiting in the socket's poll may stay
	// armed without a buffer and never post again: the poll wakes on new
	// data, and the data that found no buffer is already there. So when
	// the ring runs empty (starved), the next put cancels every armed
	// multishot; each Read re-arms its own, and a fresh arm receives
	// what is queued at once.
	starved bool
	armed   map[*ring.Request]struct{}
}

// Provided-buffer pool geometry: 1,024 buffers of 4 KiB (4 MiB per Loop).
// 4 KiB holds a typical request or small message whole; bigger reads take
// several buffers.
const (
	poolBufs    = 1024
	poolBufSize = 4096
	poolBgid    = 0x7500 // first group id tried; the next ones if taken
)

var (
	poolsMu sync.Mutex
	pools   = map[*ring.Loop]*bufPool{}
)

// poolFor returns l's pool, registering it on first use. It returns nil
// when the kernel lacks buffer rings or multishot recv: the conn then
// receives directly. On a Loop over several rings the pool's group lives
// on the home ring (ring.Loop.DoBufferGroup), and the Loop sends every
// recv that selects a buffer there.
func poolFor(l *ring.Loop) *bufPool {
	poolsMu.Lock()
	defer poolsMu.Unlock()
	if p, ok := pools[l]; ok {
		return p
	}
	// Drop the pools of Loops closed since (a closed Loop's ring has
	// unregistered and unmapped its buffer rings; only the buffers' Go
	// memory is left, held by this map).
	for old := range pools {
		if errors.Is(old.Do(func(*ring.Ring) error { return nil }), ring.ErrClosed) {
			delete(pools, old)
		}
	}
	p := newBufPool(l)
	pools[l] = p // nil too: do not try again
	return p
}

func newBufPool(l *ring.Loop) *bufPool {
	if l.CheckOp(ring.OpRecv) != nil {
		return nil
	}
	p := &bufPool{size: poolBufSize, armed: map[*ring.Request]struct{}{}}
	for i := range 16 {
		bgid := poolBgid + uint16(i)
		err := l.DoBufferGroup(bgid, func(r *ring.Ring) error {
			pb, err := r.RegisterPbufRing(bgid, poolBufs, 0)
			p.pb = pb
			return err
		})
		if errors.Is(err, syscall.EEXIST) {
			continue // another user of this Loop has that group
		}
		if err != nil {
			return nil
		}
		p.bgid = bgid
		break
	}
	if p.pb == nil {
		return nil
	}
	// One allocation for all buffers; each buffer is a capped slice of it.
	mem := make([]byte, poolBufs*poolBufSize)
	p.bufs = make([][]byte, poolBufs)
	for i := range p.bufs {
		p.bufs[i] = mem[i*poolBufSize : (i+1)*poolBufSize : (i+1)*poolBufSize]
		if err := p.pb.Add(p.bufs[i], uint16(i)); err != nil {
			return nil
		}
	}
	p.pb.Advance(poolBufs)
	return p
}

// take records that a CQE handed buffer bid to a conn and returns its
// first n bytes.
func (p *bufPool) take(bid uint16, n int) []byte {
	p.mu.Lock()
	p.holding++
	if p.holding == len(p.bufs) {
		p.starved = true
	}
	p.mu.Unlock()
	return p.bufs[bid][:n]
}

// put gives buffer bid back to the kernel, and restarts the armed
// multishots if the ring had run empty.
func (p *bufPool) put(bid uint16) {
	p.mu.Lock()
	p.holding--
	// One slot per buffer: Add fails only once the Loop closed
	// (ErrPbufRingClosed), and the buffer then has no ring to go back to.
	_ = p.pb.Add(p.bufs[bid], bid)
	p.pb.Advance(1)
	if p.starved {
		p.starved = false
		// Under mu: a conn disarms its Request (under mu) before it
		// submits it again, so no Cancel here runs while its owner
		// re-submits it (Cancel reads the Request's loop and user_data,
		// which Submit writes: a data race, TestConnCloseRestartsStarvedPoolDuringReads).
		// Cancel never waits on anything that needs mu.
		for r := range p.armed {
			r.Cancel() // a no-op if r has ended meanwhile
		}
	}
	p.mu.Unlock()
}

// noteStarved records that a multishot found the ring empty (ENOBUFS).
func (p *bufPool) noteStarved() {
	p.mu.Lock()
	p.starved = true
	p.mu.Unlock()
}

// arm and disarm track the multishot recvs in flight. A Request that was
// registered is never given back to the ring package's pool (see
// provRecv.stop), so a late Cancel from put cannot reach another op.
func (p *bufPool) arm(r *ring.Request) {
	p.mu.Lock()
	p.armed[r] = struct{}{}
	p.mu.Unlock()
}

func (p *bufPool) disarm(r *ring.Request) {
	p.mu.Lock()
	delete(p.armed, r)
	p.mu.Unlock()
}

// held returns how many buffers conns hold (for the leak tests).
func (p *bufPool) held() int {
	p.mu.Lock()
	defer p.mu.Unlock()
	return p.holding
}
