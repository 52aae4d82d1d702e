package main

import (
	"bytes"
	"encoding/json"
	"strings"
	"testing"

	"github.com/google/go-cmp/cmp"
)

// TestNopEngineLoop runs the spelling of the Loop's NOP benchmark,
// -workload nop -engine loop -goroutines G, and checks its JSON line.
func TestNopEngineLoop(t *testing.T) {
	skipIfNoRing(t)
	var out, errOut bytes.Buffer
	err := run([]string{"-workload", "nop", "-engine", "loop", "-goroutines", "4", "-ops", "4000", "-json"}, &out, &errOut)
	if err != nil {
		t.Fatalf("run: %v (stderr %q)", err, errOut.String())
	}
	var got map[string]any
	if err := json.Unmarshal(bytes.TrimSpace(out.Bytes()), &got); err != nil {
		t.Fatalf("not one JSON line: %v: %q", err, out.String())
	}
	for _, k := range []string{"seconds", "ops_per_sec", "p50_ns", "p99_ns", "threads"} {
		if v, ok := got[k].(float64); !ok || v <= 0 {
			t.Errorf("%s = %v, want a positive number", k, got[k])
		}
		delete(got, k)
	}
	for _, k := range []string{"allocs_per_op", "note"} {
		if _, ok := got[k]; !ok {
			t.Errorf("no %s field", k)
		}
		delete(got, k)
	}
	want := map[string]any{
		"workload": "nop", "engine": "loop", "batch": 0.0, "goroutines": 4.0,
		"ops": 4000.0, "setup": "none",
	}
	if d := cmp.Diff(want, got); d != "" {
		t.Errorf("JSON line (-want +got, measured fields removed):\n%s", d)
	}
}

// TestNopEngineLoopFlags: -goroutines belongs to the loop engine and
// -batch to the ring and c engines; mixing them is refused, not ignored.
func TestNopEngineLoopFlags(t *testing.T) {
	for _, tc := range []struct {
		args []string
		want string
	}{
		{[]string{"-workload", "nop", "-engine", "ring", "-goroutines", "4"}, "-goroutines is for -engine loop"},
		{[]string{"-workload", "nop", "-engine", "loop", "-batch", "8"}, "takes -goroutines, not -batch"},
	} {
		var out, errOut bytes.Buffer
		err := run(tc.args, &out, &errOut)
		if err == nil || !strings.Contains(err.Error(), tc.want) {
			t.Errorf("run(%q) = %v, want an error containing %q", tc.args, err, tc.want)
		}
	}
}
