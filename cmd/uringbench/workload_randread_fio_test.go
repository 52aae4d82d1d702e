package main

import (
	"bytes"
	"encoding/json"
	"os/exec"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"github.com/google/go-cmp/cmp"
)

// smallRandreadFile creates a 4 MiB data file, so that the tests do not
// write the 1 GiB default.
func smallRandreadFile(t *testing.T) string {
	t.Helper()
	path := filepath.Join(t.TempDir(), "randread-4m")
	if err := createRandread(path, 4<<20); err != nil {
		t.Fatal(err)
	}
	return path
}

// TestRandreadFio runs the fio engine for a moment, when fio is installed,
// and checks that what it parsed from fio's JSON is there and positive.
func TestRandreadFio(t *testing.T) {
	if _, err := exec.LookPath("fio"); err != nil {
		t.Skip("fio is not installed (no fio in PATH): the fio engine cannot run")
	}
	skipIfNoRing(t) // fio's io_uring engine needs io_uring too
	path := smallRandreadFile(t)
	var out, errOut bytes.Buffer
	err := run([]string{"-workload", "randread", "-engine", "fio", "-qd", "4", "-file", path, "-duration", "100ms", "-json"}, &out, &errOut)
	if err != nil {
		t.Fatalf("run: %v (stderr %q)", err, errOut.String())
	}
	var got map[string]any
	if err := json.Unmarshal(bytes.TrimSpace(out.Bytes()), &got); err != nil {
		t.Fatalf("not one JSON line: %v: %q", err, out.String())
	}
	for _, k := range []string{"ops", "seconds", "ops_per_sec", "p50_ns", "p99_ns"} {
		if v, ok := got[k].(float64); !ok || v <= 0 {
			t.Errorf("%s = %v, want a positive number", k, got[k])
		}
		delete(got, k)
	}
	if note, _ := got["note"].(string); !strings.HasPrefix(note, "fio-") || !strings.Contains(note, "io_uring, 1 job") {
		t.Errorf("note = %q, want fio's version and engine", got["note"])
	}
	delete(got, "note")
	want := map[string]any{
		"workload": "randread", "engine": "fio", "qd": 4.0, "direct": false, "bs": 4096.0,
		"duration": "100ms", "file": path, "setup": "none",
		"allocs_per_op": nil, "threads": nil, // fio is another process
	}
	if d := cmp.Diff(want, got); d != "" {
		t.Errorf("JSON line (-want +got, measured fields removed):\n%s", d)
	}
}

// TestRandreadFioAbsentIsSkipped: without fio the run is reported as
// skipped, naming fio, and uringbench does not fail.
func TestRandreadFioAbsentIsSkipped(t *testing.T) {
	path := smallRandreadFile(t)
	t.Setenv("PATH", t.TempDir()) // an empty directory: no fio
	var out, errOut bytes.Buffer
	err := run([]string{"-workload", "randread", "-engine", "fio", "-file", path, "-duration", "100ms", "-json"}, &out, &errOut)
	if err != nil {
		t.Fatalf("run: %v, want a skipped run, not a failure", err)
	}
	var got struct {
		Skipped bool   `json:"skipped"`
		Error   string `json:"error"`
	}
	if err := json.Unmarshal(bytes.TrimSpace(out.Bytes()), &got); err != nil {
		t.Fatalf("not one JSON line: %v: %q", err, out.String())
	}
	if !got.Skipped || !strings.Contains(got.Error, "fio is not installed") {
		t.Errorf("got skipped=%v error=%q, want skipped naming fio", got.Skipped, got.Error)
	}
}

// fioJSON is fio 3.33's --output-format=json, cut to the fields parseFio
// reads and a few it does not, after a warning line as fio prints them.
const fioJSON = `fio: some warning
{
  "fio version" : "fio-3.33",
  "jobs" : [
    {
      "jobname" : "randread",
      "error" : 0,
      "read" : {
        "io_bytes" : 172457984,
        "iops" : 83978.043912,
        "runtime" : 501,
        "total_ios" : 42073,
        "short_ios" : 0,
        "clat_ns" : {"percentile" : {"50.000000" : 321536, "99.000000" : 2244608}},
        "lat_ns" : {"min" : 1, "percentile" : {"50.000000" : 325632, "99.000000" : 2244608}}
      },
      "usr_cpu" : 2.4,
      "sys_cpu" : 40.2
    }
  ]
}
`

func TestParseFio(t *testing.T) {
	got, err := parseFio([]byte(fioJSON))
	if err != nil {
		t.Fatal(err)
	}
	want := Result{
		Ops: 42073, Seconds: 0.501, AllocsPerOp: -1,
		P50: 325632 * time.Nanosecond, P99: 2244608 * time.Nanosecond,
		Note: "fio-3.33 io_uring, 1 job, usr 2.4% sys 40.2%",
	}
	if d := cmp.Diff(want, got, cmp.AllowUnexported(Result{})); d != "" {
		t.Errorf("parseFio (-want +got):\n%s", d)
	}

	for _, tc := range []struct{ name, in, want string }{
		{"not JSON", "fio: engine io_uring not loadable\n", "fio printed no JSON object: fio: engine io_uring not loadable"},
		{"no jobs", `{"jobs": []}`, "has 0 jobs, want 1"},
		{"job error", strings.Replace(fioJSON, `"error" : 0`, `"error" : 5`, 1), "fio job error 5"},
		{"short reads", strings.Replace(fioJSON, `"short_ios" : 0`, `"short_ios" : 3`, 1), "fio had 3 short reads"},
		{"no reads", strings.Replace(fioJSON, `"total_ios" : 42073`, `"total_ios" : 0`, 1), "fio read 0 blocks in 501 ms"},
		{"no percentiles", strings.Replace(fioJSON, `"min" : 1, "percentile"`, `"min" : 1, "x"`, 1), "no read.lat_ns percentiles 50 and 99"},
	} {
		_, err := parseFio([]byte(tc.in))
		if err == nil || !strings.Contains(err.Error(), tc.want) {
			t.Errorf("%s: parseFio = %v, want an error containing %q", tc.name, err, tc.want)
		}
	}
}
