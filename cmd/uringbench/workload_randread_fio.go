package main

import (
	"bytes"
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"os/exec"
	"strings"
	"time"
)

// The randread workload's fio engine: the same reads by fio's io_uring
// engine (one fio job, -qd reads in flight, same -file, -bs and -direct,
// for -duration after a 200 ms ramp), the C baseline the issue names
// ("at least 0.9x of fio's io_uring engine on the same file and depth").
// fio is optional: without a fio binary in PATH the run is skipped, never
// failed. The job matches ../shared/bench/fio/randread-iouring.fio:
// invalidate=0 keeps the page cache that openRandread filled for a
// buffered run (fio would drop it), norandommap and randrepeat=0 pick
// offsets freely as the Go engines do.

// fioRamp is fio's ramp_time: submissions and completions that it does not
// count, so the measured section starts with the queue full.
const fioRamp = 200 * time.Millisecond

// randreadFio runs fio on the file openRandread prepared and returns what
// fio measured: reads and the measured runtime, and the p50/p99 of the
// total latency (submission to completion, lat_percentiles=1), which is
// what the Go engines time around each read.
func randreadFio(p Params) (Result, error) {
	fio, err := exec.LookPath("fio")
	if err != nil {
		return Result{}, skip("fio is not installed (no fio in PATH); the fio baseline needs it (Debian: apt-get install fio)")
	}
	if p.Duration < time.Millisecond {
		return Result{}, errors.New("randread -engine fio needs -duration >= 1ms (fio's runtime)")
	}
	// Room for fio to start, lay out its job and exit, on a loaded machine.
	ctx, cancel := context.WithTimeout(context.Background(), p.Duration+fioRamp+time.Minute)
	defer cancel()
	cmd := exec.CommandContext(ctx, fio, fioArgs(p)...)
	var stderr bytes.Buffer
	cmd.Stderr = &stderr
	out, err := cmd.Output()
	if err != nil {
		return Result{}, fmt.Errorf("fio: %v: %s", err, firstLine(stderr.Bytes()))
	}
	return parseFio(out)
}

// fioArgs is the fio command line for p: one job, no job file.
func fioArgs(p Params) []string {
	direct := 0
	if p.Direct {
		direct = 1
	}
	return []string{
		"--output-format=json",
		"--name=randread",
		// fio splits filename at ':' (a list of files); escape it.
		"--filename=" + strings.ReplaceAll(p.File, ":", `\:`),
		"--ioengine=io_uring",
		"--rw=randread",
		fmt.Sprintf("--bs=%d", p.BS),
		fmt.Sprintf("--iodepth=%d", p.QD),
		fmt.Sprintf("--direct=%d", direct),
		"--invalidate=0",
		"--norandommap",
		"--randrepeat=0",
		"--time_based",
		fmt.Sprintf("--runtime=%dms", p.Duration.Milliseconds()),
		fmt.Sprintf("--ramp_time=%dms", fioRamp.Milliseconds()),
		"--lat_percentiles=1",
		"--percentile_list=50:99",
	}
}

// fioOutput is the part of fio's --output-format=json that randread reads
// (fio 3.x field names).
type fioOutput struct {
	Version string `json:"fio version"`
	Jobs    []struct {
		Error int `json:"error"`
		Read  struct {
			IOPS     float64 `json:"iops"`
			Runtime  int64   `json:"runtime"` // milliseconds, ramp excluded
			TotalIOs int64   `json:"total_ios"`
			ShortIOs int64   `json:"short_ios"`
			LatNS    struct {
				Percentile map[string]int64 `json:"percentile"`
			} `json:"lat_ns"`
		} `json:"read"`
		UsrCPU float64 `json:"usr_cpu"`
		SysCPU float64 `json:"sys_cpu"`
	} `json:"jobs"`
}

// parseFio turns fio's JSON output into a Result, checking that the job
// ran without error, read whole blocks and reported both percentiles. fio
// may print warnings before the JSON object, so parsing starts at the
// first line that opens one.
func parseFio(out []byte) (Result, error) {
	start := bytes.Index(out, []byte("\n{"))
	if bytes.HasPrefix(out, []byte("{")) {
		start = -1
	} else if start < 0 {
		return Result{}, fmt.Errorf("fio printed no JSON object: %s", firstLine(out))
	}
	var o fioOutput
	if err := json.Unmarshal(out[start+1:], &o); err != nil {
		return Result{}, fmt.Errorf("fio's JSON: %v", err)
	}
	if len(o.Jobs) != 1 {
		return Result{}, fmt.Errorf("fio's JSON has %d jobs, want 1", len(o.Jobs))
	}
	j := o.Jobs[0]
	r := j.Read
	p50, ok50 := r.LatNS.Percentile["50.000000"]
	p99, ok99 := r.LatNS.Percentile["99.000000"]
	switch {
	case j.Error != 0:
		return Result{}, fmt.Errorf("fio job error %d", j.Error)
	case r.TotalIOs <= 0 || r.Runtime <= 0:
		return Result{}, fmt.Errorf("fio read %d blocks in %d ms", r.TotalIOs, r.Runtime)
	case r.ShortIOs != 0:
		return Result{}, fmt.Errorf("fio had %d short reads", r.ShortIOs)
	case !ok50 || !ok99 || p50 <= 0 || p99 <= 0:
		return Result{}, fmt.Errorf("fio's JSON has no read.lat_ns percentiles 50 and 99: %v", r.LatNS.Percentile)
	}
	return Result{
		Ops:         r.TotalIOs,
		Seconds:     float64(r.Runtime) / 1000,
		AllocsPerOp: -1, // another process
		P50:         time.Duration(p50),
		P99:         time.Duration(p99),
		Note:        fmt.Sprintf("%s io_uring, 1 job, usr %.1f%% sys %.1f%%", o.Version, j.UsrCPU, j.SysCPU),
	}, nil
}
