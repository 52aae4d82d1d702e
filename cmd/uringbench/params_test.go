package main

import (
	"encoding/json"
	"testing"
	"time"

	"github.com/google/go-cmp/cmp"
)

// Every parameter survives the trip through a -json line, which is how the
// default run learns the parameters a child process used.
func TestParamsJSONRoundTrip(t *testing.T) {
	want := Params{Batch: 8, Ops: 1000, Goroutines: 3, QD: 32, Direct: true, File: "/tmp/f",
		BS: 4096, Duration: 1500 * time.Millisecond, Conns: 64, Size: 512, Setup: "SINGLE_ISSUER"}
	var got Params
	for _, f := range paramFields {
		b, err := json.Marshal(f.get(&want))
		if err != nil {
			t.Fatal(err)
		}
		var v any
		if err := json.Unmarshal(b, &v); err != nil {
			t.Fatal(err)
		}
		if err := setParam(&got, f.name, v); err != nil {
			t.Errorf("setParam(%s, %v): %v", f.name, v, err)
		}
	}
	if d := cmp.Diff(want, got); d != "" {
		t.Errorf("round trip (-want +got):\n%s", d)
	}
	if err := setParam(&got, "qd", "many"); err == nil {
		t.Error(`setParam("qd", "many") succeeded, want an error`)
	}
}

// A comparison's own parameters win over what a run reports; the unset
// ones take the run's values.
func TestFillUnset(t *testing.T) {
	w := fakeWorkload{flags: []string{"batch", "goroutines", "bs", "setup", "direct"}}
	p := Params{Goroutines: 2}
	fillUnset(w, &p, Params{Goroutines: 1, Batch: 10000, BS: 4096, Setup: "none", Direct: true})
	want := Params{Goroutines: 2, Batch: 10000, BS: 4096, Setup: "none", Direct: true}
	if d := cmp.Diff(want, p); d != "" {
		t.Errorf("fillUnset (-want +got):\n%s", d)
	}
}

// fakeWorkload is a Workload with chosen flags and nothing else.
type fakeWorkload struct{ flags []string }

func (fakeWorkload) Name() string                       { return "fake" }
func (fakeWorkload) Describe() string                   { return "" }
func (fakeWorkload) Engines() []string                  { return nil }
func (w fakeWorkload) Flags() []string                  { return w.flags }
func (fakeWorkload) Defaults() []Comparison             { return nil }
func (fakeWorkload) Run(string, Params) (Result, error) { return Result{}, nil }
