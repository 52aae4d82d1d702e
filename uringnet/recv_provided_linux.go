package uringnet

import "github.com/uringkit/uring/ring"

// provRecv is a conn's receive state in RecvProvided mode.
type provRecv struct {
	ok bool
}

func newProvRecv(l *ring.Loop) *provRecv { return &provRecv{} }

func (p *provRecv) stop() {}

func (c *Conn) readProvided(b []byte, wc waitCtx) (int, error) { return 0, nil }
