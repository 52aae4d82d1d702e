// Package uringnet gives TCP and Unix stream sockets whose accept, connect,
// read and write run on io_uring, behind the interfaces Go programs already
// use: Listen returns a net.Listener and Dial a net.Conn, so net/http,
// io.Copy, bufio and the rest work unchanged.
//
//	ln, err := uringnet.Listen("tcp", "127.0.0.1:8080")
//	if err != nil { ... }
//	http.Serve(ln, handler)
//
// How each call maps onto the kernel (all through a ring.Loop):
//
//   - By default (RecvNetpoll) a call waits for readiness in Go's
//     netpoller, as package net does, and moves the data with io_uring:
//     Read is an IORING_OP_RECV and Write an IORING_OP_SEND with
//     MSG_DONTWAIT, which complete inside the enter that submits them;
//     Accept is accept4(2) once a connection is queued. Nothing stays in
//     flight while a call is blocked, and a round trip wakes no sleeping
//     thread (PERFORMANCE.md). The modes below are completion-driven.
//   - Accept: one IORING_OP_ACCEPT with IORING_ACCEPT_MULTISHOT per
//     listener (5.19), re-armed when the kernel ends it (ENFILE, EMFILE).
//   - Dial: socket(2), then IORING_OP_CONNECT.
//   - Read: with RecvAuto a multishot recv (6.0) per TCP conn that
//     picks buffers from a provided-buffer ring shared by the Loop's
//     conns, until the conn shows bulk traffic; then, and for Unix
//     sockets, one IORING_OP_RECV into the caller's buffer per Read.
//   - Write: IORING_OP_SEND with MSG_WAITALL, which the kernel retries on a
//     stream socket until every byte is queued (io_net_retry), so a Write
//     sends everything or returns how much it sent and why it stopped.
//     Writes of at least Config.ZeroCopy bytes use IORING_OP_SEND_ZC; the
//     Write returns after the notification CQE, when the kernel no longer
//     reads the buffer.
//
// Deadlines follow package net: SetDeadline, SetReadDeadline and
// SetWriteDeadline may be called at any time, also while a Read or Write
// is blocked, and move or clear the deadline of that blocked call. A call
// that runs into its deadline stops waiting (in the netpoller, or, in the
// completion-driven modes, by cancelling its op in the kernel with
// IORING_OP_ASYNC_CANCEL) and returns a *net.OpError whose Err is
// os.ErrDeadlineExceeded (Timeout() is true).
//
// Errors have net's shape: *net.OpError with Op "read", "write", "dial",
// "listen", "accept" or "close", wrapping an *os.SyscallError with the
// errno (errors.Is(err, syscall.ECONNRESET) works) or net.ErrClosed.
//
// Close cancels every operation in flight on the conn or listener and
// returns only after the kernel has posted their last CQEs: no buffer the
// caller passed is used by the kernel after Close returns.
//
// A blocked Read, Write or Accept is an operation in flight on the Loop,
// and a Loop admits at most as many as its CQ holds. The package's own
// Loop (used when Config.Loop is nil) therefore has a large CQ; see
// Config. It runs in the Loop's shared mode, which keeps one connection's
// latency lowest; with many busy connections an owner-mode Loop
// (ring.WithMode(ring.ModeOwner)) passed as Config.Loop batches better.
// PERFORMANCE.md has the measurements.
package uringnet
