package chain_test

import (
	"context"
	"errors"
	"flag"
	"fmt"
	"os"
	"strings"
	"syscall"
	"testing"
	"time"
	"unsafe"

	"github.com/google/go-cmp/cmp"
	"github.com/uringkit/uring/chain"
	"github.com/uringkit/uring/future"
	"github.com/uringkit/uring/ring"
	"github.com/uringkit/uring/timeout"
)

var update = flag.Bool("update", false, "rewrite docs/semantics.md from the semantics cases")

// fixtures are the files the semantics cases read.
type fixtures struct {
	badFD int // not an open descriptor: READ fails with EBADF when issued
	short int // a 10-byte file: a 100-byte READ comes up short
	pipeR int // an empty pipe (write end open): a READ blocks
}

func newFixtures(t testing.TB) *fixtures {
	f, err := os.CreateTemp(t.TempDir(), "short")
	if err != nil {
		t.Fatal(err)
	}
	if _, err := f.Write([]byte("0123456789")); err != nil {
		t.Fatal(err)
	}
	pr, pw, err := os.Pipe()
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { f.Close(); pr.Close(); pw.Close() })
	return &fixtures{badFD: 1 << 20, short: int(f.Fd()), pipeR: int(pr.Fd())}
}

// The step kinds of the cases.
func (fx *fixtures) badRead() future.Op[int]   { return future.Read(fx.badFD, make([]byte, 100), 0) }
func (fx *fixtures) shortRead() future.Op[int] { return future.Read(fx.short, make([]byte, 100), 0) }
func (fx *fixtures) pipeRead() future.Op[int]  { return future.Read(fx.pipeR, make([]byte, 100), -1) }

// invalid is a NOP with an unknown nop_flags bit: the kernel rejects it
// when the SQE is submitted (EINVAL), before anything runs.
func invalid() future.Op[struct{}] {
	s := ring.SQE{Opcode: ring.OpNop, OpFlags: 1 << 31}
	return future.Custom(future.Raw[struct{}]{SQE: s, Expect: -1,
		Decode: func(ring.CQE, unsafe.Pointer) (struct{}, error) { return struct{}{}, nil }})
}

const lt10ms = 10 * time.Millisecond

// want is one step's expected outcome, written as in the table.
type want struct {
	Outcome chain.Outcome
	Res     int32
	By      int
}

func ok(res int32) want                { return want{chain.Completed, res, -1} }
func short(res int32) want             { return want{chain.Short, res, -1} }
func failed(e syscall.Errno) want      { return want{chain.Failed, -int32(e), -1} }
func timedOut() want                   { return want{chain.TimedOut, -int32(syscall.ECANCELED), -1} }
func cancelledBy(step int) want        { return want{chain.Cancelled, -int32(syscall.ECANCELED), step} }
func failedRes(res syscall.Errno) want { return want{chain.Failed, -int32(res), -1} }

func (w want) String() string {
	switch w.Outcome {
	case chain.Completed, chain.Short:
		if w.Res < 0 {
			return fmt.Sprintf("%v (-%s)", w.Outcome, errnoName(syscall.Errno(-w.Res)))
		}
		return fmt.Sprintf("%v (%d)", w.Outcome, w.Res)
	case chain.Failed:
		return fmt.Sprintf("failed (%s)", errnoName(syscall.Errno(-w.Res)))
	case chain.TimedOut:
		return "timed out"
	case chain.Cancelled:
		if w.By < 0 {
			return "cancelled"
		}
		return fmt.Sprintf("cancelled by step %d", w.By)
	}
	return w.Outcome.String()
}

func errnoName(e syscall.Errno) string {
	names := map[syscall.Errno]string{syscall.EBADF: "EBADF", syscall.EINVAL: "EINVAL", syscall.EIO: "EIO",
		syscall.ETIME: "ETIME", syscall.ECANCELED: "ECANCELED", syscall.EOPNOTSUPP: "EOPNOTSUPP"}
	if n, ok := names[e]; ok {
		return n
	}
	return e.Error()
}

