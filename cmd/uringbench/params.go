package main

import (
	"encoding/json"
	"fmt"
	"strconv"
	"time"
)

// paramField is one workload parameter: its flag name and how to print it.
type paramField struct {
	name string
	get  func(p *Params) any    // the value for -json
	text func(p *Params) string // the value for the table
}

// paramFields lists every parameter in flag order. Workloads name the
// ones they read in Flags.
var paramFields = []paramField{
	{"batch", func(p *Params) any { return p.Batch }, func(p *Params) string { return strconv.Itoa(p.Batch) }},
	{"ops", func(p *Params) any { return p.Ops }, func(p *Params) string { return strconv.FormatInt(p.Ops, 10) }},
	{"goroutines", func(p *Params) any { return p.Goroutines }, func(p *Params) string { return strconv.Itoa(p.Goroutines) }},
	{"qd", func(p *Params) any { return p.QD }, func(p *Params) string { return strconv.Itoa(p.QD) }},
	{"direct", func(p *Params) any { return p.Direct }, func(p *Params) string { return strconv.FormatBool(p.Direct) }},
	{"file", func(p *Params) any { return p.File }, func(p *Params) string { return p.File }},
	{"bs", func(p *Params) any { return p.BS }, func(p *Params) string { return strconv.Itoa(p.BS) }},
	{"duration", func(p *Params) any { return p.Duration.String() }, func(p *Params) string { return p.Duration.String() }},
	{"conns", func(p *Params) any { return p.Conns }, func(p *Params) string { return strconv.Itoa(p.Conns) }},
	{"size", func(p *Params) any { return p.Size }, func(p *Params) string { return strconv.Itoa(p.Size) }},
	{"setup", func(p *Params) any { return p.Setup }, func(p *Params) string { return p.Setup }},
}

// setParam sets the parameter name of p from its -json value (a JSON
// number, string or bool as encoding/json decodes it into an any).
func setParam(p *Params, name string, v any) error {
	num, isNum := v.(float64)
	str, isStr := v.(string)
	b, isBool := v.(bool)
	bad := func() error { return fmt.Errorf("parameter %s: unexpected value %v", name, v) }
	switch {
	case name == "direct" && isBool:
		p.Direct = b
	case name == "file" && isStr:
		p.File = str
	case name == "setup" && isStr:
		p.Setup = str
	case name == "duration" && isStr:
		d, err := time.ParseDuration(str)
		if err != nil {
			return bad()
		}
		p.Duration = d
	case !isNum:
		return bad()
	case name == "batch":
		p.Batch = int(num)
	case name == "ops":
		p.Ops = int64(num)
	case name == "goroutines":
		p.Goroutines = int(num)
	case name == "qd":
		p.QD = int(num)
	case name == "bs":
		p.BS = int(num)
	case name == "conns":
		p.Conns = int(num)
	case name == "size":
		p.Size = int(num)
	default:
		return bad()
	}
	return nil
}

// fillUnset copies into p the parameters of w that p leaves unset (zero)
// and src sets.
func fillUnset(w Workload, p *Params, src Params) {
	for _, name := range w.Flags() {
		f, ok := paramByName(name)
		if !ok || (f.text(p) != "" && f.text(p) != "0" && f.text(p) != "false" && f.text(p) != "0s") {
			continue
		}
		b, err := json.Marshal(f.get(&src))
		var v any
		if err == nil && json.Unmarshal(b, &v) == nil {
			_ = setParam(p, name, v)
		}
	}
}

func paramByName(name string) (paramField, bool) {
	for _, f := range paramFields {
		if f.name == name {
			return f, true
		}
	}
	return paramField{}, false
}

// label is the table's short description of p: the workload's parameters
// except the size of the run (ops, duration, file), which do not change
// what is compared.
func label(w Workload, p Params) string {
	s := ""
	for _, name := range w.Flags() {
		switch name {
		case "ops", "duration", "file":
			continue
		}
		f, ok := paramByName(name)
		if !ok {
			continue
		}
		if name == "direct" {
			if p.Direct {
				s += " direct"
			}
			continue
		}
		if v := f.text(&p); v == "" || v == "0" {
			continue // unset: the workload's default, which it did not report
		}
		s += " " + name + "=" + f.text(&p)
	}
	if s == "" {
		return "-"
	}
	return s[1:]
}

// orDefault returns v, or def when v is the zero value: how a workload
// fills in the parameters the user left unset.
func orDefault[T comparable](v, def T) T {
	var zero T
	if v == zero {
		return def
	}
	return v
}
