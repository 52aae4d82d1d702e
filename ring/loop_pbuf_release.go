package ring

import "sync"

// Unregistered provided-buffer rings on a Loop. UnregisterPbufRing
// (pbufring.go) takes a group's ring out of the kernel, but a request
// that took one of its buffers before may still write into it: a read
// that an io-wq worker issued, which took the buffer from the ring for
// good and then waits for data, gets the data in that buffer after the
// unregister (TestLoopUnregisteredPbufRingKeptForSelectedBuffer). The
// Ring, which does not see its requests, keeps such rings for good. The
// Loop sees every request it submits and its terminal CQE: after each Do
// it takes the rings the Ring retired (Ring.takePbufs) and drops each
// once no request that could hold one of its buffers is in flight.
//
// Which requests could. Only a request whose SQE has IOSQE_BUFFER_SELECT
// takes a provided buffer, from the group named by its buf_group: the
// kernel reads buf_group only with that flag, and the ops that take
// provided buffers (READ, READV, RECV, RECVMSG, their multishot forms,
// READ_MULTISHOT, bundled SEND and RECV) take none without it. Checked on
// 6.18: without the flag a multishot RECV or READ_MULTISHOT fails with
// EINVAL, and a READ or a bundle uses the SQE's own address; none moves
// the group's head. SEND_ZC refuses the flag (EOPNOTSUPP). The kernel
// looks the group up when it issues the request, which may be long after
// Submit (a linked request whose chain is still running, a multishot
// recv armed on an idle socket), so the request may take a buffer from
// any registration of that group id between its submission and its
// terminal CQE. A ring unregistered at time T may thus hold buffers of
// the requests of its group submitted before T and still in flight, and
// of no others.
//
// So the Loop counts those requests by cohort: a group's cohort is its
// buffer-select requests submitted between two unregisters of the group.
// An unregistered ring is attached to the group's current cohort, which
// it ends (the next requests count in a new one), and it is dropped once
// that cohort and every older one of the group have no request in
// flight. (A single count per group would keep a ring while any request
// of the group is in flight, also one submitted after the unregister: a
// group registered again and kept busy, say by a multishot recv that is
// always armed, would keep every earlier registration for good.
// TestLoopReregisteredPbufRingReleasedPerCohort.)
//
// Ordering. Submit counts a request under sqMu before it publishes its
// SQE, and the Loop attaches a ring after the unregister has returned,
// both under pbufTracker.mu. Either the count comes first, and the
// request is in the ring's cohort or an older one; or the attachment
// does, and the SQE reaches the kernel after the unregister, when the
// group no longer finds the ring.
//
// Requests abandoned with their memory kept for good (keepForever: a
// fatal error, a zero-copy send at Close) keep their cohort, counted for
// good: every ring of their group unregistered after they were submitted
// stays, Close's included (the rings still registered when the Loop
// closes are attached like unregistered ones, closeRetire).
//
// A request without IOSQE_BUFFER_SELECT costs Submit one flag test and
// the dispatcher one nil test (BenchmarkLoopNop, BenchmarkLoopReadCached).

// pbufTracker is a Loop's record of its buffer-select requests in flight
// and of the unregistered rings they may still use.
type pbufTracker struct {
	mu sync.Mutex
	// groups are the groups that buffer-select requests used, under mu.
	// An idle group stays (at most 65536 small records): a program that
	// reads from a group one request at a time would otherwise allocate
	// and forget it for every request.
	groups map[uint16]*pbufGroup
}

// pbufGroup is the cohorts of one buffer group id, oldest first.
type pbufGroup struct {
	oldest *pbufCohort
	cur    *pbufCohort // the cohort new requests count in
}

// pbufCohort is the buffer-select requests of a group submitted between
// two unregisters.
type pbufCohort struct {
	g     *pbufGroup
	n     int         // its requests in flight
	rings []*PbufRing // unregistered at its end; kept until it and every older cohort are empty
	next  *pbufCohort
}

// selecting counts a request whose SQE has IOSQE_BUFFER_SELECT and
// buf_group bgid in the group's current cohort, which it returns (Submit
// records it in the request's slot). Submit calls it with sqMu held,
// before it publishes the SQE.
func (t *pbufTracker) selecting(bgid uint16) *pbufCohort {
	t.mu.Lock()
	g := t.groups[bgid]
	if g == nil {
		if t.groups == nil {
			t.groups = make(map[uint16]*pbufGroup)
		}
		c := &pbufCohort{}
		g = &pbufGroup{oldest: c, cur: c}
		c.g = g
		t.groups[bgid] = g
	}
	c := g.cur
	c.n++
	t.mu.Unlock()
	return c
}

// done uncounts a request of cohort c at its terminal CQE (resolve): the
// kernel no longer uses the buffer it took.
func (t *pbufTracker) done(c *pbufCohort) {
	t.mu.Lock()
	c.n--
	trimCohorts(c.g)
	t.mu.Unlock()
}

// retire takes over rings unregistered from the Loop's Ring: each is
// kept until no request that may hold one of its buffers is in flight,
// or dropped now if none is.
func (t *pbufTracker) retire(rings []*PbufRing) {
	if len(rings) == 0 {
		return
	}
	t.mu.Lock()
	for _, b := range rings {
		g := t.groups[b.bgid]
		if g == nil || g.oldest.n == 0 {
			continue // no request of the group in flight (trimCohorts): nothing uses b
		}
		end := g.cur
		end.rings = append(end.rings, b)
		g.cur = &pbufCohort{g: g}
		end.next = g.cur
	}
	t.mu.Unlock()
}

// trimCohorts drops g's oldest cohorts while they are empty, with the rings
// attached to them: after it, g's oldest cohort has requests in flight,
// or it is the current one and g keeps no ring. mu is held.
func trimCohorts(g *pbufGroup) {
	for g.oldest != g.cur && g.oldest.n == 0 {
		c := g.oldest
		g.oldest = c.next
		c.rings, c.next = nil, nil
	}
}

// retiring wraps a Do function so that the Loop takes over the rings it
// unregistered once it returns (on the goroutine that ran it, which owns
// the Ring meanwhile).
func (l *Loop) retiring(fn func(*Ring) error) func(*Ring) error {
	return func(r *Ring) error {
		defer func() { l.pbufs.retire(r.takePbufs(false)) }()
		return fn(r)
	}
}

// closeRetire takes over, once the ring is closed, the rings it still
// had registered (and any it retired outside Do): kept for the requests
// kept for good, dropped otherwise.
func (l *Loop) closeRetire() {
	l.pbufs.retire(l.ring.takePbufs(true))
}
