package ring

import (
	"runtime"
	"unsafe"
)

// Fixed buffers: memory registered once so that READ_FIXED, WRITE_FIXED,
// SEND_ZC with RecvSendFixedBuf, READV_FIXED and the like skip the
// per-request page pinning. The kernel pins the pages at registration and
// keeps them until the buffer is unregistered or replaced and no request
// uses it any more. The Ring keeps a reference to every registered slice
// until then, so the garbage collector cannot reuse memory the kernel
// still writes into; a buffer an in-flight request uses must stay alive
// until that request's CQE even after it was unregistered (a tagged
// buffer's tag CQE says when the kernel let go of it).

// rsrcIovec is struct iovec as the register calls read it (LP64 and ILP32).
type rsrcIovec struct {
	base uintptr
	len  uintptr
}

// iovecsOf builds the iovec array for bufs; an empty slice is an empty
// (sparse) slot, which the kernel encodes as base 0, len 0.
func iovecsOf(bufs [][]byte) []rsrcIovec {
	iov := make([]rsrcIovec, len(bufs))
	for i, b := range bufs {
		iov[i] = rsrcIovec{base: uintptrOf(b), len: uintptr(len(b))}
	}
	return iov
}

// maxFixedBuffers is IORING_MAX_REG_BUFFERS: the kernel refuses larger tables.
const maxFixedBuffers = 1 << 14

// maxFixedBufferLen is the kernel's limit on one fixed buffer (1 GiB,
// io_buffer_validate); a longer one fails with a bare EFAULT.
const maxFixedBufferLen = 1 << 30

// RegisterBuffers registers bufs as the ring's fixed buffers 0..len(bufs)-1
// (IORING_REGISTER_BUFFERS, 5.1). An empty slice leaves its slot empty
// (5.19 kernels and later). The Ring keeps bufs reachable until
// UnregisterBuffers (or until a slot is replaced with UpdateBuffers); do
// not let the memory go while a request uses it. A ring has one buffer
// table: registering a second one fails with EBUSY.
func (r *Ring) RegisterBuffers(bufs [][]byte) error {
	if err := checkBuffers(RegisterBuffers, bufs, nil); err != nil {
		return err
	}
	iov := iovecsOf(bufs)
	err := r.register(RegisterBuffers, unsafe.Pointer(unsafe.SliceData(iov)), uint32(len(iov)))
	runtime.KeepAlive(bufs)
	if err != nil {
		return err
	}
	r.reg.buffers = nil
	r.reg.setBuffers(0, bufs)
	return nil
}

// RegisterBuffersTagged registers bufs like RegisterBuffers, with a tag per
// buffer (IORING_REGISTER_BUFFERS2 with tags, 5.13; FEAT_RSRC_TAGS). When a
// buffer with a non-zero tag is unregistered or replaced, the kernel posts
// a CQE with user_data = the tag and res = 0 once no request uses it any
// more: from then on its memory is the caller's again. A tag needs a
// buffer (EINVAL for a tag on an empty slot).
func (r *Ring) RegisterBuffersTagged(bufs [][]byte, tags []uint64) error {
	if err := checkBuffers(RegisterBuffers2, bufs, tags); err != nil {
		return err
	}
	iov := iovecsOf(bufs)
	rr := RsrcRegister{
		Nr:   uint32(len(bufs)),
		Data: sliceAddr(iov),
		Tags: sliceAddr(tags),
	}
	err := r.register(RegisterBuffers2, unsafe.Pointer(&rr), uint32(unsafe.Sizeof(rr)))
	runtime.KeepAlive(iov)
	runtime.KeepAlive(tags)
	runtime.KeepAlive(bufs)
	if err != nil {
		return err
	}
	r.reg.buffers = nil
	r.reg.setBuffers(0, bufs)
	return nil
}

