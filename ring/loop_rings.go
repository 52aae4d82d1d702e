package ring

import (
	"context"
	"errors"
	"sync"
	"sync/atomic"
)

// One ring's kernel work is bound to the thread that enters it: requests
// that complete inside io_uring_enter (cached reads, NOPs) run there, and
// the ring's uring_lock serializes submitters. A Loop made WithRings(n)
// spreads its requests over n rings, each a complete Loop of its own
// (SQ, CQ, reaper or owner, admission), so that n threads can enter at
// once. Submit picks the ring of the P it runs on (pick; a group stays on
// one ring, so chains keep their guarantees); the Request then belongs to
// that ring until its terminal CQE. docs/heuristics.md has the
// measurements behind the default.

// WithRings spreads the Loop's requests over n rings (default 1). Each
// ring gets the Loop's entries and CQ size, so admission capacity scales
// with n.
//
// Registrations are per ring: Do runs its function once on each ring, so
// registered files and buffers are registered on every ring. A provided
// buffer group (RegisterPbufRing, or PROVIDE_BUFFERS) lives on one ring:
// register it through DoBufferGroup, which pins the group to one ring,
// and Submit sends every request that selects from it there.
//
// Other kernel state is per ring too, and the Loop does not route by it:
// a request may go to another ring than the one that holds what it names.
// Direct descriptors (a slot filled by OPENAT, ACCEPT or SOCKET with a
// file index, then used with IOSQE_FIXED_FILE) exist only in the table of
// the ring that installed them (EBADF, or another file, on the others);
// TIMEOUT_REMOVE and TIMEOUT_UPDATE find only timeouts of their own ring
// (ENOENT); a TIMEOUT with a completion count counts only its ring's CQEs;
// IOSQE_IO_DRAIN and ASYNC_CANCEL by fd or CANCEL_ANY see only their ring;
// an error that breaks one ring leaves the others running. Submit such
// requests in one group with the requests they depend on (a group stays
// on one ring), or use a Loop with one ring.
func WithRings(n int) LoopOption { return func(c *loopConfig) { c.rings = n } }

// Rings returns how many rings the Loop spreads its requests over: 1
// unless it was made WithRings(n > 1).
func (l *Loop) Rings() int {
	if l.shards != nil {
		return len(l.shards)
	}
	return 1
}

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
		c.parent = l
		l.shards = append(l.shards, c)
	}
	c0 := l.shards[0]
	l.mode, l.probe, l.maxGroup = c0.mode, c0.probe, c0.maxGroup
	l.sqEntries, l.cqEntries = c0.sqEntries, c0.cqEntries
	l.tokens = make([]ringToken, len(l.shards))
	for i := range l.tokens {
		l.tokens[i].i = i
	}
	l.home.New = l.newToken
	return l, nil
}

// pick chooses the ring for one Submit: the ring of the P (the Go
// scheduler's processor) the caller runs on. sync.Pool keeps a private
// item per P, so a token taken from it and put back at once names the
// same ring every time the caller runs on the same P: the goroutines of
// one P then submit to, and are woken by, one ring, and the P's of a
// GOMAXPROCS > 1 program enter different rings at once, without sharing
// cache lines. After a GC or a goroutine moved between Get and Put, a P
// may get another P's token for a while; that costs locality, never
// correctness.
func (l *Loop) pick() *Loop {
	t := l.home.Get().(*ringToken)
	l.home.Put(t)
	return l.shards[t.i]
}

// ringToken names a ring in the pick pool.
type ringToken struct{ i int }

func (l *Loop) newToken() any {
	// Round-robin over preallocated tokens: a new P starts on the next ring.
	n := l.nextTok.Add(1) - 1
	return &l.tokens[int(n)%len(l.tokens)]
}

func (l *Loop) submitSharded(ctx context.Context, reqs []*Request) error {
	if len(reqs) == 0 {
		return nil
	}
	c, err := l.groups.ringOf(l, reqs)
	if err != nil {
		return err
	}
	if c == nil {
		c = l.choose(reqs[0], int64(len(reqs)))
	}
	return c.Submit(ctx, reqs...)
}

// Provided buffers on several rings. A buffer group (a provided-buffer
// ring, IORING_REGISTER_PBUF_RING, or buffers given with PROVIDE_BUFFERS)
// belongs to one io_uring ring: io_buffer_select looks the group up in
// the submitting ring's ctx->io_bl_xa, so a buffer-select request
// (IOSQE_BUFFER_SELECT, buf_group G) that lands on another ring finds no
// buffers and fails with ENOBUFS. A Loop over several rings therefore
// pins each group registered through DoBufferGroup to one ring, and
// Submit sends a submission that names a pinned group to that ring.

