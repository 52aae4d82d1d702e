//go:build linux

package ring_test

import (
	"testing"

	"github.com/uringkit/uring/ring"
)

// QUERY's counts agree with the probe and with this package's tables:
// 6.18 has 63 request opcodes and 36 register opcodes.
func TestQueryKernel(t *testing.T) {
	q, err := ring.QueryKernel()
	if err != nil {
		t.Fatal(err)
	}
	r := newTestRing(t, 4)
	p, err := r.Probe()
	if err != nil {
		t.Fatal(err)
	}
	supported := 0
	for i := range p.Ops {
		if p.Supports(ring.Op(i)) {
			supported++
		}
	}
	diff(t, "request opcodes: QUERY vs probe", q.NrRequestOpcodes, uint32(p.LastOp)+1)
	diff(t, "request opcodes the probe marks supported", uint32(supported), q.NrRequestOpcodes)
	diff(t, "register opcodes", q.NrRegisterOpcodes, uint32(ring.RegisterQuery)+1)
	diff(t, "feature flags vs params.features", q.FeatureFlags, uint64(r.Features()))
	if q.NrRequestOpcodes < 63 || q.NrRegisterOpcodes < 36 {
		t.Fatalf("kernel reports %d request and %d register opcodes; 6.18 has 63 and 36", q.NrRequestOpcodes, q.NrRegisterOpcodes)
	}
	// Flag sets known to 6.18: setup bits 0-18, enter bits 0-7, SQE bits 0-6.
	diff(t, "flag sets", [3]uint64{q.RingSetupFlags & 0x7ffff, q.EnterFlags & 0xff, q.SQEFlags & 0x7f}, [3]uint64{0x7ffff, 0xff, 0x7f})
}
