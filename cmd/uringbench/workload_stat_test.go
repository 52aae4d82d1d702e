package main

import (
	"testing"

	"github.com/google/go-cmp/cmp"
)

// statCold takes "cold" out of the setup flags, alone or among others,
// in any case, and leaves the rest for parseSetup.
func TestStatCold(t *testing.T) {
	type out struct {
		Setup string
		Cold  bool
	}
	for _, c := range []struct {
		in   string
		want out
	}{
		{"", out{"", false}},
		{"none", out{"none", false}},
		{"cold", out{"", true}},
		{"COLD", out{"", true}},
		{"cold|SINGLE_ISSUER|DEFER_TASKRUN", out{"SINGLE_ISSUER|DEFER_TASKRUN", true}},
		{"SINGLE_ISSUER,cold", out{"SINGLE_ISSUER", true}},
		{"SINGLE_ISSUER,DEFER_TASKRUN", out{"SINGLE_ISSUER|DEFER_TASKRUN", false}},
	} {
		setup, cold := statCold(c.in)
		if diff := cmp.Diff(c.want, out{setup, cold}); diff != "" {
			t.Errorf("statCold(%q): (-want +got):\n%s", c.in, diff)
		}
	}
}
