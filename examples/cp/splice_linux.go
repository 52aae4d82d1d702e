package main

import (
	"context"
	"errors"
	"fmt"
	"io"

	"golang.org/x/sys/unix"

	"github.com/uringkit/uring/chain"
	"github.com/uringkit/uring/future"
	"github.com/uringkit/uring/ring"
)

// spliceMover copies with IORING_OP_SPLICE from the source into a pipe
// linked to IORING_OP_SPLICE from the pipe into the destination, one pipe
// per slot. The first splice puts references to the source's page-cache
// pages into the pipe (no copy); the second copies them into the
// destination's page cache: one copy of the data, where a read and a write
// through a user buffer make two. This is what copy_file_range(2) does
// inside the kernel between two files of a file system without reflink.
type spliceMover struct {
	ctx   context.Context
	loop  *ring.Loop
	f     files
	pipes [][2]int // read end, write end
	slots []spliceSlot
}

type spliceSlot struct {
	off int64
	n   int
	c   *chain.Chain
	in  chain.Step[int]
	out chain.Step[int]
}

// newSpliceMover makes qd pipes holding bs bytes each. bs is rounded down
// to whole pages (a page-aligned block fills one pipe slot per page) and
// to what F_SETPIPE_SZ grants (/proc/sys/fs/pipe-max-size without
// CAP_SYS_RESOURCE); it returns the block size it will use.
func newSpliceMover(ctx context.Context, loop *ring.Loop, f files, bs, qd int) (mover, int, error) {
	page := unix.Getpagesize()
	bs = max(bs/page*page, page)
	m := &spliceMover{ctx: ctx, loop: loop, f: f, slots: make([]spliceSlot, qd)}
	for range qd {
		var p [2]int
		if err := unix.Pipe2(p[:], unix.O_CLOEXEC); err != nil {
			m.close()
			return nil, 0, fmt.Errorf("pipe: %w", err)
		}
		m.pipes = append(m.pipes, p)
		for {
			got, err := unix.FcntlInt(uintptr(p[1]), unix.F_SETPIPE_SZ, bs)
			if err == nil {
				bs = min(bs, got)
				break
			}
			if !errors.Is(err, unix.EPERM) || bs <= 64<<10 {
				m.close()
				return nil, 0, fmt.Errorf("F_SETPIPE_SZ %d: %w", bs, err)
			}
			bs /= 2 // over pipe-max-size
		}
	}
	return m, bs, nil
}

func (m *spliceMover) start(i int, off int64, n int) error {
	s := &m.slots[i]
	p := m.pipes[i]
	s.off, s.n, s.c = off, n, chain.New()
	s.in = chain.Add(s.c, future.Splice(m.f.sfd, off, p[1], -1, uint32(n), 0))
	s.out = chain.Add(s.c, future.Splice(p[0], -1, m.f.dfd, off, uint32(n), 0))
	return s.c.Submit(m.ctx, m.loop)
}

// finish: a short splice into the pipe breaks the link and cancels the
// splice out of it (which never waits on an empty pipe: it starts only
// after the first one has filled the pipe). Then what the pipe holds is
// written, and the rest copied one splice at a time.
func (m *spliceMover) finish(i int) (int64, error) {
	s := &m.slots[i]
	r, w, whole, err := m.f.linkResult(m.ctx, s.in, s.out, s.n)
	if whole || err != nil {
		return int64(r), err
	}
	// The pipe holds r-w bytes, for [off+w, off+r).
	done := int64(w)
	for got := r - w; ; {
		if err := m.flush(i, s.off+done, got); err != nil {
			return done, err
		}
		done += int64(got)
		if done == int64(s.n) {
			return done, nil
		}
		k, err := future.Splice(m.f.sfd, s.off+done, m.pipes[i][1], -1, uint32(int64(s.n)-done), 0).Await(m.ctx, m.loop)
		if err != nil {
			return done, m.f.readErr(err)
		}
		if k == 0 {
			return done, fmt.Errorf("%s: shrank while being copied", m.f.srcName)
		}
		got = k
	}
}

// flush splices the n bytes pipe i holds into the destination at off.
func (m *spliceMover) flush(i int, off int64, n int) error {
	for n > 0 {
		k, err := future.Splice(m.pipes[i][0], -1, m.f.dfd, off, uint32(n), 0).Await(m.ctx, m.loop)
		if err != nil {
			return m.f.writeErr(err)
		}
		if k == 0 {
			return m.f.writeErr(io.ErrShortWrite)
		}
		off += int64(k)
		n -= k
	}
	return nil
}

func (m *spliceMover) drain(i int) { m.slots[i].c.Wait(context.Background()) }

// close closes the pipes; every chain has finished by then.
func (m *spliceMover) close() {
	for _, p := range m.pipes {
		unix.Close(p[0])
		unix.Close(p[1])
	}
}
