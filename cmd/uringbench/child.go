package main

import (
	"bytes"
	"encoding/json"
	"errors"
	"fmt"
	"os"
	"os/exec"
	"strings"
	"time"
)

// The default run starts every engine run in a child process (this
// binary, with -workload, -engine and -json), so that no run sees what an
// earlier one left behind: OS threads (Go keeps every thread it created,
// so the thread count of a run in a shared process is the peak of all
// runs so far, and the os baselines create dozens), a default Loop with
// its goroutine, heap to collect, files in the page cache that the
// workload did not ask for. -inprocess turns this off.

// selfCommand returns the command that runs this program with args. Tests
// replace it, since their executable is the test binary.
var selfCommand = func(args []string) (*exec.Cmd, error) {
	exe, err := os.Executable()
	if err != nil {
		return nil, err
	}
	return exec.Command(exe, args...), nil
}

// childLine is the part of a -json line the parent reads back.
type childLine struct {
	Ops         int64    `json:"ops"`
	Seconds     float64  `json:"seconds"`
	AllocsPerOp *float64 `json:"allocs_per_op"`
	P50         *int64   `json:"p50_ns"`
	P99         *int64   `json:"p99_ns"`
	Threads     *int     `json:"threads"`
	Note        string   `json:"note"`
	Skipped     bool     `json:"skipped"`
	Error       string   `json:"error"`
}

// runChild runs one engine run of w in a child process and returns its
// Result, with the child's JSON line kept for -json.
func runChild(w Workload, engine string, p Params) (Result, error) {
	args := []string{"-workload", w.Name(), "-engine", engine, "-json"}
	for _, name := range w.Flags() {
		if f, ok := paramByName(name); ok {
			args = append(args, "-"+name+"="+f.text(&p)) // zero: the workload's default
		}
	}
	cmd, err := selfCommand(args)
	if err != nil {
		return Result{}, err
	}
	var stderr bytes.Buffer
	cmd.Stderr = &stderr
	out, runErr := cmd.Output()
	line := strings.TrimSpace(string(out))
	if i := strings.LastIndexByte(line, '\n'); i >= 0 {
		line = line[i+1:]
	}
	var c childLine
	if line == "" || json.Unmarshal([]byte(line), &c) != nil {
		if runErr == nil {
			runErr = errors.New("no JSON line")
		}
		return Result{}, fmt.Errorf("child process: %v: %s", runErr, firstLine(stderr.Bytes()))
	}
	r := Result{Params: p, Ops: c.Ops, Seconds: c.Seconds, AllocsPerOp: -1, Note: c.Note, json: line}
	// The parameters the child actually used (its workload's defaults
	// filled in), for the table's labels.
	var fields map[string]any
	if json.Unmarshal([]byte(line), &fields) == nil {
		for _, name := range w.Flags() {
			if v, ok := fields[name]; ok && name != "ops" {
				_ = setParam(&r.Params, name, v) // a value we cannot read keeps the requested one
			}
		}
	}
	if c.AllocsPerOp != nil {
		r.AllocsPerOp = *c.AllocsPerOp
	}
	if c.P50 != nil {
		r.P50 = time.Duration(*c.P50)
	}
	if c.P99 != nil {
		r.P99 = time.Duration(*c.P99)
	}
	if c.Threads != nil {
		r.Threads = *c.Threads
	}
	switch {
	case c.Skipped:
		return r, skip("%s", strings.TrimPrefix(c.Error, "skipped: "))
	case c.Error != "":
		return r, errors.New(c.Error)
	case runErr != nil:
		return r, fmt.Errorf("child process: %v: %s", runErr, firstLine(stderr.Bytes()))
	}
	return r, nil
}