// ErrBufferGroupsApart is returned by Submit for a group of requests that
// select provided buffers from buffer groups pinned to different rings of
// a Loop made WithRings(n > 1) (DoBufferGroup): one submission goes to
// one ring, where the other group has no buffers.
var ErrBufferGroupsApart = errors.New("uring loop: group selects from buffer groups on different rings")

// groupPins maps buffer group ids to the ring (index into shards) that
// holds them. Pins are rare and lookups are on every sharded Submit, so
// the map is copied on write and read through an atomic pointer.
type groupPins struct {
	mu   sync.Mutex // serializes DoBufferGroup calls
	pins atomic.Pointer[map[uint16]int]
}

// ringOf returns the ring a submission must go to because it names a
// pinned buffer group (a buffer-select request, or PROVIDE_BUFFERS /
// REMOVE_BUFFERS for the group), or nil if it names none.
func (g *groupPins) ringOf(l *Loop, reqs []*Request) (*Loop, error) {
	pm := g.pins.Load()
	if pm == nil {
		return nil, nil
	}
	at := -1
	for _, r := range reqs {
		s := &r.SQE
		if s.Flags&SQEBufferSelect == 0 && s.Opcode != OpProvideBuffers && s.Opcode != OpRemoveBuffers {
			continue
		}
		i, ok := (*pm)[s.BufIndex]
		if !ok {
			continue
		}
		if at >= 0 && at != i {
			return nil, ErrBufferGroupsApart
		}
		at = i
	}
	if at < 0 {
		return nil, nil
	}
	return l.shards[at], nil
}

// DoBufferGroup runs fn, like Do, for registrations of provided buffer
// group bgid (RegisterPbufRing, UnregisterPbufRing, PbufStatus). On a
// Loop with one ring it is Do. On a Loop made WithRings(n > 1) it runs fn
// on one ring only, the group's: the first successful call pins bgid to
// the ring with the fewest groups, and from then on (for the Loop's
// life) every request that selects a buffer from bgid (IOSQE_BUFFER_SELECT
// with buf_group bgid) or provides or removes buffers for it is submitted
// to that ring. A call whose fn fails pins nothing new. A no-op fn just
// pins the group, for buffers given with PROVIDE_BUFFERS.
func (l *Loop) DoBufferGroup(bgid uint16, fn func(r *Ring) error) error {
	if l.shards == nil {
		return l.Do(fn)
	}
	g := &l.groups
	g.mu.Lock()
	defer g.mu.Unlock()
	var old map[uint16]int
	if pm := g.pins.Load(); pm != nil {
		old = *pm
	}
	i, ok := old[bgid]
	if !ok {
		// The ring holding the fewest groups, so that several groups
		// (and their receive traffic) spread over the rings.
		count := make([]int, len(l.shards))
		for _, j := range old {
			count[j]++
		}
		i = 0
		for j := range count {
			if count[j] < count[i] {
				i = j
			}
		}
	}
	if err := l.shards[i].Do(fn); err != nil {
		return err
	}
	if !ok {
		m := make(map[uint16]int, len(old)+1)
		for k, v := range old {
			m[k] = v
		}
		m[bgid] = i
		g.pins.Store(&m)
	}
	return nil
}

// choose picks the ring for a submission led by r: the ring r used last
// (its goroutine is then woken by, and batches with, the same ring), or
// for a fresh Request the ring of the caller's P; but the least loaded
// ring (fewest requests not yet collected) when the choice is more than
// a quarter above it, so that requests made on one P do not all stay on
// one ring. A ring without the k admission credits the submission needs
// is passed over for the one with the most, so that Submit blocks only
// when every ring is full (ops that stay in flight, like reads from an
// idle pipe, would otherwise block it on one ring while another has room).
func (l *Loop) choose(r *Request, k int64) *Loop {
	c := r.loop
	if c == nil || c.parent != l {
		c = l.pick()
	}
	cu := c.users.Load()
	least, lu := c, cu
	for _, s := range l.shards {
		if u := s.users.Load(); u < lu {
			least, lu = s, u
		}
	}
	if cu-lu > max(2, lu/4) {
		c = least
	}
	if c.adm.avail.Load() >= k {
		return c
	}
	most, ma := c, c.adm.avail.Load()
	for _, s := range l.shards {
		if a := s.adm.avail.Load(); a > ma {
			most, ma = s, a
		}
	}
	return most
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