// semanticsCase is one row of docs/semantics.md.
type semanticsCase struct {
	ref   string // kernel-interface.md 7.2 case, or "new"
	chain string // the chain, in the reference's notation
	build func(c *chain.Chain, fx *fixtures)
	want  []want
	note  string
}

var semanticsCases = []semanticsCase{
	{"1", "READ(bad fd)\\|LINK → NOP\\|LINK → NOP", func(c *chain.Chain, fx *fixtures) {
		chain.Add(c, fx.badRead())
		chain.Add(c, future.Nop())
		chain.Add(c, future.Nop())
	}, []want{failed(syscall.EBADF), cancelledBy(0), cancelledBy(0)}, ""},
	{"2", "READ(bad fd)\\|HARDLINK → NOP", func(c *chain.Chain, fx *fixtures) {
		chain.Add(c, fx.badRead()).HardLink()
		chain.Add(c, future.Nop())
	}, []want{failed(syscall.EBADF), ok(0)}, "a hard link survives a run-time failure"},
	{"2b", "invalid SQE\\|HARDLINK → NOP", func(c *chain.Chain, fx *fixtures) {
		chain.Add(c, invalid()).HardLink()
		chain.Add(c, future.Nop())
	}, []want{failed(syscall.EINVAL), cancelledBy(0)}, "a failure at submission severs hard links too"},
	{"3", "READ 100 B of a 10-byte file\\|LINK → NOP", func(c *chain.Chain, fx *fixtures) {
		chain.Add(c, fx.shortRead())
		chain.Add(c, future.Nop())
	}, []want{short(10), cancelledBy(0)}, "a short read breaks a soft link with res ≥ 0"},
	{"4", "READ(empty pipe)\\|LINK → LINK_TIMEOUT 10 ms", func(c *chain.Chain, fx *fixtures) {
		chain.Add(c, fx.pipeRead())
		c.LinkTimeout(timeout.After(lt10ms))
	}, []want{timedOut()}, "the timeout's CQE (-ETIME) may come first"},
	{"5", "NOP\\|LINK → LINK_TIMEOUT 10 ms", func(c *chain.Chain, fx *fixtures) {
		chain.Add(c, future.Nop())
		c.LinkTimeout(timeout.After(lt10ms))
	}, []want{ok(0)}, "the timeout completes with -ECANCELED"},
	{"6", "READ(empty pipe)\\|LINK → LINK_TIMEOUT\\|LINK → NOP", func(c *chain.Chain, fx *fixtures) {
		chain.Add(c, fx.pipeRead())
		c.LinkTimeout(timeout.After(lt10ms))
		chain.Add(c, future.Nop())
	}, []want{timedOut(), cancelledBy(0)}, ""},
	{"7", "as 6, ETIME_SUCCESS on the LINK_TIMEOUT", func(c *chain.Chain, fx *fixtures) {
		chain.Add(c, fx.pipeRead())
		c.LinkTimeout(timeout.After(lt10ms).ETimeSuccess())
		chain.Add(c, future.Nop())
	}, []want{timedOut(), cancelledBy(0)}, "ETIME_SUCCESS does not save a chain from a linked timeout"},
	{"8a", "TIMEOUT 10 ms\\|LINK → NOP", func(c *chain.Chain, fx *fixtures) {
		chain.Add(c, timeout.New(timeout.After(lt10ms)))
		chain.Add(c, future.Nop())
	}, []want{failedRes(syscall.ETIME), cancelledBy(0)}, "the step's own value is expired=true"},
	{"8b", "TIMEOUT 10 ms ETIME_SUCCESS\\|LINK → NOP", func(c *chain.Chain, fx *fixtures) {
		chain.Add(c, timeout.New(timeout.After(lt10ms).ETimeSuccess()))
		chain.Add(c, future.Nop())
	}, []want{ok(-int32(syscall.ETIME)), ok(0)}, "res stays -ETIME, the link holds"},
	{"9", "NOP\\|LINK\\|SKIP → NOP", func(c *chain.Chain, fx *fixtures) {
		chain.Add(c, future.Nop()).SkipSuccess()
		chain.Add(c, future.Nop())
	}, []want{ok(0), ok(0)}, "one CQE for the chain"},
	{"9c", "READ(bad fd)\\|LINK\\|SKIP → NOP\\|LINK → NOP", func(c *chain.Chain, fx *fixtures) {
		chain.Add(c, fx.badRead()).SkipSuccess()
		chain.Add(c, future.Nop())
		chain.Add(c, future.Nop())
	}, []want{failed(syscall.EBADF), cancelledBy(0), cancelledBy(0)}, "the kernel posts only -EBADF; the Loop resolves the rest"},
	{"9d", "NOP\\|LINK\\|SKIP → READ(bad fd)\\|LINK → NOP", func(c *chain.Chain, fx *fixtures) {
		chain.Add(c, future.Nop()).SkipSuccess()
		chain.Add(c, fx.badRead())
		chain.Add(c, future.Nop())
	}, []want{ok(0), failed(syscall.EBADF), cancelledBy(1)}, ""},
	{"10", "NOP(INJECT_RESULT -EIO)\\|LINK → NOP", func(c *chain.Chain, fx *fixtures) {
		chain.Add(c, future.NopResult(-int32(syscall.EIO)))
		chain.Add(c, future.Nop())
	}, []want{failed(syscall.EIO), cancelledBy(0)}, ""},
	{"16", "READ(empty pipe)\\|LINK\\|ASYNC → LINK_TIMEOUT 10 ms", func(c *chain.Chain, fx *fixtures) {
		chain.Add(c, fx.pipeRead().Async())
		c.LinkTimeout(timeout.After(lt10ms))
	}, []want{timedOut()}, "poll-driven, so the timeout fires"},
	{"new", "READ 100 B of a 10-byte file\\|HARDLINK → NOP", func(c *chain.Chain, fx *fixtures) {
		chain.Add(c, fx.shortRead()).HardLink()
		chain.Add(c, future.Nop())
	}, []want{short(10), ok(0)}, "hardlink after a short read"},
	{"new", "NOP\\|LINK → READ(empty pipe)\\|LINK → LINK_TIMEOUT\\|LINK → NOP", func(c *chain.Chain, fx *fixtures) {
		chain.Add(c, future.Nop())
		chain.Add(c, fx.pipeRead())
		c.LinkTimeout(timeout.After(lt10ms))
		chain.Add(c, future.Nop())
	}, []want{ok(0), timedOut(), cancelledBy(1)}, "a linked timeout in the middle"},
	{"new", "NOP\\|LINK → READ(empty pipe)\\|HARDLINK → LINK_TIMEOUT\\|LINK → NOP", func(c *chain.Chain, fx *fixtures) {
		chain.Add(c, future.Nop())
		chain.Add(c, fx.pipeRead()).HardLink()
		c.LinkTimeout(timeout.After(lt10ms))
		chain.Add(c, future.Nop())
	}, []want{ok(0), timedOut(), ok(0)}, "a hard-linked step's timeout does not break the chain"},
	{"new", "NOP\\|SKIP → NOP\\|SKIP → NOP\\|SKIP", func(c *chain.Chain, fx *fixtures) {
		chain.Add(c, future.Nop()).SkipSuccess()
		chain.Add(c, future.Nop()).SkipSuccess()
		chain.Add(c, future.Nop()).SkipSuccess()
	}, []want{ok(0), ok(0), ok(0)}, "skip-success on every step: the chain appends a NOP whose CQE tells"},
	{"new", "NOP\\|SKIP → READ(bad fd)\\|SKIP → NOP\\|SKIP", func(c *chain.Chain, fx *fixtures) {
		chain.Add(c, future.Nop()).SkipSuccess()
		chain.Add(c, fx.badRead()).SkipSuccess()
		chain.Add(c, future.Nop()).SkipSuccess()
	}, []want{ok(0), failed(syscall.EBADF), cancelledBy(1)}, "skip-success on every step, one fails"},
	{"new", "NOP\\|LINK → invalid SQE\\|LINK → NOP", func(c *chain.Chain, fx *fixtures) {
		chain.Add(c, future.Nop())
		chain.Add(c, invalid())
		chain.Add(c, future.Nop())
	}, []want{cancelledBy(1), failed(syscall.EINVAL), cancelledBy(1)}, "a submission failure cancels earlier steps too"},
	{"new", "NOP\\|LINK → invalid SQE\\|LINK → NOP\\|LINK → invalid SQE", func(c *chain.Chain, fx *fixtures) {
		chain.Add(c, future.Nop())
		chain.Add(c, invalid())
		chain.Add(c, future.Nop())
		chain.Add(c, invalid())
	}, []want{cancelledBy(1), failed(syscall.EINVAL), cancelledBy(1), failed(syscall.EINVAL)}, "two submission failures: each invalid SQE posts its own error"},
	{"new", "NOP\\|SKIP → invalid SQE\\|LINK → NOP", func(c *chain.Chain, fx *fixtures) {
		chain.Add(c, future.Nop()).SkipSuccess()
		chain.Add(c, invalid())
		chain.Add(c, future.Nop())
	}, []want{cancelledBy(-1), cancelledBy(-1), cancelledBy(-1)}, "a submission failure behind a skip-success head: the kernel posts only the head's -ECANCELED (io_fail_links skips the rest), so which step failed is lost"},
}