// RegisterBuffersSparse registers a table of n empty fixed-buffer slots
// (IORING_REGISTER_BUFFERS2 with IORING_RSRC_REGISTER_SPARSE, 5.19), to
// be filled with UpdateBuffers. A request naming an empty slot fails with
// EFAULT.
func (r *Ring) RegisterBuffersSparse(n uint32) error {
	if n == 0 || n > maxFixedBuffers {
		return argError(RegisterBuffers2, "a sparse buffer table needs 1 to 16384 slots, not "+itoa(int64(n)))
	}
	rr := RsrcRegister{Nr: n, Flags: RsrcRegisterSparse}
	if err := r.register(RegisterBuffers2, unsafe.Pointer(&rr), uint32(unsafe.Sizeof(rr))); err != nil {
		return err
	}
	r.reg.buffers = make([][]byte, n)
	return nil
}

// UpdateBuffers replaces fixed buffers off..off+len(bufs)-1 of a registered
// table (IORING_REGISTER_BUFFERS_UPDATE, 5.13). An empty slice empties its
// slot. tags is nil or has one tag per buffer, as in RegisterBuffersTagged;
// the replaced buffers' own tags, if any, post their CQEs once the kernel
// is done with them. It returns how many slots were updated. The Ring then
// holds the new buffers and forgets the replaced ones: keep those alive
// yourself while a request still uses them.
func (r *Ring) UpdateBuffers(off uint32, bufs [][]byte, tags []uint64) (int, error) {
	if err := checkBuffers(RegisterBuffersUpdate, bufs, tags); err != nil {
		return 0, err
	}
	iov := iovecsOf(bufs)
	up := RsrcUpdate2{
		Offset: off,
		Data:   sliceAddr(iov),
		Tags:   sliceAddr(tags),
		Nr:     uint32(len(bufs)),
	}
	n, err := r.registerN(RegisterBuffersUpdate, unsafe.Pointer(&up), uint32(unsafe.Sizeof(up)))
	runtime.KeepAlive(iov)
	runtime.KeepAlive(tags)
	runtime.KeepAlive(bufs)
	if err != nil {
		return 0, err
	}
	r.reg.setBuffers(int(off), bufs[:n])
	return n, nil
}

// UnregisterBuffers drops the fixed-buffer table (IORING_UNREGISTER_BUFFERS,
// 5.1); ENXIO if none is registered. Buffers still used by in-flight
// requests stay pinned by the kernel until those complete; the Ring stops
// holding them now, so keep them alive until their CQEs.
func (r *Ring) UnregisterBuffers() error {
	if err := r.register(UnregisterBuffers, nil, 0); err != nil {
		return err
	}
	r.reg.buffers = nil
	return nil
}

// FixedBuffer returns the slice registered as fixed buffer i, or nil if
// the slot is empty or out of range. Its address and length are what a
// READ_FIXED or WRITE_FIXED SQE must stay within.
func (r *Ring) FixedBuffer(i int) []byte {
	if i < 0 || i >= len(r.reg.buffers) {
		return nil
	}
	return r.reg.buffers[i]
}

func checkBuffers(op RegisterOp, bufs [][]byte, tags []uint64) error {
	switch {
	case len(bufs) == 0:
		return argError(op, "no buffers given")
	case len(bufs) > maxFixedBuffers:
		return argError(op, "at most 16384 fixed buffers, not "+itoa(int64(len(bufs))))
	case tags != nil && len(tags) != len(bufs):
		return argError(op, "need one tag per buffer: "+itoa(int64(len(tags)))+" tags for "+itoa(int64(len(bufs)))+" buffers")
	}
	for i, b := range bufs {
		if len(b) > maxFixedBufferLen {
			return argError(op, "fixed buffer "+itoa(int64(i))+" is "+itoa(int64(len(b)))+" bytes, over the kernel's limit of 1 GiB per buffer")
		}
	}
	return nil
}

// sliceAddr is the address of s's first element as a kernel struct field,
// 0 for an empty slice. The caller keeps s alive over the syscall.
func sliceAddr[T any](s []T) uint64 {
	if len(s) == 0 {
		return 0
	}
	return ptrAddr(unsafe.SliceData(s))
}
