package ring

import "context"

// One ring's kernel work is bound to the thread that enters it: requests
// that complete inside io_uring_enter (cached reads, NOPs) run there, and
// the ring's uring_lock serializes submitters. A Loop made WithRings(n)
// spreads its requests over n rings, each a complete Loop of its own
// (SQ, CQ, reaper or owner, admission), so that n threads can enter at
// once. Submit picks the ring of the P it runs on (pick; a group stays on
// one ring, so chains keep their guarantees); the Request then belongs to
// that ring until its terminal CQE. A Loop made without WithRings or
// WithSpillRings is WithSpillRings(GOMAXPROCS), at most 8 rings, in
// shared mode without SQPOLL, and one ring otherwise (defaultRings);
// docs/heuristics.md has the measurements behind the default.

// WithRings spreads the Loop's requests over n rings (NewLoop refuses a
// count outside 1-128 with a *SetupError; WithRings(1) is one ring, and
// without WithRings or WithSpillRings a shared-mode Loop spills over
// GOMAXPROCS rings, see WithSpillRings). Each ring gets the
// Loop's entries and CQ size, so admission capacity scales with n.
//
// Registrations are per ring: Do runs its function once on each ring, so
// registered files and buffers are registered on every ring. State that
// requests create or find in one ring's kernel context (provided buffer
// groups, direct descriptors, timeouts and linked timeouts) lives on the
// first ring, the home ring: register buffer groups through
// DoBufferGroup, and Submit sends every request that names such state
// there (so these requests do not spread, and wait for the home ring's
// admission credits). The user_data the Loop gives a request names its
// ring, and ASYNC_CANCEL by user_data and POLL_REMOVE go to the ring of
// the request they name. A request with IOSQE_IO_DRAIN and a TIMEOUT with
// a completion count see every request, as on one ring: Submit sends
// them to the home ring once the other rings have nothing in flight (it
// waits for that, honouring its context, where one ring would return at
// once), and every request stays on the home ring until they have
// completed. An error that breaks one ring breaks them all, as it breaks
// a Loop with one ring (every request in flight ends with it, and so
// does every later Submit).
//
// An ASYNC_CANCEL by fd, by opcode or CANCEL_ANY, submitted on its own,
// sees every ring too: Submit runs it on each ring in turn (it waits for
// those cancels, which end promptly) and the Request gets one CQE with
// the merged result, as one ring would report it (the counts of
// IORING_ASYNC_CANCEL_ALL added up; loop_rings_cancel.go). What stays per
// ring: such a cancel linked into a group, and on kernels before 6.10
// (no IORING_NOP_INJECT_RESULT) every such cancel; they go to the home
// ring and see only its requests. Use a Loop with one ring where that
// matters.
func WithRings(n int) LoopOption {
	return func(c *loopConfig) { c.rings, c.spill, c.ringsSet = n, false, true }
}

// WithSpillRings makes a Loop over n rings (n > 1) like WithRings(n),
// with the same caveats, that submits to its home ring alone as long as
// that ring keeps up, and spreads requests over all n rings only while
// the home ring's submitting enters take more than half of its thread's
// time, or it takes submissions at a high rate (600k a second), with many
// requests outstanding (page-cache reads from many goroutines, whose
// copies run inside the enter on the entering thread; NOPs or other short
// ops from goroutines on every P). Low-concurrency programs
// then keep one ring's latency. Shared mode only measures its enters; in
// owner mode the Loop never spreads. docs/heuristics.md section 5 has the
// measurements. WithSpillRings(1) is one ring. A shared-mode Loop made
// without WithRings or WithSpillRings is WithSpillRings(GOMAXPROCS), at
// most 8 rings.
func WithSpillRings(n int) LoopOption {
	return func(c *loopConfig) { c.rings, c.spill, c.ringsSet = n, n > 1, true }
}

// Rings returns how many rings the Loop spreads its requests over (or
// may spread them over, made WithSpillRings or by default).
func (l *Loop) Rings() int {
	if l.shards != nil {
		return len(l.shards)
	}
	return 1
}

