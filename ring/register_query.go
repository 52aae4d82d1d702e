package ring

import (
	"syscall"
	"unsafe"
)

// QueryKernel asks the kernel what it implements (IORING_REGISTER_QUERY
// with IO_URING_QUERY_OPCODES, 6.18): how many request and register
// opcodes, and which feature, setup, enter and SQE flag bits it knows. It
// needs no ring (the call is made with fd -1). On kernels before 6.18 it
// returns a *NotSupportedError.
func QueryKernel() (QueryOpcode, error) {
	if isOtherOS {
		return QueryOpcode{}, ErrUnsupportedOS
	}
	var out QueryOpcode
	hdr := QueryHdr{QueryData: ptrAddr(&out), QueryOp: QueryOpcodes, Size: uint32(unsafe.Sizeof(out))}
	_, errno := sysRegister(-1, uint32(RegisterQuery), unsafe.Pointer(&hdr), 0)
	if errno == syscall.EINVAL {
		// Opcodes past IORING_REGISTER_LAST are EINVAL: the kernel has no QUERY.
		return QueryOpcode{}, &NotSupportedError{What: "IORING_REGISTER_QUERY", Kernel: KernelVersion{6, 18}}
	}
	if errno == 0 && hdr.Result < 0 {
		errno = syscall.Errno(-hdr.Result)
	}
	if errno != 0 {
		return QueryOpcode{}, &SyscallError{Call: "io_uring_register(" + RegisterQuery.String() + ")", Err: errno}
	}
	return out, nil
}
