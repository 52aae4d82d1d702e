package ring

import (
	"time"
	"unsafe"
)

// SyncCancelArgs selects the requests SyncCancel cancels, like the fields
// of an IORING_OP_ASYNC_CANCEL SQE.
type SyncCancelArgs struct {
	UserData uint64        // match requests with this user_data (unless Flags says otherwise)
	Fd       int32         // with CancelFd: match requests on this fd (a fixed file with CancelFdFixed)
	Opcode   Op            // with CancelOp: match requests with this opcode (6.6)
	Flags    uint32        // CancelAll, CancelFd, CancelAny, CancelFdFixed, CancelUserData, CancelOp
	Timeout  time.Duration // how long to wait for the cancellations; 0 or less waits as long as it takes
}

// SyncCancel cancels the matching in-flight requests and waits until they
// are done (IORING_REGISTER_SYNC_CANCEL, 6.0): when it returns, their CQEs
// (res -ECANCELED, or their own result if they finished first) are posted
// or about to be, and their memory is no longer used by the kernel. It
// returns how many were cancelled with CancelAll or CancelAny and 0
// otherwise. No match is ENOENT; a timeout is ETIME.
func (r *Ring) SyncCancel(a SyncCancelArgs) (int, error) {
	ts := Timespec{Sec: -1, Nsec: -1} // the kernel's "no timeout"
	if a.Timeout > 0 {
		ts = Timespec{Sec: int64(a.Timeout / time.Second), Nsec: int64(a.Timeout % time.Second)}
	}
	reg := SyncCancelReg{Addr: a.UserData, Fd: a.Fd, Flags: a.Flags, Timeout: ts, Opcode: uint8(a.Opcode)}
	if a.Flags&(CancelFd|CancelFdFixed) == 0 {
		reg.Fd = -1
	}
	return r.registerN(RegisterSyncCancel, unsafe.Pointer(&reg), 1)
}
