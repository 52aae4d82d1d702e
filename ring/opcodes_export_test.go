package ring

// SetProbeForTest replaces the probe CheckOp caches, so tests can play a
// kernel that lacks an opcode.
func (r *Ring) SetProbeForTest(p *Probe) { r.probe = p }
