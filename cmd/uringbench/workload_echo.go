package main

import (
	"encoding/binary"
	"errors"
	"fmt"
	"io"
	"net"
	"sync"
	"syscall"
	"time"

	"github.com/uringkit/uring/ring"
	"github.com/uringkit/uring/uringnet"
)

// The echo workload: TCP echo on loopback. A server echoes every byte back
// on each connection (one goroutine per connection, Read then Write, the
// code of examples/echo); -conns client connections each send a -size
// message and read it back, in a closed loop, for -duration. The server
// runs on uringnet or on package net (engine "net"). uringnet engines:
// "uring" is uringnet's defaults (its own shared-mode Loop, RecvNetpoll:
// readiness from Go's netpoller, data through MSG_DONTWAIT recv/send ops);
// "uring-direct" receives with one recv per
// Read (RecvDirect); "uring-auto" receives into provided buffers until a
// conn shows bulk traffic (RecvAuto, the default before RecvNetpoll);
// "uring-owner" runs on an owner-mode Loop
// (SINGLE_ISSUER|DEFER_TASKRUN, one locked thread enters for everyone),
// made for the run; -setup gives any uringnet engine a Loop of its own
// with those knobs (workload_loopmode.go). The load client is the same net client for
// every engine, in the same process, so the two servers are compared under
// the same load on the same CPUs. Throughput is round trips per second;
// latency is one round trip as the client sees it. Each echoed message is
// checked (it carries the connection's round-trip counter).
func init() { register(echoWorkload{}) }

type echoWorkload struct{}

func (echoWorkload) Name() string { return "echo" }

func (echoWorkload) Describe() string {
	return "TCP echo on loopback, -conns connections x -size bytes: uringnet server vs net server, same net client"
}

func (echoWorkload) Engines() []string {
	return []string{"uring", "uring-auto", "uring-direct", "uring-owner", "net"}
}

func (echoWorkload) Flags() []string { return []string{"conns", "size", "duration", "setup"} }

// Defaults are the two comparison points, each with uringnet's
// defaults and with an owner-mode Loop, 0.5 s each (12 s with -reps 3).
func (echoWorkload) Defaults() []Comparison {
	d := 500 * time.Millisecond
	return []Comparison{
		{Params: Params{Conns: 64, Size: 64, Duration: d}, Uring: "uring", Baseline: "net", Note: "target >= 1.2x"},
		{Params: Params{Conns: 64, Size: 64, Duration: d}, Uring: "uring-owner", Baseline: "net", Note: "target >= 1.2x"},
		{Params: Params{Conns: 64, Size: 64, Duration: d}, Uring: "uring-auto", Baseline: "net", Note: "target >= 1.2x"},
		{Params: Params{Conns: 1, Size: 64, Duration: d}, Uring: "uring", Baseline: "net", Note: "target p50 <= 1.2x net's"},
		{Params: Params{Conns: 1, Size: 64, Duration: d}, Uring: "uring-owner", Baseline: "net", Note: "target p50 <= 1.2x net's"},
		{Params: Params{Conns: 1, Size: 64, Duration: d}, Uring: "uring-auto", Baseline: "net", Note: "target p50 <= 1.2x net's"},
	}
}

func (echoWorkload) Run(engine string, p Params) (Result, error) {
	p = Params{Conns: orDefault(p.Conns, 64), Size: orDefault(p.Size, 64), Duration: orDefault(p.Duration, 2*time.Second), Setup: p.Setup}
	if p.Conns < 1 || p.Size < 8 || p.Duration <= 0 {
		return Result{Params: p}, fmt.Errorf("echo needs -conns >= 1, -size >= 8 and -duration > 0")
	}
	var ln net.Listener
	var err error
	// -setup (Loop knobs, workload_loopmode.go) gives the uringnet engines
	// a Loop of their own made for the run; without it "uring" and
	// "uring-direct" use uringnet's package Loop.
	opts, _, err := loopOptions(p.Setup)
	if err != nil {
		return Result{Params: p}, err
	}
	if engine == "uring-owner" {
		opts = append([]ring.LoopOption{ring.WithMode(ring.ModeOwner)}, opts...)
	}
	var cfg uringnet.Config
	if len(opts) > 0 && engine != "net" {
		var l *ring.Loop
		l, err = uringnet.NewLoop(opts...)
		if err == nil {
			defer l.Close()
			cfg.Loop = l
		}
	}
	switch {
	case err != nil:
	case engine == "uring" || engine == "uring-owner":
		ln, err = cfg.Listen("tcp", "127.0.0.1:0")
	case engine == "uring-direct":
		cfg.Recv = uringnet.RecvDirect
		ln, err = cfg.Listen("tcp", "127.0.0.1:0")
	case engine == "uring-auto":
		cfg.Recv = uringnet.RecvAuto
		ln, err = cfg.Listen("tcp", "127.0.0.1:0")
	case engine == "net":
		ln, err = net.Listen("tcp", "127.0.0.1:0")
	default:
		return Result{Params: p}, fmt.Errorf("echo: unknown engine %q", engine)
	}
	if errors.Is(err, ring.ErrUnavailable) || errors.Is(err, ring.ErrNotSupported) {
		return Result{Params: p}, skip("%v", err)
	}
	if err != nil {
		return Result{Params: p}, err
	}
	if cfg.Loop == nil && engine != "net" {
		cfg.Loop, _ = uringnet.PackageLoop()
	}
	r, err := echoRun(ln, p, cfg.Loop)
	r.Params = p
	return r, err
}