// TestSemantics runs every case on the kernel and checks each step's
// outcome; docs/semantics.md is rendered from the same cases.
func TestSemantics(t *testing.T) {
	fx := newFixtures(t)
	for i, tc := range semanticsCases {
		t.Run(fmt.Sprintf("%02d-case-%s", i, tc.ref), func(t *testing.T) {
			c := chain.New()
			tc.build(c, fx)
			ctx, cancel := context.WithTimeout(context.Background(), 10*time.Second)
			defer cancel()
			if err := c.Submit(ctx, loop); err != nil {
				t.Fatal(err)
			}
			var got []want
			for _, r := range c.Results(ctx) {
				got = append(got, want{r.Outcome, r.Res, r.By})
			}
			if diff := cmp.Diff(tc.want, got); diff != "" {
				t.Errorf("%s (-want +got):\n%s", tc.chain, diff)
			}
		})
	}
}

// TestSemanticsDoc keeps docs/semantics.md equal to the table rendered
// from semanticsCases (go test ./chain -run SemanticsDoc -update rewrites it).
func TestSemanticsDoc(t *testing.T) {
	const path = "../docs/semantics.md"
	doc := renderSemantics()
	if *update {
		if err := os.WriteFile(path, []byte(doc), 0o644); err != nil {
			t.Fatal(err)
		}
	}
	got, err := os.ReadFile(path)
	if err != nil {
		t.Fatal(err)
	}
	if diff := cmp.Diff(doc, string(got)); diff != "" {
		t.Errorf("docs/semantics.md is stale; run go test ./chain -run SemanticsDoc -update (-want +got):\n%s", diff)
	}
}

func renderSemantics() string {
	var b strings.Builder
	b.WriteString(semanticsHeader)
	b.WriteString("| # | ref | chain | outcome of each step | note |\n|---|---|---|---|---|\n")
	for i, tc := range semanticsCases {
		var steps []string
		for j, w := range tc.want {
			steps = append(steps, fmt.Sprintf("%d: %v", j, w))
		}
		fmt.Fprintf(&b, "| %d | %s | %s | %s | %s |\n", i, tc.ref, tc.chain, strings.Join(steps, "; "), tc.note)
	}
	b.WriteString(semanticsFooter)
	return b.String()
}

var _ = errors.Is
