package ring

import (
	"strings"
	"unsafe"
)

// Probe says which opcodes the running kernel implements
// (IORING_REGISTER_PROBE, 5.6).
type Probe struct {
	LastOp Op        // the highest opcode the kernel knows
	Ops    []ProbeOp // one entry per opcode 0..LastOp
}

// Probe asks the kernel which opcodes it supports.
func (r *Ring) Probe() (*Probe, error) {
	const maxOps = 256
	buf := make([]byte, unsafe.Sizeof(probeHeader{})+maxOps*unsafe.Sizeof(ProbeOp{}))
	if err := r.register(RegisterProbe, unsafe.Pointer(unsafe.SliceData(buf)), maxOps); err != nil {
		return nil, err
	}
	h := (*probeHeader)(unsafe.Pointer(unsafe.SliceData(buf)))
	ops := unsafe.Slice((*ProbeOp)(unsafe.Pointer(&buf[unsafe.Sizeof(probeHeader{})])), int(h.OpsLen))
	return &Probe{LastOp: Op(h.LastOp), Ops: append([]ProbeOp(nil), ops...)}, nil
}

// ProbeKernel sets up a small ring, probes it and closes it.
func ProbeKernel() (*Probe, error) {
	r, err := New(2)
	if err != nil {
		return nil, err
	}
	defer r.Close()
	return r.Probe()
}

// Supports reports whether the kernel implements op.
func (p *Probe) Supports(op Op) bool {
	return int(op) < len(p.Ops) && p.Ops[op].Flags&probeOpSupported != 0
}

// String lists the supported opcodes, e.g. "NOP READV WRITEV ...".
func (p *Probe) String() string {
	var b strings.Builder
	for i := range p.Ops {
		if p.Supports(Op(i)) {
			if b.Len() > 0 {
				b.WriteByte(' ')
			}
			b.WriteString(Op(i).String())
		}
	}
	return b.String()
}

// CheckOp returns nil if the running kernel implements op, and otherwise a
// *NotSupportedError naming the opcode and the kernel that added it
// (errors.Is(err, ErrNotSupported)). The probe is taken once per Ring.
func (r *Ring) CheckOp(op Op) error {
	if r.probe == nil {
		p, err := r.Probe()
		if err != nil {
			return err
		}
		r.probe = p
	}
	if r.probe.Supports(op) {
		return nil
	}
	return &NotSupportedError{What: "IORING_OP_" + op.String(), Kernel: op.Kernel()}
}

var featureNames = [...]string{
	"SINGLE_MMAP", "NODROP", "SUBMIT_STABLE", "RW_CUR_POS", "CUR_PERSONALITY", "FAST_POLL",
	"POLL_32BITS", "SQPOLL_NONFIXED", "EXT_ARG", "NATIVE_WORKERS", "RSRC_TAGS", "CQE_SKIP",
	"LINKED_FILE", "REG_REG_RING", "RECVSEND_BUNDLE", "MIN_TIMEOUT", "RW_ATTR", "NO_IOWAIT",
}

// String lists the feature names joined by '|', e.g. "SINGLE_MMAP|NODROP".
func (f Features) String() string { return bitNames(uint64(f), featureNames[:]) }

// Has reports whether every bit of want is set.
func (f Features) Has(want Features) bool { return f&want == want }

var setupFlagNames = [...]string{
	"IOPOLL", "SQPOLL", "SQ_AFF", "CQSIZE", "CLAMP", "ATTACH_WQ", "R_DISABLED", "SUBMIT_ALL",
	"COOP_TASKRUN", "TASKRUN_FLAG", "SQE128", "CQE32", "SINGLE_ISSUER", "DEFER_TASKRUN",
	"NO_MMAP", "REGISTERED_FD_ONLY", "NO_SQARRAY", "HYBRID_IOPOLL", "CQE_MIXED",
}

// String lists the flag names joined by '|', e.g. "SQPOLL|SQ_AFF".
func (f SetupFlags) String() string { return bitNames(uint64(f), setupFlagNames[:]) }

func bitNames(v uint64, names []string) string {
	if v == 0 {
		return "0"
	}
	var b strings.Builder
	for i := 0; i < 64; i++ {
		if v&(1<<i) == 0 {
			continue
		}
		if b.Len() > 0 {
			b.WriteByte('|')
		}
		if i < len(names) {
			b.WriteString(names[i])
		} else {
			b.WriteString(hex(1 << i))
		}
	}
	return b.String()
}
