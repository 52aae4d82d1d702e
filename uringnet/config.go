package uringnet

import (
	"context"
	"net"
	"sync"

	"github.com/uringkit/uring/ring"
)

// Config holds the choices behind Listen and Dial. The zero Config is what
// the package-level functions use.
type Config struct {
	// Loop runs the conns' operations. Nil: the package's own Loop, created
	// on first use with DefaultLoopEntries SQ entries and a CQ of
	// DefaultLoopCQ entries, which bounds how many Reads, Writes and
	// Accepts can be blocked at once across all conns (the Loop's
	// admission control, so the CQ can never overflow).
	Loop *ring.Loop

	// Recv selects how Read and Write wait and receive (default
	// RecvNetpoll).
	Recv RecvMode

	// ZeroCopy, if positive, makes Writes of at least this many bytes use
	// IORING_OP_SEND_ZC (6.0). Loopback and most small writes gain nothing
	// from it: the kernel copies anyway (it reports the copy in the
	// notification), so leave it 0 unless measured. A zero-copy Write
	// returns only once the kernel has released its buffer: one that runs
	// into its deadline while the peer is not reading waits until the peer
	// reads or the conn is closed (Close then resets the connection).
	ZeroCopy int
}

// RecvMode selects how a conn receives.
type RecvMode int

const (
	// RecvNetpoll (the default): readiness comes from Go's netpoller
	// (epoll, as for package net), the data moves through io_uring. Each
	// Read and Write is one IORING_OP_RECV or IORING_OP_SEND with MSG_DONTWAIT, which
	// completes inside the io_uring_enter that submits it; only when it
	// finds no data (or no room) does the call park in the netpoller until
	// the socket is ready, and try again. A blocked conn holds no
	// operation in the kernel and no buffer. This is the mode with net's
	// wake-up pattern: a reply readies the waiting goroutine on a running
	// thread, where a completion-driven wait wakes 2-3 sleeping threads
	// per round trip (PERFORMANCE.md, "Readiness from the netpoller").
	// A listener made with it accepts the same way (accept4(2) once the
	// netpoller says a connection is queued), so that no op stays in
	// flight. Each conn and listener holds a second descriptor: the
	// non-blocking duplicate the netpoller watches.
	RecvNetpoll RecvMode = iota
	// RecvAuto starts each TCP conn in RecvProvided (where the kernel
	// supports it) and switches it to RecvDirect for good once it sees
	// bulk traffic: a full provided buffer with more data queued, for a
	// Read that wants more than a buffer. Small messages then cost no SQE
	// per Read, and large transfers no copy and no CQE per 4 KiB.
	// PERFORMANCE.md has the measurements behind the choice.
	RecvAuto

	// RecvDirect: every Read is one IORING_OP_RECV into the caller's
	// buffer. No copy, one SQE per Read.
	RecvDirect

	// RecvProvided (TCP only; Unix conns receive directly, see
	// newConn): each conn keeps one multishot IORING_OP_RECV armed
	// (6.0) that takes buffers from a provided-buffer ring shared by every
	// conn of the Loop (1,024 buffers of 4 KiB); Read copies from those
	// buffers and hands them back. No SQE per Read while data keeps
	// coming, one copy. Data a peer sends is received before the
	// application asks for it, up to the pool's size; when the pool is
	// empty a Read receives directly into its own buffer.
	RecvProvided
)

// DefaultLoopEntries and DefaultLoopCQ size the package's own Loop. The CQ
// is the largest the kernel allows (IORING_MAX_CQ_ENTRIES, 64 Ki entries
// of 16 bytes), so about 65,000 operations can be blocked at once (a
// RecvNetpoll call blocked in the netpoller holds none).
const (
	DefaultLoopEntries = 512
	DefaultLoopCQ      = 65536
)

var (
	pkgLoopMu sync.Mutex
	pkgLoop   *ring.Loop
)

// loop returns the Loop the config runs on.
func (c *Config) loop() (*ring.Loop, error) {
	if c != nil && c.Loop != nil {
		return c.Loop, nil
	}
	pkgLoopMu.Lock()
	defer pkgLoopMu.Unlock()
	if pkgLoop != nil {
		return pkgLoop, nil
	}
	l, err := NewLoop()
	if err != nil {
		return nil, err
	}
	pkgLoop = l
	return l, nil
}

// NewLoop makes a Loop like the package's own: DefaultLoopEntries SQ
// entries, a CQ of DefaultLoopCQ entries, and opts applied after those
// (ring.WithMode, ring.WithSpin, ...). Pass it in Config.Loop.
func NewLoop(opts ...ring.LoopOption) (*ring.Loop, error) {
	return ring.NewLoop(append([]ring.LoopOption{ring.WithEntries(DefaultLoopEntries), ring.WithLoopCQSize(DefaultLoopCQ)}, opts...)...)
}

// PackageLoop returns the Loop that conns use when Config.Loop is nil,
// creating it on first use (for its Stats, or to share it).
func PackageLoop() (*ring.Loop, error) { return (*Config)(nil).loop() }

var defaultConfig Config

// Listen announces on the local network address like net.Listen, for the
// networks "tcp", "tcp4", "tcp6" and "unix", and returns a listener whose
// Accept is fed by a multishot accept on the package's Loop.
func Listen(network, address string) (net.Listener, error) {
	return defaultConfig.Listen(network, address)
}

// Dial connects to address on the named network ("tcp", "tcp4", "tcp6",
// "unix") like net.Dial.
func Dial(network, address string) (net.Conn, error) {
	return defaultConfig.DialContext(context.Background(), network, address)
}

// DialContext is Dial with a context: if ctx ends before the connection is
// made, the connect is cancelled in the kernel and the error wraps ctx's.
func DialContext(ctx context.Context, network, address string) (net.Conn, error) {
	return defaultConfig.DialContext(ctx, network, address)
}

// Dial is the package-level Dial with c's choices.
func (c *Config) Dial(network, address string) (net.Conn, error) {
	return c.DialContext(context.Background(), network, address)
}
