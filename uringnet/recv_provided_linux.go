package uringnet

import (
	"io"
	"syscall"

	"github.com/uringkit/uring/ring"
)

// provRecv is a conn's RecvProvided state: one multishot recv
// (IORING_OP_RECV with IORING_RECV_MULTISHOT and IOSQE_BUFFER_SELECT, 6.0)
// that stays armed across Reads and posts a CQE per arrival, each naming
// a buffer of the Loop's pool; the chunks wait in pending until Reads copy
// them out, and each buffer goes back to the pool once copied.
//
// The multishot ends when the peer shuts down (res 0: EOF), on an error,
// when the pool is empty (ENOBUFS: that Read then receives directly into
// its own buffer and the next one re-arms), when the pool restarts it
// after running empty (ECANCELED: re-armed), or when a Read's deadline or
// Close cancels it; data CQEs that arrive before its last one are kept.
type provRecv struct {
	pool    *bufPool
	ok      bool // the pool exists: use this mode
	req     *ring.Request
	armed   bool
	pending []chunk // received, not yet read (from phead on)
	phead   int
	eof     bool  // the peer shut down; after pending
	auto    bool  // RecvAuto: switch to direct receives on bulk traffic
	direct  bool  // switched: Reads receive directly once pending is read
	err     int32 // a receive error (-errno), reported after pending
}

type chunk struct {
	bid  uint16
	data []byte
}

func newProvRecv(l *ring.Loop, auto bool) *provRecv {
	p := &provRecv{pool: poolFor(l), auto: auto}
	p.ok = p.pool != nil
	return p
}

// readProvided is Read in RecvProvided mode; rmu is held.
func (c *Conn) readProvided(b []byte, wc waitCtx) (int, error) {
	p := c.recv
	for {
		if p.direct && p.phead == len(p.pending) && !p.eof && p.err == 0 {
			return c.readDirect(b, wc)
		}
		if p.phead < len(p.pending) {
			return p.copyOut(b), nil
		}
		switch {
		case p.eof:
			return 0, io.EOF
		case p.err != 0:
			err := p.err
			p.err = 0
			return 0, c.opError("read", c.ioErrno("read", err))
		}
		if p.direct {
			continue // pending, eof and err are reported above
		}
		if !p.armed {
			if p.req == nil {
				p.req = ring.NewRequest()
			}
			p.req.SQE.PrepRecvMultishot(int32(c.fd), 0, p.pool.bgid)
			if err := c.loop.Submit(wc, p.req); err != nil {
				if wc.ended() {
					return 0, c.opError("read", c.rd.reason())
				}
				return 0, c.opError("read", err)
			}
			p.armed = true
			p.pool.arm(p.req)
		}
		cqe, ok, err := p.req.Next(wc)
		if !ok {
			p.armed = false
			p.pool.disarm(p.req)
			if p.phead < len(p.pending) || p.eof || p.err != 0 {
				continue
			}
			if loopFailed(err) {
				// Before the deadline: the Loop's error says the
				// multishot may still run in the kernel, as in Conn.run.
				return 0, c.opError("read", err)
			}
			if wc.ended() {
				return 0, c.opError("read", c.rd.reason())
			}
			continue // ended by the kernel or an earlier Read's cancel: re-arm
		}
		if bid, has := cqe.BufferID(); has && cqe.Res > 0 {
			p.pending = append(p.pending, chunk{bid, p.pool.take(bid, int(cqe.Res))})
			if p.auto && int(cqe.Res) == p.pool.size && len(b) > p.pool.size && cqe.Flags&ring.CQEFSockNonempty != 0 {
				// Bulk traffic: a full buffer with more data queued, for
				// a Read that wants more than a buffer. Direct receives
				// win here (no copy, one CQE per Read instead of one per
				// 4 KiB), so this conn switches to them for good.
				p.req.Cancel()
				p.drain()
				p.direct = true
				continue
			}
		}
		switch {
		case cqe.Res == 0 && !cqe.More():
			p.eof = true
		case cqe.Res == -int32(syscall.ENOBUFS):
			// Every buffer is held by some conn: receive this once
			// straight into b, re-arm on a later Read.
			p.pool.noteStarved()
			if cqe.More() || p.phead < len(p.pending) {
				continue
			}
			p.drain()
			return c.readDirect(b, wc)
		case isCancel(cqe.Res):
			// Our deadline or Close (the wait returns the reason once the
			// multishot has ended), or the pool restarting it: re-armed.
		case cqe.Res < 0:
			p.err = cqe.Res
		}
	}
}

// copyOut copies pending data into b and gives consumed buffers back.
// The pending array is reused once empty, so a steady stream of Reads
// allocates nothing.
func (p *provRecv) copyOut(b []byte) int {
	n := 0
	for n < len(b) && p.phead < len(p.pending) {
		ch := &p.pending[p.phead]
		k := copy(b[n:], ch.data)
		n += k
		ch.data = ch.data[k:]
		if len(ch.data) == 0 {
			p.pool.put(ch.bid)
			*ch = chunk{}
			p.phead++
		}
	}
	if p.phead == len(p.pending) {
		p.pending, p.phead = p.pending[:0], 0
	}
	return n
}

// drain waits for the multishot's remaining CQEs (after its end or a
// cancel), keeping their data in pending.
func (p *provRecv) drain() {
	if !p.armed {
		return
	}
	for {
		cqe, ok, _ := p.req.Next(waitCtx{})
		if !ok {
			break
		}
		if bid, has := cqe.BufferID(); has && cqe.Res > 0 {
			p.pending = append(p.pending, chunk{bid, p.pool.take(bid, int(cqe.Res))})
		}
	}
	p.armed = false
	p.pool.disarm(p.req)
}

// stop cancels the multishot, waits for its last CQE and gives every
// buffer back; Close calls it with no call in flight.
func (p *provRecv) stop() {
	if p.pool == nil {
		return
	}
	if p.armed {
		p.req.Cancel()
		p.drain()
	}
	for _, ch := range p.pending[p.phead:] {
		p.pool.put(ch.bid)
	}
	p.pending, p.phead = nil, 0
	p.req = nil // not Released: see bufPool.arm
}
