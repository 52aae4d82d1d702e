package ring

import "syscall"

// A group is the requests of one Submit call with more than one request.
// Their SQEs are published together; link chains inside it are the
// caller's (IOSQE_IO_LINK / IOSQE_IO_HARDLINK on all members but the last
// of each chain).
//
// The group record exists for IOSQE_CQE_SKIP_SUCCESS, which makes some
// members post no CQE (../shared/reference/kernel-interface.md, 7.1 and
// 7.2, verified on 6.18):
//
//   - a skip-success member posts nothing when it succeeds;
//   - when it fails it posts its CQE, and unless it is hardlinked the rest
//     of its chain is cancelled without posting any CQE (case 9c);
//   - a LINK_TIMEOUT with skip-success never posts a CQE;
//   - chain members complete in order, except that a link timeout's CQE may
//     come before the CQE of the request it guards (case 4).
//
// From these the dispatcher resolves members that will never post:
//
//  1. When a member that is not a LINK_TIMEOUT posts its terminal CQE,
//     every earlier unresolved skip-success member of its chain succeeded
//     (a failure would have posted first, and would have ended the chain):
//     resolved with Res 0.
//  2. When a skip-success member posts a CQE it failed, so the later
//     members of its chain are cancelled silently: resolved with Res
//     -ECANCELED; only a LINK_TIMEOUT right after it without skip-success
//     still posts its own CQE.
//  3. A skip-success LINK_TIMEOUT is resolved with Res 0 when the request
//     it guards posts its terminal CQE. The kernel copied its timespec at
//     submission, so nothing it reads is released early.
//
// Submit refuses the two shapes these rules cannot resolve: a
// skip-success member that is the last non-LINK_TIMEOUT member of its
// chain (ErrSkipSuccessLast: on success nothing would ever arrive), and
// skip-success with IO_HARDLINK (ErrSkipSuccessHardlink: whether the rest
// of the chain posts depends on whether the failure happened at
// submission or at run time, which the CQE does not say).
type group struct {
	m      []groupMember
	inline [4]groupMember
}

type groupMember struct {
	r        *Request // nil once resolved: the waiter may reuse it
	ud       uint64
	flags    SQEFlags
	op       Op
	resolved bool
	posted   bool  // posted its terminal CQE
	res      int32 // that CQE's res
	etimeOK  bool  // a TIMEOUT with IORING_TIMEOUT_ETIME_SUCCESS: -ETIME does not break the link
}

const linkFlags = SQEIOLink | SQEIOHardlink

func (m *groupMember) linked() bool { return m.flags&linkFlags != 0 }
func (m *groupMember) skip() bool   { return m.flags&SQECQESkipSuccess != 0 }

// checkGroup validates the link and skip-success shape of reqs.
func checkGroup(reqs []*Request) error {
	last := reqs[len(reqs)-1]
	if last.SQE.Flags&linkFlags != 0 {
		return ErrDanglingLink
	}
	lastReal := -1 // last non-LINK_TIMEOUT member of the current chain
	for i, r := range reqs {
		f := r.SQE.Flags
		if f&SQECQESkipSuccess != 0 && f&SQEIOHardlink != 0 {
			return ErrSkipSuccessHardlink
		}
		if r.SQE.Opcode != OpLinkTimeout {
			lastReal = i
		}
		if f&linkFlags == 0 { // chain ends here
			if lastReal >= 0 && reqs[lastReal].SQE.Flags&SQECQESkipSuccess != 0 {
				return ErrSkipSuccessLast
			}
			lastReal = -1
		}
	}
	return nil
}

// newGroup records reqs for the dispatcher. Called before their slots are
// bound, so the slot store publishes it.
func newGroup(reqs []*Request) *group {
	g := &group{}
	if len(reqs) <= len(g.inline) {
		g.m = g.inline[:len(reqs)]
	} else {
		g.m = make([]groupMember, len(reqs))
	}
	for i, r := range reqs {
		g.m[i] = groupMember{r: r, flags: r.SQE.Flags, op: r.SQE.Opcode,
			etimeOK: r.SQE.Opcode == OpTimeout && r.SQE.OpFlags&TimeoutETimeSuccess != 0}
		r.grp, r.gi = g, i
	}
	return g
}

// groupRules applies rules 1-3 after member j posted its terminal CQE
// with result res. Runs on the dispatcher only.
func (l *Loop) groupRules(g *group, j int, res int32) {
	m := g.m
	m[j].posted, m[j].res = true, res
	if m[j].op != OpLinkTimeout { // rule 1
		for p := j - 1; p >= 0 && m[p].linked(); p-- {
			if !m[p].resolved && m[p].skip() {
				l.resolveMember(g, p, 0)
			}
		}
	}
	// Rule 2 holds only if this member failed itself. A -ECANCELED after an
	// earlier member of its chain failed means it was cancelled as a
	// consequence (a run-time failure on a soft link, or a failure at
	// submission, which also fails hard-linked members): the kernel then
	// posts every later CQE itself (io_fail_links clears CQE_SKIP unless
	// the *failing* member had it). Found by fuzz/FuzzChainKernel.
	consequence := failedBefore(m, j, res == -int32(syscall.ECANCELED) && !ownTimeoutFired(m, j))
	if m[j].skip() && m[j].linked() && !consequence { // rule 2
		for q := j + 1; q < len(m); q++ {
			ownCQE := q == j+1 && m[q].op == OpLinkTimeout && !m[q].skip()
			if !ownCQE && !m[q].resolved {
				l.resolveMember(g, q, -int32(syscall.ECANCELED))
			}
			if !m[q].linked() {
				break
			}
		}
	}
	if m[j].linked() && j+1 < len(m) && m[j+1].op == OpLinkTimeout && m[j+1].skip() && !m[j+1].resolved { // rule 3
		l.resolveMember(g, j+1, 0)
	}
}

// failedBefore reports whether j's chain already failed before j: a
// member before j posted a failure on a soft link (a LINK_TIMEOUT's own
// result and an ETIME_SUCCESS expiry do not count), or the chain's head
// posted -ECANCELED without its linked timeout firing, which is how a
// failure at submission shows (the kernel fails the whole chain then,
// hard links included, with the head cancelled), or j was cancelled
// (jCancelled) after a hard-linked member failed, which at run time would
// have let j run: a failure at submission with the invalid SQE first.
func failedBefore(m []groupMember, j int, jCancelled bool) bool {
	p := j - 1
	for ; p >= 0 && m[p].linked(); p-- {
		mp := &m[p]
		if mp.posted && mp.res < 0 && mp.op != OpLinkTimeout && !(mp.etimeOK && mp.res == -int32(syscall.ETIME)) &&
			(mp.flags&SQEIOHardlink == 0 || jCancelled) {
			return true
		}
	}
	head := p + 1
	return head < j && m[head].posted && m[head].res == -int32(syscall.ECANCELED) && !ownTimeoutFired(m, head)
}

// ownTimeoutFired reports whether i's own LINK_TIMEOUT posted -ETIME.
func ownTimeoutFired(m []groupMember, i int) bool {
	return i+1 < len(m) && m[i+1].op == OpLinkTimeout && m[i+1].posted && m[i+1].res == -int32(syscall.ETIME)
}

// resolveMember resolves member i of g with a synthesized CQE.
func (l *Loop) resolveMember(g *group, i int, res int32) {
	mb := &g.m[i]
	r := mb.r
	mb.resolved, mb.r = true, nil
	l.resolve(r, CQE{UserData: mb.ud, Res: res})
}