// echoRun serves on ln, connects the clients, measures, and tears down.
// l is the server's Loop (nil for net), whose counters go into the note.
func echoRun(ln net.Listener, p Params, l *ring.Loop) (Result, error) {
	var served sync.WaitGroup
	go func() {
		for {
			c, err := ln.Accept()
			if err != nil {
				return
			}
			served.Add(1)
			go func() {
				defer served.Done()
				echoServe(c)
			}()
		}
	}()
	defer func() {
		ln.Close()
		served.Wait()
	}()

	conns := make([]net.Conn, p.Conns)
	defer func() {
		for _, c := range conns {
			if c != nil {
				c.Close()
			}
		}
	}()
	for i := range conns {
		c, err := net.Dial("tcp", ln.Addr().String())
		if err != nil {
			return Result{}, err
		}
		conns[i] = c
	}
	type state struct {
		out, in []byte
		n       uint64
	}
	st := make([]state, p.Conns)
	for i := range st {
		st[i] = state{out: make([]byte, p.Size), in: make([]byte, p.Size)}
		for j := range st[i].out {
			st[i].out[j] = byte(i + j)
		}
	}
	var st0 ring.LoopStats
	if l != nil {
		st0 = l.Stats()
	}
	usr0, sys0, csw0 := cpuTime()
	r, err := closedLoop(p.Conns, 0, p.Duration, true, func(w int) error {
		s := &st[w]
		s.n++
		binary.LittleEndian.PutUint64(s.out, s.n)
		if _, err := conns[w].Write(s.out); err != nil {
			return err
		}
		if _, err := io.ReadFull(conns[w], s.in); err != nil {
			return err
		}
		if binary.LittleEndian.Uint64(s.in) != s.n || s.in[p.Size-1] != s.out[p.Size-1] {
			return fmt.Errorf("echo: conn %d round trip %d came back wrong", w, s.n)
		}
		return nil
	})
	if err == nil && r.Ops > 0 {
		usr, sys, csw := cpuTime()
		r.Note = echoNote(r.Ops, usr-usr0, sys-sys0, csw-csw0, l, st0)
	}
	return r, err
}

// echoNote gives the process's CPU time, user and kernel apart, and
// voluntary context switches (a thread going to sleep) per round trip,
// server and client together: on a busy machine steadier measures of cost
// than the rate. The kernel share is mostly the TCP work both servers do
// alike; the user share is where they differ most. For uringnet
// it adds the Loop's enters, sleeps and doorbells per round trip and SQEs
// per submitting enter.
func echoNote(ops int64, usr, sys time.Duration, csw int64, l *ring.Loop, st0 ring.LoopStats) string {
	per := func(n uint64) float64 { return float64(n) / float64(ops) }
	us := func(d time.Duration) float64 { return float64(d.Nanoseconds()) / 1e3 / float64(ops) }
	s := fmt.Sprintf("cpu %.1fµs/rt (user %.1f, kernel %.1f), %.2f csw/rt", us(usr+sys), us(usr), us(sys), float64(csw)/float64(ops))
	if l == nil {
		return s
	}
	st := l.Stats()
	sub, sqes := st.SubmitEnters-st0.SubmitEnters, st.SQEsSubmitted-st0.SQEsSubmitted
	s += fmt.Sprintf(", %s mode: %.2f enters/rt, %.2f sleeps/rt, %.2f doorbells/rt", st.Mode,
		per(st.Enters-st0.Enters), per(st.Waits-st0.Waits), per(st.Doorbells-st0.Doorbells))
	if sub > 0 {
		s += fmt.Sprintf(", %.1f SQEs/submit", float64(sqes)/float64(sub))
	}
	return s
}

// cpuTime is the process's user and system CPU time so far, and its
// voluntary context switches.
func cpuTime() (usr, sys time.Duration, csw int64) {
	var ru syscall.Rusage
	if syscall.Getrusage(syscall.RUSAGE_SELF, &ru) != nil {
		return 0, 0, 0
	}
	return time.Duration(ru.Utime.Nano()), time.Duration(ru.Stime.Nano()), int64(ru.Nvcsw)
}

// echoServe is examples/echo's handler: read, write back, until EOF.
func echoServe(c net.Conn) {
	defer c.Close()
	buf := make([]byte, 32<<10)
	for {
		n, err := c.Read(buf)
		if n > 0 {
			if _, werr := c.Write(buf[:n]); werr != nil {
				return
			}
		}
		if err != nil {
			return
		}
	}
}
