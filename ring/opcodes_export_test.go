package ring

// SetProbeForTest replaces the probe CheckOp caches, so tests can play a
// kernel that lacks an opcode.
func (r *Ring) SetProbeForTest(p *Probe) { r.probe = p }

// OpCQEFlags returns the CQE flags the facts table says op can set.
func OpCQEFlags(op Op) uint32 { return opTable[op].cqeFlags }
