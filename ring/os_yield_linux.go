package ring

import "syscall"

// osYield gives the CPU to another thread runnable on it (sched_yield):
// on a busy vCPU, the thread whose task work would post CQEs, which the
// poll is waiting for. Through Syscall, not RawSyscall, so that the
// runtime can hand the P on should the yield last.
func osYield() { syscall.Syscall(syscall.SYS_SCHED_YIELD, 0, 0, 0) }
