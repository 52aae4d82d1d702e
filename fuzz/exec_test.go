package fuzz

import (
	"os"
	"testing"
	"time"
	"unsafe"

	"github.com/uringkit/uring/chain"
	"github.com/uringkit/uring/future"
	"github.com/uringkit/uring/ring"
	"github.com/uringkit/uring/timeout"
)

// Timer lengths: a Block step's linked timeout fires (the read never
// completes); every other linked timeout is long enough never to fire,
// since its step finishes at once.
const (
	blockTimeout = time.Millisecond
	expireAfter  = time.Millisecond
	longTimeout  = 5 * time.Second
)

// env holds the descriptors the step kinds use.
type env struct {
	badFD, shortFD, pipeR int
}

func newEnv(tb testing.TB, dir string) *env {
	f, err := os.CreateTemp(dir, "short")
	if err != nil {
		tb.Fatal(err)
	}
	if _, err := f.Write(make([]byte, ShortGot)); err != nil {
		tb.Fatal(err)
	}
	pr, pw, err := os.Pipe()
	if err != nil {
		tb.Fatal(err)
	}
	tb.Cleanup(func() { f.Close(); pr.Close(); pw.Close() })
	return &env{badFD: 1 << 20, shortFD: int(f.Fd()), pipeR: int(pr.Fd())}
}

func decodeNothing(ring.CQE, unsafe.Pointer) (struct{}, error) { return struct{}{}, nil }

// build makes the chain the steps describe, through the public API.
func (e *env) build(steps []Step) *chain.Chain {
	c := chain.New()
	for _, s := range steps {
		var h flagger
		switch s.Kind {
		case OK:
			h = handle[struct{}]{chain.Add(c, future.Nop())}
		case BadFD:
			h = handle[int]{chain.Add(c, future.Read(e.badFD, make([]byte, ShortWant), 0))}
		case Short:
			h = handle[int]{chain.Add(c, future.Read(e.shortFD, make([]byte, ShortWant), 0))}
		case Block:
			h = handle[int]{chain.Add(c, future.Read(e.pipeR, make([]byte, ShortWant), -1))}
		case Expire:
			spec := timeout.After(expireAfter)
			if s.ETimeSuccess {
				spec = spec.ETimeSuccess()
			}
			h = handle[bool]{chain.Add(c, timeout.New(spec))}
		case Invalid:
			// An unknown nop_flags bit: EINVAL when the SQE is submitted.
			sqe := ring.SQE{Opcode: ring.OpNop, OpFlags: 1 << 31}
			h = handle[struct{}]{chain.Add(c, future.Custom(future.Raw[struct{}]{SQE: sqe, Expect: -1, Decode: decodeNothing}))}
		}
		if s.Hard {
			h.hard()
		}
		if s.Drain {
			h.drain()
		}
		if s.Skip {
			h.skip()
		}
		if s.Timeout {
			d := longTimeout
			if s.Kind == Block {
				d = blockTimeout
			}
			c.LinkTimeout(timeout.After(d))
		}
	}
	return c
}

// flagger sets a step's flags whatever its result type.
type flagger interface {
	hard()
	drain()
	skip()
}

// handle gives the typed step handles one interface for the flags.
type handle[T any] struct{ s chain.Step[T] }

func (h handle[T]) hard()  { h.s.HardLink() }
func (h handle[T]) drain() { h.s.Drain() }
func (h handle[T]) skip()  { h.s.SkipSuccess() }
