package main

import (
	"bytes"
	"encoding/json"
	"errors"
	"io"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/google/go-cmp/cmp"
	"github.com/uringkit/uring/ring"
)

// skipIfNoRing skips when io_uring cannot be set up here, naming why.
func skipIfNoRing(t *testing.T) {
	t.Helper()
	r, err := ring.New(8)
	if errors.Is(err, ring.ErrUnavailable) || errors.Is(err, ring.ErrUnsupportedOS) {
		t.Skipf("io_uring unavailable: %v", err)
	}
	if err != nil {
		t.Fatal(err)
	}
	r.Close()
}

func TestNopRingJSON(t *testing.T) {
	skipIfNoRing(t)
	var out, errOut bytes.Buffer
	err := run([]string{"-workload", "nop", "-engine", "ring", "-batch", "8", "-ops", "100000", "-json"}, &out, &errOut)
	if err != nil {
		t.Fatalf("run: %v (stderr %q)", err, errOut.String())
	}
	lines := strings.Split(strings.TrimSpace(out.String()), "\n")
	if len(lines) != 1 {
		t.Fatalf("want one JSON line, got %q", out.String())
	}
	var got map[string]any
	if err := json.Unmarshal([]byte(lines[0]), &got); err != nil {
		t.Fatal(err)
	}
	for _, k := range []string{"seconds", "ops_per_sec", "threads"} {
		if v, ok := got[k].(float64); !ok || v <= 0 {
			t.Errorf("%s = %v, want a positive number", k, got[k])
		}
		delete(got, k)
	}
	// The ring layer's hot path does not allocate. MemStats counts the
	// whole process, so allow the odd runtime allocation (about 10 in a
	// 10,000-op run were seen under -race on a loaded machine): fewer than
	// 1 per 1,000 ops over 100,000 ops, far below one per op.
	if v, ok := got["allocs_per_op"].(float64); !ok || v < 0 || v >= 0.001 {
		t.Errorf("allocs_per_op = %v, want 0 (below 0.001)", got["allocs_per_op"])
	}
	delete(got, "allocs_per_op")
	want := map[string]any{
		"workload": "nop", "engine": "ring", "batch": 8.0, "ops": 100000.0,
		"goroutines": 0.0, "setup": "none", "p50_ns": nil, "p99_ns": nil,
	}
	if d := cmp.Diff(want, got); d != "" {
		t.Errorf("JSON line (-want +got, timing fields removed):\n%s", d)
	}
}

func TestComparisonTableAndSVG(t *testing.T) {
	skipIfNoRing(t)
	svg := filepath.Join(t.TempDir(), "ratios.svg")
	var out, errOut bytes.Buffer
	err := run([]string{"-workload", "nop", "-ops", "2000", "-reps", "1", "-svg", svg}, &out, &errOut)
	if err != nil {
		t.Fatalf("run: %v (stderr %q)", err, errOut.String())
	}
	table := out.String()
	lines := strings.Split(strings.TrimSpace(table), "\n")
	// Header, seven comparisons, a blank line, two legend lines, the run summary.
	if len(lines) != 12 || !strings.HasPrefix(lines[0], "workload") {
		t.Fatalf("table has %d lines, want 12:\n%s", len(lines), table)
	}
	rows := []string{
		"batch=1 setup=none", "batch=8 setup=none", "batch=32 setup=none", "batch=128 setup=none",
		"batch=1 setup=SINGLE_ISSUER|DEFER_TASKRUN", "batch=32 setup=SINGLE_ISSUER|DEFER_TASKRUN",
		"batch=128 setup=SINGLE_ISSUER|DEFER_TASKRUN",
	}
	for i, config := range rows {
		f := strings.Fields(lines[1+i])
		if len(f) < 7 || f[0] != "nop" || f[1]+" "+f[2] != config || f[3] != "ring" || f[5] != "c" {
			t.Errorf("row %d = %q, want nop %s ring ... c ...", i, lines[1+i], config)
			continue
		}
		// Without a C compiler the C side is skipped; the ring side must run.
		if f[4] == "failed" || f[4] == "skipped" || f[6] == "failed" {
			t.Errorf("row %d = %q: a side did not run", i, lines[1+i])
		}
	}
	b, err := os.ReadFile(svg)
	if err != nil {
		t.Fatal(err)
	}
	if !bytes.HasPrefix(b, []byte("<svg ")) || !bytes.HasSuffix(b, []byte("</svg>\n")) ||
		bytes.Count(b, []byte("<rect ")) != 1+7 {
		t.Errorf("SVG is not one background and seven bars:\n%s", b)
	}
}

func TestBadFlags(t *testing.T) {
	for _, tc := range []struct {
		args []string
		want string
	}{
		{[]string{"-workload", "nosuch"}, `unknown workload "nosuch"`},
		{[]string{"-engine", "ring"}, "-engine needs -workload"},
		{[]string{"-workload", "nop", "-qd", "4"}, "workload nop does not use -qd"},
		{[]string{"-workload", "nop", "-engine", "fio"}, `workload nop has no engine "fio"`},
	} {
		var out, errOut bytes.Buffer
		err := run(tc.args, &out, &errOut)
		if err == nil || !strings.Contains(err.Error(), tc.want) {
			t.Errorf("run(%q) = %v, want an error containing %q", tc.args, err, tc.want)
		}
	}
}

// orderWorkload records the engines it ran, in order.
type orderWorkload struct {
	fakeWorkload
	ran *[]string
}

func (w orderWorkload) Defaults() []Comparison {
	return []Comparison{{Uring: "u", Baseline: "b"}}
}

func (w orderWorkload) Run(engine string, p Params) (Result, error) {
	*w.ran = append(*w.ran, engine)
	return Result{Params: p, Ops: 1, Seconds: 1}, nil
}

// TestComparisonOrderAlternates: the side that runs first alternates from
// one repetition to the next, so that what a run leaves behind falls on
// both sides alike.
func TestComparisonOrderAlternates(t *testing.T) {
	var ran []string
	w := orderWorkload{ran: &ran}
	var out bytes.Buffer
	if err := runComparisons([]Workload{w}, options{reps: 4, inprocess: true}, Params{}, &out, io.Discard); err != nil {
		t.Fatal(err)
	}
	want := []string{"u", "b", "b", "u", "u", "b", "b", "u"}
	if d := cmp.Diff(want, ran); d != "" {
		t.Errorf("engine order (-want +got):\n%s", d)
	}
	if !strings.Contains(out.String(), "median of 4 interleaved repetitions") {
		t.Errorf("table does not say 4 repetitions:\n%s", out.String())
	}
}
