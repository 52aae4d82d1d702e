// Package ring is layer 1 of uring: the Linux io_uring interface made Go,
// through the three syscalls (io_uring_setup, io_uring_enter,
// io_uring_register) with no liburing and no cgo.
//
// A Ring is single-owner, like liburing's struct io_uring: get an SQE,
// prepare it, submit, and reap CQEs, with no locks and no allocation:
//
//	r, err := ring.New(64)
//	if err != nil { ... }
//	defer r.Close()
//	sqe := r.GetSQE() // nil when the SQ is full: Submit first
//	sqe.PrepNop()
//	sqe.SetUserData(42)
//	if _, err := r.SubmitAndWait(1); err != nil { ... }
//	cqe, _ := r.PeekCQE()
//	fmt.Println(cqe.UserData, cqe.Res)
//	r.CQESeen(cqe)
//
// Every IORING_SETUP_* flag is an Option of New, and a combination the
// kernel refuses is reported as a *SetupError naming the rule; every opcode
// has a Prep method on SQE; registration, probe and features are methods of
// Ring. Where io_uring is switched off (seccomp, kernel.io_uring_disabled)
// New returns an *UnavailableError that says why and what to do.
//
// Thread identity: SINGLE_ISSUER and DEFER_TASKRUN rings, rings whose fd is
// registered (RegisterRingFd, REGISTERED_FD_ONLY) and the task work of
// COOP_TASKRUN belong to one OS thread. Call runtime.LockOSThread before New
// and use such a Ring from that goroutine only.
//
// Memory whose address goes into an SQE must stay reachable until the
// operation's last CQE; the Loop (goroutine-safe driver) keeps it so. A
// Prep that takes a slice puts its length in the SQE's 32-bit len field,
// capped at math.MaxUint32, never the length modulo 4 GiB: a read or write
// of a longer buffer transfers what the kernel takes in one call (a short
// count); a madvise covers only the first 4 GiB - 1 and says so nowhere
// (PrepMadvise).
package ring
