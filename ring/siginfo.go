package ring

import "unsafe"

// The si_code values of a SIGCHLD siginfo_t (asm-generic/siginfo.h):
// ChildInfo.Code.
const (
	CLDExited    = 1 // the child called exit; Status is its exit status
	CLDKilled    = 2 // killed by the signal in Status
	CLDDumped    = 3 // killed by the signal in Status, and dumped core
	CLDTrapped   = 4 // a traced child trapped
	CLDStopped   = 5 // stopped by the signal in Status
	CLDContinued = 6 // continued by SIGCONT
)

// ChildInfo is what IORING_OP_WAITID reports of a child in the siginfo_t
// it fills (si_signo SIGCHLD): Code is si_code (CLDExited, CLDKilled,
// CLDDumped, CLDTrapped, CLDStopped or CLDContinued), and Status the
// exit status for CLDExited, else the signal. A WNOHANG wait that found
// no child leaves every field 0.
type ChildInfo struct {
	Signo  int32
	Code   int32
	Pid    int32
	Uid    uint32
	Status int32
}

// SiginfoChild decodes the siginfo_t that WAITID filled, which
// golang.org/x/sys/unix.Siginfo (Siginfo) leaves as bytes past si_code.
func SiginfoChild(info *Siginfo) ChildInfo {
	p := unsafe.Pointer(info)
	at := func(off uintptr) unsafe.Pointer { return unsafe.Add(p, off) }
	// si_signo, si_errno, si_code, then the union, aligned like a
	// pointer: at 16 on 64-bit platforms, 12 on 32-bit ones. For SIGCHLD
	// it starts with si_pid, si_uid, si_status.
	u := 3 * unsafe.Sizeof(int32(0))
	if unsafe.Sizeof(uintptr(0)) == 8 {
		u = 16
	}
	return ChildInfo{
		Signo:  *(*int32)(at(0)),
		Code:   *(*int32)(at(8)),
		Pid:    *(*int32)(at(u)),
		Uid:    *(*uint32)(at(u + 4)),
		Status: *(*int32)(at(u + 8)),
	}
}