// newShardedLoop builds a Loop whose requests go to n child Loops.
func newShardedLoop(cfg loopConfig, opts []LoopOption) (*Loop, error) {
	l := &Loop{cfg: cfg, closeDone: make(chan struct{})}
	if cfg.rings > maxRings {
		return nil, &SetupError{Rule: "WithRings: at most " + itoa(maxRings) + " rings"}
	}
	childOpts := append(append([]LoopOption{}, opts...), WithRings(1))
	for i := range cfg.rings {
		c, err := NewLoop(childOpts...)
		if err != nil {
			for _, s := range l.shards {
				s.Close()
			}
			return nil, err
		}
		c.parent = l
		c.slots.ring = uint32(i) << genBits // before any Submit: c is not published yet
		l.shards = append(l.shards, c)
	}
	c0 := l.shards[0]
	l.mode, l.probe, l.maxGroup = c0.mode, c0.probe, c0.maxGroup
	l.sqEntries, l.cqEntries = c0.sqEntries, c0.cqEntries
	l.initPick()
	if cfg.spill {
		l.spill = newSpillState(l.shards)
	}
	return l, nil
}

func (l *Loop) submitSharded(ctx context.Context, reqs []*Request) error {
	if len(reqs) == 0 {
		return nil
	}
	for _, r := range reqs {
		if wholeRing(&r.SQE) {
			return l.submitWholeRing(ctx, reqs)
		}
	}
	if len(reqs) == 1 && spreadCancel(&reqs[0].SQE) && l.injectOK() {
		return l.submitCancelEverywhere(ctx, reqs[0]) // loop_rings_cancel.go
	}
	home := l.shards[0]
	c := l.homeFor(reqs)
	if c == nil {
		c = l.targetFor(reqs)
	}
	if c == nil {
		if l.spill != nil && !l.spill.on.Load() && home.adm.tryAcquire(int64(len(reqs))) {
			// WithSpillRings, home ring not saturated: stay home while it
			// has the credits. They are taken here and handed to submit:
			// reading the credit count first, then taking them in
			// Submit, moved that cache line twice per request.
			return home.submit(ctx, reqs, true, false)
		}
		c = l.choose(int64(len(reqs)))
	}
	if c == home {
		return c.Submit(ctx, reqs...)
	}
	// Another ring: submit unless a drain or count timeout needs every
	// request on the home ring (submit looks, loop_rings_exact.go).
	if err := c.submit(ctx, reqs, false, true); err != errPinned {
		return err
	}
	return home.Submit(ctx, reqs...)
}

// Ring-local state on several rings. Some kernel state lives in one
// ring's context and is found only by requests submitted to that ring:
// buffer groups (io_buffer_select looks the group up in the ring's
// io_bl_xa: a buffer-select request on another ring fails with ENOBUFS),
// the direct descriptor table (a slot installed on one ring is EBADF, or
// another file, on the others), and timeouts (TIMEOUT_REMOVE and
// TIMEOUT_UPDATE search the ring's timeout list, and
// IORING_LINK_TIMEOUT_UPDATE its linked timeouts: ENOENT elsewhere, or a
// timeout of the same user_data on another ring). A Loop over several
// rings keeps all of it on its first ring, the home ring: DoBufferGroup
// registers there, and Submit sends there every submission with a
// request that names such state (needsHome). Everything else spreads.

// needsHome reports whether a request names ring-local state: it selects
// a provided buffer (IOSQE_BUFFER_SELECT) or provides or removes buffers,
// it uses a direct descriptor (IOSQE_FIXED_FILE), installs or closes
// one (a file index in splice_fd_in), it updates the file table, it
// cancels by a direct descriptor or by anything but user_data (when not
// fanned out, loop_rings_cancel.go), or it
// is a timeout or a linked timeout (its whole chain goes home, so that
// a TIMEOUT_REMOVE with IORING_LINK_TIMEOUT_UPDATE, which searches the
// ring's list of linked timeouts, finds it) or removes or updates one.
func needsHome(s *SQE) bool {
	if s.Flags&(SQEBufferSelect|SQEFixedFile) != 0 {
		return true
	}
	switch s.Opcode {
	case OpProvideBuffers, OpRemoveBuffers, OpFilesUpdate, OpTimeout, OpTimeoutRemove, OpLinkTimeout:
		return true
	case OpAsyncCancel:
		// By a direct descriptor: its requests are all home. By fd,
		// opcode or ANY and not fanned out to every ring (linked into a
		// group, or no IORING_NOP_INJECT_RESULT): the home ring, as the
		// WithRings doc says.
		return s.OpFlags&CancelFdFixed != 0 || !cancelByUserData(s.OpFlags)
	case OpOpenat, OpOpenat2, OpAccept, OpSocket, OpClose, OpPipe:
		return s.SpliceFdIn != 0
	}
	return false
}

