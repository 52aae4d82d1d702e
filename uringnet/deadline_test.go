package uringnet_test

import (
	"bytes"
	"fmt"
	"io"
	"net"
	"sync"
	"testing"
	"time"

	"github.com/google/go-cmp/cmp"
)

// Deadline scenarios, each run on package net and on uringnet (all
// modes), comparing what the caller sees. A step that runs before the Read
// or Write has blocked gives the same outcome, so only the margins matter:
// a deadline that must not fire is at least a second away from the step
// that moves it (the race detector on a loaded 2-core machine needed more
// than 300 ms).

// io is one call's outcome.
type ioResult struct {
	N    int
	Data string
	Err  string
}

func readOnce(c net.Conn) ioResult {
	b := make([]byte, 64)
	n, err := c.Read(b)
	return ioResult{N: n, Data: string(b[:n]), Err: kind(err)}
}

// fullSocketData is the 64 MiB that "write deadline on a full socket"
// writes, made once and only read. Eight parallel runs each filled a
// buffer of their own (512 MiB, under the race detector), the likely cause
// of the one failure seen (a CI run, 2026-11-26, with other packages'
// tests alongside): the writer's first send ran only after its 100 ms
// deadline, 0 bytes written where net wrote some; not reproduced since in
// 60 runs of the test and 3 of the package beside ring's tests.
var fullSocketData = sync.OnceValue(func() []byte {
	big := make([]byte, 64<<20)
	for i := range big {
		big[i] = byte(i % 251)
	}
	return big
})

// missedStep is what a scenario returns when a step meant to run before a
// deadline ran after it (the goroutine was not scheduled for a second on a
// loaded machine): the outcome then says nothing about the step, so the
// scenario runs again on a fresh pair. Checked, not assumed: a step that
// returned before the deadline's time cannot have been overtaken by its
// timer.
var missedStep = []ioResult{{Err: "step ran after the deadline"}}

type deadlineScenario struct {
	name string
	run  func(t *testing.T, c, s net.Conn) []ioResult
	// fullSocket: a Write blocks on a socket the peer does not drain. A
	// zero-copy Write cannot give its buffer back then (the kernel keeps
	// it until the data is sent), so the zero-copy engine is left out;
	// TestZeroCopyCloseFullSocket covers it.
	fullSocket bool
}

