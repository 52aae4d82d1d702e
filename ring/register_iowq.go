package ring

import (
	"runtime"
	"unsafe"
)

// io-wq is the kernel's worker pool for requests that cannot complete
// without blocking. There is one pool per submitting thread (per task),
// shared by all rings that thread submits to, created at the thread's
// first submission. Both calls here act on the calling thread's pool
// (the SQPOLL thread's pool on an SQPOLL ring): call runtime.LockOSThread
// and submit from that thread first.

// RegisterIOWQAff sets the CPU affinity of the calling thread's io-wq
// workers to cpus (IORING_REGISTER_IOWQ_AFF, 5.14). Workers created from
// then on run only on those CPUs; existing workers keep their affinity.
// The thread must already have an io-wq, i.e. have submitted to a ring
// (EINVAL otherwise), and cpus must be allowed to the thread (EINVAL).
// The kernel reads only as much of the mask as its own CPU mask holds,
// so a CPU number past that size is dropped without an error: on a
// 2-CPU Linux 6.18 machine RegisterIOWQAff([]int{9999}) returned nil.
func (r *Ring) RegisterIOWQAff(cpus []int) error {
	if len(cpus) == 0 {
		return argError(RegisterIOWQAff, "no CPUs given")
	}
	var mask []uint64
	for _, c := range cpus {
		if c < 0 || c >= 1<<16 {
			return argError(RegisterIOWQAff, "CPU number out of range: "+itoa(int64(c)))
		}
		for c/64 >= len(mask) {
			mask = append(mask, 0)
		}
		mask[c/64] |= 1 << (c % 64)
	}
	err := r.register(RegisterIOWQAff, unsafe.Pointer(unsafe.SliceData(mask)), uint32(len(mask)*8))
	runtime.KeepAlive(mask)
	return err
}

// UnregisterIOWQAff resets the io-wq CPU affinity of the calling thread to
// every CPU the thread may use (IORING_UNREGISTER_IOWQ_AFF, 5.14), for
// workers created from then on.
func (r *Ring) UnregisterIOWQAff() error {
	return r.register(UnregisterIOWQAff, nil, 0)
}

// RegisterIOWQMaxWorkers sets the maximum number of bounded (regular file
// and block I/O) and unbounded (sockets, pipes, anything that can block
// indefinitely) io-wq workers (IORING_REGISTER_IOWQ_MAX_WORKERS, 5.15)
// and returns the previous limits. 0 leaves a limit unchanged, so
// RegisterIOWQMaxWorkers(0, 0) just reads them. The limits are stored in
// the ring (and applied to every thread's pool that submits to it) and
// read back from the calling thread's pool; a thread without a pool
// reads 0, 0.
func (r *Ring) RegisterIOWQMaxWorkers(bounded, unbounded uint32) (prevBounded, prevUnbounded uint32, err error) {
	const maxCount = 1<<31 - 1 // the kernel refuses counts above INT_MAX
	if bounded > maxCount || unbounded > maxCount {
		return 0, 0, argError(RegisterIOWQMaxWorkers, "worker count above 2147483647")
	}
	counts := [2]uint32{IOWQBound: bounded, IOWQUnbound: unbounded}
	if err := r.register(RegisterIOWQMaxWorkers, unsafe.Pointer(&counts), 2); err != nil {
		return 0, 0, err
	}
	return counts[IOWQBound], counts[IOWQUnbound], nil
}