// homeFor returns the home ring if any request of the submission needs
// it, or nil.
func (l *Loop) homeFor(reqs []*Request) *Loop {
	for _, r := range reqs {
		if needsHome(&r.SQE) {
			return l.shards[0]
		}
	}
	return nil
}

// maxRings: the most rings a Loop spreads over; the ring's index is in
// the 7 bits of user_data above the slot's generation (loop_slots.go).
const maxRings = 128

// targetRing returns the index of the ring whose request s targets by
// user_data (ASYNC_CANCEL by user_data, POLL_REMOVE and its update
// form), or -1. The Loop's user_data carries the ring's index, so a
// request that names another's user_data goes to that request's ring:
// on any other ring it would find nothing (-ENOENT), or the request of
// the same slot and generation there.
func targetRing(s *SQE) int {
	switch s.Opcode {
	case OpAsyncCancel:
		if !cancelByUserData(s.OpFlags) {
			return -1
		}
	case OpPollRemove:
	default:
		return -1
	}
	if s.Addr&internalTag != 0 {
		return -1
	}
	return int(s.Addr>>(32+genBits)) & (maxRings - 1)
}

// cancelByUserData reports whether an ASYNC_CANCEL with flags f matches
// the user_data in its addr: it does unless CANCEL_ANY (which matches
// everything), or fd or opcode matching without IORING_ASYNC_CANCEL_USERDATA
// (which adds user_data to them, 6.6). The one place that reads the
// cancel's matching flags: such a cancel goes to its target's ring
// (targetRing); the others see every ring (spreadCancel).
func cancelByUserData(f uint32) bool {
	return f&CancelAny == 0 && (f&CancelUserData != 0 || f&(CancelFd|CancelOp) == 0)
}

// targetFor returns the ring the submission's requests target by
// user_data (targetRing), or nil if none does, or they disagree.
func (l *Loop) targetFor(reqs []*Request) *Loop {
	t := -1
	for _, r := range reqs {
		if k := targetRing(&r.SQE); k >= 0 {
			if t >= 0 && k != t {
				return nil
			}
			t = k
		}
	}
	if t < 0 || t >= len(l.shards) {
		return nil
	}
	return l.shards[t]
}

// DoBufferGroup runs fn, like Do, for registrations of provided buffer
// group bgid (RegisterPbufRing, UnregisterPbufRing, PbufStatus). On a
// Loop with one ring it is Do. On a Loop made WithRings(n > 1) it runs fn
// on the home ring only, the first, where the Loop submits every request
// that selects a buffer (IOSQE_BUFFER_SELECT) or provides or removes
// buffers, whatever its group; a no-op fn is all that buffers given with
// PROVIDE_BUFFERS need.
func (l *Loop) DoBufferGroup(bgid uint16, fn func(r *Ring) error) error {
	if l.shards == nil {
		return l.Do(fn)
	}
	return l.shards[0].Do(fn)
}

// choose picks the ring for a spreading submission: the ring of the P the
// caller runs on (pick, loop_pick.go), so that the submitters of a P
// write one ring's SQ, locks and credits, and the Go scheduler, which
// moves goroutines to idle Ps, balances the rings. A ring without the k
// admission credits the submission needs is passed over for the one with
// the most, so that Submit blocks only when every ring is full (ops that
// stay in flight, like reads from an idle pipe, would otherwise block it
// on one ring while another has room).
//
// Before, choose kept a Request on the ring it used last and moved it to
// the least loaded ring when that had a quarter fewer requests
// outstanding: both cores then wrote every ring, and read every ring's
// load for every submission. Cached 4 KiB reads at QD 32 from 32
// goroutines ran at 0.59-0.61x of os.File.ReadAt in the minutes when
// moving cache lines between this machine's two vCPUs is slow, against
// 0.84-0.87x for the ring of the P, and at 0.82-0.83x against 0.81-0.82x
// otherwise (docs/heuristics.md, section 5). The price: the requests of
// a goroutine that submits many before it waits stay on its P's ring.
func (l *Loop) choose(k int64) *Loop {
	c := l.pick()
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

// breakShards passes an error that broke ring from (noteFatal) to the
// Loop's other rings: a program sees one Loop, which a broken ring
// breaks as a whole, as it would with one ring (requests in flight on
// the other rings end with the error too; their memory stays reachable
// for good, keepForever). Before, the next Submit went
// to a healthy ring and the error showed only on some requests.
func (l *Loop) breakShards(from *Loop, err error) {
	for _, s := range l.shards {
		if s != from {
			s.noteFatal(err)
		}
	}
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