var deadlineScenarios = []deadlineScenario{
	{name: "read blocks then times out, then reads later data", run: func(t *testing.T, c, s net.Conn) []ioResult {
		c.SetReadDeadline(time.Now().Add(30 * time.Millisecond))
		r1 := readOnce(c)
		c.SetReadDeadline(time.Time{})
		s.Write([]byte("after"))
		return []ioResult{r1, readOnce(c)}
	}},
	{name: "deadline moved later while blocked", run: func(t *testing.T, c, s net.Conn) []ioResult {
		first := time.Now().Add(time.Second)
		c.SetReadDeadline(first)
		late := make(chan bool, 1)
		go func() {
			time.Sleep(20 * time.Millisecond)
			c.SetReadDeadline(time.Now().Add(time.Hour))
			late <- time.Now().After(first)
			time.Sleep(time.Until(first) + 300*time.Millisecond) // past the first deadline
			s.Write([]byte("late"))
		}()
		r := readOnce(c)
		if <-late { // the step's goroutine has run it (perhaps only now)
			return missedStep
		}
		return []ioResult{r}
	}},
	{name: "deadline moved earlier while blocked", run: func(t *testing.T, c, s net.Conn) []ioResult {
		c.SetReadDeadline(time.Now().Add(time.Hour))
		go func() {
			time.Sleep(20 * time.Millisecond)
			c.SetReadDeadline(time.Now().Add(20 * time.Millisecond))
		}()
		r1 := readOnce(c)
		c.SetReadDeadline(time.Time{})
		s.Write([]byte("next"))
		return []ioResult{r1, readOnce(c)}
	}},
	{name: "deadline cleared while blocked", run: func(t *testing.T, c, s net.Conn) []ioResult {
		first := time.Now().Add(time.Second)
		c.SetDeadline(first)
		late := make(chan bool, 1)
		go func() {
			time.Sleep(20 * time.Millisecond)
			c.SetDeadline(time.Time{})
			late <- time.Now().After(first)
			time.Sleep(time.Until(first) + 300*time.Millisecond) // past the first deadline
			s.Write([]byte("cleared"))
		}()
		r := readOnce(c)
		if <-late { // the step's goroutine has run it (perhaps only now)
			return missedStep
		}
		return []ioResult{r}
	}},
	{name: "deadline in the past", run: func(t *testing.T, c, s net.Conn) []ioResult {
		s.Write([]byte("waiting"))
		time.Sleep(20 * time.Millisecond) // the data has arrived
		c.SetDeadline(time.Now().Add(-time.Second))
		r1 := readOnce(c) // times out although data is there
		n, err := c.Write([]byte("x"))
		w1 := ioResult{N: n, Err: kind(err)}
		c.SetDeadline(time.Time{})
		return []ioResult{r1, w1, readOnce(c)}
	}},
	{name: "both directions blocked, deadline set in the past", run: func(t *testing.T, c, s net.Conn) []ioResult {
		var wg sync.WaitGroup
		var w ioResult
		wg.Add(1)
		go func() {
			defer wg.Done()
			_, err := c.Write(make([]byte, 64<<20)) // fills the socket
			w = ioResult{Err: kind(err)}
		}()
		var r ioResult
		wg.Add(1)
		go func() { defer wg.Done(); r = readOnce(c) }()
		time.Sleep(50 * time.Millisecond)
		c.SetDeadline(time.Now().Add(-time.Second))
		wg.Wait()
		return []ioResult{r, w}
	}, fullSocket: true},
	{name: "write deadline on a full socket", run: func(t *testing.T, c, s net.Conn) []ioResult {
		big := fullSocketData()
		c.SetWriteDeadline(time.Now().Add(100 * time.Millisecond))
		n, err := c.Write(big)
		w1 := ioResult{N: min(n, 1), Err: kind(err)} // n varies with buffer sizes; 0 < n < len
		if n <= 0 || n >= len(big) {
			t.Errorf("Write on a full socket sent %d of %d bytes", n, len(big))
		}
		// The n bytes counted are exactly what the peer gets, followed by
		// the next Write's bytes.
		c.SetWriteDeadline(time.Time{})
		got := make(chan []byte, 1)
		go func() {
			b, _ := io.ReadAll(io.LimitReader(s, int64(n)+4))
			got <- b
		}()
		n2, err2 := c.Write([]byte("tail"))
		want := append(append([]byte{}, big[:n]...), "tail"...)
		same := bytes.Equal(<-got, want)
		return []ioResult{w1, {N: n2, Err: kind(err2)}, {Data: map[bool]string{true: "stream intact", false: "stream differs"}[same]}}
	}, fullSocket: true},
}

func TestDeadlinesMatchNet(t *testing.T) {
	needUring(t)
	dir := t.TempDir()
	for _, network := range []string{"tcp", "unix"} {
		for si, sc := range deadlineScenarios {
			t.Run(network+"/"+sc.name, func(t *testing.T) {
				t.Parallel()
				es := engines
				if sc.fullSocket {
					es = engines[:4] // net, uringnet (netpoll), direct, auto: the paths whose buffers a full socket does not hold
				}
				results := make([][]ioResult, len(es))
				todo := make([]int, len(es))
				for i := range todo {
					todo[i] = i
				}
				for try := 0; try < 5 && len(todo) > 0; try++ {
					var wg sync.WaitGroup
					for _, i := range todo {
						address := "127.0.0.1:0"
						if network == "unix" {
							address = fmt.Sprintf("%s/%d-%d-%d", dir, si, i, try)
						}
						c, s := pair(t, es[i], network, address)
						wg.Add(1)
						go func() {
							defer wg.Done()
							results[i] = sc.run(t, c, s)
						}()
					}
					wg.Wait()
					var again []int
					for _, i := range todo {
						if cmp.Equal(results[i], missedStep) {
							t.Logf("%s: a step ran after its deadline (the machine stalled); running the scenario again", es[i].name)
							again = append(again, i)
						}
					}
					todo = again
				}
				if len(todo) > 0 {
					t.Fatalf("steps ran after their deadlines in 5 runs in a row (engines %v): the machine is too loaded for this test", todo)
				}
				for i := 1; i < len(es); i++ {
					if d := cmp.Diff(results[0], results[i]); d != "" {
						t.Errorf("%s differs from net (-net +%s):\n%s", es[i].name, es[i].name, d)
					}
				}
				t.Logf("net: %+v", results[0])
			})
		}
	}
}
