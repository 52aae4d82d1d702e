package ring

import (
	"runtime"
	"unsafe"
)

// Restrictions (IORING_REGISTER_RESTRICTIONS, 5.10) turn a ring into an
// allow-list: only the listed register opcodes and SQE opcodes, and only
// the allowed SQE flags, may be used. They can be registered once, while
// the ring is still disabled (WithDisabled); Enable makes them take
// effect. A disallowed SQE completes with EACCES, a disallowed register
// call fails with EACCES. This is how a ring is handed to less trusted
// code.

// AllowRegisterOp is a restriction that allows the register opcode op
// (IORING_RESTRICTION_REGISTER_OP).
func AllowRegisterOp(op RegisterOp) Restriction {
	return Restriction{Opcode: RestrictionRegisterOp, Arg: uint8(op)}
}

// AllowSQEOp is a restriction that allows SQEs with opcode op
// (IORING_RESTRICTION_SQE_OP).
func AllowSQEOp(op Op) Restriction {
	return Restriction{Opcode: RestrictionSQEOp, Arg: uint8(op)}
}

// AllowSQEFlags is a restriction that allows the IOSQE_* flags f on SQEs
// (IORING_RESTRICTION_SQE_FLAGS_ALLOWED); without it no flag is allowed.
func AllowSQEFlags(f SQEFlags) Restriction {
	return Restriction{Opcode: RestrictionSQEFlagsAllowed, Arg: uint8(f)}
}

// RequireSQEFlags is a restriction that requires the IOSQE_* flags f on
// every SQE (IORING_RESTRICTION_SQE_FLAGS_REQUIRED), e.g. SQEFixedFile to
// confine requests to the registered files.
func RequireSQEFlags(f SQEFlags) Restriction {
	return Restriction{Opcode: RestrictionSQEFlagsRequired, Arg: uint8(f)}
}

// RegisterRestrictions registers the allow-list res
// (IORING_REGISTER_RESTRICTIONS, 5.10). The ring must have been set up
// with WithDisabled and not yet enabled (EBADFD otherwise), and this can
// be done once (EBUSY the second time). Enable then starts the ring with
// the restrictions in force.
func (r *Ring) RegisterRestrictions(res []Restriction) error {
	if len(res) == 0 {
		return argError(RegisterRestrictions, "no restrictions given")
	}
	err := r.register(RegisterRestrictions, unsafe.Pointer(unsafe.SliceData(res)), uint32(len(res)))
	runtime.KeepAlive(res)
	return err
}
