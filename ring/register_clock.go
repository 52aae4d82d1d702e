package ring

import "unsafe"

// ClockID is a POSIX clock id as io_uring takes it.
type ClockID uint32

// Clocks io_uring may wait on (REGISTER_CLOCK accepts MONOTONIC and
// BOOTTIME; REALTIME is EINVAL, verified on 6.18). The values are Linux's.
const (
	ClockRealtime  ClockID = 0 // CLOCK_REALTIME
	ClockMonotonic ClockID = 1 // CLOCK_MONOTONIC, the default
	ClockBoottime  ClockID = 7 // CLOCK_BOOTTIME: monotonic, counting suspend
)

// RegisterClock selects the clock the ring's waits are measured on
// (IORING_REGISTER_CLOCK, 6.12): the timeout of a wait with EXT_ARG, and
// the absolute deadline with IORING_ENTER_ABS_TIMER. Only ClockMonotonic
// and ClockBoottime are accepted (EINVAL otherwise).
func (r *Ring) RegisterClock(c ClockID) error {
	reg := ClockRegister{ClockID: uint32(c)}
	return r.register(RegisterClock, unsafe.Pointer(&reg), 0)
}
