package ring

import (
	"sync"
	"time"
)

// Zero-copy sends at Close. A zero-copy send's result CQE comes with
// F_MORE, and its NOTIF CQE only once the network stack no longer holds
// the buffer's pages: when the peer has acknowledged the data. A peer that
// stops reading leaves the data in the socket, and the NOTIF may never
// come while the socket lives; Close, which waits for every terminal CQE,
// waited for good (TestLoopCloseWithUnsentZeroCopy). So once Close has
// waited closeNotifWait, it stops waiting for the NOTIFs of sends whose
// result has arrived: their waiters get the result with ErrClosed, the
// buffers they hold stay reachable for the life of the process
// (keepForever), since the kernel may still send from them, and the ring
// closes.

// closeNotifWait is how long Close waits for the NOTIFs of zero-copy
// sends whose result has arrived before it gives up on them (a variable
// for the test, which shortens it).
var closeNotifWait = time.Second

// abandonNotifs resolves, with ErrClosed, every request in flight that is
// a zero-copy send whose result CQE has arrived (queued) and whose NOTIF
// has not, and keeps it reachable for good. It reports how many.
func (l *Loop) abandonNotifs() int {
	l.cqMu.Lock()
	defer l.cqMu.Unlock()
	if l.ringClosed {
		return 0
	}
	n := 0
	l.slots.each(func(r *Request) {
		if !r.queued || (r.SQE.Opcode != OpSendZC && r.SQE.Opcode != OpSendmsgZC) {
			return
		}
		l.abandon(r, ErrClosed)
		n++
	})
	return n
}

// kept holds the memory of requests that the kernel may still use after
// their Loop is gone: abandoned zero-copy sends, and requests failed by a
// fatal error. A Loop's own fields would not do: a closed Loop, and all it
// references, may be collected. Nor would the Request: its waiter gets it
// back (and may Release it to the pool, or submit it elsewhere with other
// buffers), so what is kept is what its Buf and Keep referenced.
var kept struct {
	mu  sync.Mutex
	mem []keptMem
}

// keptMem is what one request's SQE may point into, and for a request
// with IOSQE_BUFFER_SELECT its cohort, through which the provided-buffer
// rings it may have taken a buffer from (loop_pbuf_release.go).
type keptMem struct {
	buf  []byte
	keep any
	sel  *pbufCohort
}

// keepForever keeps what r references for the kernel (Buf, Keep, and
// through sel, its buffer-select cohort if it has one, the provided
// buffers it may have taken) reachable for the life of the process. The
// cohort stays counted: the rings of its group unregistered from now on
// are kept with it.
func keepForever(r *Request, sel *pbufCohort) {
	kept.mu.Lock()
	kept.mem = append(kept.mem, keptMem{r.Buf, r.Keep, sel})
	kept.mu.Unlock()
}
