//go:build linux

package ring_test

import (
	"testing"

	"github.com/uringkit/uring/ring"
)

// Each NAPI registration hands back the settings it replaced.
func TestRegisterNapiRoundTrip(t *testing.T) {
	r := newTestRing(t, 8)
	first := ring.Napi{BusyPollTo: 100, PreferBusyPoll: 1, Opcode: ring.NapiRegisterOp, OpParam: ring.NapiTrackingDynamic}
	prev, err := r.RegisterNapi(first)
	if err != nil {
		t.Fatal(err)
	}
	diff(t, "settings before the first registration", prev, ring.Napi{OpParam: ring.NapiTrackingInactive})
	second := ring.Napi{BusyPollTo: 50, Opcode: ring.NapiRegisterOp, OpParam: ring.NapiTrackingStatic}
	prev, err = r.RegisterNapi(second)
	if err != nil {
		t.Fatal(err)
	}
	diff(t, "settings replaced by the second registration", prev, ring.Napi{BusyPollTo: 100, PreferBusyPoll: 1, OpParam: ring.NapiTrackingDynamic})
	prev, err = r.UnregisterNapi()
	if err != nil {
		t.Fatal(err)
	}
	// UNREGISTER_NAPI reports the timeout and prefer flag, not the
	// tracking mode (6.18).
	diff(t, "settings at unregister", prev, ring.Napi{BusyPollTo: 50})
	prev, err = r.UnregisterNapi()
	if err != nil {
		t.Fatal(err)
	}
	diff(t, "settings after unregister", prev, ring.Napi{})
	prev, err = r.RegisterNapi(first)
	if err != nil {
		t.Fatal(err)
	}
	diff(t, "settings before re-registering", prev, ring.Napi{OpParam: ring.NapiTrackingInactive})
}
